// ksd-bench: runs every benchmark, prints one table and writes the same figures as JSON.
#include "bench.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

namespace ksd::bench {

double percentile(std::vector<double> samples, double p) {
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    // Nearest-rank: the smallest sample with at least p% of samples at or below it.
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * static_cast<double>(samples.size())));
    return samples[std::clamp<size_t>(rank, 1, samples.size()) - 1];
}

#ifdef KSD_SERVER_BIN
void run_sync_benchmarks(Options const&, Report&); // bench_sync.cpp
void run_inbox_benchmarks(Options const&, Report&); // bench_inbox.cpp
void run_usb_benchmarks(Options const&, Report&); // bench_usb.cpp (issue 14)
int inbox_export_child(int argc, char** argv); // bench_inbox.cpp
void run_skm_benchmarks(Options const&, Report&); // bench_skm.cpp (issue 14)
void run_engine_benchmarks(Options const&, Report&); // bench_engines.cpp (issue 15)
#endif

} // namespace ksd::bench

using namespace ksd::bench;

int main(int argc, char** argv) {
#ifdef KSD_SERVER_BIN
    // The inbox export benchmark runs its export in this binary as a child process.
    if (argc > 1 && !std::strcmp(argv[1], "--inbox-export"))
        return inbox_export_child(argc, argv);
#endif
    Options options;
    std::string json_path;
    std::string only;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--smoke"))
            options.smoke = true;
        else if (!std::strcmp(argv[i], "--json") && i + 1 < argc)
            json_path = argv[++i];
        else if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
            only = argv[++i];
        else {
            std::cerr << "usage: ksd-bench [--smoke] [--json FILE] [--only GROUP]\n";
            return 2;
        }
    }
    Report report;
    if (only.empty() || only == "content")
        run_content_benchmarks(options, report);
    if (only.empty() || only == "speech")
        run_speech_benchmarks(options, report);
#ifdef KSD_SERVER_BIN
    if (only.empty() || only == "sync")
        run_sync_benchmarks(options, report);
    if (only.empty() || only == "inbox")
        run_inbox_benchmarks(options, report);
    if (only.empty() || only == "skm")
        run_skm_benchmarks(options, report);
    // SQLite and PostgreSQL side by side: only when asked (it generates 1,000,000 requests twice).
    if (only == "engines")
        run_engine_benchmarks(options, report);
    if (only.empty() || only == "usb")
        run_usb_benchmarks(options, report);
#else
    std::cerr << "ksd-bench: built without the sync server: no sync figures\n";
#endif
#ifdef KSD_KIOSK_BIN
    if (only.empty() || only == "kiosk")
        run_kiosk_benchmarks(options, report);
    else if (only == "frames") // the kiosk's frame times and instructions per frame only
        run_frame_benchmarks(options, report);
    else if (only == "import") // the frames while a 35 MiB pack is imported (issue 13)
        run_import_frame_benchmarks(options, report);
#else
    std::cerr << "ksd-bench: built without the kiosk: no kiosk figures\n";
#endif

    std::printf(
        "%-10s %-44s %14s  %-8s %-12s %s\n", "group", "benchmark", "value", "unit", "goal", "met");
    nlohmann::json rows = nlohmann::json::array();
    for (auto const& r : report.rows()) {
        std::printf("%-10s %-44s %14.3f  %-8s %-12s %s\n", r.group.c_str(), r.name.c_str(), r.value,
            r.unit.c_str(), r.goal.c_str(), r.met ? (*r.met ? "yes" : "NO") : "");
        nlohmann::json j {{"group", r.group}, {"name", r.name}, {"value", r.value},
            {"unit", r.unit}, {"goal", r.goal}};
        if (r.met)
            j["met"] = *r.met;
        rows.push_back(j);
    }
    if (!json_path.empty()) {
        std::ofstream out(json_path);
        out << nlohmann::json {{"smoke", options.smoke}, {"rows", rows}}.dump(2) << "\n";
        if (!out) {
            std::cerr << "ksd-bench: cannot write " << json_path << "\n";
            return 1;
        }
    }
    return 0;
}
