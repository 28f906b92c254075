// What one visit owns: where the visitor is, what was loaded for the screens on the way, and
// everything typed or chosen. App::reset_to_attract assigns a fresh Visit, so none of it can
// outlive the visit; what the kiosk keeps between visitors lives in Device (model/state.h).
#pragma once

#include "ksd/content_pack.h"
#include "ksd/markdown.h"
#include "ksd/pack_import.h"
#include "ksd/request.h"
#include "ksd/skm.h"
#include "ksd/ticket_qr.h"
#include "model/desk_view.h"
#include "ui/theme.h"

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiosk {

enum class ScreenId : uint8_t {
    Attract,
    Home,
    PageList,
    Article,
    Register,
    RegisterDetail,
    PotentialList,
    PotentialDetail,
    Faq,
    Contacts,
    Unavailable, // no valid pack: the calm "being updated" screen
    Request, // the consultation wizard
    RequestDone, // the ticket code after submitting
    RequestClosed, // new requests cannot be taken now (full disk, read-only partition)
    Status, // ticket status lookup
    StaffPin, // the staff PIN pad, after the hidden gesture
    Staff, // staff mode
    Survey, // the satisfaction survey (SKM, issue 14): intro, nine questions, about you
    SurveyThanks, // after the survey is saved; returns home by itself
};

// Text fields of the request, status and staff screens; the focused one has the keyboard.
enum class Field : uint8_t { None, Name, Phone, Email, Organisation, Question, Code, Check, Pin };

// The wizard's steps, in order.
enum class Step : uint8_t { Who, Topic, Contact, Question, Consent, Review };
inline constexpr int step_count = 6;

struct RequestForm {
    Step step {Step::Who};
    std::string category; // codes of ksd::visitor_categories / request_topics / sectors
    std::string topic;
    std::string sector;
    std::string name;
    std::string phone; // as typed
    std::string email;
    std::string organisation;
    std::string question;
    bool consent {false}; // never pre-ticked
    // The separate, optional box "Kirim balasan ke e-mail saya" (only with an e-mail); never
    // pre-ticked either.
    ksd::ReplyByEmail email_replies {ksd::ReplyByEmail::No};
    Field focus {Field::None};
    bool sector_picker {false};
    // Problems are shown once the visitor pressed "Lanjut" on the step.
    bool show_problems {false};
    ksd::ContactCheck contact;
    ksd::FieldProblem question_problem {ksd::FieldProblem::None};
    bool choice_missing {false}; // steps 1, 2 and 5: nothing chosen / consent not given
    bool save_failed {false}; // "Maaf, permintaan belum tersimpan"
    bool saving {false}; // "Menyimpan…": the worker is saving it (a tap on "Kirim" again waits)
    // The worker asks the desk whether requests are taken before the form opens (a second tap on
    // the way in waits for that answer).
    bool opening {false};
};

struct StatusForm {
    std::string code;
    std::string check; // last four digits of the phone, or the e-mail
    Field focus {Field::Code};
    bool searched {false};
    std::optional<TicketView> found;
    bool failed {false}; // the database could not be read
    // "Cek Status" pressed with a field empty: that field is asked for by name (not "no match").
    Field missing {Field::None};
    int64_t locked_until_ms {0}; // after several wrong pairs, a pause
    bool looking_up {false}; // "Mencari…": the worker is reading the database
};

// A message made once in both languages, so that switching the language while it is shown shows
// it in the new one (what it reports, e.g. a file written, is not done again).
struct TwoLang {
    std::string id;
    std::string en;
    std::string const& in(ksd::Lang l) const {
        switch (l) {
        case ksd::Lang::Id:
            return id;
        case ksd::Lang::En:
            return en;
        }
        return id;
    }
};

struct StaffState {
    std::string pin;
    std::string message; // wrong PIN, wait, not configured
    StaffInfo info;
    std::vector<ksd::PackCandidate> packs;
    std::string import_message; // why an import was refused
    bool import_ok {false};
    int64_t imported_version {0}; // of the pack just installed (shown as its date)
    std::string requeue_message; // after "Send held requests again"
    bool checking_pin {false}; // "Memeriksa PIN…": Argon2id on the worker
    bool importing {false}; // a pack import runs on the worker
    ksd::ImportProgress import_progress; // how far (a bar with bytes)
    // Issue 14, queue export by USB: an export or an acknowledgement runs on the worker, and
    // what it did (or why not) for the staff screen.
    bool usb_busy {false};
    bool usb_ok {false};
    TwoLang usb_message;
};

// The read-aloud (issue 14): espeak-ng renders the screen's text on the worker (Preparing),
// then it plays until it ends, the visitor stops it, or leaves the screen.
enum class Speech : uint8_t { Off, Preparing, Playing };

// The satisfaction survey (features/survey.h): its pages in order, the answers so far and the
// optional respondent data. Nothing of a request is in it: the survey is anonymous.
enum class SurveyPage : uint8_t { Intro, Question, AboutYou, AboutWork };
// The respondent fields of the regulation's form (ksd::skm_genders() ...).
enum class SurveyChoice : uint8_t { Gender, AgeBand, Education, Occupation };

struct SurveyForm {
    SurveyPage page {SurveyPage::Intro};
    int question {0}; // 0..8 on SurveyPage::Question
    std::array<int, ksd::skm_element_count> answers {}; // 1..4, 0: skipped
    ksd::SkmRespondent respondent;
    bool saving {false}; // "Menyimpan…": the worker saves it (a second "Kirim" waits)
    bool save_failed {false}; // a calm message; the answers stay for "Kirim" again
    bool nothing_answered {false}; // "Kirim" with every question skipped: nothing to save
    int64_t thanks_since_ms {0}; // when the thank-you screen came (it returns home by itself)
    // When the page was turned: a tap just after it is the second half of a double tap on the
    // page before (an answer moves on by itself), not an answer to this one.
    int64_t shown_at_ms {0};
};

enum class Picker : uint8_t { None, Kind, Sector, Status, Implementation };

struct RegisterState {
    std::string query;
    std::optional<std::string> kind;
    std::optional<std::string> sector;
    std::optional<ksd::AgreementStatus> status;
    std::optional<ksd::ImplementationState> implementation; // monev (issue 14)
    bool keyboard_open {false};
    Picker picker {Picker::None};
    std::vector<ksd::Agreement> results;
    int64_t total {0};
};

// How a visitor leaves a screen: "Kembali" (one step or screen back) or "Beranda" (home).
enum class LeaveBy : uint8_t { Back, Home };

struct NavEntry {
    ScreenId screen;
    std::string ref; // section id, page id, agreement id, potential id
};

struct Visit {
    // The first two are set at the start of a visit (App::reset_to_attract): the kiosk's
    // default language, and the attract screen or, without a pack, the "being updated" one.
    ksd::Lang lang {ksd::Lang::Id};
    std::vector<NavEntry> stack {{ScreenId::Attract, {}}};
    ui::TextSize text_size {ui::TextSize::Normal};
    ui::Contrast contrast {ui::Contrast::Standard};
    bool idle_prompt {false};
    int idle_seconds_left {0};
    Speech speech {Speech::Off};

    // Loaded for the screens of the stack.
    std::string load_error; // a query failed: say so calmly
    std::vector<ksd::PageSummary> pages;
    std::optional<ksd::Page> page;
    ksd::md::Document doc; // the article, potential or FAQ body being shown
    RegisterState reg;
    std::optional<ksd::Agreement> agreement;
    std::vector<ksd::Potential> potentials;
    std::optional<ksd::Potential> potential;
    std::vector<ksd::FaqEntry> faq;
    std::vector<ksd::md::Document> faq_docs;
    std::set<std::string> faq_open;
    std::vector<ksd::Contact> contacts;
    // An outside link tapped in a text: its QR code and address are shown over the screen.
    std::string link_qr;

    // The request wizard, the status lookup and staff mode.
    RequestForm form;
    std::optional<TicketView> ticket; // just saved, shown on RequestDone
    ksd::TicketQr ticket_qr; // what its QR code holds (status page, WhatsApp or the code)
    // "Buang isian?": Home or Back would leave a half-filled request; the action waits here
    // until the visitor keeps or discards what they typed.
    std::optional<LeaveBy> discard_prompt;
    std::string print_message;
    bool printing {false}; // "Mencetak…": the worker talks to the printer (up to seconds)
    StatusForm status;
    StaffState staff;
    SurveyForm survey;
};

} // namespace kiosk
