// The idle reset as the split state promises it: a visit's part (model/visit.h) starts afresh,
// everything of it gone, while the device's part (model/state.h) outlives the visitor.
#include "kiosk_fixture.h"
#include "test_support.h"

using namespace kiosk;
using kiosk::test::ok;

namespace {

// Every field of Visit, one by one, against how a visit starts. A field added to Visit is
// added here too.
void check_fresh(Visit const& v, ksd::Lang lang) {
    CHECK(v.lang == lang);
    REQUIRE(v.stack.size() == 1);
    CHECK(v.stack.front().screen == ScreenId::Attract);
    CHECK(v.stack.front().ref.empty());
    CHECK(v.text_size == ui::TextSize::Normal);
    CHECK(v.contrast == ui::Contrast::Standard);
    CHECK_FALSE(v.idle_prompt);
    CHECK(v.idle_seconds_left == 0);

    CHECK(v.load_error.empty());
    CHECK(v.pages.empty());
    CHECK_FALSE(v.page);
    CHECK(v.doc.blocks.empty());
    CHECK(v.doc.links.empty());
    CHECK(v.reg.query.empty());
    CHECK_FALSE(v.reg.kind);
    CHECK_FALSE(v.reg.sector);
    CHECK_FALSE(v.reg.status);
    CHECK_FALSE(v.reg.keyboard_open);
    CHECK(v.reg.picker == Picker::None);
    CHECK(v.reg.results.empty());
    CHECK(v.reg.total == 0);
    CHECK_FALSE(v.agreement);
    CHECK(v.potentials.empty());
    CHECK_FALSE(v.potential);
    CHECK(v.faq.empty());
    CHECK(v.faq_docs.empty());
    CHECK(v.faq_open.empty());
    CHECK(v.contacts.empty());
    CHECK(v.link_qr.empty());

    auto const& f = v.form;
    CHECK(f.step == Step::Who);
    CHECK(f.category.empty());
    CHECK(f.topic.empty());
    CHECK(f.sector.empty());
    CHECK(f.name.empty());
    CHECK(f.phone.empty());
    CHECK(f.email.empty());
    CHECK(f.organisation.empty());
    CHECK(f.question.empty());
    CHECK_FALSE(f.consent);
    CHECK(f.email_replies == ksd::ReplyByEmail::No);
    CHECK(f.focus == Field::None);
    CHECK_FALSE(f.sector_picker);
    CHECK_FALSE(f.show_problems);
    CHECK(f.contact.ok());
    CHECK(f.contact.phone_e164.empty());
    CHECK(f.question_problem == ksd::FieldProblem::None);
    CHECK_FALSE(f.choice_missing);
    CHECK_FALSE(f.save_failed);
    CHECK_FALSE(f.saving);
    CHECK_FALSE(f.opening);

    CHECK_FALSE(v.ticket);
    CHECK(v.ticket_qr.kind == ksd::TicketQrKind::Code);
    CHECK(v.ticket_qr.data.empty());
    CHECK_FALSE(v.discard_prompt);
    CHECK(v.print_message.empty());
    CHECK_FALSE(v.printing);

    auto const& st = v.status;
    CHECK(st.code.empty());
    CHECK(st.check.empty());
    CHECK(st.focus == Field::Code);
    CHECK_FALSE(st.searched);
    CHECK_FALSE(st.found);
    CHECK_FALSE(st.failed);
    CHECK(st.missing == Field::None);
    CHECK(st.locked_until_ms == 0);
    CHECK_FALSE(st.looking_up);

    auto const& sf = v.staff;
    CHECK(sf.pin.empty());
    CHECK(sf.message.empty());
    CHECK(sf.info.device_id.empty());
    CHECK(sf.info.held.empty());
    CHECK(sf.packs.empty());
    CHECK(sf.import_message.empty());
    CHECK_FALSE(sf.import_ok);
    CHECK(sf.imported_version == 0);
    CHECK(sf.requeue_message.empty());
    CHECK_FALSE(sf.checking_pin);
    CHECK_FALSE(sf.importing);
    CHECK(sf.import_progress.stage == ksd::ImportStage::Checking);
    CHECK(sf.import_progress.done == 0);
    CHECK(sf.import_progress.size == 0);

    auto const& sv = v.survey;
    CHECK(sv.page == SurveyPage::Intro);
    CHECK(sv.question == 0);
    CHECK(sv.answers == std::array<int, ksd::skm_element_count> {});
    CHECK(sv.respondent.gender.empty());
    CHECK(sv.respondent.age_band.empty());
    CHECK(sv.respondent.education.empty());
    CHECK(sv.respondent.occupation.empty());
    CHECK_FALSE(sv.saving);
    CHECK_FALSE(sv.save_failed);
    CHECK_FALSE(sv.nothing_answered);
    CHECK(sv.thanks_since_ms == 0);
    CHECK(sv.shown_at_ms == 0);
}

ksd::Section const& section_of_kind(State const& s, std::string_view kind) {
    for (auto const& sec : s.sections)
        if (sec.kind == kind)
            return sec;
    FAIL("the sample content has no section of kind " << kind);
    return s.sections.front();
}

// Lets the quiet time and the countdown of "Masih di sana?" pass: the idle reset.
void let_idle_reset(Host& h) {
    auto const& opt = h.app().options();
    int64_t t = h.app().now_ms() + opt.idle_done_ms + opt.idle_countdown_ms + 1000;
    h.advance(t - opt.idle_countdown_ms, h.app().state().unix_time + 60);
    h.advance(t, h.app().state().unix_time + 60);
}

} // namespace

TEST_CASE("the idle reset leaves nothing of a visit behind") {
    ksd::test::TempDir dir;
    auto k = test::make_kiosk_with_desk(test::desk_in(dir));
    auto& h = k->host();
    App& app = h.app();
    auto const& s = app.state();

    // A visit that touches every part of Visit, through the actions the screens return.
    app.apply(act::Wake {});
    app.apply(act::SetLang {ksd::Lang::En});
    app.apply(act::ToggleTextSize {});
    app.apply(act::ToggleContrast {});
    // A request saved: the ticket, its QR code and the receipt's message stay on its screen.
    app.apply(act::OpenRequest {});
    REQUIRE(s.screen() == ScreenId::Request);
    app.apply(act::Choose {Step::Who, "pihak-ketiga"});
    app.apply(act::Choose {Step::Topic, "rencana"});
    app.apply(act::ChooseSector {"pertanian"});
    app.apply(act::SetField {Field::Name, "Siti Rahma"});
    app.apply(act::SetField {Field::Phone, "0812-3456-7890"});
    app.apply(act::SetField {Field::Question, "Dokumen apa yang perlu disiapkan?"});
    app.apply(act::ToggleConsent {});
    app.apply(act::Submit {});
    REQUIRE(s.screen() == ScreenId::RequestDone);
    app.apply(act::PrintReceipt {});
    // The status lookup of that ticket, on top.
    std::string code = s.ticket->code;
    app.apply(act::OpenStatus {});
    app.apply(act::SetField {Field::Code, code});
    app.apply(act::SetField {Field::Check, "7890"});
    app.apply(act::LookUp {});
    // Browsing every kind of section on top of it.
    app.apply(act::OpenSection {section_of_kind(s, "register").id});
    app.apply(act::SetQuery {"kelapa"});
    app.apply(act::SetStatus {ksd::AgreementStatus::Active});
    app.apply(act::SetQuery {""});
    app.apply(act::ShowKeyboard {});
    app.apply(act::OpenPicker {Picker::Sector});
    REQUIRE_FALSE(s.reg.results.empty());
    app.apply(act::OpenAgreement {s.reg.results.front().id});
    app.apply(act::OpenSection {section_of_kind(s, "potential").id});
    REQUIRE_FALSE(s.potentials.empty());
    app.apply(act::OpenPotential {s.potentials.front().id});
    app.apply(act::OpenSection {section_of_kind(s, "faq").id});
    REQUIRE_FALSE(s.faq.empty());
    app.apply(act::ToggleFaq {s.faq.front().id});
    app.apply(act::OpenSection {section_of_kind(s, "contacts").id});
    app.apply(act::OpenSection {section_of_kind(s, "pages").id});
    app.apply(act::ShowLinkQr {"https://jdih.example.go.id/perda/2024/7"});
    // Staff's PIN pad, a PIN typed and refused.
    for (int i = 0; i < 5; ++i)
        app.apply(act::StaffGesture {});
    REQUIRE(s.screen() == ScreenId::StaffPin);
    app.apply(act::SetField {Field::Pin, "12"});
    app.apply(act::StaffPinEntered {});
    app.apply(act::SetField {Field::Pin, "34"});
    // The satisfaction survey begun: an answer, skips, the respondent's gender; not sent. A
    // second apart: a tap right after a page turns is taken for a double tap.
    auto survey = [&](Action const& a) {
        h.advance(app.now_ms() + 1000, s.unix_time + 1);
        app.apply(a);
    };
    survey(act::OpenSurvey {});
    survey(act::SurveyStart {});
    survey(act::SurveyAnswer {4});
    for (int i = 1; i < ksd::skm_element_count; ++i)
        survey(act::SurveySkip {});
    survey(act::SurveyChoose {SurveyChoice::Gender, "f"});
    REQUIRE(s.screen() == ScreenId::Survey);
    // A second request begun, then "Beranda": "Buang isian?" waits for an answer.
    app.apply(act::OpenRequest {});
    app.apply(act::Choose {Step::Who, "pihak-ketiga"});
    app.apply(act::Focus {Field::Name});
    app.apply(act::SetField {Field::Name, "Budi"});
    app.apply(act::OpenSectorPicker {});
    app.apply(act::Home {});

    // What the visit left, to be sure the test sets what it then expects gone.
    CHECK(s.lang == ksd::Lang::En);
    CHECK(s.text_size == ui::TextSize::Large);
    CHECK(s.contrast == ui::Contrast::High);
    CHECK(s.stack.size() > 3);
    CHECK(s.ticket);
    CHECK_FALSE(s.ticket_qr.data.empty());
    CHECK_FALSE(s.print_message.empty());
    CHECK(s.status.searched);
    CHECK(s.status.found);
    CHECK(s.reg.status);
    CHECK(s.reg.picker == Picker::Sector);
    CHECK(s.agreement);
    CHECK(s.potential);
    CHECK_FALSE(s.faq_open.empty());
    CHECK_FALSE(s.contacts.empty());
    CHECK_FALSE(s.pages.empty());
    CHECK_FALSE(s.link_qr.empty());
    CHECK_FALSE(s.staff.message.empty());
    CHECK(s.staff.pin == "34");
    CHECK(s.form.name == "Budi");
    CHECK(s.form.sector_picker);
    CHECK(s.discard_prompt);
    CHECK(s.survey.answers[0] == 4);
    CHECK(s.survey.respondent.gender == "f");
    CHECK(s.survey.page == SurveyPage::AboutYou);

    let_idle_reset(h);
    check_fresh(s.visit(), ksd::Lang::Id);
}

TEST_CASE("the idle reset keeps the device's part: config, clock, pack header, lookup pause") {
    ksd::test::TempDir dir;
    AppOptions options;
    options.default_lang = ksd::Lang::En;
    options.retention_days = 45;
    options.office = {"Bagian Kerja Sama", "0812 0000 1111", "Jl. Contoh 1", "08.00-16.00"};
    options.zone = ksd::Zone {480};
    auto k = test::make_kiosk_with_desk(test::desk_in(dir), {800, 480}, options);
    auto& h = k->host();
    App& app = h.app();
    auto const& s = app.state();
    app.set_clock_trusted(true);
    Device const before = s.device();
    REQUIRE(before.have_pack);
    REQUIRE_FALSE(before.sections.empty());
    REQUIRE(before.content_version != 0);

    // Five wrong status lookups: the pause is the device's, not the visitor's.
    app.apply(act::Wake {});
    app.apply(act::OpenStatus {});
    for (int i = 0; i < 5; ++i) {
        app.apply(act::SetField {Field::Code, "7K3QD-9MRT9"});
        app.apply(act::SetField {Field::Check, std::to_string(1000 + i)});
        app.apply(act::LookUp {});
    }
    int64_t locked_until = s.lookup_locked_until;
    REQUIRE(locked_until > app.now_ms());
    // One more wrong pair after the pause would count from here.
    app.apply(act::Home {});
    app.reset_to_attract();

    CHECK(s.lang == ksd::Lang::En);
    CHECK(s.default_lang == ksd::Lang::En);
    CHECK(s.today == before.today);
    CHECK(s.unix_time == before.unix_time);
    CHECK(s.office.institution == "Bagian Kerja Sama");
    CHECK(s.office.phone == "0812 0000 1111");
    CHECK(s.office.address == "Jl. Contoh 1");
    CHECK(s.office.hours == "08.00-16.00");
    CHECK(s.zone.utc_offset_minutes == 480);
    CHECK(s.retention_days == 45);
    CHECK(s.have_pack);
    CHECK(s.demo == before.demo);
    CHECK(s.institution.name.get(ksd::Lang::Id) == before.institution.name.get(ksd::Lang::Id));
    REQUIRE(s.sections.size() == before.sections.size());
    for (size_t i = 0; i < s.sections.size(); ++i)
        CHECK(s.sections[i].id == before.sections[i].id);
    CHECK(s.highlights.size() == before.highlights.size());
    CHECK(s.content_version == before.content_version);
    CHECK(s.clock_trusted);
    CHECK(s.has_printer == before.has_printer);
    CHECK(s.lookup_locked_until == locked_until);
    // And the next visitor meets the pause.
    app.apply(act::Wake {});
    app.apply(act::OpenStatus {});
    CHECK(s.status.locked_until_ms == locked_until);
}
