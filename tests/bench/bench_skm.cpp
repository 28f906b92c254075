// Satisfaction-survey benchmarks (issue 14): 100,000 responses from 50 kiosks stored through the
// server's ingest (batches of 500, as uploads come), then the index of a year over all kiosks
// and of one kiosk (SQL sums + skm_index; p50/p99 of 20 runs), the pure skm_index over 100,000
// responses in memory, and the responses' CSV of the year.
#include "bench.h"
#include "test_support.h"

#include "skm_csv.h"
#include "store.h"
#include "store_skm.h"

#include "ksd/skm.h"
#include "ksd/tickets.h"

#include <iostream>
#include <random>

namespace ksd::bench {

void run_skm_benchmarks(Options const& options, Report& report) {
    using namespace ksd::server;
    int const total = options.smoke ? 1000 : 100000;
    int const kiosks = 50;
    ksd::test::TempDir dir;
    auto db = open_store(dir / "server.db");
    if (!db) {
        std::cerr << "bench skm: " << db.error().message << "\n";
        return;
    }
    int const wib = 420;
    SkmPeriod const year = skm_period_of(SkmPeriodKind::Year, 1796000000, wib);
    std::mt19937 rng(14);
    std::uniform_int_distribution<int> value(1, 4);
    std::uniform_int_distribution<int64_t> when(year.from, year.to - 1);
    std::vector<SkmInput> inputs;
    auto start = std::chrono::steady_clock::now();
    for (int done = 0; done < total;) {
        std::vector<nlohmann::json> batch;
        for (int i = 0; i < 500 && done < total; ++i, ++done) {
            SkmInput in;
            for (auto& a : in.answers)
                a = value(rng);
            if (done % 5 == 0)
                in.answers[size_t(done % 9)] = 0; // one in five skipped an element
            inputs.push_back(in);
            nlohmann::json answers = nlohmann::json::array();
            for (int a : in.answers)
                answers.push_back(a);
            batch.push_back(
                {{"id", generate_uuid_v4()}, {"kiosk_id", "kiosk-" + std::to_string(done % kiosks)},
                    {"created_at", when(rng)}, {"clock_trusted", true},
                    {"form_version", skm_form_version}, {"answers", answers}, {"gender", "f"},
                    {"age_band", ""}, {"education", "sma"}, {"occupation", ""}, {"lang", "id"}});
        }
        if (auto r = ingest_skm(*db, batch, year.to); !r) {
            std::cerr << "bench skm: " << r.error().message << "\n";
            return;
        }
    }
    double const ingest_ms = ms_since(start);
    report.add({"skm", "store " + std::to_string(total) + " responses (batches of 500)",
        ingest_ms / 1000.0, "s", "", std::nullopt});

    auto timed = [&](SkmFilter const& f) {
        std::vector<double> ms;
        for (int i = 0; i < 20; ++i) {
            auto t0 = std::chrono::steady_clock::now();
            auto tally = skm_tally(*db, f);
            if (!tally)
                return ms;
            volatile double ikm = skm_index(*tally).ikm;
            (void)ikm;
            ms.push_back(ms_since(t0));
        }
        return ms;
    };
    auto all = timed({year.from, year.to, ""});
    report.add({"skm", "index of a year, all kiosks (" + std::to_string(total) + "), p50",
        percentile(all, 50), "ms", "< 500 ms", percentile(all, 50) < 500});
    report.add(
        {"skm", "index of a year, all kiosks, p99", percentile(all, 99), "ms", "", std::nullopt});
    auto one = timed({year.from, year.to, "kiosk-7"});
    report.add({"skm", "index of a year, one kiosk, p50", percentile(one, 50), "ms", "< 100 ms",
        percentile(one, 50) < 100});

    start = std::chrono::steady_clock::now();
    volatile double pure = skm_index(inputs).ikm;
    (void)pure;
    report.add({"skm", "skm_index over " + std::to_string(inputs.size()) + " in memory",
        ms_since(start), "ms", "", std::nullopt});

    start = std::chrono::steady_clock::now();
    size_t bytes = skm_csv_head({}).size();
    auto written = for_each_skm_row(*db, {year.from, year.to, ""}, [&](SkmRow const& r) {
        bytes += skm_csv_line(r, {}).size();
        return true;
    });
    double const csv_ms = ms_since(start);
    if (written) {
        report.add({"skm", "CSV of the year's responses", csv_ms / 1000.0, "s", "", std::nullopt});
        report.add({"skm", "CSV size", double(bytes) / (1024.0 * 1024.0), "MiB", "", std::nullopt});
    }
}

} // namespace ksd::bench
