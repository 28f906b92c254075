// The CSV reader's line numbers: every record and problem names a line of the text as an editor
// counts them (line feeds), also when a record ends with a lone carriage return.
#include "ksd/csv.h"

#include <catch2/catch.hpp>

using namespace ksd;

TEST_CASE("a lone carriage return ends a record but not a line", "[csv]") {
    // Found by fuzz_csv: after "a\r" the reader counted line 2 in a text of one line, so a
    // problem there named a line the file does not have.
    auto t = csv::parse("a\rb\"c\n");
    REQUIRE(t.records.size() == 1);
    CHECK(t.records[0].line == 1);
    REQUIRE(t.problems.size() == 1);
    CHECK(t.problems[0].line == 1);
    CHECK_THAT(t.problems[0].message, Catch::Contains("quote inside unquoted field"));
}

TEST_CASE("records after CRLF and LF line ends name their lines", "[csv]") {
    auto t = csv::parse("h1,h2\r\n1,2\n\"multi\nline\",x\r\n3,4\n");
    REQUIRE(t.records.size() == 4);
    CHECK(t.records[0].line == 1);
    CHECK(t.records[1].line == 2);
    CHECK(t.records[2].line == 3);
    CHECK(t.records[3].line == 5);
    CHECK(t.problems.empty());
}
