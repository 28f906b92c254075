// QR code encoding (libqrencode) into a plain module matrix that any renderer can draw.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kiosk::ui {

struct QrMatrix {
    int size {0}; // modules per side, without the quiet zone
    std::vector<bool> dark; // row-major, size*size
    bool at(int x, int y) const { return dark[size_t(y) * size_t(size) + size_t(x)]; }
};

// Medium error correction; nullopt when the data is too long or encoding fails.
std::optional<QrMatrix> encode_qr(std::string const& data);
inline constexpr int qr_quiet_zone = 4; // modules of light margin the standard asks for

} // namespace kiosk::ui
