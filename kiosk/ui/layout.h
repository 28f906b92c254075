// Layout helpers of the toolkit: rows and grids of equal cells, rectangles only (no drawing),
// so screens place widgets without computing columns and gaps by hand.
#pragma once

#include "ui/geometry.h"

#include <algorithm>
#include <vector>

namespace kiosk::ui {

// n cells of cell_w x cell_h in cols columns from area's top-left; an incomplete last row is
// centred.
struct Grid {
    Rect area;
    int n {0};
    int cols {1};
    int rows {0};
    int cell_w {0};
    int cell_h {0};
    int gap {0};

    Rect cell(int i) const {
        int row = i / cols, col = i % cols;
        int in_row = row == rows - 1 ? n - row * cols : cols;
        int x0 = area.x + (area.w - (in_row * cell_w + (in_row - 1) * gap)) / 2;
        return {x0 + col * (cell_w + gap), area.y + row * (cell_h + gap), cell_w, cell_h};
    }
    // All rows: more than area.h when the grid must scroll.
    int height() const { return rows * cell_h + std::max(0, rows - 1) * gap; }
};

// The grid for n cells in area. min_h(cell_w) is the least height a cell of that width needs
// for what it holds, or -1 when it is too narrow (a word would not fit). Among the column
// counts whose rows all fit in area.h it takes the one with the largest cells (the smaller of
// width / aspect and height); when none fits, the most columns whose cells are wide enough,
// each row min_h tall: the caller scrolls.
template <class MinH>
Grid grid_for(Rect area, int n, int gap, float aspect, MinH min_h) {
    Grid best {area, n, 1, n, area.w, 0, gap};
    float best_score = -1;
    int scroll_cols = 0, scroll_h = 0;
    for (int cols = 1; cols <= std::max(1, n); ++cols) {
        int rows = (n + cols - 1) / cols;
        int w = (area.w - (cols - 1) * gap) / cols;
        int h = (area.h - (rows - 1) * gap) / rows;
        int need = min_h(w);
        if (need < 0)
            continue;
        if (need > h) {
            scroll_cols = cols;
            scroll_h = need;
            continue;
        }
        float score = std::min(float(w) / aspect, float(h));
        if (score > best_score) {
            best_score = score;
            best = {area, n, cols, rows, w, h, gap};
        }
    }
    if (best_score < 0 && scroll_cols > 0) {
        int rows = (n + scroll_cols - 1) / scroll_cols;
        best = {area, n, scroll_cols, rows, (area.w - (scroll_cols - 1) * gap) / scroll_cols,
            scroll_h, gap};
    }
    return best;
}

// n equal cells side by side in r, gap apart.
inline std::vector<Rect> row_cells(Rect r, int n, int gap) {
    std::vector<Rect> out;
    out.reserve(size_t(std::max(n, 0)));
    int w = n > 0 ? (r.w - (n - 1) * gap) / n : 0;
    for (int i = 0; i < n; ++i)
        out.push_back({r.x + i * (w + gap), r.y, w, r.h});
    return out;
}

} // namespace kiosk::ui
