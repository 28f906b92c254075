// SVG text for the fleet's charts and the enrolment QR code; see fleet_svg.h.
#include "fleet_svg.h"

#include "web/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace ksd::server {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

struct Frame {
    double left, top, width, height;
};

Frame plot_area(ChartSpec const& spec) {
    return {double(chart_left), double(chart_top),
        double(std::max(1, spec.width - chart_left - chart_right)),
        double(std::max(1, spec.height - chart_top - chart_bottom))};
}

double x_of(ChartSpec const& spec, Frame const& f, int64_t at) {
    double span = double(std::max<int64_t>(1, spec.to - spec.from));
    double x = f.left + double(at - spec.from) / span * f.width;
    return std::clamp(x, f.left, f.left + f.width);
}

std::string open_svg(ChartSpec const& spec, char const* kind) {
    std::string t = xml_escape(spec.title);
    std::string w = std::to_string(spec.width), h = std::to_string(spec.height);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-" + std::string(kind)
        + "\" viewBox=\"0 0 " + w + " " + h + "\" width=\"" + w + "\" height=\"" + h
        + "\" role=\"img\" aria-label=\"" + t + "\"><title>" + t + "</title>";
}

// The plot's frame and the x-axis labels.
std::string axes(ChartSpec const& spec, Frame const& f) {
    std::string s = "<rect class=\"chart-frame\" x=\"" + num(f.left) + "\" y=\"" + num(f.top)
        + "\" width=\"" + num(f.width) + "\" height=\"" + num(f.height)
        + "\" fill=\"none\" stroke=\"#8a94a0\" stroke-width=\"1\"/>";
    for (auto const& tick : spec.ticks) {
        if (tick.at < spec.from || tick.at > spec.to)
            continue;
        double x = x_of(spec, f, tick.at);
        s += "<line class=\"chart-tick\" x1=\"" + num(x) + "\" y1=\"" + num(f.top) + "\" x2=\""
            + num(x) + "\" y2=\"" + num(f.top + f.height)
            + "\" stroke=\"#d5dae0\" stroke-width=\"1\"/>";
        s += "<text class=\"chart-label\" x=\"" + num(x) + "\" y=\"" + num(f.top + f.height + 16)
            + "\" font-size=\"12\" text-anchor=\"middle\" fill=\"#3d4650\">"
            + xml_escape(tick.label) + "</text>";
    }
    return s;
}

} // namespace

std::string xml_escape(std::string_view in) {
    return web::html_escape(in);
}

std::string line_chart_svg(std::vector<ChartPoint> const& in, ChartSpec const& spec) {
    std::vector<ChartPoint> pts;
    for (auto const& p : in)
        if (p.at >= spec.from && p.at <= spec.to && std::isfinite(p.value))
            pts.push_back(p);
    std::stable_sort(pts.begin(), pts.end(),
        [](ChartPoint const& a, ChartPoint const& b) { return a.at < b.at; });
    // Where the kiosk was silent longer than gap_s the line breaks.
    std::vector<bool> breaks(pts.size(), false);
    for (size_t i = 1; i < pts.size(); ++i)
        breaks[i] = pts[i].at - pts[i - 1].at > spec.gap_s;
    // More points than the chart shows: one per time bucket, the worst of the bucket; a bucket
    // with a gap inside starts a new stretch.
    size_t const limit = std::max<size_t>(1, spec.max_points);
    if (pts.size() > limit) {
        double width = double(std::max<int64_t>(1, spec.to - spec.from)) / double(limit);
        std::vector<ChartPoint> kept;
        std::vector<bool> kept_breaks;
        size_t bucket = SIZE_MAX;
        for (size_t i = 0; i < pts.size(); ++i) {
            auto b = std::min(limit - 1, size_t(double(pts[i].at - spec.from) / width));
            if (b != bucket) {
                bucket = b;
                kept.push_back(pts[i]);
                kept_breaks.push_back(breaks[i]);
                continue;
            }
            bool better = spec.keep == KeepInBucket::Max ? pts[i].value > kept.back().value
                                                         : pts[i].value < kept.back().value;
            if (better)
                kept.back() = pts[i];
            if (breaks[i])
                kept_breaks.back() = true;
        }
        pts = std::move(kept);
        breaks = std::move(kept_breaks);
    }
    double top_value = 0;
    for (auto const& p : pts)
        top_value = std::max(top_value, p.value);
    if (top_value <= 0)
        top_value = 1;
    Frame f = plot_area(spec);
    std::string s = open_svg(spec, "line") + axes(spec, f);
    auto label = [&](double v) { return spec.y_label ? spec.y_label(v) : num(v); };
    s += "<text class=\"chart-label\" x=\"" + num(f.left + f.width + 6) + "\" y=\""
        + num(f.top + 10) + "\" font-size=\"12\" text-anchor=\"start\" fill=\"#3d4650\">"
        + xml_escape(label(top_value)) + "</text>";
    s += "<text class=\"chart-label\" x=\"" + num(f.left + f.width + 6) + "\" y=\""
        + num(f.top + f.height) + "\" font-size=\"12\" text-anchor=\"start\" fill=\"#3d4650\">"
        + xml_escape(label(0)) + "</text>";
    auto y_of = [&](double v) {
        double y = f.top + f.height - std::max(0.0, v) / top_value * f.height;
        return std::clamp(y, f.top, f.top + f.height);
    };
    size_t start = 0;
    while (start < pts.size()) {
        size_t end = start + 1;
        while (end < pts.size() && !breaks[end])
            ++end;
        if (end - start == 1) {
            s += "<circle class=\"chart-dot\" cx=\"" + num(x_of(spec, f, pts[start].at))
                + "\" cy=\"" + num(y_of(pts[start].value)) + "\" r=\"2.5\" fill=\"#1f5f8b\"/>";
        } else {
            s += "<polyline class=\"chart-line\" fill=\"none\" stroke=\"#1f5f8b\" "
                 "stroke-width=\"2\" points=\"";
            for (size_t i = start; i < end; ++i)
                s += (i == start ? "" : " ") + num(x_of(spec, f, pts[i].at)) + ","
                    + num(y_of(pts[i].value));
            s += "\"/>";
        }
        start = end;
    }
    return s + "</svg>";
}

std::vector<Period> online_periods(
    std::vector<int64_t> times, int64_t gap_s, int64_t from, int64_t to) {
    std::sort(times.begin(), times.end());
    int64_t const each = std::max<int64_t>(1, gap_s / 3);
    std::vector<Period> out;
    for (int64_t t : times) {
        if (t + each < from || t > to)
            continue;
        int64_t end = std::min(to, t + each);
        if (!out.empty() && t - out.back().to <= gap_s - each)
            out.back().to = std::max(out.back().to, end);
        else
            out.push_back({std::max(from, t), end});
    }
    return out;
}

std::string periods_svg(std::vector<Period> const& periods, ChartSpec const& spec) {
    Frame f = plot_area(spec);
    std::string s = open_svg(spec, "periods") + axes(spec, f);
    for (auto const& p : periods) {
        if (p.to < spec.from || p.from > spec.to)
            continue;
        double x1 = x_of(spec, f, p.from), x2 = x_of(spec, f, p.to);
        // At least a pixel, so that a short period is seen.
        s += "<rect class=\"chart-online\" x=\"" + num(x1) + "\" y=\"" + num(f.top + 4)
            + "\" width=\"" + num(std::max(1.0, x2 - x1)) + "\" height=\""
            + num(std::max(1.0, f.height - 8)) + "\" fill=\"#2e7d4f\"/>";
    }
    return s + "</svg>";
}

std::string qr_svg(int size, std::vector<bool> const& dark, int pixels, std::string_view title) {
    int const quiet = 4;
    int const side = size + 2 * quiet;
    std::string t = xml_escape(title);
    std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 "
        + std::to_string(side) + " " + std::to_string(side) + "\" width=\"" + std::to_string(pixels)
        + "\" height=\"" + std::to_string(pixels)
        + "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"" + t + "\"><title>" + t
        + "</title><rect width=\"" + std::to_string(side) + "\" height=\"" + std::to_string(side)
        + "\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"";
    if (size > 0 && dark.size() >= size_t(size) * size_t(size)) {
        // One subpath per run of dark modules in a row.
        for (int y = 0; y < size; ++y) {
            int x = 0;
            while (x < size) {
                if (!dark[size_t(y) * size_t(size) + size_t(x)]) {
                    ++x;
                    continue;
                }
                int run = 0;
                while (x + run < size && dark[size_t(y) * size_t(size) + size_t(x + run)])
                    ++run;
                s += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h"
                    + std::to_string(run) + "v1h-" + std::to_string(run) + "z";
                x += run;
            }
        }
    }
    return s + "\"/></svg>";
}

} // namespace ksd::server
