// The content builder's validation: each kind of bad input is reported with file, line and the
// problem; all problems are listed; no pack or temporary file is left behind on failure.
#include "ksd/content_build.h"
#include "ksd/content_pack.h"
#include "ksd/csv.h"
#include "test_images.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

using namespace ksd;
namespace fs = std::filesystem;

namespace {

std::string all_errors(BuildResult const& r) {
    std::string s;
    for (auto const& e : r.errors)
        s += e.format() + "\n";
    return s;
}

// Number of the line in the file that contains needle (1-based), 0 when absent.
size_t line_containing(std::string const& path, std::string const& needle) {
    std::string s = test::slurp(path);
    auto pos = s.find(needle);
    if (pos == std::string::npos)
        return 0;
    return static_cast<size_t>(std::count(s.begin(), s.begin() + static_cast<long>(pos), '\n')) + 1;
}

std::string const good_row
    = "DEMO/PKS/900/2025,KSDPK,PKS,PT Uji Coba (fiktif),Uji "
      "baris,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,DATA CONTOH";

// Appends a row to agreements.csv; returns its line number.
size_t append_row(std::string const& src, std::string const& row) {
    std::string path = src + "/agreements.csv";
    std::string s = test::slurp(path);
    if (!s.empty() && s.back() != '\n')
        s += '\n';
    size_t line = static_cast<size_t>(std::count(s.begin(), s.end(), '\n')) + 1;
    test::spit(path, s + row + "\n");
    return line;
}

} // namespace

TEST_CASE("the project's content builds without a problem", "[content]") {
    test::TempDir dir;
    auto r = build_content_pack(
        {std::string(KSD_SOURCE_DIR) + "/content", dir / "ksd.pack", 1795400000, std::nullopt});
    INFO(all_errors(r));
    REQUIRE(r.ok());
    CHECK(r.stats.pages >= 10);
    CHECK(r.stats.agreements >= 15);
    CHECK(r.stats.faq >= 12);
    CHECK(r.stats.demo);
    CHECK(r.stats.content_version == 20261123021320);
    auto pack = ContentPack::open_unverified(dir / "ksd.pack");
    REQUIRE(pack.ok());
    CHECK(pack->meta().demo);
    CHECK(pack->meta().build_time == 1795400000);
    CHECK(pack->meta().source_hash.size() == 64);
    CHECK(pack->sections().size() == 7);
    CHECK_FALSE(fs::exists(dir / "ksd.pack-wal"));
}

TEST_CASE("builds of the same sources are identical and the version can be set", "[content]") {
    test::TempDir dir;
    std::string src = std::string(KSD_SOURCE_DIR) + "/content";
    REQUIRE(build_content_pack({src, dir / "a.pack", 1795400000, 7}).ok());
    REQUIRE(build_content_pack({src, dir / "b.pack", 1795400000, 7}).ok());
    CHECK(test::slurp(dir / "a.pack") == test::slurp(dir / "b.pack"));
    CHECK(ContentPack::open_unverified(dir / "a.pack")->meta().content_version == 7);
}

TEST_CASE("a missing page translation is named", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    fs::remove(src + "/pages/tkksd.en.md");
    auto r = check_content_sources(src);
    CHECK_THAT(all_errors(r),
        Catch::Contains("pages/tkksd.id.md: missing translation: no pages/tkksd.en.md"));
}

TEST_CASE("a missing TOML translation is named with its line", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    std::string faq = src + "/faq.toml";
    size_t line = line_containing(faq, "question.en");
    std::string s = test::slurp(faq);
    auto pos = s.find("question.en");
    s.replace(pos, 11, "# question.en");
    test::spit(faq, s);
    auto r = check_content_sources(src);
    // Reported on the line of question.id, where the pair starts.
    CHECK_THAT(all_errors(r),
        Catch::Contains("faq.toml:" + std::to_string(line - 1)
            + ": missing translation: no English text 'question.en'"));
}

TEST_CASE("bad and impossible dates are refused with file and line", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    std::string row = good_row;
    size_t l1 = append_row(src,
        "DEMO/PKS/901/2025,KSDPK,PKS,PT A "
        "(fiktif),Uji,pertanian,uji,2025-01-01,2025-02-30,2026-01-01,Dinas Uji,");
    size_t l2 = append_row(src,
        "DEMO/PKS/902/2025,KSDPK,PKS,PT B "
        "(fiktif),Uji,pertanian,uji,2025-01-01,2025-03-01,2025-02-01,Dinas Uji,");
    size_t l3 = append_row(src,
        "DEMO/PKS/903/2025,KSDPK,PKS,PT C "
        "(fiktif),Uji,pertanian,uji,kemarin,2025-03-01,2026-02-01,Dinas Uji,");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(l1)
            + ": column 'mulai': '2025-02-30' is not a valid date"));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(l2)
            + ": end date 2025-02-01 is before the start date 2025-03-01"));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(l3)
            + ": column 'tanggal_ttd': 'kemarin' is not a valid date"));
}

TEST_CASE("unknown kind, document type and sector are refused", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    size_t l1 = append_row(src,
        "DEMO/X/1,KSDLN,PKS,PT A (fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas "
        "Uji,");
    size_t l2 = append_row(src,
        "DEMO/X/2,KSDPK,SPK,PT B (fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas "
        "Uji,");
    size_t l3 = append_row(src,
        "DEMO/X/3,KSDPK,PKS,PT C "
        "(fiktif),Uji,perkebunan,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,");
    size_t l4 = append_row(src,
        "DEMO/X/4,KSDPK,MoU,PT D (fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas "
        "Uji,");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(l1) + ": unknown kind (jenis) 'KSDLN'"));
    CHECK_THAT(e,
        Catch::Contains(
            "agreements.csv:" + std::to_string(l2) + ": unknown document type (dokumen) 'SPK'"));
    CHECK_THAT(e,
        Catch::Contains(
            "agreements.csv:" + std::to_string(l3) + ": unknown sector (bidang) 'perkebunan'"));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(l4)
            + ": an MoU is only used with foreign partners"));
}

TEST_CASE("duplicate ids and numbers are refused", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    size_t first = append_row(src, good_row);
    size_t second = append_row(src, good_row);
    std::string faq = src + "/faq.toml";
    std::string s = test::slurp(faq);
    test::spit(faq,
        s
            + "\n[[faq]]\nid = \"apa-itu-ksd\"\nquestion.id = \"a\"\nquestion.en = "
              "\"a\"\nanswer.id = \"b\"\nanswer.en = \"b\"\n");
    size_t dup_line = static_cast<size_t>(std::count(s.begin(), s.end(), '\n')) + 2;
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(second)
            + ": duplicate number 'DEMO/PKS/900/2025' (first on line " + std::to_string(first)
            + ")"));
    CHECK_THAT(e,
        Catch::Contains("faq.toml:" + std::to_string(dup_line) + ": duplicate id 'apa-itu-ksd'"));
}

TEST_CASE("broken internal links are refused with their line", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    std::string page = src + "/pages/tkksd.id.md";
    std::string s = test::slurp(page);
    s += "\nLihat [halaman hilang](page:tidak-ada) dan ![bagan](images/bagan.png).\n";
    test::spit(page, s);
    size_t line = static_cast<size_t>(std::count(s.begin(), s.end(), '\n'));
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains(
            "pages/tkksd.id.md:" + std::to_string(line) + ": broken link: no page 'tidak-ada'"));
    CHECK_THAT(e,
        Catch::Contains("pages/tkksd.id.md:" + std::to_string(line)
            + ": broken link: no image 'images/bagan.png'"));
    REQUIRE(test::replace_in_file(src + "/site.toml", "page = \"", "page = \"hilang-"));
    CHECK_THAT(all_errors(check_content_sources(src)), Catch::Contains("site.toml:"));
}

TEST_CASE("invalid UTF-8 is refused with its line", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    std::string page = src + "/pages/privasi.en.md";
    std::string s = test::slurp(page);
    size_t line = static_cast<size_t>(std::count(s.begin(), s.end(), '\n')) + 1;
    test::spit(page, s + "Caf\xE9 in Latin-1\n");
    // (The register is a spreadsheet's file: text that is not UTF-8 there is Windows-1252, as
    // the next test shows.)
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(
        e, Catch::Contains("pages/privasi.en.md:" + std::to_string(line) + ": invalid UTF-8"));
}

TEST_CASE("a register saved by a spreadsheet set to Indonesian (semicolons, Windows-1252) builds",
    "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    auto before = build_content_pack({src, dir / "utf8.pack", 1795400000, std::nullopt});
    REQUIRE(before.ok());
    // What Excel writes as "CSV" on a Windows set to Indonesian: ';' between cells (the comma is
    // the decimal mark there), CRLF, Windows-1252; one partner with an accent (0xE9 = é).
    std::string path = src + "/agreements.csv";
    auto table = csv::parse(test::slurp(path));
    REQUIRE(table.problems.empty());
    std::string excel;
    for (auto const& rec : table.records) {
        for (size_t i = 0; i < rec.fields.size(); ++i)
            excel += (i ? ";" : "") + csv::cell(rec.fields[i], ';');
        excel += "\r\n";
    }
    excel += "DEMO/PKS/901/2025;KSDPK;PKS;PT Kopi Caf\xE9 (fiktif);Uji baris;pertanian;uji;"
             "2025-01-01;2025-01-02;2026-01-01;Dinas Uji;DATA CONTOH\r\n";
    test::spit(path, excel);
    auto r = build_content_pack({src, dir / "excel.pack", 1795400000, std::nullopt});
    INFO(all_errors(r));
    REQUIRE(r.ok());
    CHECK(r.stats.agreements == before.stats.agreements + 1);
    auto pack = ContentPack::open_unverified(dir / "excel.pack");
    REQUIRE(pack.ok());
    AgreementFilter all;
    all.limit = 1000;
    auto list = pack->agreements(all);
    REQUIRE(list.ok());
    bool found = false;
    for (auto const& a : *list)
        found = found
            || (a.number == "DEMO/PKS/901/2025" && a.partner == "PT Kopi Caf\u00E9 (fiktif)");
    CHECK(found);
    // A scope holding commas kept its commas (the file's separator was ';').
    CHECK(std::any_of(list->begin(), list->end(),
        [](Agreement const& a) { return a.scope.find(", ") != std::string::npos; }));
}

TEST_CASE("malformed CSV rows are each reported", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    size_t l1 = append_row(src,
        "DEMO/M/1,KSDPK,PKS,PT A, Tbk "
        "(fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,");
    size_t l2 = append_row(src,
        "DEMO/M/2,KSDPK,PKS,PT \"B\" "
        "(fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,");
    size_t l3 = append_row(src,
        "DEMO/M/3,KSDPK,PKS,\"PT C\" x,Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas "
        "Uji,");
    size_t l4 = append_row(src,
        "DEMO/M/4,KSDPK,PKS,PT D," + std::string(10000, 'x')
            + ",pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,");
    size_t l5 = append_row(src, "DEMO/M/5,KSDPK,PKS,\"PT E (fiktif),Uji,pertanian");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains(
            "agreements.csv:" + std::to_string(l1) + ": row has 13 fields, the header has 12"));
    CHECK_THAT(e,
        Catch::Contains(
            "agreements.csv:" + std::to_string(l2) + ": a quote inside unquoted field 4"));
    CHECK_THAT(e,
        Catch::Contains(
            "agreements.csv:" + std::to_string(l3) + ": text after a closing quote in field 4"));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(l4)
            + ": field 5 is 10000 bytes, more than the limit of 8192"));
    CHECK_THAT(e,
        Catch::Contains(
            "agreements.csv:" + std::to_string(l5) + ": a quoted field is never closed"));
}

TEST_CASE("a quoted multi-line field keeps the next row's line number right", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    append_row(src,
        "DEMO/ML/1,KSDPK,PKS,PT A (fiktif),Uji,pertanian,\"baris satu\nbaris "
        "dua\",2025-01-01,2025-01-02,2026-01-01,Dinas Uji,");
    size_t bad = append_row(src,
        "DEMO/ML/2,KSDPK,PKS,PT B (fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,,");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(bad) + ": column 'pelaksana' is empty"));
}

TEST_CASE("a CSV header with a missing or unknown column is refused", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    REQUIRE(test::replace_in_file(src + "/agreements.csv", "pelaksana,", "dinas,"));
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e, Catch::Contains("agreements.csv:1: unknown column 'dinas'"));
    CHECK_THAT(e, Catch::Contains("agreements.csv:1: missing column 'pelaksana'"));
}

TEST_CASE("TOML mistakes: syntax, unknown keys, wrong types, unknown section kinds", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    REQUIRE(test::replace_in_file(src + "/site.toml", "demo = true", "demo = true\ndemmo = false"));
    REQUIRE(test::replace_in_file(src + "/site.toml", "kind = \"faq\"", "kind = \"faqs\""));
    std::string contacts = src + "/contacts.toml";
    test::spit(contacts, test::slurp(contacts) + "\n[[contacts]\nid = \"x\"\n");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains("site.toml:" + std::to_string(line_containing(src + "/site.toml", "demmo"))
            + ": unknown key 'demmo'"));
    CHECK_THAT(e, Catch::Contains("unknown section kind 'faqs'"));
    CHECK_THAT(e, Catch::Contains("contacts.toml:"));
    CHECK_THAT(e, Catch::Contains("not valid TOML"));
}

TEST_CASE("page headers: missing, wrong id, unknown section", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    test::spit(src + "/pages/tanpa-kepala.id.md", "# Judul\n\nTeks.\n");
    test::spit(src + "/pages/tanpa-kepala.en.md",
        "+++\nid = \"lain\"\nsection = \"entah\"\norder = 1\ntitle = \"T\"\n+++\nText.\n");
    test::spit(src + "/pages/catatan.txt", "x");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e, Catch::Contains("pages/tanpa-kepala.id.md:1: a page starts with a '+++' line"));
    CHECK_THAT(e,
        Catch::Contains(
            "pages/tanpa-kepala.en.md:2: id 'lain' must be the file name's id 'tanpa-kepala'"));
    CHECK_THAT(
        e, Catch::Contains("pages/tanpa-kepala.en.md:1: section 'entah' is not in site.toml"));
    CHECK_THAT(e, Catch::Contains("pages/catatan.txt: a page file is named ID.id.md"));
}

TEST_CASE("all problems are listed, and a failed build leaves no file behind", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    fs::remove(src + "/pages/tkksd.en.md");
    append_row(src,
        "DEMO/A/1,KSDXX,PKS,PT A (fiktif),Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas "
        "Uji,");
    append_row(src,
        "DEMO/A/2,KSDPK,PKS,PT B (fiktif),Uji,pertanian,uji,2025-01-01,2025-13-02,2026-01-01,Dinas "
        "Uji,");
    fs::create_directory(dir / "out");
    auto r = build_content_pack({src, dir / "out/ksd.pack", 1795400000, std::nullopt});
    REQUIRE_FALSE(r.ok());
    CHECK(r.errors.size() >= 3);
    CHECK(fs::is_empty(dir / "out"));
}

TEST_CASE("images must be what their name says", "[content]") {
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    fs::create_directories(src + "/images");
    test::spit(src + "/images/logo.png", "GIF89a not a png");
    test::spit(src + "/images/notes.txt", "x");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e, Catch::Contains("images/logo.png: the file is not a PNG image"));
    CHECK_THAT(e, Catch::Contains("images/notes.txt: only .png and .jpg images are supported"));
}

TEST_CASE("a missing source folder or file is named", "[content]") {
    test::TempDir dir;
    CHECK_THAT(
        all_errors(check_content_sources(dir / "nowhere")), Catch::Contains("is not a folder"));
    auto src = test::copy_demo_content(dir);
    fs::remove(src + "/site.toml");
    CHECK_THAT(
        all_errors(check_content_sources(src)), Catch::Contains("site.toml: file is missing"));
}

TEST_CASE("an image in a table cell builds and its link is still checked", "[content]") {
    // Issue 9: this crashed the builder (back() on an empty vector in the Markdown model).
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    fs::create_directories(src + "/images");
    test::spit(src + "/images/bagan.png", test::make_png(40, 30));
    std::string page = src + "/pages/tkksd.id.md";
    test::spit(page,
        test::slurp(page)
            + "\n| Bagan | Catatan |\n|---|---|\n| ![Bagan](images/bagan.png) a | b |\n| c | d "
              "|\n");
    auto r = build_content_pack({src, dir / "ksd.pack", 1795400000, std::nullopt});
    INFO(all_errors(r));
    REQUIRE(r.ok());
    test::spit(page, test::slurp(page) + "\n| x |\n|---|\n| ![Hilang](images/hilang.png) |\n");
    CHECK_THAT(all_errors(check_content_sources(src)),
        Catch::Contains("pages/tkksd.id.md:") && Catch::Contains("no image 'images/hilang.png'"));
}

TEST_CASE("an image beyond the size limits is a build error naming the file", "[content]") {
    // Issue 9: a 109 KB PNG of 30000x30000 pixels passed the build, then crashed the kiosk.
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    fs::create_directories(src + "/images");
    test::spit(src + "/images/huge.png", test::make_png(30000, 30000));
    test::spit(src + "/images/wide.png", test::make_png(5000, 10));
    test::spit(src + "/images/fine.png", test::make_png(1200, 800));
    test::spit(src + "/images/tall.jpg", test::make_jpeg_header(100, 9000));
    auto t0 = std::chrono::steady_clock::now();
    auto e = all_errors(check_content_sources(src));
    auto s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    CHECK_THAT(e,
        Catch::Contains("images/huge.png: 30000x30000 pixels is larger than the limit of "
                        "4096x4096; make it smaller"));
    CHECK_THAT(e, Catch::Contains("images/wide.png: 5000x10 pixels is larger than the limit"));
    CHECK_THAT(e, Catch::Contains("images/tall.jpg: 100x9000 pixels is larger than the limit"));
    CHECK_THAT(e, !Catch::Contains("fine.png"));
    // A page showing the refused image is not reported again as a broken link.
    std::string page = src + "/pages/tkksd.id.md";
    test::spit(page, test::slurp(page) + "\n![Peta](images/huge.png)\n");
    CHECK_THAT(all_errors(check_content_sources(src)), !Catch::Contains("broken link"));
    CHECK(s < 5.0);
    fs::create_directory(dir / "out");
    CHECK_FALSE(build_content_pack({src, dir / "out/ksd.pack", 1795400000, std::nullopt}).ok());
    CHECK(fs::is_empty(dir / "out"));
}

TEST_CASE("overlong titles and texts are refused with their limit", "[content]") {
    // Issue 9: a 19,990-byte section title froze the home screen for 19 s.
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    std::string site = src + "/site.toml";
    REQUIRE(test::replace_in_file(
        site, "title.id = \"Tentang KSD\"", "title.id = \"" + std::string(19990, 'x') + "\""));
    size_t site_line = line_containing(site, "title.id = \"xxx");
    std::string page = src + "/pages/tkksd.en.md";
    std::string s = test::slurp(page);
    auto at = s.find("title = \"");
    REQUIRE(at != std::string::npos);
    s.insert(at + 9, std::string(201, 'y'));
    test::spit(page, s);
    std::string faq = src + "/faq.toml";
    REQUIRE(
        test::replace_in_file(faq, "question.en = \"", "question.en = \"" + std::string(600, 'q')));
    size_t append = append_row(src,
        "DEMO/L/1,KSDPK,PKS," + std::string(300, 'm')
            + ",Uji,pertanian,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,");
    auto e = all_errors(check_content_sources(src));
    CHECK_THAT(e,
        Catch::Contains("site.toml:" + std::to_string(site_line)
            + ": 'title.id' has 19990 characters, more than the limit of 200"));
    CHECK_THAT(e, Catch::Contains("pages/tkksd.en.md:") && Catch::Contains("'title' has "));
    CHECK_THAT(e, Catch::Contains("faq.toml:") && Catch::Contains("'question.en' has "));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:" + std::to_string(append)
            + ": column 'mitra' has 300 characters, more than the limit of 200"));
}

TEST_CASE("a pack with a view or trigger or any other schema than the builder's is refused",
    "[content]") {
    // Issue 9: a signed pack whose `pages` was a recursive view hung the article screen.
    test::TempDir dir;
    std::string src = std::string(KSD_SOURCE_DIR) + "/content";
    REQUIRE(build_content_pack({src, dir / "good.pack", 1795400000, std::nullopt}).ok());
    REQUIRE(ContentPack::open_unverified(dir / "good.pack").ok());
    struct Case {
        char const* sql;
        char const* message;
    };
    std::vector<Case> const cases {
        {"DROP TABLE pages; CREATE VIEW pages AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
         "SELECT n + 1 FROM r) SELECT 'tentang-ksd' AS id, 'id' AS lang, 'tentang' AS section, "
         "n AS ord, 't' AS title, 's' AS summary, 'm' AS markdown FROM r;",
            "unexpected view 'pages'"},
        {"CREATE TRIGGER t AFTER INSERT ON meta BEGIN SELECT 1; END;", "unexpected trigger 't'"},
        {"CREATE TABLE extra(x);", "unexpected table 'extra'"},
        {"CREATE INDEX faq_by_question ON faq(question);", "unexpected index 'faq_by_question'"},
        {"DROP INDEX agreements_by_end;", "missing index 'agreements_by_end'"},
        {"ALTER TABLE contacts ADD COLUMN note TEXT;",
            "table 'contacts' is not defined as a pack defines it"},
    };
    for (auto const& c : cases) {
        INFO(c.sql);
        std::string path = dir / "bad.pack";
        fs::copy_file(dir / "good.pack", path, fs::copy_options::overwrite_existing);
        {
            auto db = Db::open(path, OpenMode::ReadWrite);
            REQUIRE(db.ok());
            REQUIRE(db->exec(c.sql).ok());
            REQUIRE(db->exec("PRAGMA journal_mode=DELETE").ok());
        }
        auto pack = ContentPack::open_unverified(path);
        REQUIRE_FALSE(pack.ok());
        CHECK_THAT(
            pack.error().message, Catch::Contains("is not valid: " + std::string(c.message)));
    }
}

TEST_CASE("every problem also has its message in Bahasa Indonesia, and its field where it has one",
    "[content]") {
    // Many kinds of mistakes at once: each comes with an Indonesian text for the staff's pages.
    test::TempDir dir;
    auto src = test::copy_demo_content(dir);
    size_t bad_row = append_row(src,
        "DEMO/X/3,KSDPK,PKS,PT C "
        "(fiktif),Uji,perkebunan,uji,2025-01-01,2025-01-02,2026-01-01,Dinas Uji,");
    append_row(src, "DEMO/X/4,KSDPK,MoU,PT D,Uji,pertanian,uji,31/02/2025,2025-01-02,2024-01-01,,");
    append_row(src, "only,three,fields");
    REQUIRE(test::replace_in_file(src + "/site.toml", "demo = true", "demo = true\ndemmo = false"));
    REQUIRE(test::replace_in_file(src + "/site.toml", "kind = \"faq\"", "kind = \"faqs\""));
    REQUIRE(test::replace_in_file(src + "/faq.toml", "question.en", "questionn.en"));
    fs::remove(src + "/pages/tkksd.en.md");
    test::spit(src + "/pages/Bad Name.id.md", "x");
    auto r = check_content_sources(src);
    REQUIRE(r.errors.size() >= 10);
    for (auto const& e : r.errors) {
        INFO(e.format());
        CHECK_FALSE(e.message_id.empty());
        CHECK(e.message_id != e.message);
        CHECK(e.text(Lang::Id) == e.message_id);
        CHECK(e.text(Lang::En) == e.message);
    }
    bool named = false;
    for (auto const& e : r.errors)
        named = named
            || (e.line == bad_row && e.field == "bidang"
                && e.message_id
                    == "bidang 'perkebunan' tidak dikenal: pakai salah satu dari 32 "
                       "bidang urusan pemerintahan");
    CHECK(named);
}
