// UTF-8 validation: the checks every piece of content and every typed field passes through.
#include "ksd/utf8.h"

#include <catch2/catch.hpp>

using namespace ksd;

TEST_CASE("valid UTF-8 is accepted", "[utf8]") {
    CHECK(utf8::is_valid(""));
    CHECK(utf8::is_valid("Kerja Sama Daerah"));
    CHECK(utf8::is_valid("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
    CHECK(utf8::length("caf\xC3\xA9") == 4);
}

TEST_CASE("invalid UTF-8 is found at its first bad byte", "[utf8]") {
    CHECK(utf8::first_invalid("ab\xFF") == 2u);
    CHECK(utf8::first_invalid("\xC0\xAF") == 0u); // overlong '/'
    CHECK(utf8::first_invalid("x\xED\xA0\x80") == 1u); // surrogate
    CHECK(utf8::first_invalid("\xF4\x90\x80\x80") == 0u); // above U+10FFFF
    CHECK(utf8::first_invalid("ok\xE2\x82") == 2u); // truncated
    CHECK(utf8::first_invalid("\x80") == 0u); // lone continuation
}

TEST_CASE("decode and append round-trip", "[utf8]") {
    std::string s;
    for (char32_t cp : {U'a', U'\u00e9', U'\u20ac', U'\U0001F600'})
        utf8::append(s, cp);
    size_t i = 0;
    CHECK(utf8::decode(s, i) == U'a');
    CHECK(utf8::decode(s, i) == U'\u00e9');
    CHECK(utf8::decode(s, i) == U'\u20ac');
    CHECK(utf8::decode(s, i) == U'\U0001F600');
    CHECK(i == s.size());
    CHECK(utf8::line_of_offset("a\nb\nc", 4) == 3);
}
