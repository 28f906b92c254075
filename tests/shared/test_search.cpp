// The pack as the kiosk reads it: full-text search (prefix, case, diacritics, ranking), the
// agreements filters, and opening only packs whose signature verifies.
#include "ksd/content_build.h"
#include "ksd/content_pack.h"
#include "ksd/minisign.h"
#include "test_support.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ksd;
namespace fs = std::filesystem;

namespace {

// Builds the demo content once per test binary run, with one agreement carrying diacritics.
struct DemoPack {
    test::TempDir dir;
    std::string path;
    DemoPack() {
        auto src = test::copy_demo_content(dir);
        std::string csv = src + "/agreements.csv";
        test::spit(csv,
            test::slurp(csv)
                + "DEMO/PKS/950/2025,KSDLL,PKS,Société Coopérative Démo (fiktif),Kafe kopi dan "
                  "kelapa Crème,perdagangan,uji,2025-01-01,2025-01-02,2026-12-01,Dinas "
                  "Perdagangan,DATA CONTOH\n");
        path = dir / "ksd.pack";
        auto r = build_content_pack({src, path, 1795400000, std::nullopt});
        if (!r.ok())
            FAIL("demo content does not build: " << r.errors.front().format());
    }
};

ContentPack const& demo() {
    static DemoPack built;
    static ContentPack pack = ContentPack::open_unverified(built.path).release_value();
    return pack;
}

bool any_contains(std::vector<SearchHit> const& hits, std::string const& needle) {
    for (auto const& h : hits) {
        std::string all = h.title + " " + h.snippet;
        std::string lower;
        for (char c : all)
            lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (lower.find(needle) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

TEST_CASE("search finds kelapa, best matches first, with marked snippets", "[search]") {
    auto hits = demo().search("kelapa", Lang::Id, 20);
    REQUIRE(hits.ok());
    REQUIRE(hits->size() >= 3);
    for (size_t i = 1; i < hits->size(); ++i)
        CHECK((*hits)[i - 1].rank <= (*hits)[i].rank);
    CHECK(any_contains(*hits, "kelapa"));
    bool marked = false;
    for (auto const& h : *hits)
        marked = marked || h.snippet.find(snippet_open) != std::string::npos;
    CHECK(marked);
}

TEST_CASE("every word is a prefix: 'perj' finds 'perjanjian'", "[search]") {
    auto hits = demo().search("perj", Lang::Id, 20);
    REQUIRE(hits.ok());
    REQUIRE_FALSE(hits->empty());
    CHECK(any_contains(*hits, "perjanjian"));
    auto two = demo().search("perj kerja", Lang::Id, 20);
    REQUIRE(two.ok());
    CHECK_FALSE(two->empty());
}

TEST_CASE("search ignores case and diacritics", "[search]") {
    auto lower = demo().search("kelapa", Lang::Id, 50);
    auto upper = demo().search("KELAPA", Lang::Id, 50);
    REQUIRE(lower.ok());
    REQUIRE(upper.ok());
    CHECK(lower->size() == upper->size());
    auto plain = demo().search("societe cooperative", Lang::Id, 5);
    REQUIRE(plain.ok());
    REQUIRE(plain->size() == 1);
    CHECK(plain->front().kind == HitKind::Agreement);
    auto accented = demo().search("Crème", Lang::Id, 5);
    auto bare = demo().search("creme", Lang::Id, 5);
    REQUIRE(accented.ok());
    REQUIRE(bare.ok());
    CHECK(accented->size() == 1);
    CHECK(bare->size() == 1);
}

TEST_CASE(
    "search by language: English pages for English visitors, agreements for both", "[search]") {
    auto en = demo().search("cooperation agreement", Lang::En, 50);
    REQUIRE(en.ok());
    REQUIRE_FALSE(en->empty());
    int pages = 0;
    for (auto const& h : *en) {
        if (h.kind != HitKind::Page)
            continue;
        ++pages;
        auto page = demo().page(h.ref, Lang::En);
        REQUIRE(page.ok());
        CHECK(h.title == page->title); // the English page, not its Indonesian twin
    }
    CHECK(pages > 0);
    auto coconut = demo().search("kelapa", Lang::En, 50);
    REQUIRE(coconut.ok());
    bool agreement = false;
    for (auto const& h : *coconut)
        agreement = agreement || h.kind == HitKind::Agreement;
    CHECK(agreement); // agreements are searchable whatever the language
}

TEST_CASE("whatever a visitor types is safe to search", "[search]") {
    for (std::string q : std::vector<std::string> {"", "   ", "\"", "*", "AND", "OR NOT", "(kelapa",
             "kelapa)", "NEAR(a b)", "a:b", "'; DROP TABLE pages; --", "\xFF\xFE",
             std::string(5000, 'k'), "^kelapa", "kelapa*", "{}[]", "-kelapa"}) {
        auto r = demo().search(q, Lang::Id, 10);
        INFO("query: " << q);
        CHECK(r.ok());
    }
    CHECK(fts_query_from_input("perj  kerja-sama") == "\"perj\"* \"kerja\"* \"sama\"*");
    CHECK(fts_query_from_input("\" OR \"") == "\"OR\"*");
    CHECK(fts_query_from_input("").empty());
}

TEST_CASE("agreements filter by kind, sector and status computed for the given day", "[search]") {
    Date today {2026, 11, 23};
    AgreementFilter all;
    all.today = today;
    auto total = demo().count_agreements(all);
    REQUIRE(total.ok());
    int64_t sum = 0;
    for (auto st : {AgreementStatus::NotYetActive, AgreementStatus::Active,
             AgreementStatus::EndingSoon, AgreementStatus::Ended}) {
        AgreementFilter f;
        f.today = today;
        f.status = st;
        auto list = demo().agreements(f);
        REQUIRE(list.ok());
        CHECK_FALSE(list->empty()); // the demo data shows every status
        for (auto const& a : *list)
            CHECK(a.status(today) == st);
        sum += static_cast<int64_t>(list->size());
    }
    CHECK(sum == *total);

    AgreementFilter kind;
    kind.today = today;
    kind.kind = "KSDD";
    auto ksdd = demo().agreements(kind);
    REQUIRE(ksdd.ok());
    REQUIRE_FALSE(ksdd->empty());
    for (auto const& a : *ksdd)
        CHECK(a.kind == "KSDD");

    AgreementFilter text;
    text.today = today;
    text.query = "kelapa";
    text.sector = "pertanian";
    auto coconut = demo().agreements(text);
    REQUIRE(coconut.ok());
    REQUIRE_FALSE(coconut->empty());
    for (auto const& a : *coconut)
        CHECK(a.sector == "pertanian");
    auto one = demo().agreement(coconut->front().id);
    REQUIRE(one.ok());
    CHECK(one->number == coconut->front().number);
    CHECK_FALSE(demo().agreement(999999).ok());
}

TEST_CASE("pages, sections, FAQ, potential and contacts read in both languages", "[search]") {
    auto& p = demo();
    auto alur = p.pages_in_section("alur", Lang::Id);
    REQUIRE(alur.ok());
    REQUIRE_FALSE(alur->empty());
    auto page_id = p.page(alur->front().id, Lang::Id);
    auto page_en = p.page(alur->front().id, Lang::En);
    REQUIRE(page_id.ok());
    REQUIRE(page_en.ok());
    CHECK(page_id->title != page_en->title);
    CHECK_FALSE(p.page("tidak-ada", Lang::Id).ok());
    CHECK(p.faq(Lang::Id)->size() >= 12);
    CHECK(p.faq(Lang::En)->size() == p.faq(Lang::Id)->size());
    CHECK_FALSE(p.potential(Lang::En)->empty());
    auto contacts = p.contacts(Lang::Id);
    REQUIRE(contacts.ok());
    bool wa = false;
    for (auto const& c : *contacts)
        wa = wa || c.whatsapp_url.rfind("https://wa.me/62", 0) == 0;
    CHECK(wa);
    auto konsultasi = p.page("cara-konsultasi", Lang::Id);
    REQUIRE(konsultasi.ok());
    REQUIRE_FALSE(konsultasi->links.empty());
    CHECK_THAT(konsultasi->links.front().url, Catch::StartsWith("https://wa.me/62"));
}

TEST_CASE("a pack opens only when its signature verifies against the configured key",
    "[search][signature]") {
    test::TempDir dir;
    std::string pack = dir / "ksd.pack";
    REQUIRE(build_content_pack(
        {std::string(KSD_SOURCE_DIR) + "/content", pack, 1795400000, std::nullopt})
                .ok());
    auto ours = minisign::generate_key_pair();
    auto theirs = minisign::generate_key_pair();
    auto pub = minisign::parse_public_key(ours.public_key_file).release_value();
    auto sec = minisign::parse_secret_key(ours.secret_key_file, [] {
        return Result<std::string>(std::string());
    }).release_value();

    SECTION("unsigned") {
        auto r = ContentPack::open(pack, pub);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("rejected"));
    }
    SECTION("signed with the right key") {
        test::spit(
            pack + ".minisig", minisign::sign(test::slurp(pack), sec, "file:ksd.pack").value());
        auto r = ContentPack::open(pack, pub);
        INFO((r.ok() ? "" : r.error().message));
        REQUIRE(r.ok());
        CHECK(r->meta().demo);
    }
    SECTION("tampered after signing") {
        test::spit(
            pack + ".minisig", minisign::sign(test::slurp(pack), sec, "file:ksd.pack").value());
        std::string bytes = test::slurp(pack);
        bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
        test::spit(pack, bytes);
        CHECK_FALSE(ContentPack::open(pack, pub).ok());
    }
    SECTION("signed with another key") {
        auto other = minisign::parse_secret_key(theirs.secret_key_file, [] {
            return Result<std::string>(std::string());
        }).release_value();
        test::spit(
            pack + ".minisig", minisign::sign(test::slurp(pack), other, "file:ksd.pack").value());
        auto r = ContentPack::open(pack, pub);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("another key"));
    }
    SECTION("signed, then truncated") {
        test::spit(
            pack + ".minisig", minisign::sign(test::slurp(pack), sec, "file:ksd.pack").value());
        fs::resize_file(pack, fs::file_size(pack) / 2);
        CHECK_FALSE(ContentPack::open(pack, pub).ok());
    }
}

TEST_CASE("a file that is not a pack is refused with a clear message", "[search]") {
    test::TempDir dir;
    test::spit(dir / "junk.pack", std::string(10000, 'x'));
    auto r = ContentPack::open_unverified(dir / "junk.pack");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.error().message, Catch::Contains("junk.pack"));
    auto missing = ContentPack::open_unverified(dir / "none.pack");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().message, Catch::Contains("not found"));
    // An empty SQLite database is a database but not a pack.
    { auto db = Db::open(dir / "empty.pack", OpenMode::ReadWriteCreate); }
    auto empty = ContentPack::open_unverified(dir / "empty.pack");
    REQUIRE_FALSE(empty.ok());
    CHECK_THAT(empty.error().message, Catch::Contains("not valid"));
}
