// Fuzz target: the server's request handling. The input is one raw HTTP request (request line,
// headers, body) handed to httplib's own request processing of a Server carrying the real
// routes of install_api (sync/server/api.h), in process through a memory stream: no socket.
// "@TOKEN@" in the input becomes the bearer token of the kiosk "kiosk-1" made at start, so the
// seeds reach past the authentication. An answer 500 is a defect (the server failed on input).
#include "fuzz_support.h"

#include "api.h"
#include "store.h"
#include "store_events.h"

#include <cstdio>
#include <cstring>
#include <memory>

namespace {

// httplib's processing of one request, reachable from a subclass (it is protected).
class InProcessServer : public httplib::Server {
public:
    bool handle(httplib::Stream& s) {
        bool closed = false;
        return process_request(s, true, closed, nullptr);
    }
};

// Reads the request from memory, collects the answer.
class MemoryStream final : public httplib::Stream {
public:
    explicit MemoryStream(std::string_view in)
        : m_in(in) { }
    bool is_readable() const override { return true; }
    bool is_writable() const override { return true; }
    ssize_t read(char* ptr, size_t size) override {
        size_t n = std::min(size, m_in.size() - m_pos);
        std::memcpy(ptr, m_in.data() + m_pos, n);
        m_pos += n;
        return static_cast<ssize_t>(n);
    }
    ssize_t write(char const* ptr, size_t size) override {
        if (m_out.size() < 64 * 1024)
            m_out.append(ptr, std::min(size, 64 * 1024 - m_out.size()));
        return static_cast<ssize_t>(size);
    }
    void get_remote_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 40000;
    }
    void get_local_ip_and_port(std::string& ip, int& port) const override {
        ip = "127.0.0.1";
        port = 8480;
    }
    socket_t socket() const override { return INVALID_SOCKET; }
    std::string const& out() const { return m_out; }

private:
    std::string_view m_in;
    size_t m_pos {0};
    std::string m_out;
};

struct Fixture {
    std::string db_path;
    std::string token;
    ksd::server::ApiLimits limits;
    std::unique_ptr<ksd::server::DbPool> pool;
    std::unique_ptr<InProcessServer> server;
    int runs {0};
};

void check(bool ok, char const* what) {
    if (!ok) {
        std::fprintf(stderr, "fuzz_server setup: %s\n", what);
        std::abort();
    }
}

// A fresh server database: kiosk-1, a published pack of 3000 bytes, one ticket with a change.
void reset(Fixture& f) {
    std::error_code ec;
    for (char const* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(f.db_path + suffix, ec);
    f.server.reset();
    f.pool.reset();
    int64_t now = 1795401000;
    {
        auto db = ksd::server::open_store(f.db_path);
        check(db.ok(), "open_store");
        auto token = ksd::server::add_kiosk(*db, "kiosk-1", now);
        check(token.ok(), "add_kiosk");
        f.token = *token;
        check(ksd::server::add_kiosk(*db, "kiosk-2", now).ok(), "add_kiosk 2");
        std::string pack_path = ksd::fuzz::work_dir() + "/published.pack";
        std::string bytes(3000, 'p');
        ksd::fuzz::write_file(pack_path, bytes);
        ksd::server::ContentRow c;
        c.version = 20261123080000;
        c.path = pack_path;
        c.size = static_cast<int64_t>(bytes.size());
        c.sha256 = ksd::server::sha256_hex(bytes);
        c.signature = "untrusted comment: fuzz\nRWQ\n";
        c.published_at = now;
        check(ksd::server::add_content(*db, c).ok(), "add_content");
        nlohmann::json t = {{"id", "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"}, {"code", "7K3QD-9MRT9"},
            {"kiosk_id", "kiosk-1"}, {"created_at", 1795366800}, {"clock_trusted", true},
            {"sequence", 1}, {"category", "Perangkat daerah"}, {"topic", "Kerja sama daerah"},
            {"sector", ""}, {"name", "Siti Aminah"}, {"phone", "+6281234567890"}, {"email", ""},
            {"organisation", ""}, {"question", "Bagaimana alur kerja sama?"}, {"lang", "id"},
            {"consent_version", "2026-1"}};
        check(ksd::server::validate_ticket(t, "kiosk-1").empty(), "validate_ticket");
        check(ksd::server::ingest(*db, {t}, now, ksd::server::SlaRules {}).ok(), "ingest");
        std::string const id = t["id"].get<std::string>();
        auto const cli = ksd::server::cli_actor();
        check(ksd::server::add_reply(*db, id, "Silakan datang.", cli, now + 10).ok(), "reply");
        check(ksd::server::add_note(*db, id, "internal", cli, now + 15).ok(), "note");
        check(ksd::server::set_status(*db, id, ksd::server::TicketStatus::Done, cli, "", now + 20)
                  .ok(),
            "status");
    }
    f.pool = std::make_unique<ksd::server::DbPool>(f.db_path);
    f.server = std::make_unique<InProcessServer>();
    ksd::server::install_api(*f.server, *f.pool, f.limits);
}

Fixture& fixture() {
    static Fixture f = [] {
        Fixture x;
        x.db_path = ksd::fuzz::work_dir() + "/server.db";
        x.limits.max_body_bytes = 64 * 1024; // small limits reach the limit paths sooner
        x.limits.max_decoded_bytes = 256 * 1024;
        x.limits.max_batch = 20;
        x.limits.max_updates = 3;
        return x;
    }();
    return f;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    Fixture& f = fixture();
    // The stored tickets grow with every run: start again now and then to keep runs fast.
    if (f.runs++ % 2000 == 0)
        reset(f);
    std::string in(ksd::fuzz::as_view(data, size));
    for (size_t at = in.find("@TOKEN@"); at != std::string::npos; at = in.find("@TOKEN@", at))
        in.replace(at, 7, f.token);
    MemoryStream s(in);
    f.server->handle(s);
    std::string const& out = s.out();
    // "HTTP/1.1 500 ...": the server failed on its input instead of refusing it.
    if (out.size() > 12 && out.compare(9, 4, "500 ") == 0) {
        std::fprintf(stderr, "the server answered 500:\n%s\n", out.c_str());
        std::abort();
    }
    return 0;
}
