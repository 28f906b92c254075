// What the QR code on the kiosk's ticket screen and on the printed receipt holds (issue 11): the
// office's public status page for the code, else a WhatsApp message with the code to the office,
// else the bare code. One pure function, so the screen and the receipt cannot disagree.
#pragma once

#include "ksd/taxonomy.h"

#include <optional>
#include <string>
#include <string_view>

namespace ksd {

enum class TicketQrKind { StatusPage, WhatsApp, Code };

struct TicketQr {
    TicketQrKind kind {TicketQrKind::Code};
    std::string data; // what the QR code encodes
};

// Why a `ticket.status_url` template is refused (empty when it is fine or empty): it must start
// with http:// or https://, have a host, contain "{code}" and no space or control character.
std::string status_url_problem(std::string_view url_template);

// "https://wa.me/628...?text=..." for an international number ("+62 812-..."), or nullopt when
// the number is not in that form. The text is percent-encoded (UTF-8 bytes).
std::optional<std::string> whatsapp_link(std::string const& number, std::string const& text);

// The message a visitor sends to the office's WhatsApp, in their language, with the code.
std::string whatsapp_ticket_message(std::string_view code, Lang);

// The QR payload for a ticket code: the status URL template with every "{code}" replaced when
// the template is set and valid; otherwise a wa.me link with whatsapp_ticket_message when the
// office's WhatsApp number is usable; otherwise the code itself.
TicketQr ticket_qr(std::string_view code, std::string_view status_url_template,
    std::string_view office_whatsapp, Lang);

// What the QR code does, in words, under it on the screen and the receipt.
std::string ticket_qr_caption(TicketQrKind, Lang);

} // namespace ksd
