// FAQ (expandable answers), contacts with QR codes, and the idle prompt.
#include "screens/screens.h"

namespace kiosk::screens {

using namespace ui;
using ksd::Lang;

void faq(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Rect content = chrome(ui, s, section_title(s, s.stack.back().ref), out).inset(t.pad, 0);
    int max_w = t.reading_w;
    if (content.w > max_w)
        content = content.inset((content.w - max_w) / 2, 0);
    content.take_top(t.pad);
    Point o = ui.begin_scroll("faq", content);
    int w = content.w - t.space_m;
    int y = o.y;
    for (size_t i = 0; i < s.faq.size(); ++i) {
        auto const& f = s.faq[i];
        bool open = s.faq_open.count(f.id) > 0;
        int chev = t.chevron;
        TextBlock q = layout_text(
            ui.measurer(), f.question, t.body_bold, t.navy, w - chev - 2 * t.space_xl, Align::Left);
        int head_h = std::max(t.control_h, q.height + t.space_xl);
        int body_h = 0;
        Rect card_r {o.x, y, w, head_h};
        // Lay the answer out once off-screen to know the card's height.
        if (open && i < s.faq_docs.size()) {
            Renderer& real = ui.renderer();
            MeasureOnlyRenderer measure(real);
            ui.set_renderer(measure);
            body_h = doc_view(ui, s.faq_docs[i], {o.x, -100000}, w - t.space_2xl, out) + t.space_l;
            if (int rel = related_view(ui, s, s.faq_docs[i], {o.x, -100000}, w - t.space_2xl, out))
                body_h += rel + t.space_m;
            ui.set_renderer(real);
            card_r.h += body_h;
        }
        ui.card(card_r, t.surface);
        Rect head {o.x, y, w, head_h};
        Press p = ui.pressable(head, f.question, Role::ListItem);
        if (p.pressed)
            ui.renderer().fill_rounded(head, t.radius, t.teal_tint);
        ui.text_block(q, {o.x + t.space_l, y + (head_h - q.height) / 2}, w - chev - 2 * t.space_xl);
        draw_icon(ui.renderer(), open ? Icon::ChevronUp : Icon::ChevronDown,
            {head.right() - chev - t.space_l, head.center().y - chev / 2, chev, chev}, t.teal,
            p.pressed ? t.teal_tint : t.surface);
        if (p.tapped)
            out.push_back(act::ToggleFaq {f.id});
        if (open && i < s.faq_docs.size()) {
            ui.renderer().fill_rect(
                {o.x + t.space_l, y + head_h - 1, w - t.space_2xl, 1}, t.border);
            int dh = doc_view(
                ui, s.faq_docs[i], {o.x + t.space_l, y + head_h + t.space_s}, w - t.space_2xl, out);
            related_view(ui, s, s.faq_docs[i],
                {o.x + t.space_l, y + head_h + t.space_s + dh + t.space_m}, w - t.space_2xl, out);
        }
        y += card_r.h + t.gap;
    }
    ui.end_scroll(y - o.y + t.pad);
}

void contacts(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect content = chrome(ui, s, section_title(s, s.stack.back().ref), out).inset(t.pad, 0);
    content.take_top(t.pad);
    Point o = ui.begin_scroll("contacts", content);
    int full_w = content.w - t.space_m;
    int cols = full_w >= t.two_cards_min_w ? 2 : 1;
    int card_w = (full_w - (cols - 1) * t.gap) / cols;
    int qr_side = std::max(t.qr_min, t.control_h * 2);
    int y = o.y;
    int row_h = 0;
    for (size_t i = 0; i < s.contacts.size(); ++i) {
        auto const& c = s.contacts[i];
        int col = int(i) % cols;
        if (col == 0 && i > 0) {
            y += row_h + t.gap;
            row_h = 0;
        }
        std::string qr_data = !c.whatsapp_url.empty() ? c.whatsapp_url : c.url;
        std::string qr_caption = !c.whatsapp_url.empty() ? tr(l, S::ScanToChatOnWhatsApp)
                                                         : tr(l, S::ScanToOpenTheWebsite);
        int x = o.x + col * (card_w + t.gap);
        int text_w = card_w - t.space_2xl - (qr_data.empty() ? 0 : qr_side + t.space_l);
        struct Line {
            Icon icon;
            std::string text;
        };
        std::vector<Line> lines;
        if (!c.phone.empty())
            lines.push_back({Icon::Phone, c.phone});
        if (!c.whatsapp.empty())
            lines.push_back({Icon::Chat, "WhatsApp " + c.whatsapp});
        if (!c.email.empty())
            lines.push_back({Icon::Mail, c.email});
        if (!c.address.empty())
            lines.push_back({Icon::Location, c.address});
        if (!c.hours.empty())
            lines.push_back({Icon::Clock, c.hours});
        TextBlock name
            = layout_text(ui.measurer(), c.name, t.heading3, t.navy, text_w, Align::Left);
        TextBlock role
            = layout_text(ui.measurer(), c.role, t.small, t.text_muted, text_w, Align::Left);
        int ih = ui.measurer().line_height(t.body);
        std::vector<TextBlock> blocks;
        int text_h = name.height + role.height + t.space_m;
        for (auto const& ln : lines) {
            blocks.push_back(layout_text(
                ui.measurer(), ln.text, t.body, t.text, text_w - ih - t.space_s, Align::Left));
            text_h += blocks.back().height + t.space_s;
        }
        // The caption wraps under the code at its width; the card makes room for all of it, so
        // the code keeps its size (squeezed by a long caption it was 79 px, or 9 with large
        // text, at 800x480: no phone reads that).
        int qr_h = qr_data.empty() ? 0 : qr_side + ui.qr_caption_height(qr_caption, qr_side);
        int h = std::max(text_h, qr_h) + t.space_xl;
        row_h = std::max(row_h, h);
        Rect card_r {x, y, card_w, h};
        ui.card(card_r, t.surface, c.name);
        int ty = y + t.space_m;
        int tx = x + t.space_l;
        ui.text_block(name, {tx, ty}, text_w);
        ty += name.height;
        ui.text_block(role, {tx, ty}, text_w);
        ty += role.height + t.space_m;
        for (size_t k = 0; k < lines.size(); ++k) {
            int is = ih * 3 / 4;
            draw_icon(
                ui.renderer(), lines[k].icon, {tx, ty + (ih - is) / 2, is, is}, t.teal, t.surface);
            ui.text_block(blocks[k], {tx + ih + t.space_s, ty}, text_w - ih - t.space_s);
            ty += blocks[k].height + t.space_s;
        }
        if (!qr_data.empty())
            ui.qr({card_r.right() - qr_side - t.space_l, y + t.space_m, qr_side, qr_h}, qr_data,
                qr_caption);
    }
    y += row_h + t.pad;
    ui.end_scroll(y - o.y);
}

void idle_prompt(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Rect screen {0, 0, t.screen.w, t.screen.h};
    // Any touch on the prompt means "yes": the App turns every Down into StillHere.
    ui.renderer().fill_rect(screen, t.overlay);
    // Over the ticket code, the prompt repeats the code in large type: the visitor may still be
    // writing it down, and the prompt must not take it away.
    bool code = s.screen() == ScreenId::RequestDone && s.ticket;
    int w = std::min(screen.w - 4 * t.pad, t.dialog_w);
    Font big = t.display;
    Font code_font = t.ticket_code;
    int h1 = ui.measurer().line_height(big);
    int lh = ui.measurer().line_height(t.body);
    int ch = code
        ? ui.measurer().line_height(t.body_bold) + ui.measurer().line_height(code_font) + t.space_m
        : 0;
    // The countdown wraps rather than losing its number at large text.
    std::string count = counted(s.lang, S::ReturningIn, s.idle_seconds_left);
    TextBlock count_block
        = layout_text(ui.measurer(), count, t.body, t.text, w - 3 * t.pad, Align::Center);
    int h = h1 + lh + count_block.height + ch + t.control_h + 3 * t.space_2xl;
    // Large text on a short panel: the other language's line gives way before the code.
    int room = screen.h - 2 * t.space_s;
    bool both = h <= room;
    if (!both)
        h -= lh;
    // Then the words over the code: the code itself stays.
    int code_head = code ? ui.measurer().line_height(t.body_bold) : 0;
    if (h > room && code) {
        h -= code_head;
        code_head = 0;
    }
    Rect panel {(screen.w - w) / 2, (screen.h - h) / 2, w, h};
    ui.card(panel, t.surface, "idle");
    Rect in = panel.inset(t.pad * 3 / 2);
    // Both languages: whoever stands there now may read either.
    Lang other = s.lang == Lang::Id ? Lang::En : Lang::Id;
    ui.label(in.take_top(h1), tr(s.lang, S::StillThere), big, t.navy, Align::Center);
    if (both)
        ui.label(
            in.take_top(lh), tr(other, S::StillThere), t.body_italic, t.text_muted, Align::Center);
    if (code) {
        in.take_top(t.space_m);
        if (code_head > 0)
            ui.label(in.take_top(code_head), tr(s.lang, S::YourTicketCode), t.body_bold,
                t.text_muted, Align::Center);
        ui.label(in.take_top(ui.measurer().line_height(code_font)), s.ticket->code, code_font,
            t.navy, Align::Center);
    }
    in.take_top(t.space_m);
    ui.text_block(count_block, {in.x, in.y}, in.w);
    in.take_top(count_block.height);
    in.take_top(t.space_l);
    Rect b = in.take_top(t.control_h);
    b = b.inset(std::max(0, (b.w - t.wide_button_w) / 2), 0);
    if (ui.button(b, tr(s.lang, S::YesContinue)))
        out.push_back(act::StillHere {});
}

} // namespace kiosk::screens
