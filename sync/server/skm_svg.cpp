// The SKM page's bar chart; see skm_svg.h.
#include "skm_svg.h"

#include "fleet_svg.h"

#include <cstdio>

namespace ksd::server {

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

// "3,17" in Bahasa Indonesia, "3.17" in English, as the table beside the chart writes it.
std::string nrr_text(double v, Lang lang) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string out = buf;
    if (lang == Lang::Id)
        for (auto& c : out)
            if (c == '.')
                c = ',';
    return out;
}

// Narrow, with large text: a phone shows it scaled to its width (about 0.7), still readable.
constexpr int width = 480;
constexpr int row = 34;
constexpr int left = 40; // the element codes
constexpr int right = 56; // the values
constexpr int top = 24; // the cut-offs' letters
constexpr int bottom = 26; // the scale's labels

} // namespace

std::string skm_bars_svg(SkmIndex const& x, std::string const& title, Lang lang) {
    int const height = top + row * skm_element_count + bottom;
    double const plot = width - left - right;
    // The bars start at 1 (the scale's lowest answer), so differences between elements show.
    auto x_of = [&](double nrr) { return left + (nrr - 1.0) / 3.0 * plot; };
    std::string t = xml_escape(title);
    std::string s
        = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-skm\" viewBox=\"0 0 "
        + std::to_string(width) + " " + std::to_string(height) + "\" width=\""
        + std::to_string(width) + "\" height=\"" + std::to_string(height)
        + "\" role=\"img\" aria-label=\"" + t + "\"><title>" + t + "</title>";
    double const plot_bottom = top + row * skm_element_count;
    for (double v : {1.0, 2.0, 3.0, 4.0}) {
        double const at = x_of(v);
        s += "<line class=\"chart-tick\" x1=\"" + num(at) + "\" y1=\"" + num(top) + "\" x2=\""
            + num(at) + "\" y2=\"" + num(plot_bottom)
            + "\" stroke=\"#d5dae0\" stroke-width=\"1\"/>";
        s += "<text class=\"chart-label\" x=\"" + num(at) + "\" y=\"" + num(plot_bottom + 19)
            + "\" font-size=\"15\" text-anchor=\"middle\" fill=\"#3d4650\">"
            + std::to_string(int(v)) + "</text>";
    }
    // The grade cut-offs on the NRR scale (the regulation's "nilai interval").
    for (auto [v, letter] :
        {std::pair {2.60, "C"}, std::pair {3.0644, "B"}, std::pair {3.5324, "A"}}) {
        double const at = x_of(v);
        s += "<line class=\"chart-cut\" x1=\"" + num(at) + "\" y1=\"" + num(top) + "\" x2=\""
            + num(at) + "\" y2=\"" + num(plot_bottom)
            + "\" stroke=\"#8a94a0\" stroke-width=\"1\" stroke-dasharray=\"4 3\"/>";
        s += "<text class=\"chart-label\" x=\"" + num(at) + "\" y=\"" + num(top - 8)
            + "\" font-size=\"14\" text-anchor=\"middle\" fill=\"#5b6570\">" + letter + "</text>";
    }
    auto elements = skm_elements();
    for (size_t i = 0; i < elements.size(); ++i) {
        auto const& e = x.elements[i];
        double const y = top + row * double(i);
        std::string const name
            = std::string(elements[i].code) + " " + std::string(elements[i].name.in(lang));
        s += "<text class=\"chart-label\" x=\"4\" y=\"" + num(y + row * 0.65)
            + "\" font-size=\"16\" font-weight=\"600\" fill=\"#1f2933\">"
            + xml_escape(elements[i].code) + "</text>";
        if (e.answered == 0) {
            s += "<text class=\"chart-label\" x=\"" + num(left + 4) + "\" y=\""
                + num(y + row * 0.65) + "\" font-size=\"16\" fill=\"#5b6570\">-</text>";
            continue;
        }
        double const end = x_of(e.nrr);
        SkmGrade const g = skm_grade_of(e.nrr * 25.0);
        char const* fill = g == SkmGrade::A ? "#1b7f4b"
            : g == SkmGrade::B              ? "#2f6db5"
            : g == SkmGrade::C              ? "#b7791f"
                                            : "#b42318";
        s += "<rect class=\"chart-bar\" x=\"" + num(left) + "\" y=\"" + num(y + 5) + "\" width=\""
            + num(std::max(2.0, end - left)) + "\" height=\"" + num(row - 10) + "\" fill=\"" + fill
            + "\"><title>" + xml_escape(name + ": " + nrr_text(e.nrr, lang)) + "</title></rect>";
        s += "<text class=\"chart-value\" x=\"" + num(width - right + 6) + "\" y=\""
            + num(y + row * 0.65) + "\" font-size=\"16\" fill=\"#1f2933\">" + nrr_text(e.nrr, lang)
            + "</text>";
    }
    return s + "</svg>";
}

} // namespace ksd::server
