// The ticket status lookup (code plus the last four digits of the phone, or the e-mail) and
// staff mode: the PIN pad behind the hidden gesture, then queue and device health and the
// content pack import from a USB stick. Staff mode never shows a visitor's name or number.
#include "screens/screens.h"

#include "ksd/bytes.h"
#include "ksd/content_build.h"
#include "ksd/date.h"
#include "ksd/request_options.h"
#include "ksd/ticket_status.h"
#include "ui/keyboard.h"

namespace kiosk::screens {

using namespace ui;
using ksd::Lang;

namespace {

std::string when(int64_t unix_seconds, bool trusted, Lang l, ksd::Zone zone) {
    if (!trusted || unix_seconds <= 0)
        return tr(l, S::DateNotYetKnown);
    return ksd::format_date_long(ksd::date_in(unix_seconds, zone), l == Lang::En) + ", "
        + ksd::clock_in(unix_seconds, zone) + " " + zone.label();
}

// One entry of the timeline: a dot, a title and a line of detail.
int timeline_entry(
    Ui& ui, Point o, int width, Color dot, std::string_view title, std::string_view detail) {
    auto const& t = ui.theme();
    int d = t.space_l;
    int lh = ui.measurer().line_height(t.body_bold);
    ui.renderer().fill_circle({o.x + d / 2, o.y + lh / 2}, d / 2, dot);
    int x = o.x + d + t.space_m;
    int h = ui.paragraph({x, o.y, width - (x - o.x), 0}, title, t.body_bold, t.text);
    if (!detail.empty())
        h += ui.paragraph({x, o.y + h, width - (x - o.x), 0}, detail, t.body, t.text_muted);
    return h + t.space_m;
}

// A text in a tinted card, full width; returns the height used.
int card_text(Ui& ui, Point o, int width, std::string_view text, Color fill) {
    auto const& t = ui.theme();
    TextBlock b = layout_text(ui.measurer(), text, t.body, t.text, width - t.space_xl, Align::Left);
    Rect card {o.x, o.y, width, b.height + t.space_xl};
    ui.card(card, fill);
    ui.text_block(b, {o.x + t.space_m, o.y + t.space_m}, width - t.space_xl);
    return card.h;
}

int ticket_timeline(Ui& ui, State const& s, TicketView const& tk, Point o, int width) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    int y = o.y;
    Font big = t.display;
    int bh = ui.measurer().line_height(big);
    ui.label({o.x, y, width, bh}, tk.code, big, t.navy);
    y += bh + t.space_s;
    bool delivered = tk.state == ksd::DeliveryState::Acknowledged;
    // Once delivered the server's dates count (its clock is trusted); before, the kiosk's own,
    // which is "not yet known" while its clock is not synchronised.
    std::string made;
    if (delivered && tk.server_made_at > 0)
        made = tk.server_made_at_estimated
            ? fill(l, S::Estimated, {when(tk.server_made_at, true, l, s.zone)})
            : when(tk.server_made_at, true, l, s.zone);
    else
        made = when(tk.created_at, tk.clock_trusted, l, s.zone);
    y += timeline_entry(ui, {o.x, y}, width, t.teal, tr(l, S::ReceivedAtKiosk), made);
    switch (tk.state) {
    case ksd::DeliveryState::Acknowledged: {
        int64_t received = tk.server_received_at > 0 ? tk.server_received_at : tk.acknowledged_at;
        y += timeline_entry(ui, {o.x, y}, width, t.teal, tr(l, S::SentToSecretariatStep),
            when(received, received > 0, l, s.zone));
        break;
    }
    case ksd::DeliveryState::Queued:
    case ksd::DeliveryState::Sending:
        y += timeline_entry(
            ui, {o.x, y}, width, t.border, tr(l, S::WaitingForNetwork), tr(l, S::SafelyStored));
        break;
    case ksd::DeliveryState::Quarantined:
        y += timeline_entry(ui, {o.x, y}, width, t.status_soon, tr(l, S::NeedsStaffCheck),
            tr(l, S::GiveCodeAtDesk));
        break;
    }
    if (!tk.server_status.empty()) {
        // The visitor's words, not the office's internal status word.
        auto vs = ksd::visitor_status(tk.server_status, l);
        y += timeline_entry(ui, {o.x, y}, width, t.status_active,
            fill(l, S::StatusFilter, {vs.headline}), vs.explanation);
    }
    if (!tk.referral.empty()) {
        int lh = ui.measurer().line_height(t.body_bold);
        ui.label({o.x, y, width, lh}, tr(l, S::PleaseTurnTo), t.body_bold, t.navy);
        y += lh + t.space_xs;
        y += card_text(ui, {o.x, y}, width, tk.referral, t.surface_alt) + t.space_s;
    }
    if (!tk.replies.empty()) {
        y += t.space_xs;
        int lh = ui.measurer().line_height(t.body_bold);
        std::string heading = tk.replies.size() == 1
            ? std::string(tr(l, S::StaffAnswer))
            : counted(l, S::StaffAnswers, int64_t(tk.replies.size()));
        ui.label({o.x, y, width, lh}, heading, t.body_bold, t.navy);
        y += lh + t.space_xs;
        for (auto const& r : tk.replies) {
            // Replies are dated by the server's clock: always a real date.
            if (r.at > 0) {
                int sh = ui.measurer().line_height(t.small_bold);
                ui.label(
                    {o.x, y, width, sh}, when(r.at, true, l, s.zone), t.small_bold, t.text_muted);
                y += sh + t.space_2xs;
            }
            y += card_text(ui, {o.x, y}, width, r.text, t.teal_tint) + t.space_m;
        }
    } else if (delivered) {
        y += ui.paragraph({o.x, y, width, 0}, tr(l, S::AnswerWillShow), t.body, t.text_muted);
    }
    return y - o.y;
}

// A pack's version is the time it was built (YYYYMMDDhhmmss, UTC): staff read it as a date in
// the office's zone; a version given by hand stays a number.
std::string version_text(int64_t version, Lang l, ksd::Zone zone) {
    if (auto t = ksd::time_from_version(version))
        return ksd::format_date_long(ksd::date_in(*t, zone), l == Lang::En) + ", "
            + ksd::clock_in(*t, zone) + " " + zone.label();
    return std::to_string(version);
}

std::string age(int64_t seconds, Lang l) {
    if (seconds < 120)
        return counted(l, S::AgeSeconds, seconds);
    if (seconds < 7200)
        return counted(l, S::AgeMinutes, seconds / 60);
    if (seconds < 2 * 86400)
        return counted(l, S::AgeHours, seconds / 3600);
    return counted(l, S::AgeDays, seconds / 86400);
}

} // namespace

void status_lookup(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto const& st = s.status;
    Rect content = chrome(ui, s, tr(l, S::CheckTicketStatus), out);
    std::string code_label = tr(l, S::TicketCode);
    std::string check_label = tr(l, S::CheckHint);
    if (st.focus == Field::Code || st.focus == Field::Check) {
        // Four rows on a landscape panel (digits on the ?123 page): with 4 mm text a fifth left
        // room for one field only at 800x480.
        KeyboardKind kind = t.portrait ? KeyboardKind::Text : KeyboardKind::Search;
        int kh = keyboard_height(t, content, kind);
        Rect kr = content.take_bottom(kh);
        bool code = st.focus == Field::Code;
        field_keyboard(ui, s, kr, kind, st.focus, code ? st.code : st.check, out);
        // Both fields above the keys, the focused one marked, so the visitor sees what is still
        // to fill in and can tap across; side by side where a short panel has no room for two
        // rows, and the focused one alone only where neither fits.
        Rect area = content.inset(t.pad, t.space_xs);
        int lh = ui.measurer().line_height(t.body_bold);
        int fh = lh + t.space_xs + t.control_h;
        bool wide = area.w > t.split_min_w;
        auto label_h = [&](std::string const& label, int width) {
            return layout_text(ui.measurer(), label, t.body_bold, t.navy, width, Align::Left)
                .height;
        };
        auto field = [&](Rect r, std::string const& label, std::string const& value, Field f) {
            // The box at the bottom of r and the label right above it, so fields side by side
            // line up whatever their labels. The label says what to type: it wraps rather than
            // losing its end ("Last 4 digits of your pho…" at 800x480) where r has the room,
            // else one line; large text on a short panel leaves the box's placeholder to name it.
            Rect box = r.take_bottom(t.control_h);
            r.take_bottom(t.space_xs);
            if (int block = label_h(label, r.w); r.h >= block)
                ui.paragraph(r.take_bottom(block), label, t.body_bold, t.navy);
            else if (r.h >= lh)
                ui.label(r.take_bottom(lh), label, t.body_bold, t.navy);
            Focus focus = f == st.focus ? Focus::Focused : Focus::Unfocused;
            if (ui.text_field(box, value, label, focus, Icon::None) && f != st.focus)
                out.push_back(act::Focus {f});
        };
        if (wide && area.h >= fh) {
            int fw = (area.w - t.gap) / 2;
            // As tall as the longer label needs, where the room above the keys allows.
            int wrapped = std::max(label_h(code_label, fw), label_h(check_label, fw));
            int h = std::min(area.h, std::max(fh, wrapped + t.space_xs + t.control_h));
            field({area.x, area.y, fw, h}, code_label, st.code, Field::Code);
            field({area.x + fw + t.gap, area.y, fw, h}, check_label, st.check, Field::Check);
        } else if (area.h >= 2 * fh + t.gap) {
            field(area.take_top(fh), code_label, st.code, Field::Code);
            area.take_top(t.gap);
            field(area.take_top(fh), check_label, st.check, Field::Check);
        } else {
            field(area.take_top(fh), code ? code_label : check_label, code ? st.code : st.check,
                st.focus);
        }
        return;
    }
    content = content.inset(t.pad);
    Point o = ui.begin_scroll("status", content);
    int w = content.w;
    int y = o.y;
    if (st.found) {
        // The answer is what matters now: the fields give way to it (a short panel would push
        // the staff's reply out of sight).
        // Short of the right edge, where the scroll bar shows with many replies.
        y += ticket_timeline(ui, s, *st.found, {o.x, y}, w - t.space_m);
        y += t.gap;
        if (ui.button({o.x, y, std::min(w, t.wide_button_w), t.control_h},
                tr(l, S::CheckAnotherTicket), ButtonStyle::Secondary, Icon::Search))
            out.push_back(act::OpenStatus {});
        y += t.control_h;
        ui.end_scroll(y - o.y);
        return;
    }
    int lh = ui.measurer().line_height(t.body_bold);
    bool wide = !t.portrait && w > t.split_min_w;
    int fw = wide ? (w - t.gap) / 2 : w;
    auto field = [&](int x, int fy, std::string const& label, std::string const& value, Field f) {
        ui.label({x, fy, fw, lh}, label, t.body_bold, t.navy);
        if (ui.text_field({x, fy + lh + t.space_xs, fw, t.control_h}, value, label,
                Focus::Unfocused, Icon::None))
            out.push_back(act::Focus {f});
    };
    field(o.x, y, code_label, st.code, Field::Code);
    if (wide) {
        field(o.x + fw + t.gap, y, check_label, st.check, Field::Check);
        y += lh + t.space_xs + t.control_h + t.gap;
    } else {
        y += lh + t.space_xs + t.control_h + t.gap;
        field(o.x, y, check_label, st.check, Field::Check);
        y += lh + t.space_xs + t.control_h + t.gap;
    }
    bool locked = st.locked_until_ms > 0;
    int bw = std::min(w, t.button_w);
    if (!locked
        && ui.button({o.x, y, bw, t.control_h},
            tr(l, st.looking_up ? S::Searching : S::CheckStatus), ButtonStyle::Primary,
            Icon::Search))
        out.push_back(act::LookUp {});
    if (!locked)
        y += t.control_h + t.gap;
    if (locked) {
        y += ui.paragraph({o.x, y, w, 0}, tr(l, S::TooManyTries), t.body_bold, t.danger) + t.gap;
    } else if (st.failed) {
        y += ui.paragraph({o.x, y, w, 0}, tr(l, S::StatusUnreadable), t.body_bold, t.danger)
            + t.gap;
    } else if (st.missing != Field::None) {
        // The empty field by its name: nothing was compared yet.
        std::string const& name = st.missing == Field::Code ? code_label : check_label;
        y += ui.paragraph({o.x, y, w, 0}, fill(l, S::PleaseFillIn, {name}), t.body_bold, t.danger)
            + t.gap;
    } else if (st.searched && !st.found) {
        y += ui.paragraph({o.x, y, w, 0}, tr(l, S::NoMatch), t.body_bold, t.danger) + t.gap;
    } else {
        y += ui.paragraph({o.x, y, w, 0}, tr(l, S::WhereIsTheCode), t.body, t.text_muted);
    }
    ui.end_scroll(y - o.y);
}

void staff_pin(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    Rect content = chrome(ui, s, tr(l, S::StaffMode), out);
    int kh = keyboard_height(t, content, KeyboardKind::Phone);
    Rect kr = content.take_bottom(kh);
    field_keyboard(ui, s, kr, KeyboardKind::Phone, Field::Pin, s.staff.pin, out, S::SignIn);
    Rect area = content.inset(t.pad, t.space_xs);
    int lh = ui.measurer().line_height(t.body_bold);
    Rect head = area.take_top(lh);
    ui.label(head, tr(l, S::EnterStaffPin), t.body_bold, t.navy);
    area.take_top(t.space_xs);
    std::string dots = pin_mask(s.staff.pin);
    Rect field = area.take_top(t.control_h);
    // Argon2id takes a moment on a Pi: the worker checks, the screen says so.
    std::string message = s.staff.checking_pin ? tr(l, S::CheckingPin) : s.staff.message;
    int mw = message.empty() ? 0 : std::min(field.w / 2, t.column_w);
    Rect msg = field.take_right(mw);
    ui.text_field(field, dots, "PIN", Focus::Focused, Icon::None);
    if (mw > 0)
        ui.paragraph(msg.inset(t.space_s, 0), message, t.small_bold,
            s.staff.checking_pin ? t.text_muted : t.danger);
}

namespace {

// The import under way, where its result will show: the stage, bytes and a bar.
void import_progress(Ui& ui, State const& s, Rect& content) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto const& p = s.staff.import_progress;
    S stage = S::ImportChecking;
    switch (p.stage) {
    case ksd::ImportStage::Checking:
        break;
    case ksd::ImportStage::Copying:
        stage = S::ImportCopying;
        break;
    case ksd::ImportStage::Verifying:
        stage = S::ImportVerifying;
        break;
    }
    std::string text = std::string(tr(l, stage)) + "  "
        + fill(l, S::BytesOf, {ksd::format_bytes(p.done, l), ksd::format_bytes(p.size, l)});
    int pad = t.space_m;
    int lh = ui.measurer().line_height(t.body_bold);
    int bar_h = t.space_m;
    Rect band = content.take_top(lh + bar_h + 3 * pad);
    ui.card(band, t.surface_alt);
    Rect inner = band.inset(pad);
    ui.label(inner.take_top(lh), text, t.body_bold, t.navy);
    inner.take_top(pad);
    ui.progress_bar(inner.take_top(bar_h), p.fraction(), text);
    content.take_top(t.gap);
}

// Issue 14: the queue export by USB, two large buttons under a short help; returns the y below.
int usb_queue(Ui& ui, State const& s, Rect at, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    int y = at.y;
    int lh = ui.measurer().line_height(t.heading3);
    ui.label({at.x, y, at.w, lh}, tr(l, S::QueueByUsb), t.heading3, t.navy);
    y += lh + t.space_s;
    y += ui.paragraph(
             {at.x, y, at.w - t.space_l, 0}, tr(l, S::QueueByUsbHelp), t.body, t.text_muted)
        + t.space_s;
    int bw = std::min(at.w - t.space_l, t.column_w);
    int bh = t.control_h + t.space_l;
    if (ui.button({at.x, y, bw, bh}, tr(l, S::ExportQueueToUsb), ButtonStyle::Primary))
        out.push_back(act::StaffExportQueue {});
    y += bh + t.space_s;
    if (ui.button({at.x, y, bw, bh}, tr(l, S::ApplyAckFromUsb), ButtonStyle::Secondary))
        out.push_back(act::StaffApplyAck {});
    return y + bh + t.space_s + t.gap;
}

} // namespace

void staff(Ui& ui, State const& s, Actions& out) {
    auto const& t = ui.theme();
    Lang l = s.lang;
    auto const& info = s.staff.info;
    Rect content = chrome(ui, s, tr(l, S::StaffMode), out).inset(t.pad);
    Rect foot = content.take_bottom(t.control_h);
    content.take_bottom(t.gap);
    int bw = std::min(foot.w / 2 - t.gap, t.button_w);
    if (ui.button(foot.take_right(bw), tr(l, S::ExitStaffMode), ButtonStyle::Primary))
        out.push_back(act::StaffExit {});
    if (ui.button(foot.take_left(bw), tr(l, S::Refresh), ButtonStyle::Secondary))
        out.push_back(act::StaffRefresh {});
    // The import's result above the list, where the button pressed for it cannot push it out
    // of sight (on a short panel the pack list is below the fold).
    std::string imported = s.staff.import_ok
        ? fill(l, S::PackInstalled, {version_text(s.staff.imported_version, l, s.zone)})
        : s.staff.import_message;
    if (s.staff.importing)
        import_progress(ui, s, content);
    if (!imported.empty()) {
        int pad = t.space_m;
        TextBlock b = layout_text(ui.measurer(), imported, t.body_bold,
            s.staff.import_ok ? t.status_active : t.danger, content.w - 2 * pad, Align::Left);
        Rect band = content.take_top(b.height + 2 * pad);
        ui.card(band, t.surface_alt);
        ui.text_block(b, {band.x + pad, band.y + pad}, band.w - 2 * pad);
        content.take_top(t.gap);
    }
    // Issue 14: the queue export's or acknowledgement's outcome, also above the list.
    std::string usb
        = s.staff.usb_busy ? std::string(tr(l, S::UsbWorking)) : s.staff.usb_message.in(l);
    if (!usb.empty()) {
        int pad = t.space_m;
        TextBlock b = layout_text(ui.measurer(), usb, t.body_bold,
            s.staff.usb_busy     ? t.navy
                : s.staff.usb_ok ? t.status_active
                                 : t.danger,
            content.w - 2 * pad, Align::Left);
        Rect band = content.take_top(b.height + 2 * pad);
        ui.card(band, t.surface_alt);
        ui.text_block(b, {band.x + pad, band.y + pad}, band.w - 2 * pad);
        content.take_top(t.gap);
    }
    Point o = ui.begin_scroll("staff", content);
    int w = content.w;
    int y = o.y;
    auto row = [&](std::string_view label, std::string const& value, Color c) {
        int lw = std::min(w / 2, t.wide_label_col_w);
        int h1 = ui.paragraph({o.x, y, lw - t.gap, 0}, label, t.body, t.text_muted);
        int h2 = ui.paragraph({o.x + lw, y, w - lw, 0}, value, t.body_bold, c);
        y += std::max(h1, h2) + t.space_s;
    };
    auto const& c = info.counts;
    // A set-up to fix, said calmly: nothing is lost, the requests wait on the kiosk.
    auto notice = [&](std::string_view title, std::string_view lead, std::string const& detail) {
        y += t.space_s;
        int pad = t.space_m;
        int cw = w - t.space_l; // clear of the scroll bar
        int inner = cw - 2 * pad;
        TextBlock head = layout_text(ui.measurer(), title, t.body_bold, t.navy, inner, Align::Left);
        TextBlock body = layout_text(ui.measurer(), lead, t.body, t.text, inner, Align::Left);
        TextBlock more
            = layout_text(ui.measurer(), detail, t.small, t.text_muted, inner, Align::Left);
        Rect card {o.x, y, cw, head.height + body.height + more.height + t.space_m + 2 * pad};
        ui.card(card, t.surface_alt);
        ui.renderer().fill_rect({o.x, y, t.space_s, card.h}, t.status_soon);
        int cy = y + pad;
        ui.text_block(head, {o.x + pad, cy}, inner);
        cy += head.height + t.space_s;
        ui.text_block(body, {o.x + pad, cy}, inner);
        cy += body.height + t.space_s;
        ui.text_block(more, {o.x + pad, cy}, inner);
        y += card.h + t.space_s;
    };
    if (!info.config_error.empty())
        notice(tr(l, S::SyncNeedsFix), tr(l, S::SyncNeedsFixHelp), info.config_error);
    if (!info.sync_warning.empty())
        notice(tr(l, S::NotEncrypted), tr(l, S::NotEncryptedHelp), info.sync_warning);
    if (c.quarantined > 0 || !s.staff.requeue_message.empty()) {
        int hh = ui.measurer().line_height(t.heading3);
        ui.label({o.x, y, w, hh}, tr(l, S::HeldRequests), t.heading3, t.navy);
        y += hh + t.space_s;
        if (c.quarantined > 0) {
            y += ui.paragraph({o.x, y, w, 0}, tr(l, S::HeldRequestsHelp), t.body, t.text_muted)
                + t.space_s;
            for (auto const& h : info.held) {
                int cw = std::min(w / 3, t.label_col_w);
                int h1 = ui.paragraph({o.x, y, cw, 0}, h.code, t.body_bold, t.text);
                int h2 = ui.paragraph(
                    {o.x + cw, y, w - cw - t.space_2xl, 0}, h.reason, t.small, t.text_muted);
                y += std::max(h1, h2) + t.space_s;
            }
            if (static_cast<int>(info.held.size()) < c.quarantined)
                y += ui.paragraph({o.x, y, w, 0},
                         counted(l, S::AndMore, c.quarantined - static_cast<int>(info.held.size())),
                         t.small, t.text_muted)
                    + t.space_s;
            y += t.space_s;
            int rw = std::min(w, t.column_w);
            if (ui.button({o.x, y, rw, t.control_h + t.space_l}, tr(l, S::SendHeldAgain),
                    ButtonStyle::Primary))
                out.push_back(act::StaffRequeue {});
            y += t.control_h + t.space_l + t.space_s;
        }
        if (!s.staff.requeue_message.empty())
            y += ui.paragraph({o.x, y, w, 0}, s.staff.requeue_message, t.body_bold, t.status_active)
                + t.space_s;
        y += t.gap;
    }
    row(tr(l, S::QueueWaitingSending), std::to_string(c.queued) + " / " + std::to_string(c.sending),
        t.text);
    row(tr(l, S::DeliveredQuarantined),
        std::to_string(c.acknowledged) + " / " + std::to_string(c.quarantined),
        c.quarantined > 0 ? t.danger : t.text);
    row(tr(l, S::OldestUnsent),
        c.oldest_unsent_created_at > 0
            ? age(std::max<int64_t>(0, s.unix_time - c.oldest_unsent_created_at), l)
            : std::string(tr(l, S::NoneAtAll)),
        t.text);
    row(tr(l, S::LastSync),
        info.last_sync_result.empty() ? std::string(tr(l, S::Never))
                                      : info.last_sync_result
                + (info.last_sync_at > 0 ? " ("
                            + fill(l, S::Ago,
                                {age(std::max<int64_t>(0, s.unix_time - info.last_sync_at), l)})
                            + ")"
                                         : std::string()),
        t.text);
    row(tr(l, S::ContentVersion), version_text(s.content_version, l, s.zone), t.text);
    row(tr(l, S::KioskId), info.device_id, t.text);
    row(tr(l, S::FreeSpace), ksd::format_bytes(info.disk_free_bytes, l), t.text);
    row(tr(l, S::NewRequests),
        info.health.accepting ? std::string(tr(l, S::Accepted))
                              : fill(l, S::Refused, {info.health.detail}),
        info.health.accepting ? t.status_active : t.danger);
    if (!info.error.empty())
        row(tr(l, S::Database), info.error, t.danger);
    y += t.gap;
    int lh = ui.measurer().line_height(t.heading3);
    y = usb_queue(ui, s, {o.x, y, w, 0}, out);
    ui.label({o.x, y, w, lh}, tr(l, S::PacksOnUsb), t.heading3, t.navy);
    y += lh + t.space_s;
    if (s.staff.packs.empty())
        y += ui.paragraph({o.x, y, w, 0}, tr(l, S::NoPackOnUsb), t.body, t.text_muted) + t.space_s;
    for (auto const& p : s.staff.packs) {
        int ib = std::min(w / 3, t.button_w);
        Rect r {o.x, y, w, t.control_h};
        if (ui.button(r.take_right(ib), tr(l, S::Import), ButtonStyle::Primary))
            out.push_back(act::StaffImport {p.path});
        // The file name first: a long mount path must not push it out of sight.
        auto slash = p.path.find_last_of('/');
        std::string name = slash == std::string::npos ? p.path : p.path.substr(slash + 1);
        std::string where = slash == std::string::npos ? "" : p.path.substr(0, slash);
        r.take_right(t.gap);
        ui.label(
            r, name + "  (" + ksd::format_bytes(p.size, l) + ", " + where + ")", t.body, t.text);
        y += t.control_h + t.space_s;
    }
    ui.end_scroll(y - o.y);
}

} // namespace kiosk::screens
