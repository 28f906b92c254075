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

// Longer pieces are treated as wider than a line (see layout_text).
constexpr size_t max_measured_piece = 2048;

// Byte offset after count code points from at (or the end).
size_t skip_code_points(std::string_view s, size_t at, size_t count) {
    for (; count > 0 && at < s.size(); --count)
        ksd::utf8::decode(s, at);
    return at;
}

// Byte length of the longest prefix of word that fits max_width (at least one code point).
// Probes grow by doubling, then bisect: each probe measures about a line of text, so a word
// costs O(length x log(line)), however long it is. (Measuring ever longer prefixes, or the whole
// rest of the word once per line, made a 128 KB word take 19 s.)
size_t fitting_prefix(TextMeasurer& m, std::string_view word, Font font, int max_width) {
    size_t good = skip_code_points(word, 0, 1);
    if (good >= word.size() || m.text_width(word.substr(0, good), font) > max_width)
        return good;
    size_t bad = word.size() + 1; // nothing known not to fit yet
    for (size_t step = 8;; step *= 2) {
        size_t probe = skip_code_points(word, good, step);
        if (m.text_width(word.substr(0, probe), font) > max_width) {
            bad = probe;
            break;
        }
        good = probe;
        if (good >= word.size())
            return good;
    }
    // good fits, bad does not: bisect over the code points between them.
    std::vector<size_t> bounds;
    for (size_t at = good; at < bad;) {
        ksd::utf8::decode(word, at);
        bounds.push_back(at);
    }
    size_t lo = 0, hi = bounds.size(); // bounds[0 .. lo) fit, bounds[hi - 1] does not
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (m.text_width(word.substr(0, bounds[mid - 1]), font) <= max_width)
            lo = mid;
        else
            hi = mid;
    }
    return lo == 0 ? good : bounds[lo - 1];
}

// The runs cut to max_layout_bytes of text in all, the last one ending in an ellipsis.
std::vector<StyledText> capped(std::vector<StyledText> const& runs) {
    std::vector<StyledText> out;
    size_t left = max_layout_bytes - ellipsis.size();
    for (auto const& r : runs) {
        if (r.text.size() <= left) {
            out.push_back(r);
            left -= r.text.size();
            continue;
        }
        out.push_back(r);
        size_t cut = left;
        while (cut > 0 && (static_cast<unsigned char>(r.text[cut]) & 0xC0) == 0x80)
            --cut; // not inside a UTF-8 sequence
        out.back().text.resize(cut);
        out.back().text += ellipsis;
        break;
    }
    return out;
}

size_t total_bytes(std::vector<StyledText> const& runs) {
    size_t n = 0;
    for (auto const& r : runs)
        n += r.text.size();
    return n;
}

} // namespace

TextBlock layout_text(TextMeasurer& m, std::vector<StyledText> const& runs, int max_width,
    Align align, int line_gap) {
    TextBlock block;
    if (runs.empty())
        return block;
    if (total_bytes(runs) > max_layout_bytes)
        return layout_text(m, capped(runs), max_width, align, line_gap);
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
            block.runs.push_back(
                {{x, y}, text, st.font, st.color, st.underline, measured, line_h, line[i].style});
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

    bool cut = false; // stopped at max_layout_lines
    for (auto const& p : pieces) {
        if (block.lines >= max_layout_lines) {
            cut = true;
            break;
        }
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
        // A piece longer than any line is broken without measuring it whole: that would cost
        // a glyph lookup per byte of it on every frame.
        int w = p.text.size() > max_measured_piece ? max_width + 1 : m.text_width(p.text, st.font);
        bool fits = line_w + w <= max_width;
        if (fits && !line.empty() && line_w + w > max_width - max_width / 16) {
            // Near the edge, measure the line's last run as it will be drawn (one string):
            // pieces measured apart can add up to a few pixels less (kerning, hinting), and
            // the line would be cut at a clip edge.
            std::string tail;
            int tail_w = 0;
            for (size_t i = line.size(); i > 0 && line[i - 1].style == p.style; --i) {
                tail.insert(0, line[i - 1].text);
                tail_w += line[i - 1].width;
            }
            fits = line_w - tail_w + m.text_width(tail + p.text, st.font) <= max_width;
        }
        if (fits) {
            line.push_back({p.text, p.style, w});
            line_w += w;
            continue;
        }
        if (!line.empty())
            flush(false);
        // Only a word wider than the whole line is broken inside.
        std::string_view rest = p.text;
        while (!rest.empty()) {
            if (block.lines >= max_layout_lines) {
                cut = true;
                break;
            }
            size_t n = w <= max_width ? rest.size() : fitting_prefix(m, rest, st.font, max_width);
            std::string head(rest.substr(0, n));
            int hw = n == rest.size() && w <= max_width ? w : m.text_width(head, st.font);
            line.push_back({head, p.style, hw});
            line_w += hw;
            rest.remove_prefix(n);
            if (rest.empty())
                break;
            flush(false);
        }
    }
    if (!cut) {
        flush(false);
    } else if (!block.runs.empty()) {
        // The last line laid out says that text was left out.
        auto& last = block.runs.back();
        std::string shown = last.text + std::string(ellipsis);
        int room = std::max(1, max_width - last.pos.x);
        last.text
            = m.text_width(shown, last.font) <= room ? shown : ellipsize(m, shown, last.font, room);
        last.width = m.text_width(last.text, last.font);
    }
    block.height = block.lines > 0 ? y - line_gap : 0;
    return block;
}

TextBlock layout_text(TextMeasurer& m, std::string_view text, Font font, Color color, int max_width,
    Align align, int line_gap) {
    return layout_text(
        m, {StyledText {std::string(text), font, color, false}}, max_width, align, line_gap);
}

std::string ellipsize(TextMeasurer& m, std::string_view text, Font font, int max_width) {
    // Probing from the start measures about a line, however long the text.
    size_t fits = fitting_prefix(m, text, font, max_width);
    if (fits == text.size() && m.text_width(text, font) <= max_width)
        return std::string(text);
    int budget = max_width - m.text_width(ellipsis, font);
    if (budget <= 0)
        return std::string(ellipsis);
    size_t n = fitting_prefix(m, text, font, budget);
    if (m.text_width(text.substr(0, n), font) > budget)
        n = 0; // not even the first character fits beside the ellipsis
    std::string out(text.substr(0, n));
    auto trimmed = [&] {
        while (!out.empty() && out.back() == ' ')
            out.pop_back();
        return out + std::string(ellipsis);
    };
    std::string shown = trimmed();
    // Kerning and rounding can make the joined text a pixel wider than its two parts measured
    // apart: take letters off until the whole fits.
    while (!out.empty() && m.text_width(shown, font) > max_width) {
        size_t i = out.size() - 1;
        while (i > 0 && (static_cast<unsigned char>(out[i]) & 0xC0) == 0x80)
            --i;
        out.erase(i);
        shown = trimmed();
    }
    return shown;
}

void draw_text_run(Renderer& r, PlacedRun const& run, Point origin) {
    Point p {origin.x + run.pos.x, origin.y + run.pos.y};
    r.text(p, run.text, run.font, run.color);
    if (run.underline) {
        int t = std::max(1, run.font.size / 14);
        int y = p.y + run.font.size * 5 / 4;
        r.fill_rect({p.x, y, run.width, t}, run.color);
    }
}

void draw_text_block(Renderer& r, TextBlock const& block, Point origin) {
    for (auto const& run : block.runs)
        draw_text_run(r, run, origin);
}

} // namespace kiosk::ui
