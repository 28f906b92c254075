// Checks of what a visitor types into the consultation form; see request.h.
#include "ksd/request.h"

#include "ksd/utf8.h"

#include <phonenumbers/phonenumberutil.h>
#include <phonenumbers/shortnumberinfo.h>

#include <algorithm>
#include <array>

namespace ksd {

namespace {

namespace pn = i18n::phonenumbers;

bool is_trimmed(char c, bool multiline) {
    return c == ' ' || (multiline && c == '\n');
}

std::string_view trim(std::string_view s, bool multiline) {
    while (!s.empty() && is_trimmed(s.front(), multiline))
        s.remove_prefix(1);
    while (!s.empty() && is_trimmed(s.back(), multiline))
        s.remove_suffix(1);
    return s;
}

// C0 and C1 controls, DEL, and the invisible characters used to disguise text: zero-width
// spaces and joiners, bidi marks, embeddings, overrides and isolates, word joiner and invisible
// operators, line/paragraph separators and the byte order mark.
bool is_control(char32_t cp, bool multiline) {
    if (cp == '\n')
        return !multiline;
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x180E
        || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E)
        || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF;
}

// Short codes that must never be taken as a contact number, whatever the metadata says:
// police, emergency, SAR, fire, ambulance, disaster, and the like.
constexpr std::array<std::string_view, 7> emergency_codes {
    "110", "112", "113", "115", "118", "119", "129"};

// The domain rule for Indonesian mobiles: national part 8[1-35-9] then 7 to 10 digits.
bool is_indonesian_mobile(std::string const& national) {
    if (national.size() < 9 || national.size() > 12 || national[0] != '8' || national[1] == '0'
        || national[1] == '4')
        return false;
    for (char c : national)
        if (c < '0' || c > '9')
            return false;
    return true;
}

// A parsed number acceptable as a contact: Indonesian mobiles by the domain rule, Indonesian
// fixed lines and foreign numbers as libphonenumber's metadata validates them. Empty when not.
std::string accept(std::string const& text, char const* region) {
    auto const& util = *pn::PhoneNumberUtil::GetInstance();
    pn::PhoneNumber number;
    if (util.Parse(text, region, &number) != pn::PhoneNumberUtil::NO_PARSING_ERROR)
        return {};
    std::string national;
    util.GetNationalSignificantNumber(number, &national);
    if (number.country_code() == 62) {
        if (!national.empty() && national[0] == '8') {
            // 08xx: mobiles only (0800 toll-free and 0809 premium fail the rule).
            if (!is_indonesian_mobile(national))
                return {};
            return "+62" + national;
        }
        auto type = util.GetNumberType(number);
        if (!util.IsValidNumber(number)
            || (type != pn::PhoneNumberUtil::FIXED_LINE
                && type != pn::PhoneNumberUtil::FIXED_LINE_OR_MOBILE))
            return {};
    } else if (!util.IsValidNumber(number)) {
        return {};
    }
    std::string e164;
    util.Format(number, pn::PhoneNumberUtil::E164, &e164);
    return e164;
}

bool is_short_code(std::string const& digits) {
    if (std::find(emergency_codes.begin(), emergency_codes.end(), digits) != emergency_codes.end())
        return true;
    static pn::ShortNumberInfo const info;
    if (info.IsEmergencyNumber(digits, "ID") || info.ConnectsToEmergencyNumber(digits, "ID"))
        return true;
    pn::PhoneNumber number;
    if (pn::PhoneNumberUtil::GetInstance()->Parse(digits, "ID", &number)
            == pn::PhoneNumberUtil::NO_PARSING_ERROR
        && info.IsPossibleShortNumberForRegion(number, "ID"))
        return true;
    // No mobile or fixed-line number is this short: whatever it is, it is a service code.
    return digits.size() <= 6 && digits[0] != '0';
}

bool is_email_local_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || std::string_view("!#$%&'*+/=?^_`{|}~.-").find(c) != std::string_view::npos;
}

bool is_label_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

} // namespace

FieldProblem check_text(std::string_view value, size_t min_chars, size_t max_chars, bool multiline,
    ShowableFn const& showable) {
    if (!utf8::is_valid(value))
        return FieldProblem::InvalidUtf8;
    std::string_view text = trim(value, multiline);
    if (text.empty())
        return min_chars > 0 ? FieldProblem::Required : FieldProblem::None;
    size_t count = 0;
    for (size_t i = 0; i < text.size();) {
        char32_t cp = utf8::decode(text, i);
        ++count;
        if (is_control(cp, multiline))
            return FieldProblem::ControlCharacter;
        if (cp != '\n' && showable && !showable(cp))
            return FieldProblem::Unshowable;
    }
    if (count < min_chars)
        return FieldProblem::TooShort;
    if (count > max_chars)
        return FieldProblem::TooLong;
    return FieldProblem::None;
}

PhoneResult normalize_phone(std::string_view typed) {
    PhoneResult r;
    std::string_view text = trim(typed, false);
    if (text.empty())
        return r;
    if (!utf8::is_valid(text)) {
        r.problem = FieldProblem::PhoneInvalid;
        return r;
    }
    if (utf8::length(text) > RequestLimits::phone_max) {
        r.problem = FieldProblem::TooLong;
        return r;
    }
    // Digits, one leading '+', and the separators people type.
    std::string digits;
    bool plus = false;
    for (char c : text) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c == '+' && digits.empty() && !plus)
            plus = true;
        else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            r.problem = FieldProblem::PhoneInvalid;
            return r;
        }
    }
    if (digits.empty()) {
        r.problem = FieldProblem::PhoneInvalid;
        return r;
    }
    // Emergency and service short codes, typed bare or behind +62.
    std::string bare = plus && digits.starts_with("62") ? digits.substr(2) : digits;
    if (!bare.empty() && (!plus || digits.starts_with("62")) && is_short_code(bare)) {
        r.problem = FieldProblem::PhoneEmergency;
        return r;
    }
    std::string e164;
    if (plus) {
        e164 = accept("+" + digits, "ZZ");
    } else {
        // "62812..." is +62 without its plus; anything else without a country code is read as
        // Indonesian ("0812...", "0761 ...", or "812..." without the trunk 0).
        if (digits.starts_with("62"))
            e164 = accept("+" + digits, "ZZ");
        if (e164.empty())
            e164 = accept(digits, "ID");
    }
    if (e164.empty())
        r.problem = FieldProblem::PhoneInvalid;
    else
        r.e164 = std::move(e164);
    return r;
}

FieldProblem check_email(std::string_view typed) {
    std::string_view email = trim(typed, false);
    if (email.empty())
        return FieldProblem::None;
    if (email.size() > RequestLimits::email_max)
        return FieldProblem::TooLong;
    auto at = email.find('@');
    if (at == std::string_view::npos || email.find('@', at + 1) != std::string_view::npos)
        return FieldProblem::EmailInvalid;
    std::string_view local = email.substr(0, at);
    std::string_view domain = email.substr(at + 1);
    if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.'
        || local.find("..") != std::string_view::npos
        || !std::all_of(local.begin(), local.end(), is_email_local_char))
        return FieldProblem::EmailInvalid;
    if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos)
        return FieldProblem::EmailInvalid;
    std::string_view last_label;
    for (size_t start = 0; start <= domain.size();) {
        size_t dot = domain.find('.', start);
        if (dot == std::string_view::npos)
            dot = domain.size();
        std::string_view label = domain.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-'
            || !std::all_of(label.begin(), label.end(), is_label_char))
            return FieldProblem::EmailInvalid;
        last_label = label;
        start = dot + 1;
    }
    // A top-level domain has at least two characters and is never all digits ("a@1.2.3.4").
    if (last_label.size() < 2 || std::all_of(last_label.begin(), last_label.end(), [](char c) {
            return c >= '0' && c <= '9';
        }))
        return FieldProblem::EmailInvalid;
    return FieldProblem::None;
}

ContactCheck check_contact(ContactFields const& f, ShowableFn const& showable) {
    ContactCheck c;
    c.name = check_text(f.name, 1, RequestLimits::name_max, false, showable);
    c.organisation
        = check_text(f.organisation, 0, RequestLimits::organisation_max, false, showable);
    auto phone = normalize_phone(f.phone);
    c.phone = phone.problem;
    c.phone_e164 = std::move(phone.e164);
    c.email = check_email(f.email);
    if (trim(f.phone, false).empty() && trim(f.email, false).empty())
        c.contact = FieldProblem::ContactMissing;
    return c;
}

FieldProblem check_question(std::string_view question, ShowableFn const& showable) {
    return check_text(
        question, RequestLimits::question_min, RequestLimits::question_max, true, showable);
}

std::string_view problem_message(FieldProblem p, Lang l) {
    bool const id = l == Lang::Id;
    switch (p) {
    case FieldProblem::None:
        return "";
    case FieldProblem::Required:
        return id ? "Bagian ini perlu diisi." : "This field is required.";
    case FieldProblem::TooShort:
        return id ? "Terlalu pendek, mohon tulis sedikit lebih banyak."
                  : "Too short, please write a little more.";
    case FieldProblem::TooLong:
        return id ? "Terlalu panjang, melebihi batas jumlah karakter."
                  : "Too long, over the character limit.";
    case FieldProblem::InvalidUtf8:
        return id ? "Ada karakter yang tidak terbaca." : "Some characters cannot be read.";
    case FieldProblem::ControlCharacter:
        return id ? "Ada karakter tak terlihat atau tidak diizinkan."
                  : "There are invisible or disallowed characters.";
    case FieldProblem::Unshowable:
        return id ? "Ada huruf yang tidak dapat ditampilkan."
                  : "Some characters cannot be displayed.";
    case FieldProblem::PhoneEmergency:
        return id ? "Nomor darurat atau nomor layanan singkat tidak dapat digunakan."
                  : "Emergency or short service numbers cannot be used.";
    case FieldProblem::PhoneInvalid:
        return id ? "Nomor telepon tidak valid, contoh: 0812 3456 7890."
                  : "The phone number is not valid, e.g. 0812 3456 7890.";
    case FieldProblem::EmailInvalid:
        return id ? "Alamat e-mail tidak valid, contoh: nama@contoh.id."
                  : "The e-mail address is not valid, e.g. name@example.com.";
    case FieldProblem::ContactMissing:
        return id ? "Isi nomor telepon atau e-mail agar kami dapat menghubungi Anda."
                  : "Give a phone number or an e-mail so we can reach you.";
    }
    return "";
}

std::string tidy_text(std::string_view value, bool multiline) {
    std::string_view text = trim(value, multiline);
    if (multiline)
        return std::string(text);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == ' ' && !out.empty() && out.back() == ' ')
            continue;
        out += c;
    }
    return out;
}

} // namespace ksd
