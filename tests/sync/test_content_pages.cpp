// Issue 10, the content pages of the dashboard against the real ksd-server: a register uploaded
// as a spreadsheet writes it (semicolons, Windows-1252) with its bad row named in Indonesian, one
// agreement by the form, a page previewed harmlessly, "Periksa", "Terbitkan" by an editor (a
// viewer refused), and the published pack installed by a real ksd-sync; every change audited.
#include "server_ready.h"
#include "staff_client.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include <catch2/catch.hpp>

#include <sys/stat.h>

using namespace ksd::test;

namespace {

constexpr char const* editor_pw = "Pulau-Burung-99";
constexpr char const* viewer_pw = "Kuala-Enok-2026";
std::string const content_bin = KSD_CONTENT_BIN;

std::string sql_text(std::string const& db, std::string const& sql) {
    return db_sql(db, sql).text;
}

// As a spreadsheet on an Indonesian Windows saves it: semicolons, CRLF, Windows-1252; the
// second row has a sector the register does not know.
std::string const spreadsheet_csv
    = "nomor;jenis;dokumen;mitra;perihal;bidang;ruang_lingkup;tanggal_ttd;mulai;berakhir;"
      "pelaksana;keterangan\r\n"
      "X/PKS/001/2026;KSDPK;PKS;PT Caf\xE9 Lestari (fiktif);Kopi, kelapa;pertanian;\x93Hilir\x94;"
      "2026-01-05;2026-02-01;2028-01-31;Dinas Perkebunan;\r\n"
      "X/PKS/002/2026;KSDPK;PKS;PT Dua (fiktif);Pelatihan;perkebunan-sawit;Pelatihan;14/03/2026;"
      "2026-04-01;2027-03-31;Dinas Tenaga Kerja;\r\n";

struct ContentSite {
    SyncKiosk k;
    std::string config = k.dir / "server.toml";
    std::string pub = k.dir / "ksd.pub";
    ContentSite() {
        REQUIRE(run(content_bin + " keygen -p " + shq(pub) + " -s " + shq(k.dir / "ksd.key")
                    + " >/dev/null 2>&1")
            == 0);
        REQUIRE(::chmod((k.dir / "ksd.key").c_str(), 0600) == 0);
        spit(config, "public_key = \"" + pub + "\"\nsecret_key = \"" + k.dir / "ksd.key" + "\"\n");
        REQUIRE(add_staff_user(k.server_db, "eka", "editor", editor_pw) == 0);
        REQUIRE(add_staff_user(k.server_db, "vina", "viewer", viewer_pw) == 0);
        REQUIRE(k.server_cli("content import-sources "
                     + shq(std::string(KSD_SOURCE_DIR) + "/content") + " >/dev/null 2>&1")
                    .status
            == 0);
    }
};

} // namespace

TEST_CASE("content pages: a spreadsheet upload names its bad row, an editor publishes, a real "
          "ksd-sync installs the pack") {
    ContentSite s;
    ServerProcess server(s.k.server_db, s.k.dir / "server.log", s.config);
    StaffClient editor(server.port());
    REQUIRE(editor.login("eka", editor_pw) == 303);

    auto overview = editor.get("/staff/content");
    REQUIRE(overview.status == 200);
    CHECK(overview.body.find("Konten anjungan") != std::string::npos);
    CHECK(overview.body.find("31 berkas sumber") != std::string::npos);
    CHECK(overview.body.find("Belum ada versi yang terbit.") != std::string::npos);

    // The upload: stored converted, the bad row named next to itself, in Indonesian.
    auto up = editor.post_multipart(
        "/staff/content/register/upload", {{"file", spreadsheet_csv, "daftar.csv", "text/csv"}});
    INFO(up.body.substr(0, 4000));
    REQUIRE(up.status == 200);
    CHECK(up.body.find("Daftar diunggah: 2 baris (Windows-1252, titik koma)") != std::string::npos);
    CHECK(up.body.find("PT Caf\xC3\xA9 Lestari (fiktif)") != std::string::npos);
    CHECK(up.body.find("1 baris bermasalah") != std::string::npos);
    auto row = up.body.find("id=\"line-3\"");
    REQUIRE(row != std::string::npos);
    auto problem = up.body.find("perkebunan-sawit&apos; tidak dikenal", row);
    CHECK(problem != std::string::npos);
    CHECK(up.body.find("Baris 3 · bidang:", row) < problem);

    // Periksa lists it too; Terbitkan refuses while it is there.
    auto check = editor.get("/staff/content/check");
    REQUIRE(check.status == 200);
    CHECK(check.body.find("<strong>1</strong> masalah ditemukan") != std::string::npos);
    auto refused = editor.post("/staff/content/publish", {{"confirm", "yes"}});
    CHECK(refused.status == 400);
    CHECK(refused.body.find("1 masalah pada sumber konten; tidak ada yang diterbitkan")
        != std::string::npos);
    CHECK(editor.post("/staff/content/publish").status == 400); // not confirmed

    // Fixed by the form: a wrong date is named at its field, then the right one is saved.
    auto form = editor.get("/staff/content/register/agreement?nomor=X/PKS/002/2026");
    REQUIRE(form.status == 200);
    CHECK(form.body.find("value=\"Pelatihan\"") != std::string::npos);
    httplib::Params fields {{"original", "X/PKS/002/2026"}, {"nomor", "X/PKS/002/2026"},
        {"jenis", "KSDPK"}, {"dokumen", "PKS"}, {"mitra", "PT Dua (fiktif)"},
        {"perihal", "Pelatihan"}, {"bidang", "tenaga-kerja"}, {"ruang_lingkup", "Pelatihan"},
        {"tanggal_ttd", "2026-03-14"}, {"mulai", "2026-04-01"}, {"berakhir", "2027-02-30"},
        {"pelaksana", "Dinas Tenaga Kerja"}, {"keterangan", ""}};
    auto bad = editor.post("/staff/content/register/agreement", fields);
    CHECK(bad.status == 400);
    CHECK(bad.body.find("bukan tanggal (TTTT-BB-HH)") != std::string::npos);
    fields.erase("berakhir");
    fields.emplace("berakhir", "2027-03-31");
    CHECK(editor.post("/staff/content/register/agreement", fields).status == 303);
    auto fixed = editor.get("/staff/content/register");
    CHECK(fixed.body.find("Semua baris lolos pemeriksaan.") != std::string::npos);

    // Published, audited, and a real ksd-sync downloads and verifies it.
    auto published = editor.post("/staff/content/publish", {{"confirm", "yes"}});
    REQUIRE(published.status == 303);
    std::string location = published.header("Location");
    auto at = location.find("version=");
    REQUIRE(at != std::string::npos);
    std::string version = location.substr(at + 8);
    CHECK(version.size() == 14);
    CHECK(sql_text(s.k.server_db,
              "SELECT user_name || ' ' || target FROM audit WHERE action = 'content_publish'")
        == "eka " + version + "\n");
    CHECK(sql_text(s.k.server_db,
              "SELECT count(*) FROM audit WHERE action IN "
              "('content_register_upload', 'content_agreement_save')")
        == "2\n");
    std::string target = s.k.dir / "ksd.pack";
    auto synced = s.k.sync(server.url(), " --pack " + shq(target) + " --public-key " + shq(s.pub));
    INFO(synced.text);
    CHECK(synced.status == 0);
    CHECK(synced.text.find("pack " + version + " installed") != std::string::npos);
    CHECK(run(content_bin + " verify " + shq(target) + " -p " + shq(s.pub) + " >/dev/null 2>&1")
        == 0);
    auto after = editor.get("/staff/content");
    CHECK(after.body.find(version) != std::string::npos);
    CHECK(after.body.find("Draf sama dengan versi yang terbit.") != std::string::npos);
}

TEST_CASE("content pages: a viewer reads but may not change, and a page preview is inert") {
    ContentSite s;
    ServerProcess server(s.k.server_db, s.k.dir / "server.log", s.config);
    StaffClient viewer(server.port());
    REQUIRE(viewer.login("vina", viewer_pw) == 303);
    auto page = viewer.get("/staff/content");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("/staff/content/publish") == std::string::npos);
    CHECK(viewer.post("/staff/content/publish", {{"confirm", "yes"}}).status == 403);
    CHECK(viewer.post("/staff/content/file", {{"path", "faq.toml"}, {"text", "x"}}).status == 403);
    auto file = viewer.get("/staff/content/file?path=pages/tentang-ksd.id.md");
    REQUIRE(file.status == 200);
    CHECK(file.body.find("readonly") != std::string::npos);
    CHECK(viewer.get("/staff/content/file?path=../../etc/passwd").status == 404);

    StaffClient editor(server.port());
    REQUIRE(editor.login("eka", editor_pw) == 303);
    std::string hostile = "+++\nid = \"tentang-ksd\"\n+++\n\n<script>alert(1)</script>\n\n"
                          "[klik](javascript:alert(2)) <img src=x onerror=alert(3)>\n";
    auto preview = editor.post("/staff/content/file",
        {{"path", "pages/tentang-ksd.id.md"}, {"text", hostile}, {"action", "preview"}});
    REQUIRE(preview.status == 200);
    auto box = preview.body.find("id=\"preview\"");
    REQUIRE(box != std::string::npos);
    std::string shown = preview.body.substr(box);
    CHECK(shown.find("<script>alert") == std::string::npos);
    CHECK(shown.find("<img") == std::string::npos);
    CHECK(shown.find("href=\"javascript") == std::string::npos);
    CHECK(shown.find("&lt;script&gt;") != std::string::npos);
    // A preview stores nothing.
    CHECK(sql_text(s.k.server_db, "SELECT count(*) FROM audit WHERE action = 'content_file_save'")
        == "0\n");
}

TEST_CASE("content pages: an office without a key on the server signs offline, and restores") {
    if (!have_tool("minisign")) {
        WARN("SKIPPED: the minisign tool is not installed");
        return;
    }
    ContentSite s;
    // The office's key pair, made by the real minisign; the server gets only the public key.
    REQUIRE(run("minisign -G -W -p " + shq(s.k.dir / "office.pub") + " -s "
                + shq(s.k.dir / "office.key") + " >/dev/null 2>&1")
        == 0);
    spit(s.config, "public_key = \"" + s.k.dir / "office.pub" + "\"\n");
    ServerProcess server(s.k.server_db, s.k.dir / "server.log", s.config);
    StaffClient editor(server.port());
    REQUIRE(editor.login("eka", editor_pw) == 303);
    auto page = editor.get("/staff/content");
    CHECK(page.body.find("Server tidak memiliki kunci rahasia") != std::string::npos);
    CHECK(editor.post("/staff/content/publish", {{"confirm", "yes"}}).status == 400);

    REQUIRE(editor.post("/staff/content/unsigned").status == 303);
    auto download = editor.get("/staff/content/unsigned.pack");
    REQUIRE(download.status == 200);
    CHECK(download.header("Content-Disposition").find("attachment") != std::string::npos);
    std::string pack = s.k.dir / "to-sign.pack";
    spit(pack, download.body);

    // Signed with another key first: refused, nothing published.
    REQUIRE(run("minisign -G -W -p " + shq(s.k.dir / "other.pub") + " -s "
                + shq(s.k.dir / "other.key") + " >/dev/null 2>&1")
        == 0);
    REQUIRE(
        run("minisign -Sm " + shq(pack) + " -s " + shq(s.k.dir / "other.key") + " >/dev/null 2>&1")
        == 0);
    auto wrong = editor.post_multipart("/staff/content/signature",
        {{"minisig", slurp(pack + ".minisig"), "to-sign.pack.minisig",
            "application/octet-stream"}});
    CHECK(wrong.status == 400);
    CHECK(wrong.body.find("ditolak: tanda tangan tidak cocok") != std::string::npos);
    CHECK(sql_text(s.k.server_db, "SELECT count(*) FROM content_packs") == "0\n");

    REQUIRE(
        run("minisign -Sm " + shq(pack) + " -s " + shq(s.k.dir / "office.key") + " >/dev/null 2>&1")
        == 0);
    auto signed_up = editor.post_multipart("/staff/content/signature",
        {{"minisig", slurp(pack + ".minisig"), "to-sign.pack.minisig",
            "application/octet-stream"}});
    REQUIRE(signed_up.status == 303);
    std::string first = sql_text(s.k.server_db, "SELECT max(version) FROM content_packs");
    CHECK(sql_text(s.k.server_db, "SELECT published_by || ' ' || signing FROM content_publications")
        == "eka offline\n");

    // Restoring without a server key makes the old sources the pack waiting to be signed.
    first.pop_back();
    REQUIRE(editor.post("/staff/content/restore/" + first).status == 303);
    auto waiting = editor.get("/staff/content");
    CHECK(waiting.body.find("Paket menunggu tanda tangan") != std::string::npos);
    CHECK(waiting.body.find("dipulihkan dari versi " + first) != std::string::npos);
    // Two packs made to sign, two refusals (no server key, the wrong signature), one publication.
    CHECK(sql_text(
              s.k.server_db, "SELECT action FROM audit WHERE action LIKE 'content_%' ORDER BY id")
        == "content_publish_failed\ncontent_unsigned\ncontent_publish_failed\ncontent_signature\n"
           "content_unsigned\n");
}
