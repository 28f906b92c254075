// Tests of request.h: phone numbers (E.164, emergency codes, fixed lines, foreign partners),
// e-mail syntax, free text (length in code points, UTF-8, invisible characters, glyphs), the
// contact step as a whole and the visitor's messages in both languages.
#include "ksd/request.h"

#include <catch2/catch.hpp>
#include <string>

using namespace ksd;

namespace {
struct PhoneCase {
    char const* typed;
    FieldProblem problem;
    char const* e164;
};

std::string repeat(std::string const& s, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i)
        out += s;
    return out;
}
} // namespace

TEST_CASE("phone numbers are normalised to E.164 or refused", "[request]") {
    PhoneCase const cases[] = {
        // Indonesian mobiles, however they are typed.
        {"0812-3456-7890", FieldProblem::None, "+6281234567890"},
        {"+62 812 3456 7890", FieldProblem::None, "+6281234567890"},
        {"6281234567890", FieldProblem::None, "+6281234567890"},
        {"0812.3456.7890", FieldProblem::None, "+6281234567890"},
        {"(0812) 3456 7890", FieldProblem::None, "+6281234567890"},
        {"  0812 3456 7890  ", FieldProblem::None, "+6281234567890"},
        {"0811234567", FieldProblem::None, "+62811234567"}, // 10 digits, the shortest
        {"0812345678901", FieldProblem::None, "+62812345678901"}, // 13 digits, the longest
        {"+6285212345678", FieldProblem::None, "+6285212345678"},
        // Too short, too long, or not a mobile prefix (084x does not exist, 0800 is toll-free).
        {"081234567", FieldProblem::PhoneInvalid, ""},
        {"0812345", FieldProblem::PhoneInvalid, ""},
        {"08123456789012345", FieldProblem::PhoneInvalid, ""},
        {"08412345678", FieldProblem::PhoneInvalid, ""},
        {"0800 1234 567", FieldProblem::PhoneInvalid, ""},
        {"+6281234567", FieldProblem::PhoneInvalid, ""},
        // Emergency and service short codes.
        {"112", FieldProblem::PhoneEmergency, ""},
        {"110", FieldProblem::PhoneEmergency, ""},
        {"113", FieldProblem::PhoneEmergency, ""},
        {"115", FieldProblem::PhoneEmergency, ""},
        {"118", FieldProblem::PhoneEmergency, ""},
        {"119", FieldProblem::PhoneEmergency, ""},
        {"129", FieldProblem::PhoneEmergency, ""},
        {"1 1 2", FieldProblem::PhoneEmergency, ""},
        {"+62 112", FieldProblem::PhoneEmergency, ""},
        {"14045", FieldProblem::PhoneEmergency, ""}, // a call-centre short code
        {"1500", FieldProblem::PhoneEmergency, ""},
        // Indonesian fixed lines that libphonenumber validates: Pekanbaru (0761) and Jakarta.
        {"0761 21234", FieldProblem::None, "+6276121234"},
        {"(0761) 212345", FieldProblem::None, "+62761212345"},
        {"021-5555-1234", FieldProblem::None, "+622155551234"},
        {"+62 21 5555 1234", FieldProblem::None, "+622155551234"},
        // Foreign partners with their country code.
        {"+44 20 7946 0958", FieldProblem::None, "+442079460958"},
        {"+60 12-345 6789", FieldProblem::None, "+60123456789"},
        {"+44 20 7946", FieldProblem::PhoneInvalid, ""},
        // Letters and other garbage.
        {"0812-3456-789O", FieldProblem::PhoneInvalid, ""},
        {"call me", FieldProblem::PhoneInvalid, ""},
        {"0812 3456 7890 ext 2", FieldProblem::PhoneInvalid, ""},
        {"+", FieldProblem::PhoneInvalid, ""},
        {"++6281234567890", FieldProblem::PhoneInvalid, ""},
        {"0812+34567890", FieldProblem::PhoneInvalid, ""},
        {"---", FieldProblem::PhoneInvalid, ""},
        {"0812\t3456 7890", FieldProblem::PhoneInvalid, ""},
        {"\xff\xfe", FieldProblem::PhoneInvalid, ""},
        {"0 8 1 2 - 3 4 5 6 - 7 8 9 0", FieldProblem::TooLong, ""}, // over 20 as typed
        // Empty is not a problem here (check_contact asks for phone or e-mail).
        {"", FieldProblem::None, ""},
        {"   ", FieldProblem::None, ""},
    };
    for (auto const& c : cases) {
        INFO("typed: \"" << c.typed << "\"");
        auto r = normalize_phone(c.typed);
        CHECK(r.problem == c.problem);
        CHECK(r.e164 == c.e164);
    }
}

TEST_CASE("e-mail addresses have a practical syntax", "[request]") {
    CHECK(check_email("siti@contoh.id") == FieldProblem::None);
    CHECK(check_email("Siti.Rahma+ksd@pemkab-inhil.go.id") == FieldProblem::None);
    CHECK(check_email(" budi@contoh.co.id ") == FieldProblem::None); // trimmed
    CHECK(check_email("") == FieldProblem::None);
    CHECK(check_email("siti.contoh.id") == FieldProblem::EmailInvalid); // no @
    CHECK(check_email("siti@@contoh.id") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti@contoh@id.com") == FieldProblem::EmailInvalid); // two @
    CHECK(check_email("siti@localhost") == FieldProblem::EmailInvalid); // no dot in the domain
    CHECK(check_email("siti rahma@contoh.id") == FieldProblem::EmailInvalid); // spaces
    CHECK(check_email("siti@contoh .id") == FieldProblem::EmailInvalid);
    CHECK(check_email("@contoh.id") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti@") == FieldProblem::EmailInvalid);
    CHECK(check_email(".siti@contoh.id") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti..rahma@contoh.id") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti@contoh..id") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti@-contoh.id") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti@contoh.i") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti@10.0.0.1") == FieldProblem::EmailInvalid);
    CHECK(check_email("siti@contoh_desa.id") == FieldProblem::EmailInvalid);
    CHECK(check_email("sìti@contoh.id") == FieldProblem::EmailInvalid); // non-ASCII
    // Length: 254 is the limit, 255 is over it.
    // 195 characters, so the local part stays under 64. Built by appending: GCC 12 at -O2
    // warns (-Wrestrict, a known false positive) on "@" + std::string&&.
    std::string domain = "@";
    for (char const* label : {"a", "b", "c"}) {
        domain += repeat(label, 63);
        domain += ".";
    }
    domain += "id";
    std::string at_limit = repeat("x", 254 - domain.size()) + domain;
    REQUIRE(at_limit.size() == 254);
    CHECK(check_email(at_limit) == FieldProblem::None);
    std::string over = repeat("x", 255 - domain.size()) + domain;
    REQUIRE(over.size() == 255);
    CHECK(check_email(over) == FieldProblem::TooLong);
    CHECK(check_email(repeat("x", 65) + "@contoh.id") == FieldProblem::EmailInvalid); // local > 64
}

TEST_CASE("free text is checked in code points, for UTF-8, invisible characters and glyphs",
    "[request]") {
    // Length in code points: "é" is two bytes, "中" three, still one character each.
    CHECK(check_text(repeat("é", 80), 1, 80) == FieldProblem::None);
    CHECK(check_text(repeat("é", 81), 1, 80) == FieldProblem::TooLong);
    CHECK(check_text(repeat("a", 79) + "中", 1, 80) == FieldProblem::None);
    CHECK(check_text(repeat("a", 80) + "中", 1, 80) == FieldProblem::TooLong);
    CHECK(check_text("  " + repeat("a", 80) + "  ", 1, 80) == FieldProblem::None); // trimmed
    CHECK(check_text("", 1, 80) == FieldProblem::Required);
    CHECK(check_text("   ", 1, 80) == FieldProblem::Required);
    CHECK(check_text("", 0, 80) == FieldProblem::None);
    CHECK(check_text("terlalu", 10, 1000, true) == FieldProblem::TooShort);
    // Invalid UTF-8: a stray continuation byte, a truncated sequence, an overlong '/'.
    CHECK(check_text("Siti \x80", 1, 80) == FieldProblem::InvalidUtf8);
    CHECK(check_text("Siti \xe4\xb8", 1, 80) == FieldProblem::InvalidUtf8);
    CHECK(check_text("\xc0\xaf", 1, 80) == FieldProblem::InvalidUtf8);
    // Controls and invisible tricks.
    CHECK(check_text("Siti\tRahma", 1, 80) == FieldProblem::ControlCharacter);
    CHECK(check_text("Siti\x1b[31m", 1, 80) == FieldProblem::ControlCharacter);
    CHECK(check_text("Siti\xc2\x85", 1, 80) == FieldProblem::ControlCharacter); // C1 NEL
    CHECK(check_text("Si\xe2\x80\x8bti", 1, 80) == FieldProblem::ControlCharacter); // U+200B
    CHECK(check_text("Siti\xe2\x80\xae", 1, 80) == FieldProblem::ControlCharacter); // U+202E
    CHECK(check_text("Siti\xe2\x81\xa6", 1, 80) == FieldProblem::ControlCharacter); // U+2066
    CHECK(check_text("\xef\xbb\xbfSiti", 1, 80) == FieldProblem::ControlCharacter); // U+FEFF
    CHECK(check_text("Siti\x7f", 1, 80) == FieldProblem::ControlCharacter);
    // Newlines: refused in a single-line field, taken in a multiline one.
    CHECK(check_text("Siti\nRahma", 1, 80) == FieldProblem::ControlCharacter);
    CHECK(check_text("Baris satu\nbaris dua", 1, 80, true) == FieldProblem::None);
    CHECK(check_text("Baris satu\r\nbaris dua", 1, 80, true) == FieldProblem::ControlCharacter);
    // The kiosk font's glyphs decide what is showable.
    ShowableFn no_han = [](char32_t cp) { return cp != U'\u4E2D'; };
    CHECK(check_text("Kerja sama 中国", 1, 80, false, no_han) == FieldProblem::Unshowable);
    CHECK(check_text("Kerja sama Tiongkok", 1, 80, false, no_han) == FieldProblem::None);
    CHECK(check_text("Kerja sama 中国", 1, 80) == FieldProblem::None); // no font check given
    CHECK(check_text("Baris\nkedua", 1, 80, true, no_han) == FieldProblem::None);
    // The question step: 10 to 1000 characters, newlines allowed.
    CHECK(check_question("Bagaimana mengajukan\nkerja sama?") == FieldProblem::None);
    CHECK(check_question("Halo") == FieldProblem::TooShort);
    CHECK(check_question(repeat("ä", 1000)) == FieldProblem::None);
    CHECK(check_question(repeat("ä", 1001)) == FieldProblem::TooLong);
    CHECK(check_question("Tolong 中国 dijelaskan", no_han) == FieldProblem::Unshowable);
}

TEST_CASE("the contact step needs a name and a phone or an e-mail", "[request]") {
    auto both_empty = check_contact({"Siti Rahmawati", "", "", ""});
    CHECK(both_empty.contact == FieldProblem::ContactMissing);
    CHECK(both_empty.phone == FieldProblem::None);
    CHECK(both_empty.email == FieldProblem::None);
    CHECK_FALSE(both_empty.ok());
    CHECK(check_contact({"Siti Rahmawati", "  ", " ", ""}).contact == FieldProblem::ContactMissing);

    auto phone_only = check_contact({"Siti Rahmawati", "0812-3456-7890", "", ""});
    CHECK(phone_only.ok());
    CHECK(phone_only.phone_e164 == "+6281234567890");

    auto email_only = check_contact({"Siti Rahmawati", "", "siti@contoh.id", "Koperasi Contoh"});
    CHECK(email_only.ok());
    CHECK(email_only.phone_e164.empty());

    auto bad = check_contact({"", "112", "siti@", repeat("o", 121)});
    CHECK(bad.name == FieldProblem::Required);
    CHECK(bad.phone == FieldProblem::PhoneEmergency);
    CHECK(bad.email == FieldProblem::EmailInvalid);
    CHECK(bad.organisation == FieldProblem::TooLong);
    CHECK(bad.contact == FieldProblem::None); // something was given; its own problem is shown
    CHECK_FALSE(bad.ok());

    ShowableFn no_han = [](char32_t cp) { return cp != U'\u4E2D'; };
    auto name_glyph = check_contact({"Li 中", "0812 3456 7890", "", ""}, no_han);
    CHECK(name_glyph.name == FieldProblem::Unshowable);
    CHECK(check_contact({repeat("n", 81), "0812 3456 7890", "", ""}).name == FieldProblem::TooLong);
}

TEST_CASE("every problem has a calm message in both languages", "[request]") {
    CHECK(problem_message(FieldProblem::None, Lang::Id).empty());
    CHECK(problem_message(FieldProblem::None, Lang::En).empty());
    for (auto p : {FieldProblem::Required, FieldProblem::TooShort, FieldProblem::TooLong,
             FieldProblem::InvalidUtf8, FieldProblem::ControlCharacter, FieldProblem::Unshowable,
             FieldProblem::PhoneEmergency, FieldProblem::PhoneInvalid, FieldProblem::EmailInvalid,
             FieldProblem::ContactMissing}) {
        INFO("problem " << static_cast<int>(p));
        auto id = problem_message(p, Lang::Id);
        auto en = problem_message(p, Lang::En);
        CHECK_FALSE(id.empty());
        CHECK_FALSE(en.empty());
        CHECK(id != en);
        CHECK(id.back() == '.'); // one sentence, no shouting
        CHECK(en.back() == '.');
        CHECK(id.find('!') == std::string_view::npos);
        CHECK(en.find('!') == std::string_view::npos);
    }
    CHECK_THAT(
        std::string(problem_message(FieldProblem::TooLong, Lang::Id)), Catch::Contains("karakter"));
    CHECK_THAT(std::string(problem_message(FieldProblem::TooLong, Lang::En)),
        Catch::Contains("character"));
    CHECK(problem_message(FieldProblem::Unshowable, Lang::Id)
        == "Ada huruf yang tidak dapat ditampilkan.");
    CHECK_THAT(std::string(problem_message(FieldProblem::PhoneEmergency, Lang::Id)),
        Catch::Contains("darurat"));
    CHECK_THAT(std::string(problem_message(FieldProblem::PhoneEmergency, Lang::En)),
        Catch::Contains("Emergency"));
}

TEST_CASE("tidy_text trims and collapses spaces in single-line fields", "[request]") {
    CHECK(tidy_text("  Siti   Rahmawati  ") == "Siti Rahmawati");
    CHECK(tidy_text("") == "");
    CHECK(tidy_text("   ") == "");
    CHECK(tidy_text("\n Baris  satu\nbaris dua \n", true) == "Baris  satu\nbaris dua");
    // What check_text counts is what tidy_text keeps.
    std::string name = "  " + repeat("a", 80) + "  ";
    CHECK(check_text(name, 1, 80) == FieldProblem::None);
    CHECK(tidy_text(name).size() == 80);
}
