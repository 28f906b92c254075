// Greedy word wrap: measure word by word, merge neighbouring pieces of the same style into one
// run per line so that the text cache holds one texture per line and style, not per word.
#include "ui/text_layout.h"

#include "ksd/utf8.h"

namespace kiosk::ui {

namespace {

struct Piece {
    std::string text;
    size_t style; // index into the input runs
    bool space;
    bool newline;
};

std::vector<Piece> split_pieces(std::vector<StyledText> const& runs) {
    std::vector<Piece> out;
    for (size_t i = 0; i < runs.size(); ++i) {
        std::string_view s = runs[i].text;
        size_t pos = 0;
        while (pos < s.size()) {
            if (s[pos] == '\n') {
                out.push_back({"", i, false, true});
                ++pos;
                continue;
            }
            bool space = s[pos] == ' ' || s[pos] == '\t';
            size_t end = pos;
            while (end < s.size() && s[end] != '\n' && ((s[end] == ' ' || s[end] == '\t') == space))
                ++end;
            out.push_back({space ? std::string(" ") : std::string(s.substr(pos, end - pos)), i,
                space, false});
            pos = end;
        }
    }
    return out;
}

// Byte length of the longest prefix of word that fits max_width (at least one code point).
size_t fitting_prefix(TextMeasurer& m, std::string_view word, Font font, int max_width) {
    size_t best = 0;
    size_t i = 0;
    while (i < word.size()) {
        size_t next = i;
        ksd::utf8::decode(word, next);
        if (m.text_width(word.substr(0, next), font) > max_width && best > 0)
            break;
        best = next;
        i = next;
    }
    return best;
}

} // namespace

TextBlock layout_text(TextMeasurer& m, std::vector<StyledText> const& runs, int max_width,
    Align align, int line_gap) {
    TextBlock block;
    if (runs.empty())
        return block;
    max_width = std::max(1, max_width);
    auto pieces = split_pieces(runs);

    struct LinePiece {
        std::string text;
        size_t style;
        int width;
    };
    std::vector<LinePiece> line;
    int line_w = 0;
    int y = 0;
    int line_h = 0;
    for (auto const& r : runs)
        line_h = std::max(line_h, m.line_height(r.font));

    auto flush = [&](bool force_empty) {
        // Drop trailing spaces: they would push right/centre alignment off.
        while (!line.empty() && line.back().text == " ") {
            line_w -= line.back().width;
            line.pop_back();
        }
        if (line.empty() && !force_empty)
            return;
        int x = 0;
        if (align == Align::Center)
            x = (max_width - line_w) / 2;
        else if (align == Align::Right)
            x = max_width - line_w;
        x = std::max(0, x);
        // Merge neighbours of one style into a single run.
        for (size_t i = 0; i < line.size();) {
            size_t j = i;
            std::string text;
            int w = 0;
            while (j < line.size() && line[j].style == line[i].style) {
                text += line[j].text;
                w += line[j].width;
                ++j;
            }
            auto const& st = runs[line[i].style];
            int measured = m.text_width(text, st.font);
            block.runs.push_back({{x, y}, text, st.font, st.color, st.underline, measured});
            // The merged string, as rendered, may be wider than its pieces measured apart.
            x += std::max(w, measured);
            i = j;
        }
        block.width = std::max(block.width, line_w);
        y += line_h + line_gap;
        block.lines++;
        line.clear();
        line_w = 0;
    };

    for (auto const& p : pieces) {
        if (p.newline) {
            flush(true);
            continue;
        }
        auto const& st = runs[p.style];
        if (p.space) {
            if (line.empty())
                continue; // no leading spaces on a wrapped line
            int w = m.text_width(" ", st.font);
            line.push_back({" ", p.style, w});
            line_w += w;
            continue;
        }
        int w = m.text_width(p.text, st.font);
        if (line_w + w <= max_width) {
            line.push_back({p.text, p.style, w});
            line_w += w;
            continue;
        }
        if (!line.empty())
            flush(false);
        std::string_view rest = p.text;
        while (!rest.empty()) {
            int rw = m.text_width(rest, st.font);
            if (rw <= max_width) {
                line.push_back({std::string(rest), p.style, rw});
                line_w += rw;
                break;
            }
            size_t n = fitting_prefix(m, rest, st.font, max_width);
            std::string head(rest.substr(0, n));
            int hw = m.text_width(head, st.font);
            line.push_back({head, p.style, hw});
            line_w += hw;
            flush(false);
            rest.remove_prefix(n);
        }
    }
    flush(false);
    block.height = block.lines > 0 ? y - line_gap : 0;
    return block;
}

TextBlock layout_text(TextMeasurer& m, std::string_view text, Font font, Color color, int max_width,
    Align align, int line_gap) {
    return layout_text(
        m, {StyledText {std::string(text), font, color, false}}, max_width, align, line_gap);
}

std::string ellipsize(TextMeasurer& m, std::string_view text, Font font, int max_width) {
    if (m.text_width(text, font) <= max_width)
        return std::string(text);
    static constexpr std::string_view dots = "\xE2\x80\xA6";
    int budget = max_width - m.text_width(dots, font);
    if (budget <= 0)
        return std::string(dots);
    // Binary search over code point boundaries.
    std::vector<size_t> bounds;
    for (size_t i = 0; i < text.size();) {
        ksd::utf8::decode(text, i);
        bounds.push_back(i);
    }
    size_t lo = 0, hi = bounds.size();
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (m.text_width(text.substr(0, bounds[mid - 1]), font) <= budget)
            lo = mid;
        else
            hi = mid - 1;
    }
    std::string out(text.substr(0, lo == 0 ? 0 : bounds[lo - 1]));
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out + std::string(dots);
}

void draw_text_block(Renderer& r, TextBlock const& block, Point origin) {
    for (auto const& run : block.runs) {
        Point p {origin.x + run.pos.x, origin.y + run.pos.y};
        r.text(p, run.text, run.font, run.color);
        if (run.underline) {
            int t = std::max(1, run.font.size / 14);
            int y = p.y + run.font.size * 5 / 4;
            r.fill_rect({p.x, y, run.width, t}, run.color);
        }
    }
}

} // namespace kiosk::ui
