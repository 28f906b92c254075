// libqrencode wrapper: the QRcode is freed on every path.
#include "ui/qr.h"

#include <memory>
#include <qrencode.h>

namespace kiosk::ui {

std::optional<QrMatrix> encode_qr(std::string const& data) {
    if (data.empty())
        return std::nullopt;
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(data.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code)
        return std::nullopt;
    QrMatrix m;
    m.size = code->width;
    m.dark.resize(size_t(m.size) * size_t(m.size));
    for (int i = 0; i < m.size * m.size; ++i)
        m.dark[size_t(i)] = code->data[i] & 1;
    return m;
}

} // namespace kiosk::ui
