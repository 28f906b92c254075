// Text layout: UTF-8 word wrap over runs of mixed fonts (bold/italic), alignment, and
// ellipsis for single lines. Pure computation over a TextMeasurer; drawing is separate.
#pragma once

#include "ui/geometry.h"
#include "ui/renderer.h"

#include <string>
#include <string_view>
#include <vector>

namespace kiosk::ui {

enum class Align : uint8_t { Left, Center, Right };

struct StyledText {
    std::string text;
    Font font;
    Color color;
    bool underline {false};
};

struct PlacedRun {
    Point pos; // relative to the block's top-left
    std::string text;
    Font font;
    Color color;
    bool underline {false};
    int width {0};
    int height {0}; // of its line
    size_t source {0}; // index of the StyledText it was laid out from (a link's target)
};

struct TextBlock {
    std::vector<PlacedRun> runs;
    int width {0}; // widest line
    int height {0};
    int lines {0};
};

// What one text block lays out at most: text beyond max_layout_bytes, or beyond
// max_layout_lines lines, is left out and the block ends in an ellipsis. Content is far
// shorter (the builder's limits); the caps bound a frame's work on anything else.
inline constexpr size_t max_layout_bytes = 16 * 1024;
inline constexpr int max_layout_lines = 1000;
inline constexpr std::string_view ellipsis = "\xE2\x80\xA6";

// Wraps runs into lines no wider than max_width, breaking at spaces (and inside a word only
// when the word alone is wider than a line). '\n' forces a break. line_gap is added between lines.
// Linear in the length of the text (up to the caps above).
TextBlock layout_text(
    TextMeasurer&, std::vector<StyledText> const&, int max_width, Align, int line_gap = 0);
TextBlock layout_text(
    TextMeasurer&, std::string_view, Font, Color, int max_width, Align, int line_gap = 0);
// Shortens text to fit max_width, ending in "…" when anything was cut.
std::string ellipsize(TextMeasurer&, std::string_view, Font, int max_width);
// Draws a laid-out block with its top-left at origin.
void draw_text_block(Renderer&, TextBlock const&, Point origin);
// Draws one run of a block laid out at origin.
void draw_text_run(Renderer&, PlacedRun const&, Point origin);

} // namespace kiosk::ui
