// What a visitor types into the consultation form, checked before anything is saved: names and
// questions (length, UTF-8, characters the kiosk font can show), phone numbers normalised to
// E.164 (+62 for Indonesia, emergency short codes refused) and e-mail syntax. Messages are short,
// calm and in the visitor's language; the form shows them next to the field.
// The form never asks for NIK, address or birth date.
#pragma once

#include "ksd/taxonomy.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ksd {

// Limits in code points (what the visitor sees as characters), shown on screen as "12/1000".
struct RequestLimits {
    static constexpr size_t name_max = 80;
    static constexpr size_t organisation_max = 120;
    static constexpr size_t email_max = 254;
    static constexpr size_t phone_max = 20; // as typed, with + and spaces
    static constexpr size_t question_min = 10;
    static constexpr size_t question_max = 1000;
};

enum class FieldProblem : uint8_t {
    None,
    Required, // empty but needed
    TooShort,
    TooLong,
    InvalidUtf8,
    ControlCharacter, // tabs, escapes, zero-width tricks: anything but printable text and newlines
    Unshowable, // the kiosk's font has no glyph for a character
    PhoneEmergency, // 110, 112, 113, 115, 118, 119 and the like
    PhoneInvalid,
    EmailInvalid,
    ContactMissing, // neither phone nor e-mail
};

// Whether the kiosk's font can draw a code point; the kiosk passes its font's check, tests a
// table. Null: everything printable is taken as showable.
using ShowableFn = std::function<bool(char32_t)>;

// A free-text field: valid UTF-8, no control characters (newlines allowed only when multiline),
// every character showable, between min_chars and max_chars code points after trimming spaces
// at both ends (min_chars 0: optional).
FieldProblem check_text(std::string_view value, size_t min_chars, size_t max_chars,
    bool multiline = false, ShowableFn const& showable = {});

// A phone or WhatsApp number as typed ("0812-3456-7890", "+62 812 3456 7890", "62812...",
// "+44 20 7946 0958"). Numbers without a country code are read as Indonesian. Empty input is
// not a problem (the field is optional if an e-mail is given) and gives an empty e164.
// Accepted: Indonesian mobiles (national part 8[1-35-9] then 7 to 10 digits, typed 08..., 62...
// or +62 8...), Indonesian fixed lines and foreign numbers (with +) that libphonenumber holds
// valid. Digits, one leading '+', spaces, dashes, dots and parentheses may be typed; anything
// else is PhoneInvalid. Emergency and service short codes (110, 112, ..., 14045) are
// PhoneEmergency; more than RequestLimits::phone_max characters as typed is TooLong.
struct PhoneResult {
    FieldProblem problem {FieldProblem::None};
    std::string e164; // "+6281234567890" when valid
};
PhoneResult normalize_phone(std::string_view typed);

// Practical e-mail syntax: one @, a local part of allowed characters, a domain with a dot and
// labels of letters, digits and hyphens (ASCII only); longer than RequestLimits::email_max is
// TooLong. Spaces at both ends are ignored. Empty is None.
FieldProblem check_email(std::string_view);

// The contact step (3) as a whole.
struct ContactFields {
    std::string name;
    std::string phone; // as typed
    std::string email;
    std::string organisation;
};
struct ContactCheck {
    FieldProblem name {FieldProblem::None};
    FieldProblem phone {FieldProblem::None};
    FieldProblem email {FieldProblem::None};
    FieldProblem organisation {FieldProblem::None};
    FieldProblem contact {FieldProblem::None}; // ContactMissing when both phone and email empty
    std::string phone_e164;
    bool ok() const {
        return name == FieldProblem::None && phone == FieldProblem::None
            && email == FieldProblem::None && organisation == FieldProblem::None
            && contact == FieldProblem::None;
    }
};
ContactCheck check_contact(ContactFields const&, ShowableFn const& showable = {});

// The question step (4).
FieldProblem check_question(std::string_view, ShowableFn const& showable = {});

// One short sentence for the visitor, e.g. "Nomor darurat tidak dapat digunakan." /
// "Emergency numbers cannot be used.". Empty for None.
std::string_view problem_message(FieldProblem, Lang);

// Trims spaces (and, when multiline, newlines) at both ends, as check_text does before
// counting, and collapses runs of spaces inside single-line fields.
std::string tidy_text(std::string_view, bool multiline = false);

} // namespace ksd
