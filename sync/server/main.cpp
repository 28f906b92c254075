// ksd-server: the central server (HTTP sync API) and the staff's command line for kiosks,
// tickets and content packs. Usage: ksd-server --help.
#include "api.h"
#include "content_service.h"
#include "fleet_health.h"
#include "http.h"
#include "notify_worker.h"
#include "store.h"
#include "store_copy.h"
#include "store_events.h"
#include "store_inbox.h"
#include "store_outbox.h"
#include "store_staff.h"
#include "usb_import.h"
#include "web/site.h"

#include "ksd/config.h"
#include "ksd/content_pack.h"
#include "ksd/csv.h"
#include "ksd/date.h"
#include "ksd/files.h"
#include "ksd/log.h"
#include "ksd/main_guard.h"
#include "ksd/minisign.h"
#include "ksd/number.h"
#include "ksd/utf8.h"
#include "ksd/version.h"

#include <httplib.h>

#include <charconv>
#include <sodium.h>

#include <csignal>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <iostream>
#include <malloc.h>
#include <map>
#include <pthread.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace {

using namespace ksd;
using namespace ksd::server;

constexpr char const* usage
    = R"(usage: ksd-server [--config FILE] [--db PATH|postgresql://...] [--data-dir DIR] COMMAND ...

  serve [--listen HOST:PORT]     run the sync API (plain HTTP; put nginx in front for TLS)
  migrate --from FILE --to postgresql://...
                                 copy a SQLite database into a new, empty PostgreSQL one,
                                 checked table by table by row counts and hashes
  kiosk add ID                   register a kiosk and print its token (shown only once)
  kiosk list                     kiosks worst first: state (offline, layar mati = screen dead,
                                 clock untrusted, ...), last heartbeat, queue, content version
  kiosk revoke ID                revoke a kiosk's token (refused with 401 from then on)
  tickets list                   all tickets, oldest first
  tickets show ID|CODE           one ticket with every field
  tickets reply ID|CODE TEXT     add a reply to the visitor (all replies reach the kiosk)
  tickets status ID|CODE STATUS [REASON]
                                 change the status (forward only; see below); Bukan
                                 kewenangan needs where the visitor should go as REASON
  tickets note ID|CODE TEXT      add an internal note (never sent to a kiosk)
  tickets history ID|CODE        status changes, replies, notes and assignments
  tickets export --csv           all tickets as CSV on stdout
  tickets import FILE [--ack-out PATH]
                                 import a kiosk's queue export (USB, issue 14) and write the
                                 acknowledgement file (default: beside FILE) for the kiosk
  keys                           the USB export key pair: made once (usb_key), prints the public
                                 key for the kiosks' usb.server_public_key
  purge                          remove name, phone and e-mail of requests closed longer ago
                                 than privacy.retention_days (serve does it hourly)
  content publish PACK [--public-key FILE]
                                 publish a signed pack (PACK.minisig beside it) newer than the last
  content import-sources DIR     replace the server's draft sources with those in DIR
  content check                  check the draft as `ksd-content build` does
  content publish-draft          build the draft, sign it with secret_key, publish it
  content restore VERSION        publish the sources of VERSION again as a new version
  content history                published versions: who, when, how signed
  user add NAME --role ROLE [--full-name TEXT]
                                 add a staff user of the dashboard (/staff/); the password is read
                                 from standard input (one line). ROLE: viewer, responder, editor,
                                 admin
  user list                      staff users with role and state
  user password NAME             set a new password (read from standard input)
  user disable NAME | user enable NAME

Every option can also come from the TOML config file (keys: db, listen, public_key,
content_dir, log_level, max_batch, max_body_bytes, busy_timeout_ms, workers, max_connections,
header_timeout_s, body_timeout_s, public_url, time_zone, session_idle_minutes, session_max_hours,
sla_days, holidays, screen_dead_after_s, secret_key, trust_proxy, usb_key; e-mail, webhook and retention:
mail.smtp_url, mail.from, mail.user, mail.password_file, mail.tls, mail.tls_verify,
notify.webhook_url, notify.webhook_secret_file, notify.webhook_phone, notify.retry_min_s,
notify.retry_max_s, notify.give_up_hours, privacy.retention_days; the monev digest:
monev.digest_to, monev.digest_weekday, monev.digest_hour; sync/README.md). Statuses: )";

ConfigSchema schema() {
    ConfigSchema s;
    s.string("db", "",
         "The server's database: a SQLite file's path, or postgresql://... for PostgreSQL.")
        .string("data_dir", "/var/lib/ksd-server",
            "With PostgreSQL: the directory of the server's files (published packs, the USB key); "
            "with SQLite they lie beside the database file.")
        .string("listen", "127.0.0.1:8480", "Address and port to listen on (HOST:PORT).")
        .string(
            "public_key", "", "minisign public key file that content packs must be signed with.")
        .string("content_dir", "", "Directory for published packs (default: DB path + .content).")
        .choice("log_level", "info", {"debug", "info", "warn", "error", "off"}, "Log level.")
        .integer("max_batch", 500, 1, 10000, "Most tickets accepted in one upload.")
        .integer("max_body_bytes", 1 << 20, 1024, 64 << 20, "Largest request body on the wire.")
        .integer("busy_timeout_ms", default_busy_timeout_ms, 1, 600000,
            "How long a request waits for the database's write lock before 503 (Retry-After).")
        .integer("workers", 8, 1, 256, "Threads running complete requests.")
        // Kept well below the default RLIMIT_NOFILE (1024): the database, logs and the sockets
        // handed to workers need descriptors too (Debian's httplib polls; select() is not used).
        .integer("max_connections", 256, 16, 900,
            "Connections open at once; beyond it an idle one is closed (never an upload).")
        .integer("header_timeout_s", 10, 1, 300,
            "Time from a request's first byte to the end of its headers (then 408).")
        .integer("body_timeout_s", 60, 1, 3600,
            "Time for a request's body after its headers (then 408).")
        .string("public_url", "",
            "The dashboard's address as staff type it (https://...): forms must come from it, and "
            "https makes the session cookie Secure and __Host-. Empty: plain HTTP as reached.")
        .choice("time_zone", "WIB", {"WIB", "WITA", "WIT"},
            "The office's time zone for the dashboard (WIB UTC+7, WITA UTC+8, WIT UTC+9).")
        .integer(
            "session_idle_minutes", 30, 1, 24 * 60, "A staff session ends after this idle time.")
        .integer("session_max_hours", 12, 1, 24 * 14, "A staff session ends this long after login.")
        .integer(
            "sla_days", 3, 1, 60, "Working days to the first reply before a request is overdue.")
        .boolean("trust_proxy", false,
            "ksd-server runs behind nginx on this machine: take the client's address from "
            "nginx's X-Real-IP header (login delays per address, audit log).")
        .string("holidays", "",
            "Public holidays (no working days), YYYY-MM-DD separated by commas or spaces.")
        .integer("screen_dead_after_s", 300, 30, 86400,
            "A kiosk whose last drawn frame is older than this is shown as 'layar mati'.")
        .string("secret_key", "",
            "minisign secret key file the dashboard signs content packs with (readable only by "
            "the server's user); empty: packs are signed offline and their .minisig uploaded.")
        .string("usb_key", "",
            "File with the secret key that kiosks' USB queue exports are sealed to (made by "
            "`ksd-server keys` or at the first serve, mode 0600); empty: DB path + .usb-key.");
    // Issue 11, notify helper: e-mail to visitors, the outgoing webhook, personal-data retention
    // (notify_worker.h, sync/README.md).
    s.string("mail.smtp_url", "",
         "SMTP relay for replies by e-mail: smtp://HOST:PORT or smtps://HOST:PORT; empty: no "
         "e-mail.")
        .string("mail.from", "", "Sender address of the e-mails (local@domain).")
        .string("mail.user", "", "SMTP login name; empty: no login.")
        .string("mail.password_file", "",
            "File holding the SMTP password (readable only by the server's user).")
        .choice("mail.tls", "starttls", {"starttls", "none"},
            "smtp:// relays: starttls requires STARTTLS; none only for a relay on this machine.")
        .boolean("mail.tls_verify", true, "Verify the relay's (and webhook's) TLS certificate.")
        .string("notify.webhook_url", "",
            "URL that gets a signed JSON POST for each reply and closing (https://, or http:// "
            "to this machine); empty: no webhook.")
        .string("notify.webhook_secret_file", "",
            "File holding the webhook's HMAC secret (at least 16 bytes, readable only by the "
            "server's user).")
        .boolean("notify.webhook_phone", false,
            "Put the visitor's phone number into the webhook body (for the office's own "
            "WhatsApp/SMS gateway; see sync/README.md).")
        .integer("notify.retry_min_s", 60, 1, 86400, "First wait before a delivery is tried again.")
        .integer("notify.retry_max_s", 6 * 3600, 1, 7 * 86400, "Longest wait between tries.")
        .integer("notify.give_up_hours", 72, 1, 24 * 30,
            "A delivery not made this long after its event is marked failed.")
        .integer("privacy.retention_days", 365, 1, 36500,
            "Name, phone and e-mail of a request are removed this long after it was closed.");
    // Issue 14: the weekly e-mail digest of the monev to-do list (monev.h), through mail.*.
    s.string("monev.digest_to", "",
         "Addresses of the weekly monev digest, separated by commas or spaces; empty: none.")
        .choice("monev.digest_weekday", "monday",
            {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"},
            "Day of the week the monev digest is sent (office time zone).")
        .integer("monev.digest_hour", 7, 0, 23, "Hour of that day the monev digest is sent.");
    return s;
}

std::string iso_time(int64_t t) {
    if (t == 0)
        return "never";
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm {};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

int64_t now() {
    return static_cast<int64_t>(std::time(nullptr));
}

int fail(std::string const& message) {
    std::cerr << "ksd-server: " << message << "\n";
    return 1;
}

std::vector<std::string> split_list(std::string const& text) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text + " ") {
        if (c == ',' || c == ' ' || c == ';' || c == '\n' || c == '\t') {
            if (!item.empty())
                out.push_back(item);
            item.clear();
        } else {
            item += c;
        }
    }
    return out;
}

// Where the server's files beside its database go (issue 15): next to a SQLite file (PATH.content,
// PATH.usb-key); for a PostgreSQL database, which has no file, in data_dir (server.content,
// server.usb-key), a directory every server process sharing the database must see alike.
std::string files_base(std::string const& db_path, Config const& config) {
    switch (engine_of(db_path)) {
    case Engine::Sqlite:
        return db_path;
    case Engine::Postgres:
        return config.get_string("data_dir") + "/server";
    }
    return db_path;
}

web::WebConfig web_config(std::string const& db_path, Config const& config) {
    web::WebConfig w;
    w.public_url = config.get_string("public_url");
    while (w.public_url.ends_with("/"))
        w.public_url.pop_back();
    std::string const& zone = config.get_string("time_zone");
    w.zone.utc_offset_minutes = zone == "WITA" ? 480 : zone == "WIT" ? 540 : 420;
    w.session_idle_s = static_cast<int>(config.get_int("session_idle_minutes")) * 60;
    w.session_max_s = static_cast<int>(config.get_int("session_max_hours")) * 3600;
    w.sla_days = static_cast<int>(config.get_int("sla_days"));
    w.holidays = split_list(config.get_string("holidays"));
    w.screen_dead_after_s = static_cast<int>(config.get_int("screen_dead_after_s"));
    w.secret_key = config.get_string("secret_key");
    w.public_key = config.get_string("public_key");
    w.content_dir = config.get_string("content_dir");
    if (w.content_dir.empty())
        w.content_dir = files_base(db_path, config) + ".content";
    w.db_path = db_path;
    w.files_base = files_base(db_path, config);
    w.trust_proxy = config.get_bool("trust_proxy");
    w.usb_key = config.get_string("usb_key").empty()
        ? default_usb_key_path(files_base(db_path, config))
        : config.get_string("usb_key");
    return w;
}

// Issue 11: the notification and retention settings; secret files are read (and refused when
// others can read them) here, so that a mistake stops the start.
Result<NotifySettings> notify_settings(Config const& config) {
    NotifySettings n;
    n.public_url = config.get_string("public_url");
    n.smtp_url = config.get_string("mail.smtp_url");
    n.mail_from = config.get_string("mail.from");
    n.mail_user = config.get_string("mail.user");
    if (auto const& path = config.get_string("mail.password_file"); !path.empty()) {
        TRY_RESULT(auto password, read_secret_file("mail.password_file", path));
        n.mail_password = std::move(password);
    }
    n.mail_tls = config.get_string("mail.tls") == "none" ? MailTls::None : MailTls::StartTls;
    n.tls_verify = config.get_bool("mail.tls_verify") ? TlsVerify::On : TlsVerify::Off;
    n.webhook_url = config.get_string("notify.webhook_url");
    if (auto const& path = config.get_string("notify.webhook_secret_file"); !path.empty()) {
        TRY_RESULT(auto secret, read_secret_file("notify.webhook_secret_file", path));
        n.webhook_secret = std::move(secret);
    }
    n.webhook_phone
        = config.get_bool("notify.webhook_phone") ? IncludePhone::Yes : IncludePhone::No;
    n.retry_min_s = config.get_int("notify.retry_min_s");
    n.retry_max_s = config.get_int("notify.retry_max_s");
    n.give_up_s = config.get_int("notify.give_up_hours") * 3600;
    n.retention_s = config.get_int("privacy.retention_days") * 86400;
    if (auto problem = notify_settings_problem(n); !problem.empty())
        return make_error(problem);
    n.digest.to = split_list(config.get_string("monev.digest_to"));
    for (auto const& a : n.digest.to)
        if (!is_plain_address(a))
            return make_error("monev.digest_to: '" + a + "' is not a plain address local@domain");
    static constexpr char const* days[]
        = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    for (int d = 0; d < 7; ++d)
        if (config.get_string("monev.digest_weekday") == days[d])
            n.digest.weekday = d + 1;
    n.digest.hour = static_cast<int>(config.get_int("monev.digest_hour"));
    std::string const& zone = config.get_string("time_zone");
    n.digest.zone.utc_offset_minutes = zone == "WITA" ? 480 : zone == "WIT" ? 540 : 420;
    n.digest.public_url = n.public_url;
    return n;
}

// Checks the config values the dashboard reads, so a typo is refused at start.
std::optional<std::string> web_config_problem(web::WebConfig const& w) {
    if (!w.public_url.empty() && !w.public_url.starts_with("https://")
        && !w.public_url.starts_with("http://"))
        return "public_url must start with https:// (or http://): " + w.public_url;
    for (auto const& h : w.holidays)
        if (!parse_date(h) || h.size() != 10)
            return "holidays: not a date YYYY-MM-DD: " + h;
    return std::nullopt;
}

int serve(std::string const& db_path, Config const& config) {
    web::WebConfig const staff_config = web_config(db_path, config);
    if (auto problem = web_config_problem(staff_config))
        return fail(*problem);
    auto notify = notify_settings(config);
    if (!notify)
        return fail(notify.error().message);
    std::string const& listen = config.get_string("listen");
    auto colon = listen.rfind(':');
    if (colon == std::string::npos)
        return fail("--listen must be HOST:PORT: " + listen);
    std::string host = listen.substr(0, colon);
    // The service level of new requests (due times at ingest), from the dashboard's settings.
    auto holidays = parse_holidays(staff_config.holidays);
    if (!holidays)
        return fail(holidays.error().message);
    SlaRules sla {
        staff_config.sla_days, staff_config.zone.utc_offset_minutes, holidays.release_value()};
    auto port_read = ksd::parse_int<int>(std::string_view(listen).substr(colon + 1));
    if (!port_read || *port_read < 0 || *port_read > 65535)
        return fail("--listen must be HOST:PORT with PORT a number from 0 to 65535: " + listen);
    int const port = *port_read;
    // Issue 14: the USB export key pair, made at the first start (or by `ksd-server keys`).
    if (auto usb = load_or_create_usb_keypair(staff_config.usb_key); !usb)
        return fail(usb.error().message);
    {
        // Create and migrate once before serving, so a bad database is refused at start.
        auto db = open_store(db_path);
        if (!db)
            return fail(db.error().message);
        auto recomputed = refresh_due_times(*db, sla);
        if (!recomputed)
            return fail(recomputed.error().message);
        if (*recomputed > 0)
            log::info("server",
                "due times of " + std::to_string(*recomputed) + " requests computed for "
                    + sla_fingerprint(sla));
    }
    // Signals are taken by one thread with sigwait; every other thread inherits the block.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    DbPool pool(db_path, static_cast<int>(config.get_int("busy_timeout_ms")));
    ApiLimits limits;
    limits.max_batch = static_cast<size_t>(config.get_int("max_batch"));
    limits.max_body_bytes = static_cast<size_t>(config.get_int("max_body_bytes"));
    limits.sla = sla;
    HttpLimits http_limits;
    http_limits.max_body_bytes = limits.max_body_bytes;
    http_limits.workers = static_cast<int>(config.get_int("workers"));
    http_limits.max_connections = static_cast<size_t>(config.get_int("max_connections"));
    http_limits.header_timeout = std::chrono::seconds(config.get_int("header_timeout_s"));
    http_limits.body_timeout = std::chrono::seconds(config.get_int("body_timeout_s"));
    GuardedServer http(http_limits, error_body);
    install_api(http, pool, limits);
    auto site = web::install_staff(http, pool, staff_config);
    // Debian's libcpp-httplib listens with a backlog of 5, compiled in: fifty kiosks (or nginx)
    // connecting at once overflow it, and connections hang for a SYN retry or are reset. The
    // socket is remembered here and listen() called again on it with a larger backlog.
    socket_t listen_socket = INVALID_SOCKET;
    http.set_socket_options([&listen_socket](socket_t sock) {
        httplib::default_socket_options(sock);
        listen_socket = sock;
    });
    int bound
        = port == 0 ? http.bind_to_any_port(host) : (http.bind_to_port(host, port) ? port : -1);
    if (bound < 0)
        return fail("cannot listen on " + listen);
    if (listen_socket != INVALID_SOCKET && ::listen(listen_socket, SOMAXCONN) != 0)
        log::warn("server", "cannot raise the listen backlog");
    std::cout << "ksd-server: listening on http://" << host << ":" << bound << std::endl;
    log::info("server", "listening on " + host + ":" + std::to_string(bound));

    // Issue 11: the outbox's sender and the hourly retention purge, on their own connection.
    NotifyWorker notifier(db_path, notify.release_value());
    notifier.start();

    int got = 0;
    std::thread waiter([&] {
        sigwait(&signals, &got);
        log::info("server", "signal " + std::to_string(got) + ": finishing requests");
        http.stop();
    });
    bool ok = http.listen_after_bind();
    if (!ok && got == 0) {
        // listen failed by itself: wake the waiter so it can be joined.
        // The waiter blocks SIGTERM and sits in sigwait(): this wakes it, it does not kill it.
        pthread_kill(waiter.native_handle(), SIGTERM); // NOLINT(bugprone-bad-signal-to-kill-thread)
    }
    waiter.join();
    http.drain(); // the requests already started are answered
    notifier.stop();
    log::info("server", "stopped");
    return ok || got != 0 ? 0 : 1;
}

// The ticket's canonical id from an id or a code, or an error message.
Result<TicketRow> ticket_arg(Conn& db, std::string const& arg) {
    TRY_RESULT(auto row, find_ticket(db, arg));
    if (!row)
        return make_error("no ticket " + arg);
    return *row;
}

// Text from kiosks (and staff) made safe for a terminal: C0 and C1 controls, DEL, bidirectional
// overrides and invalid bytes are shown as \xHH, \uHHHH (\n, \r, \t by name), a backslash as \\.
std::string printable(std::string_view s) {
    std::string out;
    char hex[16];
    for (size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        if (b < 0x80) {
            ++i;
            if (b == '\\')
                out += "\\\\";
            else if (b == '\n')
                out += "\\n";
            else if (b == '\r')
                out += "\\r";
            else if (b == '\t')
                out += "\\t";
            else if (b < 0x20 || b == 0x7f) {
                std::snprintf(hex, sizeof hex, "\\x%02x", b);
                out += hex;
            } else
                out += static_cast<char>(b);
            continue;
        }
        size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        if (len == 1 || i + len > s.size() || !utf8::is_valid(s.substr(i, len))) {
            std::snprintf(hex, sizeof hex, "\\x%02x", b);
            out += hex;
            ++i;
            continue;
        }
        size_t at = i;
        char32_t cp = utf8::decode(s, at);
        bool hidden = (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f
            || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
        if (hidden) {
            std::snprintf(hex, sizeof hex, "\\u%04x", static_cast<unsigned>(cp));
            out += hex;
        } else {
            out.append(s.substr(i, len));
        }
        i += len;
    }
    return out;
}

std::string printable_json(nlohmann::json const& v) {
    return printable(v.is_string() ? v.get<std::string>() : v.dump());
}

std::string states_list() {
    std::string out;
    for (auto const& s : ticket_states())
        out += (out.empty() ? "\"" : ", \"") + s + "\"";
    return out;
}

// One history entry on one line: time, who, what.
std::string history_line(TicketEvent const& e) {
    std::string out = iso_time(e.at) + "\t" + printable(e.user_name) + " ("
        + printable(e.author_role) + ")\t" + std::string(event_kind_word(e.kind)) + " ";
    switch (e.kind) {
    case EventKind::Status:
        out += "'" + printable(e.from_status) + "' -> '" + printable(e.to_status) + "'";
        if (!e.text.empty())
            out += ": " + printable(e.text);
        break;
    case EventKind::Reply:
    case EventKind::Note:
        out += "#" + std::to_string(e.id) + ": " + printable(e.text);
        break;
    case EventKind::Assign:
        out += e.assignee_id == 0
            ? std::string("to nobody")
            : "to " + printable(e.text) + " (user " + std::to_string(e.assignee_id) + ")";
        break;
    }
    return out;
}

int tickets_command(Conn& db, std::vector<std::string> const& args, bool as_csv) {
    std::string const& sub = args.size() > 1 ? args[1] : "";
    if (sub == "list") {
        auto rows = list_tickets(db);
        if (!rows)
            return fail(rows.error().message);
        std::cout << "received\tcode\tid\tkiosk\tstatus\tname\ttopic\n";
        for (auto const& r : *rows)
            std::cout << iso_time(r.received_at) << "\t" << printable_json(r.fields["code"]) << "\t"
                      << printable_json(r.fields["id"]) << "\t"
                      << printable_json(r.fields["kiosk_id"]) << "\t" << printable(r.status) << "\t"
                      << printable_json(r.fields["name"]) << "\t"
                      << printable_json(r.fields["topic"]) << "\n";
        return 0;
    }
    if (sub == "show" && args.size() == 3) {
        auto r = ticket_arg(db, args[2]);
        if (!r)
            return fail(r.error().message);
        for (auto const& [key, value] : r->fields.items())
            std::cout << printable(key) << ": " << printable_json(value) << "\n";
        std::cout << "received_at: " << iso_time(r->received_at)
                  << "\nstatus: " << printable(r->status)
                  << "\nstaff_reply: " << printable(r->staff_reply)
                  << "\nassigned_to: " << r->assigned_to
                  << "\nfirst_reply_at: " << iso_time(r->first_reply_at)
                  << "\nmade_at: " << iso_time(r->made_at)
                  << (r->made_at_estimated ? " (estimated)" : "") << "\nage_s: " << r->age_s
                  << "\n";
        return 0;
    }
    if (sub == "reply" && args.size() == 4) {
        auto r = ticket_arg(db, args[2]);
        if (!r)
            return fail(r.error().message);
        auto id = r->fields["id"].get<std::string>();
        auto reply = add_reply(db, id, args[3], cli_actor(), now());
        if (!reply)
            return fail(reply.error().message);
        std::cout << "reply " << *reply << " stored for " << id << "\n";
        return 0;
    }
    if (sub == "note" && args.size() == 4) {
        auto r = ticket_arg(db, args[2]);
        if (!r)
            return fail(r.error().message);
        auto id = r->fields["id"].get<std::string>();
        if (auto n = add_note(db, id, args[3], cli_actor(), now()); !n)
            return fail(n.error().message);
        std::cout << "note stored for " << id << " (staff only)\n";
        return 0;
    }
    if (sub == "status" && (args.size() == 4 || args.size() == 5)) {
        auto status = parse_status(args[3]);
        if (!status)
            return fail("unknown status: " + args[3] + " (one of: " + states_list() + ")");
        auto r = ticket_arg(db, args[2]);
        if (!r)
            return fail(r.error().message);
        auto id = r->fields["id"].get<std::string>();
        std::string const reason = args.size() == 5 ? args[4] : std::string();
        if (auto s = set_status(db, id, *status, cli_actor(), reason, now()); !s)
            return fail(s.error().message);
        std::cout << id << ": " << status_word(*status) << "\n";
        return 0;
    }
    if (sub == "history" && args.size() == 3) {
        auto r = ticket_arg(db, args[2]);
        if (!r)
            return fail(r.error().message);
        auto events = history(db, r->fields["id"].get<std::string>());
        if (!events)
            return fail(events.error().message);
        for (auto const& e : *events)
            std::cout << history_line(e) << "\n";
        return 0;
    }
    if (sub == "export" && as_csv) {
        auto rows = list_tickets(db);
        if (!rows)
            return fail(rows.error().message);
        std::vector<std::string> const cols {"id", "code", "kiosk_id", "created_at",
            "clock_trusted", "sequence", "category", "topic", "sector", "name", "phone", "email",
            "organisation", "question", "lang", "consent_version"};
        for (auto const& c : cols)
            std::cout << c << ",";
        std::cout << "received_at,status,staff_reply\r\n";
        for (auto const& r : *rows) {
            for (auto const& c : cols) {
                auto const& v = r.fields[c];
                std::cout << csv::cell(v.is_string() ? v.get<std::string>() : v.dump()) << ",";
            }
            std::cout << csv::cell(iso_time(r.received_at)) << "," << csv::cell(r.status) << ","
                      << csv::cell(r.staff_reply) << "\r\n";
        }
        return 0;
    }
    return fail("usage: tickets list | show ID | reply ID TEXT | status ID STATUS [REASON] | "
                "note ID TEXT | history ID | export --csv");
}

int kiosk_command(Conn& db, std::vector<std::string> const& args, Config const& config) {
    std::string const& sub = args.size() > 1 ? args[1] : "";
    if (sub == "add" && args.size() == 3) {
        auto token = add_kiosk(db, args[2], now());
        if (!token)
            return fail(token.error().message);
        std::cout << *token << "\n";
        std::cerr << "ksd-server: kiosk " << args[2]
                  << " added; the token above is shown only this once\n";
        return 0;
    }
    if (sub == "revoke" && args.size() == 3) {
        if (auto r = revoke_kiosk(db, args[2], now()); !r)
            return fail(r.error().message);
        std::cout << "kiosk " << args[2] << " revoked: its token is refused from now on\n";
        return 0;
    }
    if (sub == "list" && args.size() == 2) {
        auto rows = list_kiosks(db);
        if (!rows)
            return fail(rows.error().message);
        // Worst first, with the state in words (fleet_health.h), as the staff's fleet table.
        int64_t const at = now();
        HealthThresholds thresholds;
        thresholds.screen_dead_after_s = config.get_int("screen_dead_after_s");
        struct Listed {
            KioskRow const* row;
            KioskHealth health;
        };
        std::vector<Listed> listed;
        for (auto const& k : *rows)
            listed.push_back({&k,
                classify_kiosk({k.created_at, k.last_heartbeat_at, k.revoked_at, &k.heartbeat}, at,
                    thresholds)});
        sort_worst_first(
            listed, [](Listed const& l) -> KioskHealth const& { return l.health; },
            [](Listed const& l) -> std::string const& { return l.row->id; });
        std::cout << "kiosk\tstate\tlast_heartbeat\tapp\tcontent\tqueued\tsending\t"
                     "quarantined\toldest_unsent_s\tclock\tlast_error\n";
        for (auto const& [row, health] : listed) {
            auto const& k = *row;
            auto const& h = k.heartbeat.is_object() ? k.heartbeat : nlohmann::json::object();
            auto field = [&](nlohmann::json const& j, char const* key) -> std::string {
                if (!j.is_object() || !j.contains(key) || j[key].is_null())
                    return "-";
                return printable_json(j[key]);
            };
            auto queue = h.contains("queue") ? h["queue"] : nlohmann::json::object();
            std::string clock = field(h, "clock_trusted");
            std::cout << printable(k.id) << "\t" << state_words_en(health, &iso_time) << "\t"
                      << iso_time(k.last_heartbeat_at) << "\t" << field(h, "app_version") << "\t"
                      << field(h, "content_version") << "\t" << field(queue, "queued") << "\t"
                      << field(queue, "sending") << "\t" << field(queue, "quarantined") << "\t"
                      << field(h, "oldest_unsent_age_s") << "\t"
                      << (clock == "true"           ? "trusted"
                                 : clock == "false" ? "untrusted"
                                                    : "-")
                      << "\t" << field(h, "last_error")
                      << (h.contains("warning") ? " (warning: " + field(h, "warning") + ")" : "")
                      << (k.revoked_at ? "\trevoked " + iso_time(k.revoked_at) : "") << "\n";
        }
        return 0;
    }
    return fail("usage: kiosk add ID | kiosk list | kiosk revoke ID");
}

ContentSettings content_settings(std::string const& db_path, Config const& config) {
    return ContentSettings {
        content_dir_for(config.get_string("content_dir"), files_base(db_path, config)),
        config.get_string("public_key"), config.get_string("secret_key")};
}

int content_failure(ContentFailure const& f) {
    for (auto const& d : f.problems)
        std::cerr << d.format() << "\n";
    return fail(f.en);
}

std::string join_lines(std::vector<std::string> const& v) {
    std::string out;
    for (auto const& s : v)
        out += "\n  " + s;
    return out;
}

// `content ...`: the CLI's side of the content kept on the server; every change is recorded
// as made by "cli".
int content_command(
    Conn& db, std::string const& db_path, Config const& config, std::vector<std::string> const& w) {
    std::string const& sub = w.size() > 1 ? w[1] : "";
    auto settings = content_settings(db_path, config);
    if (sub == "publish" && w.size() == 3) {
        if (settings.public_key.empty())
            return fail("content publish needs --public-key FILE (or public_key in the config)");
        auto sig = read_file(w[2] + ".minisig", 64 * 1024);
        if (!sig)
            return fail("the pack is not signed: " + sig.error().message);
        auto r = publish_signed_pack(db, settings, w[2], *sig,
            PublicationRecord {"cli", Signing::External, 0}, nullptr, now());
        if (!r.ok())
            return content_failure(r.failure());
        std::cout << "published content version " << r->version << " (" << r->size
                  << " bytes, sha256 " << r->sha256 << ")\n";
        return 0;
    }
    if (sub == "import-sources" && w.size() == 3) {
        auto r = import_sources(db, w[2], "cli", now());
        if (!r.ok())
            return content_failure(r.failure());
        std::cout << "draft replaced by " << r->files << " source files from " << w[2] << "\n";
        if (!r->skipped.empty())
            std::cout << "not content sources, left out:" << join_lines(r->skipped) << "\n";
        return 0;
    }
    if (sub == "check" && w.size() == 2) {
        auto r = check_draft(db, settings);
        if (!r.ok())
            return content_failure(r.failure());
        for (auto const& d : r->errors)
            std::cerr << d.format() << "\n";
        if (!r->ok())
            return fail(std::to_string(r->errors.size()) + " problem(s) in the draft");
        std::cout << "the draft has no problems\n";
        return 0;
    }
    if (sub == "publish-draft" && w.size() == 2) {
        auto r = publish_draft(db, settings, "cli", now());
        if (!r.ok())
            return content_failure(r.failure());
        std::cout << "published content version " << r->version << " (" << r->size
                  << " bytes, sha256 " << r->sha256 << ")\n";
        return 0;
    }
    if (sub == "restore" && w.size() == 3) {
        auto version = ksd::parse_int<int64_t>(w[2]);
        if (!version)
            return fail("not a content version: " + w[2]);
        auto r = restore_version(db, settings, *version, "cli", now());
        if (!r.ok())
            return content_failure(r.failure());
        std::cout << "published the sources of version " << *version << " as content version "
                  << r->version << " (" << r->size << " bytes)\n";
        return 0;
    }
    if (sub == "history" && w.size() == 2) {
        auto rows = list_publications(db);
        if (!rows)
            return fail(rows.error().message);
        std::cout << "version\tpublished_at\tby\tsigning\trestored_from\tsources\n";
        for (auto const& p : *rows)
            std::cout << p.version << "\t" << iso_time(p.published_at) << "\t"
                      << (p.published_by.empty() ? "-" : printable(p.published_by)) << "\t"
                      << (p.signing ? signing_code(*p.signing) : "-") << "\t"
                      << (p.restored_from ? std::to_string(p.restored_from) : "-") << "\t"
                      << (p.has_sources ? "kept" : "-") << "\n";
        return 0;
    }
    return fail("usage: content publish PACK | import-sources DIR | check | publish-draft | "
                "restore VERSION | history");
}

// One line of standard input (a password), without its line end.
std::string read_secret_line() {
    std::string line;
    std::getline(std::cin, line);
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

int user_command(Conn& db, std::vector<std::string> const& args,
    std::map<std::string, std::string> const& options) {
    std::string const& sub = args.size() > 1 ? args[1] : "";
    auto audit
        = [&](std::string const& action, std::string const& target, std::string const& detail) {
              AuditEntry e;
              e.at = now();
              e.user_name = "cli";
              e.address = "cli";
              e.action = action;
              e.target = target;
              e.detail = detail;
              if (auto r = append_audit(db, e); !r)
                  std::cerr << "ksd-server: audit: " << r.error().message << "\n";
          };
    if (sub == "add" && args.size() == 3) {
        auto role_it = options.find("role");
        if (role_it == options.end())
            return fail("user add needs --role viewer|responder|editor|admin");
        auto role = web::parse_role(role_it->second);
        if (!role)
            return fail("unknown role " + role_it->second + ": viewer, responder, editor or admin");
        std::string const& name = args[2];
        bool name_ok = !name.empty() && name.size() <= 64;
        for (char c : name)
            name_ok = name_ok
                && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'
                    || c == '_');
        if (!name_ok)
            return fail("a user name has only letters, digits, '.', '-' and '_' (at most 64)");
        if (isatty(STDIN_FILENO))
            std::cerr << "Password for " << name << " (one line): " << std::flush;
        std::string password = read_secret_line();
        if (auto weak = web::weak_password_reason(password, name, Lang::En); !weak.empty())
            return fail("refused: " + weak);
        auto hash = web::hash_password(password);
        if (!hash)
            return fail(hash.error().message);
        UserRow u;
        u.name = name;
        u.full_name = options.count("full-name") ? options.at("full-name") : "";
        u.role = std::string(web::role_code(*role));
        u.password_hash = *hash;
        u.created_at = now();
        auto id = add_user(db, u);
        if (!id)
            return fail(id.error().message);
        audit("user_add_cli", name, u.role);
        std::cout << "user " << name << " added as " << u.role << "; log in at /staff/login\n";
        return 0;
    }
    if (sub == "list" && args.size() == 2) {
        auto users = list_users(db);
        if (!users)
            return fail(users.error().message);
        std::cout << "name\trole\tstate\tfull_name\n";
        for (auto const& u : *users)
            std::cout << printable(u.name) << "\t" << u.role << "\t"
                      << (u.disabled_at ? "disabled" : "active") << "\t" << printable(u.full_name)
                      << "\n";
        return 0;
    }
    if ((sub == "password" || sub == "disable" || sub == "enable") && args.size() == 3) {
        auto user = find_user(db, args[2]);
        if (!user)
            return fail(user.error().message);
        if (!*user)
            return fail("no user " + args[2]);
        if (sub == "password") {
            if (isatty(STDIN_FILENO))
                std::cerr << "New password for " << (*user)->name << " (one line): " << std::flush;
            std::string password = read_secret_line();
            if (auto weak = web::weak_password_reason(password, (*user)->name, Lang::En);
                !weak.empty())
                return fail("refused: " + weak);
            auto hash = web::hash_password(password);
            if (!hash)
                return fail(hash.error().message);
            if (auto r = set_user_password(db, (*user)->id, *hash); !r)
                return fail(r.error().message);
            audit("user_password_reset", (*user)->name, "cli");
            std::cout << "password of " << (*user)->name << " changed; its sessions ended\n";
            return 0;
        }
        bool disable = sub == "disable";
        if (auto r = set_user_disabled(db, (*user)->id, disable ? now() : 0); !r)
            return fail(r.error().message);
        audit(disable ? "user_disable" : "user_enable", (*user)->name, "cli");
        std::cout << "user " << (*user)->name << (disable ? " disabled" : " enabled") << "\n";
        return 0;
    }
    return fail("usage: user add NAME --role ROLE [--full-name TEXT] | user list | "
                "user password NAME | user disable NAME | user enable NAME");
}

std::string usb_key_path(std::string const& db_path, Config const& config) {
    std::string const& set = config.get_string("usb_key");
    return set.empty() ? default_usb_key_path(files_base(db_path, config)) : set;
}

// Issue 14: the USB export key pair, made once; the public key is what technicians configure.
// Issue 15: a regency's SQLite database copied into a new PostgreSQL one (store_copy.h).
int migrate_command(std::map<std::string, std::string>& options) {
    if (!options.count("from") || !options.count("to"))
        return fail("usage: ksd-server migrate --from server.db --to postgresql://...");
    std::string const& from_path = options["from"];
    if (engine_of(from_path) != Engine::Sqlite)
        return fail("--from must be the SQLite database file, not " + redact_target(from_path));
    if (engine_of(options["to"]) != Engine::Postgres)
        return fail("--to must be a PostgreSQL URI (postgresql://...)");
    if (!std::filesystem::exists(from_path))
        return fail("no database file " + from_path);
    auto from = open_store(from_path);
    if (!from)
        return fail(from.error().message);
    auto to = open_store(options["to"]);
    if (!to)
        return fail(to.error().message);
    auto copied = copy_store(*from, *to);
    if (!copied)
        return fail(copied.error().message);
    bool all_same = true;
    for (auto const& t : *copied) {
        std::cout << t.table << "\t" << t.source_rows << " -> " << t.target_rows << " rows\t"
                  << (t.same() ? "same" : "DIFFERENT") << "\t" << t.target_hash.substr(0, 16)
                  << "\n";
        all_same = all_same && t.same();
    }
    if (!all_same)
        return fail("the copy differs from the source (see DIFFERENT above); do not use it");
    std::cerr << "ksd-server: " << from_path << " copied to " << to->path()
              << "; every table's rows and hash are the same. Serve it with --db and data_dir "
                 "(the published packs and the USB key: copy "
              << from_path << ".content and " << from_path << ".usb-key there, as "
              << "server.content and server.usb-key)\n";
    return 0;
}

int keys_command(std::string const& path) {
    auto keys = load_or_create_usb_keypair(path);
    if (!keys)
        return fail(keys.error().message);
    std::cout << (keys->file == KeyFile::Created ? "made " : "kept ") << path
              << " (secret, mode 0600)\n"
              << "public key for the kiosks (ksd-sync.toml):\n[usb]\nserver_public_key = \""
              << key_hex(keys->keys.public_key) << "\"\n";
    return 0;
}

// Issue 14: `tickets import FILE`, the queue export a kiosk wrote to a USB stick.
int import_command(Conn& db, std::string const& file, std::string const& db_path,
    Config const& config, std::map<std::string, std::string> const& options) {
    auto keys = load_usb_keypair(usb_key_path(db_path, config));
    if (!keys)
        return fail(keys.error().message);
    auto bytes = read_file(file, max_export_bytes + 64);
    if (!bytes)
        return fail(bytes.error().message);
    auto holidays = parse_holidays(split_list(config.get_string("holidays")));
    if (!holidays)
        return fail(holidays.error().message);
    std::string const& zone = config.get_string("time_zone");
    SlaRules const sla {static_cast<int>(config.get_int("sla_days")),
        zone == "WITA"      ? 480
            : zone == "WIT" ? 540
                            : 420,
        holidays.release_value()};
    auto imported = import_queue_export(db, *bytes, *keys, now(), sla);
    if (!imported)
        return fail(file + ": " + imported.error().message);
    auto it = options.find("ack-out");
    std::string const ack_path
        = it != options.end() ? it->second : dirname_of(file) + "/" + imported->ack_name;
    if (auto w = write_file_atomic(ack_path, imported->ack); !w.ok())
        return fail("the requests are stored, but the acknowledgement cannot be written ("
            + w.error().message + "); importing the file again makes it anew");
    std::cout << describe_import(*imported) << "\nacknowledgement for the kiosk: " << ack_path
              << "\n";
    return 0;
}

} // namespace

// Everything of main but the last-resort catch (ksd::guarded_main).
static int run(int argc, char** argv) {
    // Request bodies (up to max_body_bytes) get their own mappings, returned to the system when
    // freed: with glibc's sliding threshold they came from the heap, where a few small blocks
    // allocated between them kept tens of MB resident after the uploads were done.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    if (sodium_init() < 0)
        return fail("libsodium cannot start (no entropy source?)");
    std::vector<std::string> words;
    std::map<std::string, std::string> options;
    bool as_csv = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << usage;
            std::cout << states_list() << ".\n";
            return 0;
        }
        if (a == "--version") {
            std::cout << ksd::version_line("ksd-server") << "\nsync protocol " << protocol_version
                      << "\n";
            return 0;
        }
        if (a == "--csv") {
            as_csv = true;
            continue;
        }
        if (a == "--db" || a == "--config" || a == "--listen" || a == "--public-key"
            || a == "--secret-key" || a == "--content-dir" || a == "--role" || a == "--full-name"
            || a == "--ack-out" || a == "--usb-key" || a == "--data-dir" || a == "--from"
            || a == "--to") {
            if (i + 1 >= argc)
                return fail(a + " needs a value");
            options[a.substr(2)] = argv[++i];
            continue;
        }
        words.push_back(a);
    }
    ConfigSchema const s = schema();
    Config config(s);
    if (options.count("config")) {
        auto loaded = load_config(options["config"], s);
        if (!loaded)
            return fail(loaded.error().message);
        config = loaded.release_value();
    }
    std::map<std::string, std::string> const to_key {{"db", "db"}, {"listen", "listen"},
        {"public-key", "public_key"}, {"secret-key", "secret_key"}, {"content-dir", "content_dir"},
        {"usb-key", "usb_key"}, {"data-dir", "data_dir"}};
    for (auto const& [opt, key] : to_key)
        if (options.count(opt))
            config.set(key, options[opt]);
    if (!log::set_level_from_name(config.get_string("log_level")))
        return fail("bad log_level");
    if (auto const* env = std::getenv("KSD_LOG_LEVEL"))
        log::set_level_from_name(env);

    if (words.empty()) {
        std::cerr << usage << "\n";
        return 2;
    }
    if (words[0] == "migrate" && words.size() == 1)
        return migrate_command(options);
    std::string db_path = config.get_string("db");
    if (db_path.empty())
        return fail("no database: give --db PATH or db in the config file");
    if (words[0] == "serve" && words.size() == 1)
        return serve(db_path, config);
    if (words[0] == "keys" && words.size() == 1)
        return keys_command(usb_key_path(db_path, config));
    auto db = open_store(db_path);
    if (!db)
        return fail(db.error().message);
    if (words[0] == "tickets" && words.size() == 3 && words[1] == "import")
        return import_command(*db, words[2], db_path, config, options);
    if (words[0] == "kiosk")
        return kiosk_command(*db, words, config);
    if (words[0] == "tickets")
        return tickets_command(*db, words, as_csv);
    if (words[0] == "user")
        return user_command(*db, words, options);
    if (words[0] == "content")
        return content_command(*db, db_path, config, words);
    if (words[0] == "purge" && words.size() == 1) {
        // Issue 11: the retention purge, as serve runs it hourly.
        auto purged = purge_personal_data(
            *db, now(), config.get_int("privacy.retention_days") * int64_t {86400});
        if (!purged)
            return fail(purged.error().message);
        std::cout << "personal data of " << purged->tickets << " closed requests removed ("
                  << purged->outbox_rows << " deliveries deleted)\n";
        if (!purged->checkpointed)
            return fail("the WAL checkpoint was blocked by a reader: run purge again");
        return 0;
    }
    std::cerr << usage << "\n";
    return 2;
}

int main(int argc, char** argv) {
    return ksd::guarded_main("ksd-server", [&] { return run(argc, argv); });
}
