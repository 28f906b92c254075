// The ticket's QR payload; see ticket_qr.h.
#include "ksd/ticket_qr.h"

#include <cctype>

namespace ksd {

std::string status_url_problem(std::string_view url) {
    if (url.empty())
        return {};
    std::string_view rest;
    if (url.starts_with("https://"))
        rest = url.substr(8);
    else if (url.starts_with("http://"))
        rest = url.substr(7);
    else
        return "must start with http:// or https://";
    if (rest.empty() || rest.front() == '/' || rest.front() == '{')
        return "has no host name after http(s)://";
    for (unsigned char c : url)
        if (c <= 0x20 || c == 0x7f)
            return "must not contain spaces or control characters";
    if (url.find("{code}") == std::string_view::npos)
        return "must contain {code} where the ticket code goes, e.g. "
               "https://ksd.example.go.id/t/{code}";
    return {};
}

std::optional<std::string> whatsapp_link(std::string const& number, std::string const& text) {
    std::string digits;
    if (number.size() < 9 || number[0] != '+')
        return std::nullopt;
    for (size_t i = 1; i < number.size(); ++i) {
        if (number[i] >= '0' && number[i] <= '9')
            digits += number[i];
        else if (number[i] != ' ' && number[i] != '-')
            return std::nullopt;
    }
    if (digits.size() < 8 || digits.size() > 15)
        return std::nullopt;
    std::string url = "https://wa.me/" + digits;
    if (text.empty())
        return url;
    url += "?text=";
    static char const hex[] = "0123456789ABCDEF";
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            url += static_cast<char>(c);
        } else {
            url += '%';
            url += hex[c >> 4];
            url += hex[c & 15];
        }
    }
    return url;
}

std::string whatsapp_ticket_message(std::string_view code, Lang lang) {
    switch (lang) {
    case Lang::Id:
        return "Halo, saya mengajukan konsultasi di anjungan. Kode tiket saya: "
            + std::string(code);
    case Lang::En:
        return "Hello, I made a consultation request at the kiosk. My ticket code: "
            + std::string(code);
    }
    return std::string(code);
}

TicketQr ticket_qr(std::string_view code, std::string_view status_url_template,
    std::string_view office_whatsapp, Lang lang) {
    if (!status_url_template.empty() && status_url_problem(status_url_template).empty()) {
        std::string url(status_url_template);
        for (size_t at; (at = url.find("{code}")) != std::string::npos;)
            url.replace(at, 6, code);
        return {TicketQrKind::StatusPage, url};
    }
    if (!office_whatsapp.empty()) {
        if (auto wa
            = whatsapp_link(std::string(office_whatsapp), whatsapp_ticket_message(code, lang)))
            return {TicketQrKind::WhatsApp, *wa};
    }
    return {TicketQrKind::Code, std::string(code)};
}

std::string ticket_qr_caption(TicketQrKind kind, Lang lang) {
    bool en = lang == Lang::En;
    switch (kind) {
    case TicketQrKind::StatusPage:
        return en ? "Scan to follow your request on your phone"
                  : "Pindai untuk melihat jawaban di HP Anda";
    case TicketQrKind::WhatsApp:
        return en ? "Scan to send the code to the office's WhatsApp"
                  : "Pindai untuk mengirim kode ke WhatsApp kantor";
    case TicketQrKind::Code:
        return en ? "Scan to keep the ticket code on your phone"
                  : "Pindai untuk menyimpan kode tiket di HP Anda";
    }
    return {};
}

} // namespace ksd
