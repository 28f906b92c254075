// Fuzz target: the sync agent's reading of server answers (ticket results, updates, heartbeat
// acknowledgements, content metadata, pack downloads, Retry-After). The agent runs for real
// (HttpClient over loopback, a device database with queued tickets) against an httplib server in
// this process that answers each request with the next answer the input gives for its route.
//
// Input: answers separated by lines "=== ROUTE STATUS" (ROUTE: tickets, updates, heartbeat,
// latest, pack); each answer is header lines "Name: value", an empty line, then the body.
// Placeholders: @ID1@..@ID4@ and @CODE1@..@CODE4@ are the queued tickets' ids and codes;
// @SIZE@, @SHA256@ and @MINISIG@ (JSON-escaped) describe the first "pack" answer's body, signed
// with the key the agent trusts. A route without answers left gets 503.
#include "fuzz_support.h"

#include "agent.h"
#include "backoff.h"
#include "sync_pass.h"

#include "ksd/device_db.h"
#include "ksd/log.h"
#include "ksd/minisign.h"
#include "ksd/tickets.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace {

int64_t const now = 1795401000;

struct Answer {
    int status {503};
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

struct Fixture {
    httplib::Server server;
    int port {0};
    std::thread thread;
    std::mutex mutex;
    std::map<std::string, std::deque<Answer>> answers; // by route
    std::string template_db;
    std::vector<std::string> ids, codes;
    ksd::minisign::SecretKey secret;
    std::string key_path;
};

void check(bool ok, char const* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_agent setup: %s\n", what);
        std::abort();
    }
}

std::string route_of(std::string const& path) {
    if (path == "/api/v1/tickets")
        return "tickets";
    if (path == "/api/v1/updates")
        return "updates";
    if (path == "/api/v1/heartbeat")
        return "heartbeat";
    if (path == "/api/v1/content/latest")
        return "latest";
    if (path == "/api/v1/content/pack")
        return "pack";
    return "other";
}

void answer(Fixture& f, httplib::Request const& req, httplib::Response& res) {
    Answer a;
    {
        std::lock_guard lock(f.mutex);
        auto& q = f.answers[route_of(req.path)];
        if (!q.empty()) {
            a = std::move(q.front());
            q.pop_front();
        }
    }
    res.status = a.status;
    std::string type = "application/json";
    for (auto const& [name, value] : a.headers) {
        std::string lower = name;
        for (char& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // httplib writes the framing headers itself.
        if (lower == "content-length" || lower == "transfer-encoding" || lower == "connection")
            continue;
        if (lower == "content-type")
            type = value;
        else
            res.set_header(name, value);
    }
    if (a.status != 204 && a.status != 304)
        res.set_content(a.body, type);
}

Fixture& fixture() {
    static Fixture* f = [] {
        auto* x = new Fixture;
        ksd::log::set_level(ksd::log::Level::Off);
        for (char const* m : {"GET", "POST"}) {
            auto h = [x](httplib::Request const& req, httplib::Response& res) {
                answer(*x, req, res);
            };
            if (std::string(m) == "GET")
                x->server.Get(".*", h);
            else
                x->server.Post(".*", h);
        }
        x->port = x->server.bind_to_any_port("127.0.0.1");
        check(x->port > 0, "bind");
        x->thread = std::thread([x] { x->server.listen_after_bind(); });

        auto keys = ksd::minisign::generate_key_pair();
        auto secret = ksd::minisign::parse_secret_key(
            keys.secret_key_file, []() -> ksd::Result<std::string> { return std::string(); });
        check(secret.ok(), "secret key");
        x->secret = *secret;
        x->key_path = ksd::fuzz::work_dir() + "/content.pub";
        ksd::fuzz::write_file(x->key_path, keys.public_key_file);

        x->template_db = ksd::fuzz::work_dir() + "/template.db";
        {
            auto db = ksd::open_device_db(x->template_db);
            check(db.ok(), "device db");
            for (int i = 0; i < 4; ++i) {
                ksd::TicketInput in;
                in.category = "Perangkat daerah";
                in.topic = "Kerja sama daerah";
                in.name = "Pengunjung " + std::to_string(i);
                in.phone = "+6281234567890";
                in.question = "Bagaimana alur kerja sama?";
                in.consent_version = "2026-1";
                auto t = ksd::save_ticket(*db, in, "kiosk-1", ksd::WallClock {now - 100, true});
                check(t.ok(), "save_ticket");
                x->ids.push_back(t->id);
                x->codes.push_back(t->code);
            }
        }
        return x;
    }();
    return *f;
}

void replace_all(std::string& s, std::string const& from, std::string const& to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

std::map<std::string, std::deque<Answer>> parse_answers(std::string_view in) {
    std::map<std::string, std::deque<Answer>> out;
    std::deque<Answer>* current = nullptr;
    enum class Part { Headers, Body } part = Part::Headers;
    size_t pos = 0;
    int count = 0;
    while (pos < in.size()) {
        size_t eol = in.find('\n', pos);
        size_t next = eol == std::string_view::npos ? in.size() : eol + 1;
        std::string_view line = in.substr(pos, next - pos);
        pos = next;
        if (line.starts_with("=== ")) {
            std::string_view rest = line.substr(4);
            while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r'))
                rest.remove_suffix(1);
            auto space = rest.find(' ');
            std::string route(rest.substr(0, space));
            int status = 200;
            if (space != std::string_view::npos) {
                auto digits = rest.substr(space + 1);
                std::from_chars(digits.data(), digits.data() + digits.size(), status);
            }
            // Statuses httplib can send as a complete answer.
            status = std::clamp(status, 200, 599);
            current = ++count <= 64 ? &out[route] : nullptr;
            if (current) {
                current->emplace_back();
                current->back().status = status;
            }
            part = Part::Headers;
            continue;
        }
        if (!current)
            continue;
        Answer& a = current->back();
        if (part == Part::Headers) {
            std::string_view h = line;
            while (!h.empty() && (h.back() == '\n' || h.back() == '\r'))
                h.remove_suffix(1);
            auto colon = h.find(':');
            if (h.empty() || colon == std::string_view::npos) {
                part = Part::Body;
                if (!h.empty())
                    a.body.append(line);
                continue;
            }
            auto value = h.substr(colon + 1);
            while (!value.empty() && value.front() == ' ')
                value.remove_prefix(1);
            a.headers.emplace_back(std::string(h.substr(0, colon)), std::string(value));
        } else {
            a.body.append(line);
        }
    }
    return out;
}

std::string sha256_hex(std::string const& bytes) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<unsigned char const*>(bytes.data()), bytes.size());
    static char const digits[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : h) {
        hex += digits[c >> 4];
        hex += digits[c & 15];
    }
    return hex;
}

std::string json_escaped(std::string const& s) {
    std::string q = nlohmann::json(s).dump();
    return q.substr(1, q.size() - 2);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    Fixture& f = fixture();
    std::string in(ksd::fuzz::as_view(data, size));
    for (size_t i = 0; i < f.ids.size(); ++i) {
        replace_all(in, "@ID" + std::to_string(i + 1) + "@", f.ids[i]);
        replace_all(in, "@CODE" + std::to_string(i + 1) + "@", f.codes[i]);
    }
    auto answers = parse_answers(in);
    if (auto p = answers.find("pack"); p != answers.end() && !p->second.empty()) {
        std::string const& pack = p->second.front().body;
        auto sig = ksd::minisign::sign(pack, f.secret, "timestamp:1795401000\tfile:ksd.pack");
        for (auto& [route, q] : answers) {
            for (auto& a : q) {
                replace_all(a.body, "@SIZE@", std::to_string(pack.size()));
                replace_all(a.body, "@SHA256@", sha256_hex(pack));
                replace_all(a.body, "@MINISIG@", sig.ok() ? json_escaped(*sig) : "");
            }
        }
    }
    // The Retry-After parser directly, on every header value of the input.
    for (auto const& [route, q] : answers)
        for (auto const& a : q)
            for (auto const& h : a.headers)
                (void)ksd::sync::parse_retry_after(h.second, now);
    {
        std::lock_guard lock(f.mutex);
        f.answers = std::move(answers);
    }

    std::string const dir = ksd::fuzz::work_dir() + "/agent";
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    std::filesystem::create_directories(dir);
    std::string const db_path = dir + "/device.db";
    std::filesystem::copy_file(f.template_db, db_path);
    auto db = ksd::open_device_db(db_path);
    check(db.ok(), "open the device db copy");

    ksd::sync::HttpOptions options;
    options.connect_timeout_s = 2;
    options.total_timeout_s = 5;
    options.download_timeout_s = 5;
    options.max_body_bytes = 1 << 20;
    ksd::sync::HttpClient http(options);
    ksd::sync::AgentSettings s;
    s.sync.server_url = "http://127.0.0.1:" + std::to_string(f.port);
    s.sync.token = "kiosk-1.0000000000000000000000000000000000000000000000000000000000000000";
    s.sync.batch_limit = 4;
    s.sync.max_update_pages = 4;
    s.db_path = db_path;
    s.app_version = "0.1.0";
    s.pack_path = dir + "/ksd.pack";
    s.public_key_path = f.key_path;
    (void)ksd::sync::run_sync_pass(*db, http, s.sync, now, [] { return 0.5; });
    (void)ksd::sync::update_content(*db, http, s);
    (void)ksd::sync::send_heartbeat(*db, http, s, "", now);
    (void)ksd::sync::format_status(*db, now);
    return 0;
}
