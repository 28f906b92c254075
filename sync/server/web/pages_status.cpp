// Issue 11, the public status page: GET /t asks for the code, GET /t/CODE for the check (last
// four digits of the phone or the e-mail), POST /t/CODE answers with the status, its timeline and
// every reply. No session, no JavaScript, never a name or contact; an unknown code and a wrong
// check get the same answer; wrong checks slow down per code and per address (store_status.h).
#include "web/site.h"

#include "store.h"
#include "store_events.h"
#include "store_status.h"
#include "web/format.h"
#include "web/render.h"

#include "ksd/log.h"
#include "ksd/ticket_status.h"
#include "ksd/tickets.h"

#include <algorithm>
#include <arpa/inet.h>
#include <ctime>
#include <optional>

namespace ksd::server::web {

namespace {

// Four digits have 10,000 values: the 45-bit code is the secret, and these limits keep a guesser
// of the digits for a known code to 5 tries per 15 minutes; 20 per address covers a family or an
// office sharing one address.
constexpr CheckLimit per_code {5, 15 * 60};
constexpr CheckLimit per_address {20, 15 * 60};
constexpr size_t max_check_bytes = 254; // the longest e-mail address

int64_t now_s() {
    return static_cast<int64_t>(std::time(nullptr));
}

Lang lang_of(httplib::Request const& req) {
    return req.has_param("lang") && req.get_param_value("lang") == "en" ? Lang::En : Lang::Id;
}

// The headers of every answer of these pages: the dashboard's, no JavaScript at all, not kept by
// caches or search engines, and the code in the URL never sent on as a Referer.
void public_headers(httplib::Response& res) {
    security_headers(res, HeaderPolicy::Public);
    res.set_header("Cache-Control", "no-store");
}

struct View {
    Lang lang {Lang::Id};
    std::string path; // this page's path, for the language switch
    std::string title;
};

void send(
    httplib::Response& res, int status, View const& v, std::string_view name, nlohmann::json data) {
    public_headers(res);
    data["t"] = ui_strings(v.lang);
    data["lang"] = std::string(lang_code(v.lang));
    data["lang_en"] = v.lang == Lang::En;
    data["path"] = v.path;
    auto body = render_template(name, data);
    if (!body) {
        log::error("status", body.error().message);
        res.status = 500;
        res.set_content(plain_error_page(500), "text/html; charset=utf-8");
        return;
    }
    data["content"] = *body;
    data["title"] = v.title;
    auto page = render_template("status_layout", data);
    if (!page) {
        log::error("status", page.error().message);
        res.status = 500;
        res.set_content(plain_error_page(500), "text/html; charset=utf-8");
        return;
    }
    res.status = status;
    res.set_content(*page, "text/html; charset=utf-8");
}

void server_trouble(httplib::Response& res, Error const& e) {
    log::error("status", e.message);
    public_headers(res);
    if (is_busy(e)) {
        res.status = 503;
        res.set_header("Retry-After", std::to_string(busy_retry_after_s));
    } else {
        res.status = 500;
    }
    res.set_content(plain_error_page(res.status), "text/html; charset=utf-8");
}

std::string with_lang(std::string const& path, Lang lang) {
    return lang == Lang::En ? path + "?lang=en" : path;
}

// The form asking for the code (GET /t): the first time, or again for a typed code that is not
// one (wrong length, character or check character).
enum class CodeForm { First, NotACode };
void code_form(httplib::Response& res, Lang lang, std::string const& typed, CodeForm why) {
    bool const invalid = why == CodeForm::NotACode;
    nlohmann::json d;
    d["typed"] = typed;
    d["invalid"] = invalid;
    send(res, invalid ? 404 : 200, View {lang, "/t", ui_string("status_title", lang)},
        "status_code", d);
}

// The form asking for the check of code; message: why it is shown again ("" the first time).
void check_form(httplib::Response& res, int status, Lang lang, std::string const& code,
    std::string const& message) {
    nlohmann::json d;
    d["code"] = code;
    d["message"] = message;
    send(
        res, status, View {lang, "/t/" + code, ui_string("status_title", lang)}, "status_check", d);
}

// A time for a visitor, who may not know the office's zone: "Senin, 30 Nov 2026 09.15 WIB".
std::string when(int64_t unix_s, Lang lang, Zone const& zone) {
    return format_time(unix_s, lang, zone) + " " + zone.label();
}

std::string wait_message(int64_t until, int64_t now, Lang lang, Zone const& zone) {
    int64_t minutes = std::max<int64_t>(1, (until - now + 59) / 60);
    std::string at = when(until, lang, zone);
    if (lang == Lang::Id)
        return "Terlalu banyak percobaan yang tidak cocok. Demi keamanan, coba lagi dalam "
            + std::to_string(minutes) + " menit (" + at + ").";
    return "Too many checks that did not match. For your safety, try again in "
        + std::to_string(minutes) + (minutes == 1 ? " minute (" : " minutes (") + at + ").";
}

// The key wrong checks are counted by for a client: its IPv4 address, or the /64 network of an
// IPv6 address (one subscriber gets a whole /64 and could otherwise change address at will).
std::string address_key(std::string const& address) {
    in6_addr v6 {};
    if (address.find(':') == std::string::npos || ::inet_pton(AF_INET6, address.c_str(), &v6) != 1)
        return "addr:" + address;
    if (IN6_IS_ADDR_V4MAPPED(&v6))
        return "addr:" + address.substr(address.rfind(':') + 1);
    std::fill(v6.s6_addr + 8, v6.s6_addr + 16, 0);
    char text[INET6_ADDRSTRLEN] {};
    ::inet_ntop(AF_INET6, &v6, text, sizeof text);
    return "addr:" + std::string(text) + "/64";
}

// A POST from a page of another site is refused. Browsers mark their requests with
// Sec-Fetch-Site; without it, an Origin header other than ours is refused. Our own pages send
// Referrer-Policy: no-referrer, with which browsers send "Origin: null" on a POST, so "null"
// (and no Origin, as curl sends) pass: the check only reads, and is throttled by code and address.
bool from_our_pages(Site const& site, httplib::Request const& req) {
    std::string fetch_site = req.get_header_value("Sec-Fetch-Site");
    if (!fetch_site.empty())
        return fetch_site == "same-origin" || fetch_site == "none";
    std::string origin = req.get_header_value("Origin");
    if (origin.empty() || origin == "null")
        return true;
    return site.same_origin(req);
}

Result<nlohmann::json> answer_data(Conn& db, StatusTicket const& t, Lang lang, Zone const& zone) {
    nlohmann::json d;
    d["code"] = t.code;
    auto words = visitor_status(t.status, lang);
    d["headline"] = words.headline;
    d["explanation"] = words.explanation;
    d["made_at"] = when(t.made_at, lang, zone);
    d["made_at_estimated"] = t.made_at_estimated;
    nlohmann::json timeline = nlohmann::json::array();
    timeline.push_back({{"when", when(t.made_at, lang, zone)}, {"estimated", t.made_at_estimated},
        {"what", ui_string("status_event_made", lang)}});
    nlohmann::json replies = nlohmann::json::array();
    std::string referral;
    TRY_RESULT(auto events, history(db, t.id));
    for (auto const& e : events) {
        switch (e.kind) {
        case EventKind::Status:
            timeline.push_back({{"when", when(e.at, lang, zone)}, {"estimated", false},
                {"what", visitor_status(e.to_status, lang).headline}});
            // Only the reason of "Bukan kewenangan" is meant for the visitor (the kiosk gets it
            // as the referral); other reasons are the staff's own.
            if (parse_status(e.to_status) == TicketStatus::NotOurs)
                referral = e.text;
            break;
        case EventKind::Reply:
            replies.push_back({{"when", when(e.at, lang, zone)}, {"text", e.text}});
            break;
        case EventKind::Note: // internal, never shown
        case EventKind::Assign:
            break;
        }
    }
    d["timeline"] = timeline;
    d["replies"] = replies;
    d["has_replies"] = !replies.empty();
    d["referral"] = parse_status(t.status) == TicketStatus::NotOurs ? referral : std::string();
    return d;
}

} // namespace

void install_status_pages(Site& site) {
    auto& server = site.server();
    server.Get("/t", [](httplib::Request const& req, httplib::Response& res) {
        Lang lang = lang_of(req);
        std::string typed = req.get_param_value("code");
        if (typed.empty())
            return code_form(res, lang, "", CodeForm::First);
        auto code = normalize_ticket_code(typed.substr(0, 40));
        if (!code)
            return code_form(res, lang, typed.substr(0, 40), CodeForm::NotACode);
        public_headers(res);
        res.status = 303;
        res.set_header("Location", with_lang("/t/" + *code, lang));
    });
    server.Get("/t/", [](httplib::Request const& req, httplib::Response& res) {
        public_headers(res);
        res.status = 303;
        res.set_header("Location", with_lang("/t", lang_of(req)));
    });

    server.Get(R"(/t/([^/]{1,60}))", [](httplib::Request const& req, httplib::Response& res) {
        Lang lang = lang_of(req);
        std::string typed = req.matches[1].str();
        auto code = normalize_ticket_code(typed);
        if (!code)
            return code_form(res, lang, typed, CodeForm::NotACode);
        if (*code != typed) {
            // One address per request: what a visitor typed or scanned goes to the canonical one.
            public_headers(res);
            res.status = 301;
            res.set_header("Location", with_lang("/t/" + *code, lang));
            return;
        }
        check_form(res, 200, lang, *code, "");
    });

    server.Post(R"(/t/([^/]{1,60}))", [&site](httplib::Request const& req, httplib::Response& res) {
        Lang lang = lang_of(req);
        std::string typed = req.matches[1].str();
        auto code = normalize_ticket_code(typed);
        if (!code)
            return code_form(res, lang, typed, CodeForm::NotACode);
        if (!from_our_pages(site, req)) {
            log::warn("status", "refused a check of another site's page");
            return check_form(res, 403, lang, *code, ui_string("status_foreign", lang));
        }
        std::string check = req.get_param_value("check");
        auto parsed = check.size() <= max_check_bytes ? parse_status_check(check) : std::nullopt;
        if (!parsed)
            return check_form(res, 400, lang, *code, ui_string("status_check_invalid", lang));

        auto lease = site.pool().take();
        if (!lease)
            return server_trouble(res, lease.error());
        Conn& db = lease->db();
        int64_t const now = now_s();
        Zone const zone = site.config().zone;
        std::string const code_key = "code:" + *code;
        std::string const addr_key = address_key(client_address(req, site.config()));
        // One write transaction from reading the counts to recording a failure: parallel
        // guesses of one code wait for each other instead of all passing the same count.
        auto tx = Tx::begin(db, TransactionKind::Immediate);
        if (!tx)
            return server_trouble(res, tx.error());
        auto by_code = check_blocked_until(db, code_key, per_code, now);
        auto by_addr = check_blocked_until(db, addr_key, per_address, now);
        if (!by_code || !by_addr)
            return server_trouble(res, !by_code ? by_code.error() : by_addr.error());
        int64_t blocked_until = std::max(*by_code, *by_addr);
        if (blocked_until > now) {
            res.set_header("Retry-After", std::to_string(blocked_until - now));
            return check_form(res, 429, lang, *code, wait_message(blocked_until, now, lang, zone));
        }

        auto tickets = status_tickets_by_code(db, *code);
        if (!tickets)
            return server_trouble(res, tickets.error());
        std::optional<StatusTicket> found;
        bool const by_email = parsed->kind == CheckKind::Email;
        for (auto const& t : *tickets) {
            std::string const& stored = by_email ? t.email_check : t.phone_check;
            if (check_hash_matches(stored, ticket_check_hash(t.id, *parsed)))
                found = t;
        }
        if (tickets->empty()) {
            // The same work as for a known code, so the answer takes as long.
            (void)check_hash_matches(
                std::string(64, '0'), ticket_check_hash(generate_uuid_v4(), *parsed));
        }
        if (!found) {
            if (auto r = record_check_failure(db, {code_key, addr_key}, now, per_code.window_s); !r)
                return server_trouble(res, r.error());
            if (auto r = tx->commit(); !r)
                return server_trouble(res, r.error());
            return check_form(res, 200, lang, *code, ui_string("status_no_match", lang));
        }
        if (auto r = tx->commit(); !r)
            return server_trouble(res, r.error());
        auto d = answer_data(db, *found, lang, zone);
        if (!d)
            return server_trouble(res, d.error());
        send(res, 200, View {lang, "/t/" + *code, ui_string("status_title", lang)}, "status_answer",
            *d);
    });
}

} // namespace ksd::server::web
