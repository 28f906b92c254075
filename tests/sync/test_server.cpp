// End-to-end tests of ksd-server: the real binary on a random loopback port, spoken to over HTTP
// (auth, idempotent batches, limits, updates, heartbeat, content, shutdown and kill -9).
#include "server_fixtures.h"
#include "server_ready.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "ksd/db.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <zlib.h>

#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ksd::test;
using nlohmann::json;

namespace {

// The real ksd-server serving db_path on 127.0.0.1 and a port the kernel picks.
using ksd::test::ServerProcess;

// A server database with one kiosk, its token and a running server.
struct Fixture {
    TempDir dir;
    std::string db = ksd::test::server_db(dir);
    std::string token = add_kiosk("kiosk-1");
    ServerProcess server {db, dir / "server.log"};

    std::string add_kiosk(std::string const& id) {
        auto out = capture(server_bin + " --db " + shq(db) + " kiosk add " + id + " 2>/dev/null");
        REQUIRE(out.status == 0);
        std::string t = out.text.substr(0, out.text.find('\n'));
        REQUIRE(t.rfind(id + ".", 0) == 0);
        return t;
    }
    Output cli(std::string const& args) {
        return capture(server_bin + " --db " + shq(db) + " " + args);
    }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", server.port());
        c.set_read_timeout(30);
        c.set_bearer_token_auth(token.c_str());
        return c;
    }
    int64_t count_rows(std::string const& where = "true") {
        auto conn = ksd::server::open_conn(db);
        REQUIRE(conn.ok());
        auto st = conn->prepare("SELECT count(*) FROM tickets WHERE " + where);
        REQUIRE(st.ok());
        auto row = st->step();
        REQUIRE(row.ok());
        return st->column_int64(0);
    }
};

json batch_of(std::vector<json> tickets) {
    return json {{"tickets", std::move(tickets)}};
}

std::string gzip(std::string const& data) {
    z_stream z {};
    REQUIRE(
        deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

// The body as JSON after checking it is this server's own answer.
json own_answer(httplib::Result const& r) {
    REQUIRE(r);
    REQUIRE(r->get_header_value("KSD-Protocol") == "1");
    json j = json::parse(r->body);
    REQUIRE(j["protocol"] == 1);
    return j;
}

json post(httplib::Client& c, json const& body, int expected_status) {
    auto r = c.Post("/api/v1/tickets", body.dump(), "application/json");
    REQUIRE(r);
    INFO(r->body);
    REQUIRE(r->status == expected_status);
    return own_answer(r);
}

} // namespace

TEST_CASE("requests without a valid token get 401 with the documented body") {
    Fixture f;
    httplib::Client c("127.0.0.1", f.server.port());
    auto r = c.Post("/api/v1/tickets", batch_of({}).dump(), "application/json");
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(r->get_header_value("WWW-Authenticate") == "Bearer");
    CHECK(own_answer(r)["error"]["code"] == "unauthorized");

    for (std::string bad : std::vector<std::string> {
             "kiosk-1.00", f.token + "0", "kiosk-2" + f.token.substr(7), "x"}) {
        c.set_bearer_token_auth(bad.c_str());
        auto r2 = c.Get("/api/v1/updates?since=0");
        REQUIRE(r2);
        CHECK(r2->status == 401);
        CHECK(own_answer(r2)["error"]["code"] == "unauthorized");
    }
    CHECK(f.count_rows() == 0);
}

TEST_CASE("kiosk revoke: the token is refused with 401 from then on, the tickets are kept") {
    Fixture f;
    std::string other = f.add_kiosk("kiosk-2");
    auto c = f.client();
    auto r = c.Post(
        "/api/v1/tickets", batch_of({upload_ticket("kiosk-1", 1)}).dump(), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);

    auto revoke = f.cli("kiosk revoke kiosk-1");
    INFO(revoke.text);
    CHECK(revoke.status == 0);
    for (auto const& path : {"/api/v1/updates?since=0", "/api/v1/content/latest"}) {
        auto g = c.Get(path);
        REQUIRE(g);
        CHECK(g->status == 401);
        CHECK(g->get_header_value("WWW-Authenticate") == "Bearer");
        CHECK(own_answer(g)["error"]["code"] == "unauthorized");
    }
    auto post = c.Post(
        "/api/v1/tickets", batch_of({upload_ticket("kiosk-1", 2)}).dump(), "application/json");
    REQUIRE(post);
    CHECK(post->status == 401);
    CHECK(f.count_rows() == 1); // the ticket sent before is kept

    // Another kiosk is unaffected; revoking twice or an unknown kiosk fails.
    httplib::Client c2("127.0.0.1", f.server.port());
    c2.set_bearer_token_auth(other.c_str());
    auto ok = c2.Get("/api/v1/updates?since=0");
    REQUIRE(ok);
    CHECK(ok->status == 200);
    CHECK(f.cli("kiosk revoke kiosk-1").status != 0);
    CHECK(f.cli("kiosk revoke kiosk-9").status != 0);
    auto list = f.cli("kiosk list");
    CHECK(list.text.find("\trevoked ") != std::string::npos);
}

TEST_CASE("a database locked beyond the busy timeout gets 503 with Retry-After, not 500") {
    TempDir dir;
    std::string db = ksd::test::server_db(dir);
    std::string config = dir / "server.toml";
    spit(config, "busy_timeout_ms = 200\n");
    auto add = capture(server_bin + " --db " + shq(db) + " kiosk add kiosk-1 2>/dev/null");
    REQUIRE(add.status == 0);
    std::string token = add.text.substr(0, add.text.find('\n'));
    ServerProcess server(db, dir / "server.log", config);
    httplib::Client c("127.0.0.1", server.port());
    c.set_read_timeout(30);
    c.set_bearer_token_auth(token.c_str());
    auto batch = batch_of({upload_ticket("kiosk-1", 1)}).dump();
    {
        // Another writer holds the write lock (a long staff command, a backup...).
        auto holder = ksd::server::open_conn(db);
        REQUIRE(holder.ok());
        auto lock = ksd::server::Tx::begin(*holder); // the write lock, on either engine
        REQUIRE(lock.ok());
        auto r = c.Post("/api/v1/tickets", batch, "application/json");
        REQUIRE(r);
        CHECK(r->status == 503);
        CHECK(r->get_header_value("Retry-After") == "5");
        CHECK(r->get_header_value("KSD-Protocol") == "1");
        CHECK(own_answer(r)["error"]["code"] == "busy");
    }
    auto again = c.Post("/api/v1/tickets", batch, "application/json");
    REQUIRE(again);
    CHECK(again->status == 200);
    CHECK(own_answer(again)["results"][0]["result"] == "created");
    CHECK(server.log().find("database busy") != std::string::npos);
}

TEST_CASE(
    "a batch creates tickets and the same batch again gives duplicates with the first result") {
    Fixture f;
    auto c = f.client();
    std::vector<json> tickets;
    for (int i = 1; i <= 3; ++i)
        tickets.push_back(upload_ticket("kiosk-1", i));
    json first = post(c, batch_of(tickets), 200);
    CHECK(first["kind"] == "ticket_results");
    REQUIRE(first["results"].size() == 3);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(first["results"][i]["id"] == tickets[i]["id"]);
        CHECK(first["results"][i]["result"] == "created");
        CHECK(first["results"][i]["status"] == "Baru");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // a later received_at if new
    json again = post(c, batch_of(tickets), 200);
    for (size_t i = 0; i < 3; ++i) {
        CHECK(again["results"][i]["result"] == "duplicate");
        CHECK(again["results"][i]["received_at"] == first["results"][i]["received_at"]);
    }
    CHECK(f.count_rows() == 3);
    for (auto const& t : tickets)
        CHECK(f.count_rows("id = '" + t["id"].get<std::string>() + "'") == 1);

    auto list = f.cli("tickets list");
    CHECK(list.status == 0);
    for (auto const& t : tickets)
        CHECK(list.text.find(t["code"].get<std::string>()) != std::string::npos);
}

TEST_CASE("the same id with other content is a conflict and the original is kept") {
    Fixture f;
    auto c = f.client();
    json t = upload_ticket("kiosk-1", 1);
    json other = upload_ticket("kiosk-1", 2);
    post(c, batch_of({t}), 200);
    json changed = t;
    changed["name"] = "Orang Lain";
    json r = post(c, batch_of({changed, other}), 207);
    CHECK(r["results"][0]["result"] == "conflict");
    CHECK(!r["results"][0]["reason"].get<std::string>().empty());
    CHECK(r["results"][1]["result"] == "created"); // one bad ticket does not block the others
    CHECK(f.count_rows() == 2);
    auto show = f.cli("tickets show " + t["id"].get<std::string>());
    CHECK(show.status == 0);
    CHECK(show.text.find("name: Siti Aminah") != std::string::npos);
    CHECK(show.text.find("Orang Lain") == std::string::npos);
}

TEST_CASE("invalid tickets are answered one by one and another kiosk's id refuses the batch") {
    Fixture f;
    auto c = f.client();
    json bad_code = upload_ticket("kiosk-1", 1);
    bad_code["code"] = "ABCDE-FGHIJ";
    json foreign = upload_ticket("kiosk-2", 2);
    json good = upload_ticket("kiosk-1", 3);
    // Another kiosk's ticket: the kiosk's set-up is wrong, nothing is stored (issue 9).
    json refused = post(c, batch_of({foreign, good}), 403);
    CHECK(refused["error"]["code"] == "kiosk_mismatch");
    CHECK(f.count_rows() == 0);
    json r = post(c, batch_of({bad_code, good}), 207);
    CHECK(r["results"][0]["result"] == "invalid");
    CHECK(r["results"][0]["reason"].get<std::string>().find("code") != std::string::npos);
    CHECK(r["results"][1]["result"] == "created");
    CHECK(f.count_rows() == 1);
}

TEST_CASE("five parallel posts of the same ticket make exactly one row") {
    Fixture f;
    json t = upload_ticket("kiosk-1", 1);
    std::string body = batch_of({t}).dump();
    std::vector<std::string> results(5);
    std::vector<std::thread> threads;
    std::atomic<int> ready {0};
    for (int i = 0; i < 5; ++i)
        threads.emplace_back([&, i] {
            auto c = f.client();
            ready++;
            while (ready < 5)
                std::this_thread::yield();
            auto r = c.Post("/api/v1/tickets", body, "application/json");
            if (r && r->status == 200)
                results[static_cast<size_t>(i)]
                    = json::parse(r->body)["results"][0]["result"].get<std::string>();
        });
    for (auto& th : threads)
        th.join();
    CHECK(std::count(results.begin(), results.end(), "created") == 1);
    CHECK(std::count(results.begin(), results.end(), "duplicate") == 4);
    CHECK(f.count_rows() == 1);
}

TEST_CASE("a gzip body is accepted") {
    Fixture f;
    auto c = f.client();
    std::vector<json> tickets;
    for (int i = 1; i <= 50; ++i)
        tickets.push_back(upload_ticket("kiosk-1", i));
    std::string plain = batch_of(tickets).dump();
    std::string packed = gzip(plain);
    CHECK(packed.size() < plain.size() / 3);
    httplib::Headers h {{"Content-Encoding", "gzip"}};
    auto r = c.Post("/api/v1/tickets", h, packed, "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(own_answer(r)["results"].size() == 50);
    CHECK(f.count_rows() == 50);
}

TEST_CASE("oversize bodies and batches get 413 and nothing is stored") {
    Fixture f;
    auto c = f.client();
    std::string big = batch_of({upload_ticket("kiosk-1", 1)}).dump();
    big.insert(big.size() - 1, ",\"padding\":\"" + std::string(1100 * 1024, 'x') + "\"");
    auto r = c.Post("/api/v1/tickets", big, "application/json");
    REQUIRE(r);
    CHECK(r->status == 413);
    CHECK(own_answer(r)["error"]["code"] == "payload_too_large");

    // A compression bomb: small on the wire, over the decoded limit.
    std::string bomb = gzip(std::string(8 << 20, ' ') + big);
    REQUIRE(bomb.size() < (1u << 20));
    auto rb = c.Post("/api/v1/tickets", {{"Content-Encoding", "gzip"}}, bomb, "application/json");
    REQUIRE(rb);
    CHECK(rb->status == 413);

    std::vector<json> many;
    for (int i = 0; i < 501; ++i)
        many.push_back(upload_ticket("kiosk-1", i));
    auto rm = c.Post("/api/v1/tickets", batch_of(many).dump(), "application/json");
    REQUIRE(rm);
    CHECK(rm->status == 413);
    CHECK(own_answer(rm)["error"]["code"] == "batch_too_large");
    CHECK(f.count_rows() == 0);
}

TEST_CASE("malformed JSON and invalid UTF-8 get 400 naming the problem") {
    Fixture f;
    auto c = f.client();
    auto r = c.Post("/api/v1/tickets", "{\"tickets\": [", "application/json");
    REQUIRE(r);
    CHECK(r->status == 400);
    json j = own_answer(r);
    CHECK(j["error"]["code"] == "malformed_json");
    CHECK(j["error"]["message"].get<std::string>().find("column") != std::string::npos);

    std::string body = batch_of({upload_ticket("kiosk-1", 1)}).dump();
    auto pos = body.find("Siti");
    REQUIRE(pos != std::string::npos);
    body[pos + 1] = '\xC3'; // a lead byte followed by an ASCII byte
    auto ru = c.Post("/api/v1/tickets", body, "application/json");
    REQUIRE(ru);
    CHECK(ru->status == 400);
    json ju = own_answer(ru);
    CHECK(ju["error"]["code"] == "invalid_utf8");
    CHECK(ju["error"]["message"].get<std::string>().find(std::to_string(pos + 1))
        != std::string::npos);

    auto rs = c.Post("/api/v1/tickets", "{\"tickets\": 5}", "application/json");
    REQUIRE(rs);
    CHECK(rs->status == 400);
    CHECK(
        own_answer(rs)["error"]["message"].get<std::string>().find("tickets") != std::string::npos);
    CHECK(f.count_rows() == 0);
}

TEST_CASE("the updates feed returns staff replies and status changes as the cursor advances") {
    Fixture f;
    auto c = f.client();
    json t = upload_ticket("kiosk-1", 1);
    std::string id = t["id"].get<std::string>();
    post(c, batch_of({t}), 200);

    auto get = [&](int64_t since) {
        auto r = c.Get(("/api/v1/updates?since=" + std::to_string(since)).c_str());
        REQUIRE(r);
        REQUIRE(r->status == 200);
        json j = own_answer(r);
        REQUIRE(j["kind"] == "updates");
        return j;
    };
    json u0 = get(0);
    REQUIRE(u0["updates"].size() == 1);
    CHECK(u0["updates"][0]["status"] == "Baru");
    int64_t c0 = u0["cursor"].get<int64_t>();
    CHECK(c0 > 0);
    CHECK(get(c0)["updates"].empty());
    CHECK(get(c0)["cursor"] == c0);

    auto reply
        = f.cli("tickets reply " + t["code"].get<std::string>() + " 'Silakan datang Senin.'");
    INFO(reply.text);
    REQUIRE(reply.status == 0);
    json u1 = get(c0);
    REQUIRE(u1["updates"].size() == 1);
    CHECK(u1["updates"][0]["ticket_id"] == id);
    CHECK(u1["updates"][0]["staff_reply"] == "Silakan datang Senin.");
    // The first reply moved the new request on.
    CHECK(u1["updates"][0]["status"] == "Diproses");
    int64_t c1 = u1["cursor"].get<int64_t>();
    CHECK(c1 > c0);

    REQUIRE(f.cli("tickets status " + id + " 'menunggu tanggapan pemohon'").status == 0);
    CHECK(f.cli("tickets status " + id + " Bogus").status != 0);
    json u2 = get(c1);
    REQUIRE(u2["updates"].size() == 1);
    CHECK(u2["updates"][0]["status"] == "Menunggu tanggapan pemohon");
    CHECK(u2["updates"][0]["staff_reply"] == "Silakan datang Senin.");
    CHECK(u2["cursor"].get<int64_t>() > c1);

    // Another kiosk never sees this kiosk's tickets.
    std::string other = f.add_kiosk("kiosk-2");
    c.set_bearer_token_auth(other.c_str());
    CHECK(get(0)["updates"].empty());
    auto bad = c.Get("/api/v1/updates?since=-1");
    REQUIRE(bad);
    CHECK(bad->status == 400);
}

TEST_CASE("a heartbeat is stored and shown by kiosk list") {
    Fixture f;
    auto c = f.client();
    json hb {{"kiosk_id", "kiosk-1"}, {"app_version", "9.8.7"}, {"content_version", 20261123},
        {"queue", {{"queued", 4}, {"sending", 0}, {"acknowledged", 10}, {"quarantined", 2}}},
        {"oldest_unsent_age_s", 777}, {"last_error", "timeout"}, {"clock_trusted", false}};
    auto r = c.Post("/api/v1/heartbeat", hb.dump(), "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(own_answer(r)["kind"] == "heartbeat_ack");
    auto list = f.cli("kiosk list");
    REQUIRE(list.status == 0);
    INFO(list.text);
    // No last_frame_at: the kiosk app never reported a frame (fleet_health.h).
    CHECK(
        list.text.find("kiosk-1\tlayar mati (screen dead): no frame reported, clock untrusted\t20")
        != std::string::npos);
    CHECK(list.text.find("9.8.7\t20261123\t4\t0\t2\t777\tuntrusted\ttimeout") != std::string::npos);

    // Deep nesting is refused before it is parsed or stored.
    std::string deep = "{\"a\":" + std::string(20000, '[') + std::string(20000, ']') + "}";
    auto rd = c.Post("/api/v1/heartbeat", deep, "application/json");
    REQUIRE(rd);
    CHECK(rd->status == 400);
    CHECK(
        own_answer(rd)["error"]["message"].get<std::string>().find("nested") != std::string::npos);
    // A large heartbeat is not mistaken for a form (httplib caps forms at 8 KiB).
    json large = hb;
    large["last_error"] = std::string(50000, 'e');
    auto rl = c.Post("/api/v1/heartbeat", large.dump(), "application/x-www-form-urlencoded");
    REQUIRE(rl);
    CHECK(rl->status == 200);
    large["last_error"] = std::string(70000, 'e');
    auto rh = c.Post("/api/v1/heartbeat", large.dump(), "application/json");
    REQUIRE(rh);
    CHECK(rh->status == 413);

    hb["kiosk_id"] = "kiosk-9";
    auto r2 = c.Post("/api/v1/heartbeat", hb.dump(), "application/json");
    REQUIRE(r2);
    CHECK(r2->status == 400);
}

TEST_CASE("the curl examples of PROTOCOL.md run against the server") {
    INFO("the examples need curl, gzip and awk (Debian packages curl, gzip, mawk)");
    REQUIRE((have_tool("curl") && have_tool("gzip") && have_tool("awk")));
    Fixture f;
    std::string script = f.dir / "examples.sh";
    std::string md = std::string(KSD_SOURCE_DIR) + "/sync/PROTOCOL.md";
    REQUIRE(run("awk '/^```sh$/{f=1;next} /^```$/{if(f)print \"echo\";f=0} f' " + shq(md) + " > "
                + shq(script))
        == 0);
    std::string text = slurp(script);
    REQUIRE(text.find("curl") != std::string::npos);
    if (f.db != "server.db" && test_on_postgres()) {
        // The examples name the SQLite file server.db; on PostgreSQL they use the fixture's URI.
        for (auto at = text.find("--db server.db"); at != std::string::npos;
             at = text.find("--db server.db", at))
            text.replace(at, 14, "--db " + shq(f.db));
        spit(script, text);
    }
    // The staff commands among the examples run the real ksd-server on the fixture's server.db.
    std::string bin_dir = std::filesystem::path(server_bin).parent_path().string();
    auto out
        = capture("cd " + shq(f.dir.path()) + " && PATH=" + shq(bin_dir) + ":\"$PATH\" KSD_URL="
            + f.server.url() + " KSD_TOKEN=" + f.token + " sh -e " + shq(script));
    INFO(out.text);
    CHECK(out.status == 0);
    CHECK(out.text.find("\"result\":\"created\"") != std::string::npos);
    CHECK(out.text.find("\"result\":\"duplicate\"") != std::string::npos);
    CHECK(out.text.find("\"kind\":\"heartbeat_ack\"") != std::string::npos);
    CHECK(out.text.find("\"kind\":\"updates\"") != std::string::npos);
    // Both replies went out, the internal note did not.
    CHECK(out.text.find("\"text\":\"Berkas Anda kami terima.\"") != std::string::npos);
    CHECK(out.text.find("\"staff_reply\":\"Silakan datang hari Senin.\",\"status\":\"Selesai\"")
        != std::string::npos);
    CHECK(out.text.find("Pemohon minta ditelepon") == std::string::npos);
    CHECK(f.count_rows() == 1);
}

TEST_CASE("content publish refuses bad packs and the pack is served with ETag and Range") {
    Fixture f;
    std::string demo = std::string(KSD_BINARY_DIR) + "/demo";
    std::string pack = f.dir / "a.pack";
    std::filesystem::copy_file(demo + "/ksd-demo.pack", pack);
    auto c = f.client();
    auto none = c.Get("/api/v1/content/latest");
    REQUIRE(none);
    CHECK(none->status == 404);
    CHECK(own_answer(none)["error"]["code"] == "no_content");

    // Unsigned.
    auto unsigned_out
        = f.cli("content publish " + shq(pack) + " --public-key " + shq(demo + "/ksd-demo.pub"));
    CHECK(unsigned_out.status != 0);
    // Signed with another key.
    std::string content_bin = KSD_CONTENT_BIN;
    REQUIRE(run(content_bin + " keygen -p " + shq(f.dir / "other.pub") + " -s "
                + shq(f.dir / "other.key") + " >/dev/null 2>&1")
        == 0);
    REQUIRE(run(content_bin + " sign " + shq(pack) + " -s " + shq(f.dir / "other.key")
                + " >/dev/null 2>&1")
        == 0);
    auto wrong
        = f.cli("content publish " + shq(pack) + " --public-key " + shq(demo + "/ksd-demo.pub"));
    CHECK(wrong.status != 0);
    CHECK(wrong.text.find("refused") != std::string::npos);
    // Properly signed.
    std::filesystem::copy_file(demo + "/ksd-demo.pack.minisig", pack + ".minisig",
        std::filesystem::copy_options::overwrite_existing);
    auto good
        = f.cli("content publish " + shq(pack) + " --public-key " + shq(demo + "/ksd-demo.pub"));
    INFO(good.text);
    REQUIRE(good.status == 0);
    // The same version again is not newer.
    auto again
        = f.cli("content publish " + shq(pack) + " --public-key " + shq(demo + "/ksd-demo.pub"));
    CHECK(again.status != 0);
    CHECK(again.text.find("not newer") != std::string::npos);

    std::string bytes = slurp(pack);
    auto latest = c.Get("/api/v1/content/latest");
    REQUIRE(latest);
    REQUIRE(latest->status == 200);
    json meta = own_answer(latest);
    CHECK(meta["size"] == bytes.size());
    std::string sha = meta["sha256"].get<std::string>();
    CHECK(sha.size() == 64);

    auto full = c.Get("/api/v1/content/pack");
    REQUIRE(full);
    CHECK(full->status == 200);
    CHECK(full->body == bytes);
    CHECK(full->get_header_value("ETag") == "\"" + sha + "\"");

    size_t from = bytes.size() / 2;
    httplib::Headers range {
        {"Range", "bytes=" + std::to_string(from) + "-"}, {"If-Range", "\"" + sha + "\""}};
    auto part = c.Get("/api/v1/content/pack", range);
    REQUIRE(part);
    CHECK(part->status == 206);
    CHECK(part->body == bytes.substr(from));
    httplib::Headers stale {{"Range", "bytes=10-"}, {"If-Range", "\"0000\""}};
    auto changed = c.Get("/api/v1/content/pack", stale);
    REQUIRE(changed);
    CHECK(changed->status == 412);
}

TEST_CASE("SIGTERM stops the server gracefully with exit status 0") {
    Fixture f;
    CHECK(f.server.stop(SIGTERM) == 0);
    CHECK(f.server.log().find("stopped") != std::string::npos);
}

TEST_CASE("SIGTERM during an upload lets that request finish before the exit") {
    Fixture f;
    std::string body = batch_of({upload_ticket("kiosk-1", 1)}).dump();
    std::string head = "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + f.token + "\r\nContent-Type: application/json\r\nContent-Length: "
        + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd >= 0);
    timeval tv {10, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr {};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(f.server.port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    std::string first = head + body.substr(0, body.size() / 2);
    REQUIRE(::send(fd, first.data(), first.size(), MSG_NOSIGNAL) == ssize_t(first.size()));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    f.server.signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::string rest = body.substr(body.size() / 2);
    REQUIRE(::send(fd, rest.data(), rest.size(), MSG_NOSIGNAL) == ssize_t(rest.size()));
    std::string answer;
    char buf[4096];
    for (int i = 0; i < 100; ++i) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        answer.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 200", 0) == 0);
    CHECK(answer.find("\"result\":\"created\"") != std::string::npos);
    CHECK(f.server.wait() == 0);
    CHECK(f.count_rows() == 1);
}

TEST_CASE("kill -9 mid-batch leaves the database intact and a retry stores each ticket once") {
    Fixture f;
    // Bodies are made beforehand so that the server is busy with a batch nearly all the time.
    std::vector<std::string> batches;
    for (int b = 0; b < 20; ++b) {
        std::vector<json> tickets;
        for (int i = 0; i < 500; ++i)
            tickets.push_back(upload_ticket("kiosk-1", b * 500 + i));
        batches.push_back(batch_of(std::move(tickets)).dump());
    }
    std::atomic<int> answered {0};
    std::thread sender([&] {
        auto c = f.client();
        for (auto const& b : batches) {
            auto r = c.Post("/api/v1/tickets", b, "application/json");
            if (!r)
                return;
            answered++;
        }
    });
    // Kill while batches are going in: after the first answer, before the last.
    for (int i = 0; i < 400 && answered == 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(f.server.stop(SIGKILL) == -1);
    sender.join();
    CHECK(answered < 20);

    {
        // SQLite's own check of the file; PostgreSQL's WAL recovery has no such question.
        auto conn = ksd::server::open_conn(f.db);
        REQUIRE(conn.ok());
        if (conn->engine() == ksd::server::Engine::Sqlite) {
            auto st = conn->prepare("PRAGMA integrity_check");
            REQUIRE(st.ok());
            REQUIRE(st->step().value());
            CHECK(st->column_text(0) == "ok");
        }
    }
    int64_t before = f.count_rows();
    CHECK(before % 500 == 0); // each batch all or nothing
    f.server.start();
    auto c = f.client();
    for (auto const& b : batches) {
        json r = post(c, json::parse(b), 200);
        for (auto const& item : r["results"])
            CHECK((item["result"] == "created" || item["result"] == "duplicate"));
    }
    CHECK(f.count_rows() == 10000);
    auto conn = ksd::server::open_conn(f.db);
    REQUIRE(conn.ok());
    auto st = conn->prepare("SELECT count(DISTINCT id) FROM tickets");
    REQUIRE(st.ok());
    REQUIRE(st->step().value());
    CHECK(st->column_int64(0) == 10000);
}

TEST_CASE("the command line reads the database from the config file and refuses bad input") {
    TempDir dir;
    std::string config = dir / "server.toml";
    spit(config, "db = \"" + dir / "from-config.db" + "\"\nlisten = \"127.0.0.1:0\"\n");
    auto add = capture(server_bin + " --config " + shq(config) + " kiosk add kiosk-7");
    CHECK(add.status == 0);
    CHECK(std::filesystem::exists(dir / "from-config.db"));
    auto list = capture(server_bin + " --config " + shq(config) + " kiosk list");
    CHECK(list.status == 0);
    CHECK(list.text.find("kiosk-7\tnever") != std::string::npos);
    // The token is shown once: adding the same kiosk again fails and prints no new token.
    auto again = capture(server_bin + " --config " + shq(config) + " kiosk add kiosk-7");
    CHECK(again.status != 0);
    CHECK(again.text.find("kiosk-7.") == std::string::npos);

    spit(config, "db = \"x.db\"\nlisten_port = 5\n");
    auto bad = capture(server_bin + " --config " + shq(config) + " kiosk list");
    CHECK(bad.status != 0);
    CHECK(bad.text.find("listen_port") != std::string::npos);
    CHECK(capture(server_bin + " kiosk list").status != 0); // no database given
    // A port that is not a number is refused at once (atoi once read it as 0: a random port,
    // served forever; `timeout` makes that old failure end as status 124).
    auto port = capture("timeout 20 " + server_bin + " --db " + shq(dir / "p.db")
        + " --listen 127.0.0.1:abc serve");
    CHECK(port.status == 1);
    CHECK(port.text.find("PORT a number") != std::string::npos);
    CHECK(capture("timeout 20 " + server_bin + " --db " + shq(dir / "p.db")
              + " --listen 127.0.0.1:70000 serve")
              .status
        == 1);
    CHECK(capture(server_bin + " --db " + shq(dir / "a.db") + " kiosk add 'bad id'").status != 0);
    auto help = capture(server_bin + " --help");
    CHECK(help.status == 0);
    CHECK(help.text.find("Menunggu tanggapan pemohon") != std::string::npos);
    CHECK(capture(server_bin + " --version").text.find("protocol 1") != std::string::npos);
}

TEST_CASE("tickets export writes CSV with quoting and formula-safe cells") {
    Fixture f;
    auto c = f.client();
    json t = upload_ticket("kiosk-1", 1);
    t["question"] = "Satu, \"dua\"\ntiga";
    t["organisation"] = "=HYPERLINK(\"x\")";
    post(c, batch_of({t}), 200);
    auto out = f.cli("tickets export --csv");
    REQUIRE(out.status == 0);
    INFO(out.text);
    CHECK(out.text.rfind("id,code,kiosk_id,", 0) == 0);
    CHECK(out.text.find("\"Satu, \"\"dua\"\"\ntiga\"") != std::string::npos);
    CHECK(out.text.find(",\"'=HYPERLINK(\"\"x\"\")\",") != std::string::npos);
    CHECK(out.text.find(",+6281234567890,") != std::string::npos);
}

TEST_CASE("a PostgreSQL URI that is malformed or unreachable is a clear error that hides the "
          "password") {
    auto bad = capture(server_bin + " --db 'postgresql://%zz@/x' kiosk list 2>&1");
    CHECK(bad.status != 0);
    CHECK(bad.text.find("PostgreSQL URI") != std::string::npos);
    CHECK(bad.text.find("invalid percent-encoded token") != std::string::npos);
    // Port 1 on the loopback: refused at once.
    auto away
        = capture(server_bin + " --db 'postgresql://ana:rahasia@127.0.0.1:1/x' kiosk list 2>&1");
    INFO(away.text);
    CHECK(away.status != 0);
    CHECK(away.text.find("cannot connect to PostgreSQL postgresql://ana:***@127.0.0.1:1/x")
        != std::string::npos);
    CHECK(away.text.find("rahasia") == std::string::npos);
}
