// The consultation request: the wizard's steps and checks, saving the ticket, its QR code and
// the printed receipt.
#include "features/request.h"

#include "ksd/log.h"
#include "ksd/request_options.h"
#include "ksd/ticket_qr.h"
#include "ksd/utf8.h"

#include <string>
#include <utility>

namespace kiosk::request {

using namespace ksd;

namespace {

void validate_step(Ctx& c) {
    auto& f = c.s.form;
    f.choice_missing = false;
    switch (f.step) {
    case Step::Who:
        f.choice_missing = f.category.empty();
        break;
    case Step::Topic:
        f.choice_missing = f.topic.empty();
        break;
    case Step::Contact:
        f.contact = check_contact({f.name, f.phone, f.email, f.organisation}, c.showable);
        break;
    case Step::Question:
        f.question_problem = check_question(f.question, c.showable);
        break;
    case Step::Consent:
        f.choice_missing = !f.consent;
        break;
    case Step::Review:
        break;
    }
}

} // namespace

std::optional<TicketInput> checked_input(Ctx& c) {
    auto& s = c.s;
    auto& f = s.form;
    // Every step is checked again: the review must never send what a step would refuse.
    for (Step st : {Step::Who, Step::Topic, Step::Contact, Step::Question, Step::Consent}) {
        Step keep = f.step;
        f.step = st;
        validate_step(c);
        bool ok = !f.choice_missing && (st != Step::Contact || f.contact.ok())
            && (st != Step::Question || f.question_problem == FieldProblem::None);
        if (!ok) {
            f.show_problems = true;
            f.focus = Field::None;
            c.scroll_resets.push_back("request");
            return std::nullopt; // stays on the failing step
        }
        f.step = keep;
    }
    if (!c.has_desk) {
        f.save_failed = true;
        return std::nullopt;
    }
    TicketInput in;
    in.category = f.category;
    in.topic = f.topic;
    in.sector = f.sector;
    in.name = tidy_text(f.name);
    in.phone = f.contact.phone_e164;
    in.email = tidy_text(f.email);
    in.organisation = tidy_text(f.organisation);
    in.question = tidy_text(f.question, true);
    in.consent_version = std::string(consent_version);
    in.lang = s.lang;
    // Only with an e-mail: the box is not shown without one (and an e-mail removed after ticking
    // it takes the wish with it).
    in.email_replies = in.email.empty() ? ReplyByEmail::No : f.email_replies;
    return in;
}

bool has_input(State const& s) {
    auto const& f = s.form;
    return !f.category.empty() || !f.topic.empty() || !f.sector.empty() || !f.name.empty()
        || !f.phone.empty() || !f.email.empty() || !f.organisation.empty() || !f.question.empty()
        || f.consent || f.email_replies == ReplyByEmail::Yes;
}

void make_ticket_qr(Ctx& c) {
    auto& s = c.s;
    if (!s.ticket) {
        s.ticket_qr = {};
        return;
    }
    // The office's WhatsApp: the first contact of the pack that has one.
    std::string whatsapp;
    if (c.content) {
        if (auto contacts = c.content->contacts(s.lang); contacts.ok()) {
            for (auto const& contact : contacts.value())
                if (!contact.whatsapp.empty()) {
                    whatsapp = contact.whatsapp;
                    break;
                }
        } else {
            log::warn("kiosk", "contacts for the ticket's QR code: " + contacts.error().message);
        }
    }
    s.ticket_qr = ticket_qr(s.ticket->code, c.status_url, whatsapp, s.lang);
}

void set_field(Ctx& c, Field field, std::string const& value) {
    auto& f = c.s.form;
    switch (field) {
    case Field::Name:
        f.name = value;
        break;
    case Field::Phone:
        f.phone = value;
        break;
    case Field::Email:
        f.email = value;
        break;
    case Field::Organisation:
        f.organisation = value;
        break;
    case Field::Question:
        f.question = value;
        break;
    case Field::Code:
    case Field::Check:
    case Field::Pin:
    case Field::None:
        break; // not the form's
    }
}

void revalidate(Ctx& c) {
    if (c.s.form.show_problems && c.s.screen() == ScreenId::Request)
        validate_step(c);
}

void handle(Ctx& c, act::Choose const& a) {
    auto& f = c.s.form;
    switch (a.step) {
    case Step::Who:
        f.category = a.code;
        break;
    case Step::Topic:
        f.topic = a.code;
        break;
    case Step::Contact:
    case Step::Question:
    case Step::Consent:
    case Step::Review:
        break; // no options to choose on these steps
    }
    if (f.show_problems)
        validate_step(c);
}

void handle(Ctx& c, act::ChooseSector const& a) {
    auto& f = c.s.form;
    f.sector = a.code;
    f.sector_picker = false;
    if (f.show_problems)
        validate_step(c);
}

void handle(Ctx& c, act::OpenSectorPicker const&) {
    c.s.form.sector_picker = true;
    c.scroll_resets.push_back("sector-picker");
}

void handle(Ctx& c, act::CloseSectorPicker const&) {
    c.s.form.sector_picker = false;
}

void handle(Ctx& c, act::ToggleEmailReplies const&) {
    auto& f = c.s.form;
    f.email_replies = f.email_replies == ReplyByEmail::Yes ? ReplyByEmail::No : ReplyByEmail::Yes;
}

void handle(Ctx& c, act::ToggleConsent const&) {
    auto& f = c.s.form;
    f.consent = !f.consent;
    if (f.show_problems)
        validate_step(c);
}

void handle(Ctx& c, act::NextStep const&) {
    auto& f = c.s.form;
    validate_step(c);
    bool ok = !f.choice_missing && (f.step != Step::Contact || f.contact.ok())
        && (f.step != Step::Question || f.question_problem == FieldProblem::None);
    if (!ok) {
        f.show_problems = true;
        return;
    }
    if (f.step != Step::Review) {
        f.step = Step(int(f.step) + 1);
        f.focus = Field::None;
        f.show_problems = false;
        c.scroll_resets.push_back("request");
    }
}

void handle(Ctx& c, act::OpenRequest const&) {
    auto& s = c.s;
    if (!c.has_desk) {
        s.form = RequestForm {};
        log::warn("kiosk", "request form closed: no desk");
        s.stack.push_back({ScreenId::RequestClosed, {}});
        c.scroll_resets.push_back("request");
        return;
    }
    if (s.form.opening)
        return; // a second tap while the first is checked
    s.form.opening = true;
    c.effects.push_back(fx::OpenRequest {s.screen()});
}

void handle(Ctx& c, act::RequestHealth const& a) {
    auto& s = c.s;
    if (c.gone(a.visit))
        return;
    s.form.opening = false;
    if (s.screen() != a.from)
        return; // the visitor went elsewhere meanwhile
    s.form = RequestForm {};
    if (!a.health.accepting) {
        log::warn("kiosk", "request form closed: " + a.health.detail);
        s.stack.push_back({ScreenId::RequestClosed, {}});
    } else {
        s.stack.push_back({ScreenId::Request, {}});
    }
    c.scroll_resets.push_back("request");
}

void handle(Ctx& c, act::Submit const&) {
    auto& s = c.s;
    if (s.form.saving)
        return; // saved once
    auto in = checked_input(c);
    if (!in)
        return;
    s.form.saving = true;
    c.effects.push_back(fx::SaveTicket {std::move(*in), WallClock {s.unix_time, s.clock_trusted}});
}

void handle(Ctx& c, act::TicketSaved const& a) {
    auto& s = c.s;
    if (!a.saved.ok()) {
        log::error("kiosk", "request NOT saved: " + a.saved.error().message);
        if (!c.gone(a.visit)) {
            s.form.saving = false;
            s.form.save_failed = true;
        }
        return;
    }
    // The one line tests (and staff) rely on: printed only after the durable commit.
    log::info("kiosk", "request saved as ticket " + a.saved->code);
    if (c.gone(a.visit))
        return; // the visitor is gone (idle reset): the ticket is kept, the code not shown
    s.form = RequestForm {};
    c.forget_text = true;
    s.ticket = a.saved.value();
    make_ticket_qr(c);
    s.print_message.clear();
    s.stack.resize(s.home_depth());
    s.stack.push_back({ScreenId::RequestDone, {}});
    c.ui_reset = true;
}

void handle(Ctx& c, act::PrintReceipt const&) {
    auto& s = c.s;
    if (!s.ticket || !c.has_desk || s.printing)
        return; // a second tap while printing prints once
    s.printing = true;
    c.effects.push_back(
        fx::PrintReceipt {*s.ticket, s.ticket_qr, s.lang, s.institution.name.get(s.lang)});
}

void handle(Ctx& c, act::ReceiptPrinted const& a) {
    if (!a.printed.ok())
        log::warn("kiosk", "receipt: " + a.printed.error().message);
    if (c.gone(a.visit))
        return;
    c.s.printing = false;
    c.s.print_message = tr(c.s.lang, a.printed.ok() ? S::ReceiptPrinting : S::PrinterUnavailable);
}

} // namespace kiosk::request
