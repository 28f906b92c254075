// The technician's page (see technician.h).
#include "screens/technician.h"

#include "ui/strings.h"
#include "ui/text_layout.h"

#include <algorithm>
#include <set>

namespace kiosk {

using namespace ui;
using ksd::Lang;

namespace {

// "server.url" -> "[server] url": the way the key looks in the file.
std::string key_as_in_file(std::string const& key) {
    auto dot = key.rfind('.');
    if (dot == std::string::npos)
        return key;
    return "[" + key.substr(0, dot) + "] " + key.substr(dot + 1);
}

// Indonesian and English at once, "baris 3 / line 3": nobody has chosen a language here.
std::string both(S key, std::initializer_list<std::string_view> args) {
    return fill(Lang::Id, key, args) + " / " + fill(Lang::En, key, args);
}

std::string counted_both(S key, int64_t n) {
    return counted(Lang::Id, key, n) + " / " + counted(Lang::En, key, n);
}

bool is_technician_file(std::string const& file) {
    return file == "ksd.toml" || (file.size() > 9 && file.ends_with("/ksd.toml"));
}

std::string where_text(ksd::ConfigProblem const& p) {
    std::string s = p.file.empty() ? "" : p.file;
    if (p.line > 0)
        s += (s.empty() ? "" : ", ") + both(S::LineNumber, {std::to_string(p.line)});
    if (!p.key.empty())
        s += (s.empty() ? "" : "  \xC2\xB7  ") + key_as_in_file(p.key);
    return s;
}

struct Block {
    TextBlock where;
    TextBlock what;
    int height {0};
};

} // namespace

void technician_page(Ui& ui, TechnicianPage const& page) {
    auto const& t = ui.theme();
    auto& m = ui.measurer();
    auto& r = ui.renderer();
    Rect screen {0, 0, t.screen.w, t.screen.h};
    r.fill_rect(screen, t.background);

    // The band: what happened, both languages, and a word for a visitor who finds it.
    int const pad = t.pad;
    int const w = screen.w - 2 * pad;
    TextBlock title = layout_text(
        m, tr(Lang::Id, S::SettingsNeedCorrection), t.heading2, t.on_dark, w, Align::Left);
    TextBlock title_en = layout_text(
        m, tr(Lang::En, S::SettingsNeedCorrection), t.body_italic, t.on_dark_muted, w, Align::Left);
    TextBlock visitor = layout_text(m,
        std::string(tr(Lang::Id, S::NotInServiceYet)) + "  \xC2\xB7  "
            + tr(Lang::En, S::NotInServiceYet),
        t.small, t.on_dark_muted, w, Align::Left);
    int band_h = pad + title.height + title_en.height + t.space_s + visitor.height + pad;
    r.fill_rect({0, 0, screen.w, band_h}, t.navy);
    int y = pad;
    ui.text_block(title, {pad, y}, w);
    y += title.height;
    ui.text_block(title_en, {pad, y}, w);
    y += title_en.height + t.space_s;
    ui.text_block(visitor, {pad, y}, w);

    // Below the band: the problems, and how to fix them. Side by side on a landscape screen
    // (800x480 has no height to stack them), one under the other in portrait.
    Rect area {pad, band_h + t.gap, w, screen.h - band_h - t.gap - pad};
    int const fix_col = t.portrait ? area.w : std::max(area.w * 9 / 20, t.button_w);
    int const problems_w = t.portrait ? area.w : area.w - fix_col - t.gap;

    // How to fix it: one paragraph per language and kind of file named.
    std::set<std::string> other_files;
    bool technician_file = false;
    for (auto const& p : page.problems) {
        if (is_technician_file(p.file))
            technician_file = true;
        else if (!p.file.empty())
            other_files.insert(p.file);
    }
    if (!technician_file && other_files.empty())
        technician_file = true; // a problem without a file: the card is where settings live
    int const fix_w = fix_col - 2 * pad;
    std::vector<TextBlock> fix;
    fix.push_back(layout_text(m, both(S::HowToFix, {}), t.small_bold, t.navy, fix_w, Align::Left));
    if (technician_file) {
        fix.push_back(
            layout_text(m, tr(Lang::Id, S::FixOnTheCard), t.small, t.text, fix_w, Align::Left));
        fix.push_back(layout_text(
            m, tr(Lang::En, S::FixOnTheCard), t.small, t.text_muted, fix_w, Align::Left));
    }
    for (auto const& f : other_files) {
        fix.push_back(layout_text(
            m, fill(Lang::Id, S::FixOverSsh, {f}), t.small, t.text, fix_w, Align::Left));
        fix.push_back(layout_text(
            m, fill(Lang::En, S::FixOverSsh, {f}), t.small, t.text_muted, fix_w, Align::Left));
    }
    int fix_h = pad;
    for (auto const& b : fix)
        fix_h += b.height + t.space_xs;
    fix_h += pad - t.space_xs;

    // The problems, as many as fit; the rest are counted (the log has every one).
    int const card_w = problems_w - 2 * pad;
    int const room = t.portrait ? area.h - fix_h - t.gap : area.h;
    std::vector<Block> blocks;
    for (auto const& p : page.problems) {
        Block b;
        b.where = layout_text(m, where_text(p), t.small_bold, t.teal, card_w, Align::Left);
        std::string what = p.what;
        while (true) {
            b.what = layout_text(m, what, t.body, t.text, card_w, Align::Left);
            b.height = pad + b.where.height + t.space_xs + b.what.height + pad;
            if (b.height <= room || what.size() < 40)
                break;
            // Too long for the screen (the log has it whole): cut at a space, with an ellipsis.
            size_t cut = what.rfind(' ', what.size() * 3 / 4);
            if (cut == std::string::npos || cut < what.size() / 2)
                cut = what.size() * 3 / 4;
            while (cut > 0 && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80)
                --cut; // not inside a UTF-8 sequence
            what = what.substr(0, cut) + "\xE2\x80\xA6";
        }
        blocks.push_back(std::move(b));
    }
    int const more_h = m.line_height(t.small) + t.gap;
    size_t shown = 0;
    int used = 0;
    while (shown < blocks.size()) {
        int add = blocks[shown].height + (shown ? t.gap : 0);
        bool rest_hidden = shown + 1 < blocks.size();
        // The first problem is always shown: it is the one to fix first.
        if (shown > 0 && used + add + (rest_hidden ? more_h : 0) > room)
            break;
        used += add;
        ++shown;
    }
    int const problems_h = used + (shown < blocks.size() ? more_h : 0);

    // The group sits in the middle of the space below the band (a third down in landscape,
    // where the two columns share the top line).
    int top = area.y
        + (t.portrait ? std::max(0, (area.h - problems_h - t.gap - fix_h) / 2)
                      : std::max(0, (area.h - std::max(problems_h, fix_h)) / 3));
    y = top;
    for (size_t i = 0; i < shown; ++i) {
        Block const& b = blocks[i];
        Rect card {area.x, y, problems_w, b.height};
        ui.card(card, t.surface, "problem");
        r.fill_rect({card.x, card.y, t.stripe_w, card.h}, t.accent);
        int cy = card.y + pad;
        ui.text_block(b.where, {card.x + pad, cy}, card_w);
        cy += b.where.height + t.space_xs;
        ui.text_block(b.what, {card.x + pad, cy}, card_w);
        y += b.height + t.gap;
    }
    if (shown < blocks.size())
        ui.label({area.x, y, problems_w, m.line_height(t.small)},
            counted_both(S::MoreProblems, int64_t(blocks.size() - shown))
                + ": journalctl -u ksd-kiosk",
            t.small, t.text_muted);

    Rect fix_box = t.portrait ? Rect {area.x, top + problems_h + t.gap, fix_col, fix_h}
                              : Rect {area.right() - fix_col, top, fix_col, fix_h};
    ui.card(fix_box, t.teal_tint, "how to fix");
    int fy = fix_box.y + pad;
    for (auto const& b : fix) {
        ui.text_block(b, {fix_box.x + pad, fy}, fix_w);
        fy += b.height + t.space_xs;
    }
}

std::vector<WidgetRecord> draw_technician_page(
    Renderer& renderer, TextMeasurer& measurer, Size size, TechnicianPage const& page) {
    Ui ui(renderer, measurer);
    // Read up close by a technician (it names files, lines and keys, many of them): its text
    // keeps the resolution's design size rather than the visitors' 4 mm. A panel diagonal far
    // larger than any real one makes the physical size the smaller of the two, so the design
    // size wins in Theme::make.
    constexpr float read_up_close_diagonal = 1000.0f;
    ui.begin(Theme::make(size, TextSize::Normal, Contrast::Standard, read_up_close_diagonal),
        std::nullopt, 0);
    technician_page(ui, page);
    ui.end();
    return ui.widgets();
}

} // namespace kiosk
