// The words and framing of notifications (see notify_message.h).
#include "notify_message.h"

#include "ksd/ticket_status.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <array>
#include <ctime>

namespace ksd::server {

namespace {

std::string lower_hex(unsigned char const* p, size_t n) {
    static char const digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (size_t i = 0; i < n; ++i) {
        out += digits[p[i] >> 4];
        out += digits[p[i] & 15];
    }
    return out;
}

std::string base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<unsigned char const*>(bytes.data()),
        bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1); // the terminating NUL
    return out;
}

// Length of the UTF-8 sequence that starts with byte b (1 for a stray byte).
size_t utf8_len(unsigned char b) {
    return b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
}

std::string pick(Lang l, char const* id, char const* en) {
    return l == Lang::En ? en : id;
}

} // namespace

bool is_plain_address(std::string_view s) {
    if (s.empty() || s.size() > 254)
        return false;
    auto at = s.find('@');
    if (at == 0 || at == std::string_view::npos || s.find('@', at + 1) != std::string_view::npos)
        return false;
    auto domain = s.substr(at + 1);
    if (domain.empty() || domain.find('.') == std::string_view::npos || domain.front() == '.'
        || domain.back() == '.')
        return false;
    for (char c : s) {
        auto b = static_cast<unsigned char>(c);
        if (b <= 0x20 || b >= 0x7f)
            return false;
        if (std::string_view("<>()[],;:\\\"").find(c) != std::string_view::npos)
            return false;
    }
    return true;
}

std::string address_domain(std::string_view address) {
    auto at = address.find('@');
    return at == std::string_view::npos ? std::string() : std::string(address.substr(at + 1));
}

std::string status_page_url(std::string const& public_url, std::string const& code) {
    if (public_url.empty())
        return {};
    std::string base = public_url;
    while (base.ends_with("/"))
        base.pop_back();
    return base + "/t/" + code;
}

std::string message_id(int64_t outbox_id, std::string const& ticket_id, std::string const& from) {
    return "<ksd-" + std::to_string(outbox_id) + "-" + ticket_id + "@" + address_domain(from) + ">";
}

std::string encode_header_text(std::string_view utf8, size_t first_line_used) {
    // "=?UTF-8?B?" + base64 + "?=" is 12 characters around the data; 45 bytes of text make 60
    // of base64, so a word stays within 75 characters and a line (" " + word) within 78. Words
    // end on a character boundary (RFC 2047 6.3: a character must not be split).
    constexpr size_t max_chunk = 45;
    std::string out;
    size_t line = first_line_used;
    size_t i = 0;
    while (i < utf8.size() || out.empty()) {
        size_t end = i;
        while (end < utf8.size()) {
            size_t len = utf8_len(static_cast<unsigned char>(utf8[end]));
            if (end + len - i > max_chunk)
                break;
            end = std::min(utf8.size(), end + len);
        }
        if (end == i && i < utf8.size())
            end = i + 1; // cannot happen with valid UTF-8; never loop forever
        std::string word = "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
        // Each further word, and a first one the field name leaves no room for, starts a
        // continuation line.
        if (!out.empty() || line + word.size() > 78) {
            out += "\r\n ";
            line = 1;
        }
        out += word;
        line += word.size();
        i = end;
        if (utf8.empty())
            break;
    }
    return out;
}

std::string quoted_printable(std::string_view text) {
    static char const digits[] = "0123456789ABCDEF";
    std::string out;
    size_t col = 0;
    auto put = [&](std::string_view piece) {
        // A soft line break keeps every line within 76 characters (the "=" counts).
        if (col + piece.size() > 75) {
            out += "=\r\n";
            col = 0;
        }
        out += piece;
        col += piece.size();
    };
    for (size_t i = 0; i < text.size(); ++i) {
        auto b = static_cast<unsigned char>(text[i]);
        bool const line_end = i + 1 == text.size() || text[i + 1] == '\n';
        if (b == '\n') {
            out += "\r\n";
            col = 0;
            continue;
        }
        bool literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !line_end);
        if (b == '.' && col == 0)
            literal = false;
        if (literal) {
            char c = static_cast<char>(b);
            put(std::string_view(&c, 1));
        } else {
            char enc[3] = {'=', digits[b >> 4], digits[b & 15]};
            put(std::string_view(enc, 3));
        }
    }
    if (!out.ends_with("\r\n"))
        out += "\r\n";
    return out;
}

std::string mail_date(int64_t unix_s) {
    std::time_t t = static_cast<std::time_t>(unix_s);
    std::tm tm {};
    gmtime_r(&t, &tm);
    static char const* const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static char const* const months[]
        = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday],
        tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

Lang lang_of(std::string const& code) {
    return code == "en" ? Lang::En : Lang::Id;
}

NotifyText notify_text(NotifyEvent event, NotifyContent const& c, std::string const& status_word,
    std::string const& url) {
    Lang const l = lang_of(c.lang);
    VisitorStatus const words = visitor_status(status_word, l);
    NotifyText out;
    switch (event) {
    case NotifyEvent::Reply:
        out.subject
            = pick(l, "Balasan untuk permohonan Anda ", "A reply to your request ") + c.code;
        break;
    case NotifyEvent::Closed:
        out.subject = pick(l, "Permohonan ", "Your request ") + c.code + ": " + words.headline;
        break;
    }
    std::string b;
    b += pick(l, "Yth. Bapak/Ibu,\n\n", "Dear visitor,\n\n");
    b += pick(l, "Kode permohonan: ", "Request code: ") + c.code + "\n";
    b += pick(l, "Status: ", "Status: ") + words.headline + "\n";
    b += words.explanation + "\n";
    if (!c.text.empty()) {
        switch (event) {
        case NotifyEvent::Reply:
            b += pick(l, "\nBalasan petugas:\n\n", "\nThe staff's reply:\n\n");
            break;
        case NotifyEvent::Closed:
            b += pick(l, "\nKeterangan:\n\n", "\nNote:\n\n");
            break;
        }
        b += c.text + "\n";
    }
    if (!url.empty())
        b += pick(l, "\nLihat permohonan Anda dan semua balasannya di:\n",
                 "\nSee your request and all its replies at:\n")
            + url + "\n";
    b += pick(l,
        "\n-- \nPesan ini dikirim otomatis oleh Anjungan KSD; mohon tidak membalas e-mail ini.\n",
        "\n-- \nThis message was sent automatically by the KSD kiosk; please do not reply to "
        "it.\n");
    out.body = std::move(b);
    return out;
}

Result<std::string> build_mail(OutboxItem const& o, NotifyContent const& c,
    MailSettings const& settings, std::string const& public_url) {
    if (!is_plain_address(c.email))
        return make_error(c.email.empty() ? std::string("the request has no e-mail address (any "
                                                        "more)")
                                          : std::string("the visitor's e-mail address is not a "
                                                        "plain address local@domain"));
    if (!is_plain_address(settings.from))
        return make_error("mail.from is not a plain address local@domain");
    auto text = notify_text(o.event, c, o.status, status_page_url(public_url, c.code));
    std::string m;
    // Every header value is either checked above (addresses), made by us from digits, a UUID
    // and the checked domain (Message-ID, Date), or encoded whole (Subject): no line break or
    // other header can come from a visitor's or staff member's text.
    m += "Date: " + mail_date(o.created_at) + "\r\n";
    m += "From: " + settings.from + "\r\n";
    m += "To: " + c.email + "\r\n";
    m += "Subject: " + encode_header_text(text.subject, 9) + "\r\n";
    m += "Message-ID: " + message_id(o.id, o.ticket_id, settings.from) + "\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    m += "Content-Transfer-Encoding: quoted-printable\r\n";
    m += "Auto-Submitted: auto-generated\r\n";
    m += "\r\n";
    m += quoted_printable(text.body);
    return m;
}

std::string webhook_body(OutboxItem const& o, NotifyContent const& c, std::string const& public_url,
    IncludePhone phone, int64_t now) {
    VisitorStatus const words = visitor_status(o.status, lang_of(c.lang));
    nlohmann::json j;
    j["delivery_id"] = o.id;
    j["event"] = std::string(notify_event_word(o.event));
    j["ticket_id"] = o.ticket_id;
    j["code"] = c.code;
    j["status"] = o.status;
    j["status_visitor"] = {{"headline", words.headline}, {"explanation", words.explanation}};
    j["text"] = c.text;
    j["lang"] = c.lang;
    j["status_url"] = status_page_url(public_url, c.code);
    j["event_at"] = c.event_at;
    j["sent_at"] = now;
    switch (phone) {
    case IncludePhone::Yes:
        j["phone"] = c.phone;
        break;
    case IncludePhone::No:
        break;
    }
    return j.dump();
}

std::string webhook_signature(std::string const& secret, std::string_view body) {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(
        &st, reinterpret_cast<unsigned char const*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(
        &st, reinterpret_cast<unsigned char const*>(body.data()), body.size());
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac {};
    crypto_auth_hmacsha256_final(&st, mac.data());
    return "sha256=" + lower_hex(mac.data(), mac.size());
}

} // namespace ksd::server
