// What a visitor (or staff) asked for: one small struct per action, with a typed payload. Screens
// return them, the App dispatches them with std::visit, so an action nobody handles fails to build.
#pragma once

#include "ksd/taxonomy.h"
#include "model/state.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace kiosk {

namespace act {

// Navigation and the chrome.
struct Wake { };
struct Back { };
struct Home { };
struct SetLang {
    ksd::Lang lang;
};
struct ToggleTextSize { };
struct ToggleContrast { }; // high contrast (7:1) on or off
struct ReadAloud { }; // the speaker button: read the screen's text, or stop reading it
struct StillHere { }; // "Masih di sana?" answered
// "Buang isian?" answered: keep typing, or leave wiping the form.
struct KeepForm { };
struct DiscardForm { };

// Browsing the content.
struct OpenSection {
    std::string id;
};
struct OpenPage {
    std::string id;
};
struct OpenAgreement {
    int64_t id;
};
struct OpenPotential {
    std::string id;
};
struct OpenLink {
    std::string href; // page:ID or section:ID
};
// An outside (http/https) link tapped in a text: its QR code is shown.
struct ShowLinkQr {
    std::string url;
};
struct CloseLinkQr { };
struct ToggleFaq {
    std::string id;
};

// The register's search and filters.
struct SetQuery {
    std::string text;
};
struct ShowKeyboard { };
struct HideKeyboard { };
struct OpenPicker {
    Picker picker;
};
struct ClosePicker { };
struct SetKind {
    std::optional<std::string> kind; // none: all kinds
};
struct SetSector {
    std::optional<std::string> sector; // none: all sectors
};
struct SetStatus {
    std::optional<ksd::AgreementStatus> status; // none: all statuses
};
struct SetImplementation {
    std::optional<ksd::ImplementationState> state; // none: all implementation states
};

// The request wizard.
struct OpenRequest { };
// An option of a step (visitor category on Who, topic on Topic).
struct Choose {
    Step step;
    std::string code;
};
struct ChooseSector {
    std::string code; // empty: no sector
};
struct OpenSectorPicker { };
struct CloseSectorPicker { };
struct Focus {
    Field field;
};
struct SetField {
    Field field;
    std::string value;
};
struct ToggleConsent { };
struct ToggleEmailReplies { };
struct NextStep { };
struct Submit { };
struct PrintReceipt { };

// The status lookup.
struct OpenStatus { };
struct LookUp { };

// Staff mode.
struct StaffGesture { }; // a tap on the home screen's title (or the "being updated" heading)
struct StaffPinEntered { };
struct StaffRefresh { };
struct StaffImport {
    std::string path; // of the pack on the USB stick
};
struct StaffRequeue { }; // release the quarantined tickets back to the queue
struct StaffExportQueue { }; // issue 14: the queue export onto the USB stick
struct StaffApplyAck { }; // issue 14: the server's acknowledgements found on the USB stick
struct StaffExit { };

// The satisfaction survey (features/survey.h).
struct OpenSurvey { }; // the home tile, or the invitation after a request
struct SurveyStart { }; // "Mulai survei" on its intro
struct SurveyAnswer {
    int value; // 1..4, worst first
};
struct SurveySkip { }; // "Lewati": the question stays unanswered (0)
struct SurveyChoose {
    SurveyChoice field;
    std::string code; // a code of skm.h's list; the chosen one tapped again clears it
};
struct SurveyNext { }; // from the first page about the respondent to the second
struct SurveySend { };

} // namespace act

using Action = std::variant<act::Wake, act::Back, act::Home, act::SetLang, act::ToggleTextSize,
    act::ToggleContrast, act::ReadAloud, act::StillHere, act::KeepForm, act::DiscardForm,
    act::OpenSection, act::OpenPage, act::OpenAgreement, act::OpenPotential, act::OpenLink,
    act::ShowLinkQr, act::CloseLinkQr, act::ToggleFaq, act::SetQuery, act::ShowKeyboard,
    act::HideKeyboard, act::OpenPicker, act::ClosePicker, act::SetKind, act::SetSector,
    act::SetStatus, act::SetImplementation, act::OpenRequest, act::Choose, act::ChooseSector,
    act::OpenSectorPicker, act::CloseSectorPicker, act::Focus, act::SetField, act::ToggleConsent,
    act::ToggleEmailReplies, act::NextStep, act::Submit, act::PrintReceipt, act::OpenStatus,
    act::LookUp, act::StaffGesture, act::StaffPinEntered, act::StaffRefresh, act::StaffImport,
    act::StaffRequeue, act::StaffExit, act::OpenSurvey, act::SurveyStart, act::SurveyAnswer,
    act::SurveySkip, act::SurveyChoose, act::SurveyNext, act::SurveySend, act::StaffExportQueue,
    act::StaffApplyAck>;

} // namespace kiosk
