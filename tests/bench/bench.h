// The benchmark registry: each benchmark adds rows (name, value, unit, goal) to one report.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace ksd::bench {

struct Row {
    std::string group;
    std::string name;
    double value;
    std::string unit;
    std::string goal; // e.g. "< 5 ms"; empty when there is none
    std::optional<bool> met; // whether the goal was met
};

struct Options {
    bool smoke {false}; // tiny sizes: checks the benchmark runs, measures nothing useful
};

class Report {
public:
    void add(Row row) { m_rows.push_back(std::move(row)); }
    std::vector<Row> const& rows() const { return m_rows; }

private:
    std::vector<Row> m_rows;
};

// Percentile of unsorted samples (p in 0..100).
double percentile(std::vector<double> samples, double p);

inline double ms_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

void run_content_benchmarks(Options const&, Report&);
// The read-aloud: espeak-ng's render times (issue 14).
void run_speech_benchmarks(Options const&, Report&);
void run_kiosk_benchmarks(Options const&, Report&);
// Part of the kiosk's: frame times per screen and size, instructions per frame (callgrind).
void run_frame_benchmarks(Options const&, Report&);
// Part of the frames: the staff screen's frames while a 35 MiB pack is imported (issue 13).
void run_import_frame_benchmarks(Options const&, Report&);

} // namespace ksd::bench
