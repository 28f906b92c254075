// Storage engines side by side (issue 15): the same two figures on SQLite and on PostgreSQL in
// one run, on this machine. Ingest: 50 concurrent HTTP clients (one kiosk each) posting 4 batches
// of 100 tickets to the real ksd-server. Inbox: the first page (50 rows and the counts on top)
// and a word search, p50/p99, at 1,000,000 generated requests, through the store calls the page
// makes. PostgreSQL runs in a throw-away cluster started by tests/pg/cluster.sh (fsync off, like
// the test suite's: the ingest figure is the database's work, not this disk's flushes; SQLite
// keeps synchronous=FULL, so its ingest is the more conservative of the two).
#include "bench.h"
#include "bench_server.h"
#include "test_support.h"

#include "sla.h"
#include "store.h"
#include "store_inbox.h"

#include "ksd/tickets.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ksd::bench {

namespace {

using ksd::test::capture;
using ksd::test::TempDir;
using namespace ksd::server;
using nlohmann::json;

std::string shq(std::string const& s) {
    return "'" + s + "'";
}

// A throw-away PostgreSQL cluster for the run; url() empty (and why() set) when none started.
class Cluster {
public:
    explicit Cluster(std::string dir)
        : m_dir(std::move(dir)) {
        // The cluster runs as the postgres user when this is root: it must reach its directory
        // (a TempDir is 0700).
        ::chmod(std::filesystem::path(m_dir).parent_path().c_str(), 0755);
        auto out
            = capture(std::string(KSD_SOURCE_DIR) + "/tests/pg/cluster.sh start " + shq(m_dir));
        std::string url = ksd::test::slurp(m_dir + "/url");
        m_url = url.substr(0, url.find('\n'));
        if (m_url.empty())
            m_why = ksd::test::slurp(m_dir + "/skip") + out.text;
    }
    ~Cluster() {
        (void)capture(std::string(KSD_SOURCE_DIR) + "/tests/pg/cluster.sh stop " + shq(m_dir));
    }
    Cluster(Cluster const&) = delete;
    Cluster& operator=(Cluster const&) = delete;
    // A new, empty database's URI.
    std::string database(std::string const& name) const {
        auto out = capture("psql -X -q -d " + shq(m_url) + " -c " + shq("CREATE DATABASE " + name));
        if (out.status != 0) {
            std::cerr << "bench engines: " << out.text << "\n";
            return {};
        }
        auto start = m_url.find('/', m_url.find("://") + 3);
        return m_url.substr(0, start + 1) + name + m_url.substr(m_url.find('?'));
    }
    std::string const& url() const { return m_url; }
    std::string const& why() const { return m_why; }

private:
    std::string m_dir;
    std::string m_url;
    std::string m_why;
};

std::string kiosk_token(Conn& db, std::string const& id) {
    auto t = add_kiosk(db, id, static_cast<int64_t>(std::time(nullptr)));
    return t.ok() ? *t : std::string();
}

void ingest(Options const& options, Report& report, std::string const& engine,
    std::string const& db_target, std::string const& dir) {
    int const agents = options.smoke ? 4 : 50;
    int const batches = options.smoke ? 1 : 4;
    int const per_batch = options.smoke ? 20 : 100;
    std::vector<std::string> tokens;
    std::vector<std::vector<std::string>> bodies(static_cast<size_t>(agents));
    {
        auto db = open_store(db_target);
        if (!db) {
            std::cerr << "bench engines: " << db.error().message << "\n";
            return;
        }
        for (int a = 0; a < agents; ++a) {
            std::string kiosk = "kiosk-" + std::to_string(a);
            tokens.push_back(kiosk_token(*db, kiosk));
            for (int b = 0; b < batches; ++b) {
                json list = json::array();
                for (int i = 0; i < per_batch; ++i) {
                    int seq = b * per_batch + i + 1;
                    list.push_back({{"id", generate_uuid_v4()}, {"code", generate_ticket_code()},
                        {"kiosk_id", kiosk}, {"created_at", std::time(nullptr)},
                        {"clock_trusted", true}, {"sequence", seq},
                        {"category", "Perangkat daerah"}, {"topic", "Kerja sama daerah"},
                        {"sector", ""}, {"name", "Pengunjung " + std::to_string(seq)},
                        {"phone", "+6281234567890"}, {"email", ""}, {"organisation", ""},
                        {"question", "Bagaimana alur kerja sama pengelolaan pelabuhan?"},
                        {"lang", "id"}, {"consent_version", "2026-1"}});
                }
                bodies[static_cast<size_t>(a)].push_back(json {{"tickets", list}}.dump());
            }
        }
    }
    BenchServer server(db_target, dir + "/server.log", dir);
    if (server.port() == 0) {
        std::cerr << "bench engines: the server did not start on " << engine << "\n";
        return;
    }
    std::atomic<int> stored {0}, failed {0};
    std::vector<double> latencies(static_cast<size_t>(agents * batches));
    std::vector<std::thread> threads;
    auto start = std::chrono::steady_clock::now();
    for (int a = 0; a < agents; ++a)
        threads.emplace_back([&, a] {
            httplib::Client c("127.0.0.1", server.port());
            c.set_read_timeout(60);
            c.set_bearer_token_auth(tokens[static_cast<size_t>(a)].c_str());
            for (int b = 0; b < batches; ++b) {
                auto t0 = std::chrono::steady_clock::now();
                auto r = c.Post("/api/v1/tickets",
                    bodies[static_cast<size_t>(a)][static_cast<size_t>(b)], "application/json");
                latencies[static_cast<size_t>(a * batches + b)] = ms_since(t0);
                if (r && r->status == 200)
                    stored += per_batch;
                else
                    ++failed;
            }
        });
    for (auto& t : threads)
        t.join();
    double rate = stored / (ms_since(start) / 1000.0);
    if (failed > 0)
        std::cerr << "bench engines: " << failed << " uploads failed on " << engine << "\n";
    report.add({"engines",
        engine + ": ingest, " + std::to_string(agents) + " clients x " + std::to_string(batches)
            + " x " + std::to_string(per_batch),
        rate, "ticket/s", "", std::nullopt});
    report.add({"engines", engine + ": ingest, one batch p99", percentile(latencies, 99), "ms", "",
        std::nullopt});
}

void inbox(Options const& options, Report& report, std::string const& engine,
    std::string const& db_target) {
    GenerateSpec spec;
    spec.now = static_cast<int64_t>(std::time(nullptr));
    if (options.smoke) {
        spec.requests = 3000;
        spec.kiosks = 10;
    }
    auto db = open_store(db_target);
    if (!db) {
        std::cerr << "bench engines: " << db.error().message << "\n";
        return;
    }
    SlaRules sla;
    auto start = std::chrono::steady_clock::now();
    auto made = generate_requests(*db, spec, sla);
    if (!made) {
        std::cerr << "bench engines: " << made.error().message << "\n";
        return;
    }
    report.add({"engines", engine + ": generate " + std::to_string(spec.requests) + " requests",
        ms_since(start) / 1000, "s", "", std::nullopt});
    int const runs = options.smoke ? 10 : 200;
    auto timed = [&](std::string const& name, InboxFilter const& f) {
        std::vector<double> ms;
        for (int i = 0; i < runs; ++i) {
            auto t0 = std::chrono::steady_clock::now();
            auto counts = inbox_counts(*db, spec.now);
            auto page = inbox_page(*db, f, spec.now, 50, std::nullopt);
            if (!counts || !page) {
                std::cerr << "bench engines: "
                          << (counts ? page.error().message : counts.error().message) << "\n";
                return;
            }
            ms.push_back(ms_since(t0));
        }
        report.add(
            {"engines", engine + ": " + name + " p50", percentile(ms, 50), "ms", "", std::nullopt});
        report.add({"engines", engine + ": " + name + " p99", percentile(ms, 99), "ms", "< 50 ms",
            options.smoke ? std::nullopt : std::optional(percentile(ms, 99) < 50)});
    };
    timed("inbox first page (50 rows + counts)", InboxFilter {});
    InboxFilter words;
    words.words = "pelabuhan";
    timed("inbox search 'pelabuhan' (+ counts)", words);
}

} // namespace

void run_engine_benchmarks(Options const& options, Report& report) {
    {
        TempDir dir;
        std::string file = dir / "ingest.db";
        ingest(options, report, "SQLite", file, dir.path());
    }
    {
        TempDir dir;
        inbox(options, report, "SQLite", dir / "inbox.db");
    }
    TempDir pg_dir;
    Cluster cluster(pg_dir / "pg");
    if (cluster.url().empty()) {
        std::cerr << "bench engines: PostgreSQL skipped: " << cluster.why() << "\n";
        return;
    }
    {
        TempDir dir;
        std::string url = cluster.database("bench_ingest");
        if (!url.empty())
            ingest(options, report, "PostgreSQL", url, dir.path());
    }
    std::string url = cluster.database("bench_inbox");
    if (!url.empty())
        inbox(options, report, "PostgreSQL", url);
}

} // namespace ksd::bench
