// The enrolment's config lines and QR code; see fleet_enrol.h.
#include "fleet_enrol.h"

#include "fleet_svg.h"

#include <qrencode.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace ksd::server {

std::string toml_string(std::string const& s) {
    std::string out = "\"";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04X", unsigned(u));
            out += buf;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

std::string kiosk_config_lines(
    std::string const& kiosk_id, std::string const& token, std::string const& server_url) {
    std::string url = server_url;
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return std::string("# ") + sync_config_path + "\n[server]\nurl = " + toml_string(url)
        + "\ntoken_file = " + toml_string(token_file_path) + "\n\n# " + token_file_path
        + " (this line only; chmod 600)\n" + token + "\n\n# " + kiosk_config_path
        + "\n[device]\nid = " + toml_string(kiosk_id) + "\n";
}

Result<std::string> qr_code_svg(std::string const& text, int pixels, std::string const& title) {
    if (text.empty())
        return make_error("QR code: nothing to encode");
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code)
        return make_error(
            "QR code: the text (" + std::to_string(text.size()) + " bytes) cannot be encoded");
    std::vector<bool> dark(size_t(code->width) * size_t(code->width));
    for (size_t i = 0; i < dark.size(); ++i)
        dark[i] = code->data[i] & 1;
    return qr_svg(code->width, dark, pixels, title);
}

} // namespace ksd::server
