// Issue 11: what a notification says and how it is framed, without sending it: the visitor's
// e-mail (MIME: UTF-8 quoted-printable body, RFC 2047 subject, no header injection from any
// field) and the webhook's JSON body with its HMAC-SHA256 signature. Pure functions (tests).
#pragma once

#include "store_outbox.h"

#include "ksd/taxonomy.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ksd::server {

// Whether s is a plain address local@domain that may go into a header and an SMTP command as it
// is: printable ASCII without spaces, quotes, brackets, commas, semicolons or backslashes, one
// '@' with text on both sides and a dot in the domain, at most 254 bytes.
bool is_plain_address(std::string_view s);
// The domain of a plain address (after the '@').
std::string address_domain(std::string_view address);

// The public status page of a request: public_url + "/t/" + code, empty without public_url.
std::string status_page_url(std::string const& public_url, std::string const& code);

// The stable Message-ID of outbox row id: <ksd-ID-TICKETID@DOMAIN-OF-FROM>, the same on every
// try, so a copy sent twice (at-least-once, sync/README.md) is recognisable.
std::string message_id(int64_t outbox_id, std::string const& ticket_id, std::string const& from);

// Header field value made of RFC 2047 encoded words (UTF-8, base64), folded so that no line is
// longer than 78 characters; every byte of text is inside an encoded word.
std::string encode_header_text(std::string_view utf8, size_t first_line_used);
// Quoted-printable body with CRLF line ends, lines of at most 76 characters; "\n" in the text
// is a line break; a '.' starting a line is encoded (SMTP's end of data).
std::string quoted_printable(std::string_view utf8);
// RFC 5322 date in UTC, e.g. "Mon, 30 Nov 2026 14:05:00 +0000".
std::string mail_date(int64_t unix_s);

// The words of a notification in the visitor's language.
struct NotifyText {
    std::string subject;
    std::string body; // plain text, "\n" line ends
};
NotifyText notify_text(
    NotifyEvent, NotifyContent const&, std::string const& status_word, std::string const& url);
Lang lang_of(std::string const& lang_code);

struct MailSettings {
    std::string from; // a plain address, checked at start
};
// The whole message (headers and body, CRLF) of outbox row o to c.email; an error when the
// address is not a plain address (never put into a header).
Result<std::string> build_mail(OutboxItem const& o, NotifyContent const& c, MailSettings const&,
    std::string const& public_url);

// The webhook's JSON body (sync/README.md) sent at now; the phone only when include_phone.
enum class IncludePhone { No, Yes };
std::string webhook_body(OutboxItem const& o, NotifyContent const& c, std::string const& public_url,
    IncludePhone, int64_t now);
// "sha256=" + lower-case hex of HMAC-SHA256(secret, body) (the KSD-Signature header).
std::string webhook_signature(std::string const& secret, std::string_view body);

} // namespace ksd::server
