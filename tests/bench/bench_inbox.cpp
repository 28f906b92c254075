// Inbox benchmarks (issue 10): a generated database of 1,000,000 requests from 500 kiosks; the
// inbox's first page and filtered pages (p50/p99), the 1000th page, a request by id, and a CSV
// export of 100,000 rows (time and the exporting process's peak memory, measured in a child).
// Until the staff pages exist these time the storage calls the pages make (in-process).
#include "bench.h"
#include "server_ready.h"
#include "staff_client.h"
#include "test_support.h"

#include "inbox_csv.h"
#include "ksd/number.h"
#include "sla.h"
#include "store.h"
#include "store_inbox.h"

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iostream>
#include <random>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ksd::bench {

namespace {

using ksd::test::TempDir;
using namespace ksd::server;

int64_t parse_i64(char const* s) {
    int64_t v = 0;
    std::from_chars(s, s + std::strlen(s), v);
    return v;
}

struct Timed {
    std::vector<double> ms;
    double p(double pct) const { return percentile(ms, pct); }
};

template <typename F>
Timed time_runs(int runs, F&& f) {
    Timed t;
    for (int i = 0; i < runs; ++i) {
        auto start = std::chrono::steady_clock::now();
        if (!f(i)) {
            std::cerr << "bench inbox: a query failed\n";
            return t;
        }
        t.ms.push_back(ms_since(start));
    }
    return t;
}

// A filter with only the fields set that a test names (designated initializers would leave
// the rest to their defaults too, but -Wmissing-field-initializers refuses them).
template <typename Set>
InboxFilter make_filter(Set&& set) {
    InboxFilter f;
    set(f);
    return f;
}

// Peak resident memory of a process (VmHWM), in MB.
double peak_rss_mb(pid_t pid) {
    std::string status = ksd::test::slurp("/proc/" + std::to_string(pid) + "/status");
    auto at = status.find("VmHWM:");
    return at == std::string::npos
        ? 0
        : double(ksd::parse_leading_int<long long>(std::string_view(status).substr(at + 6))
                     .value_or(0))
            / 1024;
}

void http_benchmarks(Options const& options, Report& report, std::string const& db, int64_t now,
    std::optional<InboxCursor> const& deep, std::vector<std::string> const& ids) {
    std::string const password = "Bangku-Panjang-2026";
    if (ksd::test::add_staff_user(db, "bench", "responder", password) != 0) {
        std::cerr << "bench inbox: cannot add the staff user\n";
        return;
    }
    TempDir logs;
    std::string log = logs / "server.log";
    pid_t pid = ::fork();
    if (pid == 0) {
        int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        ::setenv("KSD_LOG_LEVEL", "warn", 1);
        ::execl(KSD_SERVER_BIN, KSD_SERVER_BIN, "--db", db.c_str(), "serve", "--listen",
            "127.0.0.1:0", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    struct Reap {
        pid_t pid;
        ~Reap() {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    } reap {pid};
    int port = ksd::test::wait_for_server_ready(log);
    if (port == 0) {
        std::cerr << "bench inbox: the server did not start\n" << ksd::test::slurp(log) << "\n";
        return;
    }
    ksd::test::StaffClient c(port);
    if (c.login("bench", password) != 303) {
        std::cerr << "bench inbox: cannot log in\n";
        return;
    }
    int const runs = options.smoke ? 20 : 200;
    auto timed = [&](std::string const& path, int n, size_t* bytes = nullptr) {
        return time_runs(n, [&](int) {
            auto a = c.get(path);
            if (bytes)
                *bytes = a.body.size();
            if (a.status != 200)
                std::cerr << "bench inbox: " << path << ": HTTP " << a.status << "\n";
            return a.status == 200;
        });
    };
    auto goal = [&](std::string name, Timed const& t, double p99_goal) {
        report.add({"inbox", name + " p50", t.p(50), "ms", "", std::nullopt});
        report.add({"inbox", name + " p99", t.p(99), "ms",
            "< " + std::to_string(static_cast<int>(p99_goal)) + " ms",
            options.smoke ? std::nullopt : std::optional(t.p(99) < p99_goal)});
    };
    size_t page_bytes = 0;
    goal("HTTP inbox first page", timed("/staff/requests", runs, &page_bytes), 50);
    int64_t const day = 86400;
    auto local_iso = [&](int64_t t) { return local_date(t, 420).iso(); };
    std::vector<std::string> const filters {"status=Selesai", "kiosk=kiosk-123", "topic=monev",
        "category=pemda-lain&sector=pariwisata",
        "from=" + local_iso(now - 97 * day) + "&to=" + local_iso(now - 91 * day),
        "status=Selesai&from=" + local_iso(now - 30 * day), "overdue=1", "mine=1",
        "overdue=1&mine=1", "q=irigasi+samosir", "kiosk=kiosk-045&q=pelabuhan"};
    Timed all;
    std::string worst;
    double worst_p99 = 0;
    for (auto const& f : filters) {
        auto t = timed("/staff/requests?" + f, std::max(5, runs / 4));
        all.ms.insert(all.ms.end(), t.ms.begin(), t.ms.end());
        if (t.p(99) >= worst_p99) {
            worst_p99 = t.p(99);
            worst = f;
        }
    }
    goal("HTTP inbox filtered page (11 filters)", all, 50);
    report.add({"inbox", "  slowest: " + worst, worst_p99, "ms", "", std::nullopt});
    if (deep)
        goal("HTTP inbox 1000th page",
            timed("/staff/requests?older=" + std::to_string(deep->received_at) + "_" + deep->id,
                runs),
            50);
    if (!ids.empty()) {
        // The detail page once it exists (another area); until then the same check is the
        // in-process "request by id" above.
        auto probe = c.get("/staff/requests/" + ids.front());
        if (probe.status == 200)
            goal("HTTP request detail", timed("/staff/requests/" + ids.front(), runs), 20);
    }
    // The inbox page with its stylesheet and scripts, as a first visit loads them: raw, and on
    // the wire as a browser asks for them (Accept-Encoding: gzip; Content-Length is then the
    // compressed size).
    std::vector<std::string> const assets {"/staff/requests", "/staff/static/style.css",
        "/staff/static/htmx.min.js", "/staff/static/staff.js", "/staff/static/icon.svg"};
    size_t total = 0;
    size_t wire = 0;
    for (auto const& asset : assets) {
        total += c.get(asset).body.size();
        auto gz = c.get(asset, {{"Accept-Encoding", "gzip"}});
        std::string length = gz.header("Content-Length");
        wire += length.empty() ? gz.body.size() : static_cast<size_t>(parse_i64(length.c_str()));
    }
    double kb = static_cast<double>(total) / 1024;
    double wire_kb = static_cast<double>(wire) / 1024;
    report.add({"inbox", "HTTP inbox page + CSS + scripts, on the wire (gzip)", wire_kb, "KiB",
        "< 100 KiB", options.smoke ? std::nullopt : std::optional(wire_kb < 100)});
    report.add({"inbox", "  the same uncompressed", kb, "KiB", "", std::nullopt});
    report.add({"inbox", "  of which the page (50 rows, uncompressed)",
        static_cast<double>(page_bytes) / 1024, "KiB", "", std::nullopt});
    // The export of the last 36.5 days (about 100,000 rows of 1,000,000 over a year).
    double before_mb = peak_rss_mb(pid);
    auto start = std::chrono::steady_clock::now();
    auto csv = c.get("/staff/requests/export.csv?sep=semicolon&from="
        + local_iso(now - static_cast<int64_t>(36.5 * static_cast<double>(day))));
    double seconds = ms_since(start) / 1000;
    double after_mb = peak_rss_mb(pid);
    size_t lines = 0;
    for (char ch : csv.body)
        lines += ch == '\n';
    if (csv.status != 200) {
        std::cerr << "bench inbox: export: HTTP " << csv.status << "\n";
        return;
    }
    report.add({"inbox", "HTTP CSV export, " + std::to_string(lines - 1) + " rows", seconds, "s",
        "", std::nullopt});
    report.add({"inbox", "  server peak RSS before the export", before_mb, "MB", "", std::nullopt});
    report.add({"inbox", "  server peak RSS after it", after_mb, "MB",
        options.smoke ? "" : "< before + 32 MB",
        options.smoke ? std::nullopt : std::optional(after_mb < before_mb + 32)});
}

} // namespace

// The child of the export benchmark: ksd-bench --inbox-export DB FROM NOW writes the CSV of
// the requests received since FROM to /dev/null and prints the rows and bytes.
int inbox_export_child(int argc, char** argv) {
    if (argc < 5)
        return 2;
    auto db = open_store(argv[2]);
    if (!db) {
        std::cerr << db.error().message << "\n";
        return 1;
    }
    InboxFilter f;
    f.received_from = parse_i64(argv[3]);
    int64_t now = parse_i64(argv[4]);
    FILE* out = std::fopen("/dev/null", "w");
    size_t bytes = 0;
    auto rows = write_inbox_csv(*db, f, now, InboxCsvOptions {}, [&](std::string_view s) {
        bytes += s.size();
        return std::fwrite(s.data(), 1, s.size(), out) == s.size();
    });
    std::fclose(out);
    if (!rows) {
        std::cerr << rows.error().message << "\n";
        return 1;
    }
    // Its own peak (VmHWM of this image: wait4's ru_maxrss would count the parent's pages
    // shared between fork and exec).
    std::string status = ksd::test::slurp("/proc/self/status");
    auto at = status.find("VmHWM:");
    long long hwm_kb = at == std::string::npos
        ? 0
        : ksd::parse_leading_int<long long>(std::string_view(status).substr(at + 6)).value_or(0);
    std::printf("%lld %zu %lld\n", static_cast<long long>(*rows), bytes, hwm_kb);
    return 0;
}

void run_inbox_benchmarks(Options const& options, Report& report) {
    GenerateSpec spec;
    spec.now = static_cast<int64_t>(std::time(nullptr));
    if (options.smoke) {
        spec.requests = 5000;
        spec.kiosks = 10;
    }
    SlaRules sla;
    TempDir dir;
    std::string path = dir / "inbox.db";
    {
        auto db = open_store(path);
        if (!db) {
            std::cerr << "bench inbox: " << db.error().message << "\n";
            return;
        }
        auto start = std::chrono::steady_clock::now();
        auto made = generate_requests(*db, spec, sla);
        double s = ms_since(start) / 1000;
        if (!made) {
            std::cerr << "bench inbox: " << made.error().message << "\n";
            return;
        }
        report.add({"inbox",
            "generate " + std::to_string(spec.requests) + " requests, "
                + std::to_string(spec.kiosks) + " kiosks",
            s, "s", options.smoke ? "" : "< 60 s",
            options.smoke ? std::nullopt : std::optional(s < 60)});
        std::error_code ec;
        double mb = static_cast<double>(std::filesystem::file_size(path, ec)) / 1e6;
        report.add({"inbox", "  database size", mb, "MB", "", std::nullopt});
    }
    auto opened = open_store(path);
    if (!opened)
        return;
    Conn& db = *opened;
    // The figures before migration 6's indexes (the list ordered and filtered by scanning):
    // KSD_BENCH_INBOX_WITHOUT_INDEXES=1 ksd-bench --only inbox.
    if (std::getenv("KSD_BENCH_INBOX_WITHOUT_INDEXES")) {
        auto dropped = db.exec("DROP INDEX inbox_received; DROP INDEX inbox_status; DROP INDEX "
                               "inbox_kiosk; DROP INDEX inbox_topic; DROP INDEX inbox_category; "
                               "DROP INDEX inbox_sector; DROP INDEX inbox_assigned; DROP INDEX "
                               "inbox_unanswered; ANALYZE;");
        if (!dropped)
            std::cerr << "bench inbox: " << dropped.error().message << "\n";
        std::cerr << "bench inbox: WITHOUT the inbox's indexes (the before figures)\n";
    }
    int64_t const now = spec.now;
    int const runs = options.smoke ? 20 : 200;
    std::mt19937 rng(7);
    auto goal = [&](std::string name, Timed const& t, double p99_goal) {
        report.add({"inbox", name + " p50", t.p(50), "ms", "", std::nullopt});
        report.add(
            {"inbox", name + " p99", t.p(99), "ms", "< " + std::to_string(int(p99_goal)) + " ms",
                options.smoke ? std::nullopt : std::optional(t.p(99) < p99_goal)});
    };

    // What the inbox page reads: the counts on top and 50 rows.
    auto page_of = [&](InboxFilter const& f, std::optional<InboxCursor> const& at) {
        auto counts = inbox_counts(db, now);
        auto page = inbox_page(db, f, now, 50, at);
        return counts.ok() && page.ok();
    };
    goal(
        "first page (50 rows + counts)", time_runs(runs, [&](int) { return page_of({}, {}); }), 50);

    auto kiosk = [&] {
        char id[32];
        std::snprintf(id, sizeof id, "kiosk-%03d", 1 + static_cast<int>(rng() % spec.kiosks));
        return std::string(id);
    };
    int64_t const day = 86400;
    std::vector<std::pair<std::string, InboxFilter>> filters {
        {"status", make_filter([&](InboxFilter& f) { f.status = "Baru"; })},
        {"kiosk", make_filter([&](InboxFilter& f) { f.kiosk_id = kiosk(); })},
        {"topic", make_filter([&](InboxFilter& f) { f.topic = "monev"; })},
        {"category+sector", make_filter([&](InboxFilter& f) {
             f.category = "pemda-lain";
             f.sector = "pariwisata";
         })},
        {"dates (a week, 3 months ago)", make_filter([&](InboxFilter& f) {
             f.received_from = now - 97 * day;
             f.received_before = now - 90 * day;
         })},
        {"status+dates", make_filter([&](InboxFilter& f) {
             f.status = "Selesai";
             f.received_from = now - 30 * day;
         })},
        {"overdue", make_filter([&](InboxFilter& f) { f.overdue = OverdueFilter::Only; })},
        {"assigned to me", make_filter([&](InboxFilter& f) { f.assigned_to = 3; })},
        {"overdue+assigned", make_filter([&](InboxFilter& f) {
             f.overdue = OverdueFilter::Only;
             f.assigned_to = 5;
         })},
        {"words", make_filter([&](InboxFilter& f) { f.words = "irigasi samosir"; })},
        {"kiosk+words", make_filter([&](InboxFilter& f) {
             f.kiosk_id = kiosk();
             f.words = "pelabuhan";
         })},
    };
    Timed all;
    std::string worst;
    double worst_p99 = 0;
    for (auto const& [name, f] : filters) {
        auto t = time_runs(runs / 4, [&](int) { return page_of(f, {}); });
        all.ms.insert(all.ms.end(), t.ms.begin(), t.ms.end());
        if (t.p(99) >= worst_p99) {
            worst_p99 = t.p(99);
            worst = name;
        }
    }
    goal("filtered page (11 filters)", all, 50);
    report.add({"inbox", "  slowest filter p99: " + worst, worst_p99, "ms", "", std::nullopt});

    // The 1000th page (50 rows each): reached once by walking, then timed.
    std::optional<InboxCursor> cursor;
    for (int i = 0; i < 999; ++i) {
        auto page = inbox_page(db, {}, now, 50, cursor);
        if (!page || !page->older)
            break;
        cursor = page->older;
    }
    goal("1000th page", time_runs(runs, [&](int) { return page_of({}, cursor); }), 50);

    // A request by id (what the detail page reads first).
    std::vector<std::string> ids;
    {
        auto sample = inbox_page(db,
            make_filter([&](InboxFilter& f) { f.received_before = now - 200 * day; }), now, 1000);
        if (sample)
            for (auto const& r : sample->rows)
                ids.push_back(r.id);
    }
    if (!ids.empty())
        goal("request by id",
            time_runs(runs,
                [&](int i) {
                    auto t = find_ticket(db, ids[static_cast<size_t>(i) % ids.size()]);
                    return t.ok() && t->has_value();
                }),
            20);

    // The same over real HTTP: the real ksd-server on this database, a staff session, the inbox
    // page as a browser asks for it (time to the whole answer on loopback: server time plus
    // a loopback round trip).
    http_benchmarks(options, report, path, now, cursor, ids);

    // CSV export of about 100,000 rows (the last 36.5 days of 1,000,000 over a year), in a child
    // process so that its peak memory is its own.
    int64_t from = now - static_cast<int64_t>(36.5 * static_cast<double>(day));
    std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
    int pipefd[2];
    if (::pipe(pipefd) != 0)
        return;
    auto start = std::chrono::steady_clock::now();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipefd[1], 1);
        ::close(pipefd[0]);
        std::string f = std::to_string(from);
        std::string n = std::to_string(now);
        ::execl(self.c_str(), self.c_str(), "--inbox-export", path.c_str(), f.c_str(), n.c_str(),
            static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(pipefd[1]);
    char buf[128] = {};
    ssize_t got = ::read(pipefd[0], buf, sizeof buf - 1);
    ::close(pipefd[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    double seconds = ms_since(start) / 1000;
    long long rows = 0;
    size_t bytes = 0;
    long long hwm_kb = 0;
    if (got <= 0 || std::sscanf(buf, "%lld %zu %lld", &rows, &bytes, &hwm_kb) != 3 || status != 0) {
        std::cerr << "bench inbox: the export child failed\n";
        return;
    }
    double peak_mb = static_cast<double>(hwm_kb) / 1024;
    report.add(
        {"inbox", "CSV export, " + std::to_string(rows) + " rows", seconds, "s", "", std::nullopt});
    report.add({"inbox", "  its size", static_cast<double>(bytes) / 1e6, "MB", "", std::nullopt});
    report.add({"inbox", "  peak memory of the exporting process", peak_mb, "MB",
        options.smoke ? "" : "< 64 MB",
        options.smoke ? std::nullopt : std::optional(peak_mb < 64)});
}

} // namespace ksd::bench
