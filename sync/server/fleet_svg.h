// Small inline SVG charts of a kiosk's heartbeats (queue depth, free disk, online periods) and
// the SVG of a QR code: pure functions producing SVG text. Every text is escaped; no script, no
// style attribute (the staff pages' CSP), only presentation attributes and classes.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ksd::server {

// & < > " ' as entities: safe in element text and in quoted attribute values.
std::string xml_escape(std::string_view);

struct ChartPoint {
    int64_t at {0};
    double value {0};
};

// Which value a time bucket keeps when there are more points than the chart shows: the worst
// (the longest queue, the least free disk), so a short spike is not averaged away.
enum class KeepInBucket { Max, Min };

struct Tick {
    int64_t at {0};
    std::string label; // e.g. "Sen 30"
};

struct ChartSpec {
    std::string title; // <title> and aria-label
    int64_t from {0}; // the time axis
    int64_t to {0};
    int width {720};
    int height {150};
    // A longer gap between two heartbeats breaks the line (the kiosk was offline).
    int64_t gap_s {900};
    KeepInBucket keep {KeepInBucket::Max};
    size_t max_points {360};
    std::vector<Tick> ticks; // x-axis labels
    // The y-axis labels (0 and the top), e.g. "12" or "3,5 GB".
    std::function<std::string(double)> y_label;
};

// Layout shared by the charts: the plot area inside the SVG's viewBox.
// The y labels stand on the right, beside the newest values (what a phone shows first).
inline constexpr int chart_left = 8;
inline constexpr int chart_right = 64;
inline constexpr int chart_top = 8;
inline constexpr int chart_bottom = 22;

// A line chart of points (sorted by time or not; those outside [from, to] are left out): one
// <polyline> per stretch without a gap (a lone point is a <circle>), at most max_points points.
std::string line_chart_svg(std::vector<ChartPoint> const&, ChartSpec const&);

struct Period {
    int64_t from {0};
    int64_t to {0};
};
// The periods in [from, to] in which heartbeats came at most gap_s apart; each heartbeat counts
// as online for gap_s / 3 after it (one interval), so a single heartbeat is a short period.
std::vector<Period> online_periods(
    std::vector<int64_t> heartbeat_times, int64_t gap_s, int64_t from, int64_t to);
// The periods as bars on the time axis (one <rect class="chart-online"> each).
std::string periods_svg(std::vector<Period> const&, ChartSpec const&);

// A QR code as SVG: one <path> of the dark modules, scaled to `pixels` with the quiet zone.
// size modules per side; dark row-major.
std::string qr_svg(int size, std::vector<bool> const& dark, int pixels, std::string_view title);

} // namespace ksd::server
