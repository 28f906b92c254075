// Spreadsheet exports as staff upload them: real bytes as Excel and LibreOffice write them
// (Windows-1252, semicolons, byte-order marks) become the comma-separated UTF-8 of FORMAT.md.
#include "ksd/csv.h"
#include "ksd/spreadsheet.h"

#include <catch2/catch.hpp>

using namespace ksd;
using namespace ksd::spreadsheet;

TEST_CASE("Windows-1252 bytes decode to their characters", "[spreadsheet]") {
    // 0xE9 e-acute, 0x93/0x94 curly double quotes, 0x80 euro, 0x96 en dash, 0x81 undefined.
    std::string bytes = "Caf\xE9 \x93kopi\x94 \x80 5 \x96 6 \x81";
    auto d = decode_text(bytes);
    CHECK(d.encoding == Encoding::Windows1252);
    CHECK(d.text
        == "Caf\xC3\xA9 \xE2\x80\x9Ckopi\xE2\x80\x9D \xE2\x82\xAC 5 \xE2\x80\x93 6 \xC2\x81");
}

TEST_CASE("UTF-8 with and without a byte-order mark, and UTF-16, are recognised", "[spreadsheet]") {
    CHECK(decode_text("Caf\xC3\xA9").encoding == Encoding::Utf8);
    CHECK(decode_text("Caf\xC3\xA9").text == "Caf\xC3\xA9");
    auto bom = decode_text("\xEF\xBB\xBFnomor,jenis");
    CHECK(bom.encoding == Encoding::Utf8Bom);
    CHECK(bom.text == "nomor,jenis");
    // "é;x" in UTF-16 LE with its mark, as Excel's "Unicode text" writes it.
    auto le = decode_text(std::string("\xFF\xFE\xE9\x00;\x00x\x00", 8));
    CHECK(le.encoding == Encoding::Utf16LeBom);
    CHECK(le.text == "\xC3\xA9;x");
}

TEST_CASE("the separator is found in the header", "[spreadsheet]") {
    CHECK(detect_separator("nomor;jenis;mitra\n1,5;a;b\n") == ';');
    CHECK(detect_separator("nomor,jenis,mitra\n") == ',');
    CHECK(detect_separator("nomor\tjenis\n") == '\t');
    CHECK(detect_separator("\"a;b\",c\n") == ',');
    CHECK(detect_separator("single\n") == ',');
}

TEST_CASE("a semicolon export in Windows-1252 becomes comma-separated UTF-8, rows on their lines",
    "[spreadsheet]") {
    // As Excel on an Indonesian Windows saves "CSV (dipisahkan titik koma)": no quotes around a
    // value with a comma, quotes only around a value with a line break or a semicolon.
    std::string bytes = "nomor;mitra;perihal\r\n"
                        "A/1;PT Kop\xE9 Lestari;Jl. Akasia, Tembilahan\r\n"
                        "\r\n"
                        "A/2;\"Dua\r\nbaris\";\"\x93kutip\x94 dan \"\"x\"\"\"\r\n"
                        "A/3;\"a;b\";c\r\n";
    auto c = to_comma_utf8(bytes);
    REQUIRE(c.problems.empty());
    CHECK(c.encoding == Encoding::Windows1252);
    CHECK(c.separator == ';');
    auto t = csv::parse(c.csv);
    CHECK(t.problems.empty());
    REQUIRE(t.records.size() == 4);
    CHECK(t.records[1].fields
        == std::vector<std::string> {"A/1", "PT Kop\xC3\xA9 Lestari", "Jl. Akasia, Tembilahan"});
    CHECK(t.records[1].line == 2);
    CHECK(t.records[2].line == 4); // after the blank line, as in the spreadsheet
    CHECK(t.records[2].fields[1] == "Dua\r\nbaris");
    CHECK(t.records[2].fields[2] == "\xE2\x80\x9Ckutip\xE2\x80\x9D dan \"x\"");
    CHECK(t.records[3].line == 6);
    CHECK(t.records[3].fields[1] == "a;b");
}

TEST_CASE("a comma-separated UTF-8 export is kept byte for byte", "[spreadsheet]") {
    std::string text = "nomor,mitra\nA/1,\"PT A, B\"\n";
    auto c = to_comma_utf8(text);
    CHECK(c.problems.empty());
    CHECK(c.csv == text);
    auto bom = to_comma_utf8("\xEF\xBB\xBF" + text);
    CHECK(bom.encoding == Encoding::Utf8Bom);
    CHECK(bom.csv == text);
}

TEST_CASE("a text that is not CSV is refused, naming the line in both languages", "[spreadsheet]") {
    auto c = to_comma_utf8("nomor;mitra\nA/1;ok\nA/2;\"never closed\n");
    CHECK(c.csv.empty());
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].line == 3);
    CHECK_THAT(c.problems[0].message, Catch::Contains("never closed"));
    CHECK_THAT(c.problems[0].message_id, Catch::Contains("tidak pernah ditutup"));
}
