// Issue 14, monitoring of agreements in the register sources and the content pack: the optional
// columns (good values, bad ones named with row and column, a register without them), the pack's
// format 1 or 2, and the filter by implementation state.
#include "ksd/content_build.h"
#include "ksd/content_pack.h"
#include "ksd/db.h"
#include "test_support.h"

#include <catch2/catch.hpp>

using namespace ksd;

namespace {

std::string all_errors(BuildResult const& r) {
    std::string s;
    for (auto const& e : r.errors)
        s += e.format() + "\n";
    return s;
}

std::string const header = "nomor,jenis,dokumen,mitra,perihal,bidang,ruang_lingkup,tanggal_ttd,"
                           "mulai,berakhir,pelaksana,keterangan";
std::string const monev_header
    = header + ",status_pelaksanaan,tanggal_evaluasi,ringkasan_evaluasi,penanggung_jawab";

std::string row(std::string const& nomor) {
    return nomor
        + ",KSDPK,PKS,PT Uji (fiktif),Uji baris,pertanian,uji,2025-01-01,2025-01-02,2027-01-01,"
          "Dinas Uji,";
}

// The demo content with agreements.csv replaced by text.
std::string sources_with_register(test::TempDir const& dir, std::string const& text) {
    auto src = test::copy_demo_content(dir);
    test::spit(src + "/agreements.csv", text);
    return src;
}

Agreement by_number(ContentPack const& pack, std::string const& nomor) {
    AgreementFilter f;
    f.query = nomor;
    f.today = Date {2026, 12, 1};
    auto list = pack.agreements(f);
    REQUIRE(list.ok());
    for (auto const& a : *list)
        if (a.number == nomor)
            return a;
    FAIL("no agreement " + nomor);
    return {};
}

} // namespace

TEST_CASE("monev: implementation states parse from codes and names in both languages", "[monev]") {
    CHECK(parse_implementation_state("Berjalan") == ImplementationState::Ongoing);
    CHECK(parse_implementation_state("  belum DILAKSANAKAN ") == ImplementationState::NotStarted);
    CHECK(parse_implementation_state("done") == ImplementationState::Done);
    CHECK(parse_implementation_state("Completed") == ImplementationState::Done);
    CHECK(parse_implementation_state("Terkendala") == ImplementationState::Hindered);
    CHECK_FALSE(parse_implementation_state("macet"));
    CHECK_FALSE(parse_implementation_state(""));
    for (auto st : implementation_states)
        CHECK(parse_implementation_state(implementation_code(st)) == st);
}

TEST_CASE(
    "monev: the monitoring columns go into a format 2 pack and filter the register", "[monev]") {
    test::TempDir dir;
    auto src = sources_with_register(dir,
        monev_header + "\n" + row("M/1") + ",Berjalan,2026-03-18,Jalan 12 km selesai,Dinas PUPR\n"
            + row("M/2") + ",terkendala,18/06/2026,Anggaran belum ada,\n" + row("M/3") + ",,,,\n"
            + row("M/4") + "\n" // a row written before the columns were added
            + row("M/5") + ",Berjalan\n"); // neither: a clear message
    auto r = build_content_pack({src, dir / "p.pack", 1795400000, std::nullopt});
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(all_errors(r),
        Catch::Contains("agreements.csv:6: row has 13 fields, the header has 12 (16 with the "
                        "optional monitoring columns)"));
    REQUIRE(test::replace_in_file(src + "/agreements.csv", row("M/5") + ",Berjalan\n", ""));
    r = build_content_pack({src, dir / "p.pack", 1795400000, std::nullopt});
    INFO(all_errors(r));
    REQUIRE(r.ok());
    CHECK(r.stats.agreements == 4);
    auto pack = ContentPack::open_unverified(dir / "p.pack");
    REQUIRE(pack.ok());
    CHECK(pack->meta().format_version == 2);
    CHECK(pack->meta().monitoring);
    auto a1 = by_number(*pack, "M/1");
    CHECK(a1.implementation == ImplementationState::Ongoing);
    REQUIRE(a1.evaluated_on);
    CHECK(a1.evaluated_on->iso() == "2026-03-18");
    CHECK(a1.evaluation == "Jalan 12 km selesai");
    CHECK(a1.responsible_unit == "Dinas PUPR");
    auto a2 = by_number(*pack, "M/2");
    CHECK(a2.implementation == ImplementationState::Hindered);
    CHECK(a2.evaluated_on->iso() == "2026-06-18");
    CHECK(a2.responsible_unit.empty());
    auto a3 = by_number(*pack, "M/3");
    CHECK_FALSE(a3.implementation);
    CHECK_FALSE(a3.evaluated_on);
    CHECK_FALSE(by_number(*pack, "M/4").implementation);

    AgreementFilter f;
    f.today = Date {2026, 12, 1};
    f.implementation = ImplementationState::Hindered;
    auto hindered = pack->agreements(f);
    REQUIRE(hindered.ok());
    REQUIRE(hindered->size() == 1);
    CHECK(hindered->front().number == "M/2");
    CHECK(pack->count_agreements(f).value() == 1);
    f.implementation = ImplementationState::Done;
    CHECK(pack->count_agreements(f).value() == 0);
    f.implementation.reset();
    CHECK(pack->count_agreements(f).value() == 4);
}

TEST_CASE("monev: a register without the monitoring columns builds a format 1 pack as before",
    "[monev]") {
    test::TempDir dir;
    auto src = sources_with_register(dir, header + "\n" + row("M/1") + "\n");
    auto r = build_content_pack({src, dir / "p.pack", 1795400000, std::nullopt});
    INFO(all_errors(r));
    REQUIRE(r.ok());
    auto pack = ContentPack::open_unverified(dir / "p.pack");
    REQUIRE(pack.ok());
    // Kiosks that read only format 1 keep taking the packs of an office without monitoring.
    CHECK(pack->meta().format_version == 1);
    CHECK_FALSE(pack->meta().monitoring);
    CHECK_FALSE(by_number(*pack, "M/1").implementation);
    AgreementFilter f;
    f.implementation = ImplementationState::Ongoing;
    CHECK(pack->count_agreements(f).value() == 0);
    // Empty monitoring columns are no monitoring either.
    test::TempDir dir2;
    auto src2 = sources_with_register(dir2, monev_header + "\n" + row("M/1") + ",,,,\n");
    REQUIRE(build_content_pack({src2, dir2 / "p.pack", 1795400000, std::nullopt}).ok());
    CHECK(ContentPack::open_unverified(dir2 / "p.pack")->meta().format_version == 1);
}

TEST_CASE("monev: bad monitoring values are named with their row and column", "[monev]") {
    test::TempDir dir;
    auto src = sources_with_register(dir,
        monev_header + "\n" + row("M/1") + ",Macet,2026-03-18,Ringkasan,Dinas\n" + row("M/2")
            + ",Berjalan,2026-02-30,Ringkasan,Dinas\n" + row("M/3") + ",Berjalan,,Ringkasan,\n"
            + row("M/4") + ",Selesai,2026-01-05," + std::string(2001, 'x') + ",\n");
    auto r = check_content_sources(src);
    auto e = all_errors(r);
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:2: column 'status_pelaksanaan': unknown implementation "
                        "state 'Macet'"));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:3: column 'tanggal_evaluasi': '2026-02-30' is not a valid "
                        "date"));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:4: column 'tanggal_evaluasi' is empty: an evaluation "
                        "summary needs its date"));
    CHECK_THAT(e,
        Catch::Contains("agreements.csv:5: column 'ringkasan_evaluasi' has 2001 characters, more "
                        "than the limit of 2000"));
    bool field_named = false;
    for (auto const& d : r.errors)
        field_named |= d.field == "status_pelaksanaan" && d.line == 2
            && d.message_id.find("Belum dilaksanakan") != std::string::npos;
    CHECK(field_named);
    CHECK(r.errors.size() == 4);
}

TEST_CASE("monev: a pack whose format and tables disagree is refused", "[monev]") {
    test::TempDir dir;
    auto src = sources_with_register(dir, monev_header + "\n" + row("M/1") + ",Berjalan,,,\n");
    REQUIRE(build_content_pack({src, dir / "p.pack", 1795400000, std::nullopt}).ok());
    {
        auto db = Db::open(dir / "p.pack", OpenMode::ReadWrite);
        REQUIRE(db.ok());
        REQUIRE(db->exec("UPDATE meta SET value = '1' WHERE key = 'format_version'").ok());
        REQUIRE(db->exec("PRAGMA journal_mode=DELETE").ok());
    }
    auto pack = ContentPack::open_unverified(dir / "p.pack");
    REQUIRE_FALSE(pack.ok());
    CHECK_THAT(
        pack.error().message, Catch::Contains("format version 1 with the tables of format 2"));
}
