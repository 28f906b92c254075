// The one integer parser (ksd/number.h): the whole text or nothing, never a silent 0.
#include "ksd/number.h"

#include <catch2/catch.hpp>
#include <cstdint>

using ksd::parse_int;

TEST_CASE("parse_int takes the whole text as a number or gives none", "[number]") {
    CHECK(parse_int<int>("8080") == 8080);
    CHECK(parse_int<int>("-12") == -12);
    CHECK(parse_int<int64_t>("9007199254740991") == INT64_C(9007199254740991));
    CHECK(parse_int<unsigned>("ff", 16) == 255u);
    // What atoi read as 0 or as a prefix.
    CHECK_FALSE(parse_int<int>("abc"));
    CHECK_FALSE(parse_int<int>(""));
    CHECK_FALSE(parse_int<int>("12abc"));
    CHECK_FALSE(parse_int<int>(" 12"));
    CHECK_FALSE(parse_int<int>("12 "));
    CHECK_FALSE(parse_int<int>("+12"));
    CHECK_FALSE(parse_int<int>("1e3"));
    // No sign for unsigned types, and no overflow.
    CHECK_FALSE(parse_int<unsigned>("-1"));
    CHECK_FALSE(parse_int<int>("2147483648"));
    CHECK_FALSE(parse_int<uint8_t>("256"));
}

TEST_CASE(
    "parse_leading_int reads the number before a unit, parse_double a whole fraction", "[number]") {
    CHECK(ksd::parse_leading_int<long>("   1234 kB") == 1234);
    CHECK(ksd::parse_leading_int<int>("\t-7,") == -7);
    CHECK_FALSE(ksd::parse_leading_int<int>("kB 12"));
    CHECK_FALSE(ksd::parse_leading_int<int>("   "));
    CHECK(ksd::parse_double("12.5") == 12.5);
    CHECK(ksd::parse_double("-0.25") == -0.25);
    CHECK_FALSE(ksd::parse_double("12,5"));
    CHECK_FALSE(ksd::parse_double("12.5px"));
}
