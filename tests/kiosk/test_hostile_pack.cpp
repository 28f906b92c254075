// Signed packs that the builder would refuse, made by building the demo content and patching the
// SQLite file afterwards, then signing it with a test key: the kiosk's own checks must hold
// (issue 9). Each runs the real ksd-kiosk binary under SDL's dummy driver.
#include "kiosk_fixture.h"
#include "ksd/content_build.h"
#include "ksd/db.h"
#include "ksd/files.h"
#include "ksd/minisign.h"
#include "test_images.h"
#include "test_support.h"

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <functional>

namespace fs = std::filesystem;
using namespace ksd;

namespace {

std::string kiosk() {
    return std::string("SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy timeout 120 ") + KSD_KIOSK_BIN;
}

struct SignedPack {
    std::string pack;
    std::string pub;
};

// Builds the project's content with the real builder, lets patch change the SQLite file as an
// attacker with the signing key could, and signs the result with a fresh key.
SignedPack hostile_pack(test::TempDir const& dir, std::function<void(Db&)> const& patch) {
    SignedPack out {dir / "ksd.pack", dir / "ksd.pub"};
    auto built = build_content_pack(
        {std::string(KSD_SOURCE_DIR) + "/content", out.pack, 1795400000, std::nullopt});
    REQUIRE(built.ok());
    {
        auto db = Db::open(out.pack, OpenMode::ReadWrite, Durability::Normal);
        REQUIRE(db.ok());
        patch(*db);
        // A pack is one file: back from WAL (which opening for writing turned on).
        REQUIRE(db->exec("PRAGMA journal_mode=DELETE").ok());
    }
    auto pair = minisign::generate_key_pair();
    auto secret = minisign::parse_secret_key(
        pair.secret_key_file, [] { return Result<std::string>(make_error("no password")); });
    REQUIRE(secret.ok());
    auto bytes = read_file(out.pack, 1u << 30);
    REQUIRE(bytes.ok());
    auto sig = minisign::sign(*bytes, *secret, "file:ksd.pack");
    REQUIRE(sig.ok());
    test::spit(out.pack + ".minisig", *sig);
    test::spit(out.pub, pair.public_key_file);
    return out;
}

void exec(Db& db, std::string const& sql) {
    auto r = db.exec(sql);
    INFO(sql);
    REQUIRE(r.ok());
}

struct Run {
    test::Output out;
    double seconds;
};

Run screenshot(SignedPack const& p, std::string const& screen, std::string const& png,
    std::string const& size = "800x480") {
    auto t0 = std::chrono::steady_clock::now();
    auto out = test::capture(kiosk() + " --pack " + p.pack + " --key " + p.pub + " --screenshot "
        + png + " --screen " + screen + " --size " + size);
    return {out, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
}

std::string out_png(std::string const& name) {
    return std::string(KSD_TEST_OUT_DIR) + "/" + name;
}

} // namespace

TEST_CASE("an image over the size limits in a signed pack is a placeholder and a log line") {
    // Issue 9: a 109 KB PNG of 30000x30000 pixels made the attract screen segfault inside
    // libpng after 7.9 GB. 6000x6000 first: the old kiosk decoded that and logged nothing.
    for (uint32_t side : {6000u, 30000u}) {
        INFO(side << "x" << side);
        test::TempDir dir;
        std::string png = test::make_png(side, side);
        auto pack = hostile_pack(dir, [&](Db& db) {
            auto st = db.prepare("INSERT INTO assets VALUES('images/peta.png', 'image/png', ?)");
            REQUIRE(st.ok());
            st->bind_blob(1, png);
            REQUIRE(st->run().ok());
            exec(db, "UPDATE meta SET value = 'images/peta.png' WHERE key = 'institution.logo'");
            exec(db,
                "UPDATE pages SET markdown = '![Peta wilayah](images/peta.png)\n\n' || markdown "
                "WHERE id = 'tentang-ksd'");
        });
        for (auto const* screen : {"attract", "article"}) {
            INFO(screen);
            std::string shot = out_png(std::string("placeholder-") + screen + ".png");
            auto run = screenshot(pack, screen, shot);
            INFO(run.out.text << "\n" << run.seconds << " s");
            REQUIRE(run.out.status == 0);
            CHECK_THAT(run.out.text,
                Catch::Contains(
                    "image images/peta.png shown as a placeholder: " + std::to_string(side) + "x"
                    + std::to_string(side) + " pixels is larger than the limit of 4096x4096"));
            CHECK(run.seconds < 20);
            CHECK(fs::file_size(shot) > 1000);
        }
    }
}

TEST_CASE("a table with an image in a cell in a signed pack renders the article") {
    // Issue 9: `back()` on an empty vector in the Markdown model segfaulted the article screen.
    test::TempDir dir;
    auto pack = hostile_pack(dir, [&](Db& db) {
        exec(db,
            "UPDATE pages SET markdown = '| Peta | Catatan |\n|---|---|\n"
            "| ![Peta](images/tidak-ada.png) teks | b |\n| c | d |\n\n' || markdown "
            "WHERE id = 'tentang-ksd'");
    });
    std::string shot = out_png("table-image-article.png");
    auto run = screenshot(pack, "article", shot);
    INFO(run.out.text);
    CHECK(run.out.status == 0);
    CHECK(fs::exists(shot));
}

TEST_CASE("a signed pack whose pages table is a recursive view shows the calm screen") {
    // Issue 9: the article screen hung on the view's endless rows.
    test::TempDir dir;
    auto pack = hostile_pack(dir, [&](Db& db) {
        exec(db,
            "DROP TABLE pages; CREATE VIEW pages AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL "
            "SELECT n + 1 FROM r) SELECT 'tentang-ksd' AS id, 'id' AS lang, 'tentang' AS section, "
            "n AS ord, 'Judul' AS title, 's' AS summary, 'teks' AS markdown FROM r;");
    });
    auto article = screenshot(pack, "article", dir / "a.png");
    INFO(article.out.text << "\n" << article.seconds << " s");
    CHECK(article.out.status == 1); // no content: only the unavailable screen can be shown
    CHECK_THAT(article.out.text, Catch::Contains("unexpected view 'pages'"));
    CHECK(article.seconds < 20);
    auto calm = screenshot(pack, "unavailable", out_png("view-unavailable.png"));
    CHECK(calm.out.status == 0);
}

TEST_CASE("a 19990-character tile title and a 128 KB word in a signed pack do not freeze") {
    // Issue 9: 19 s for the home screen, 19 s for the article; the builder now refuses both
    // long fields, so the pack is patched after the build.
    test::TempDir dir;
    auto pack = hostile_pack(dir, [&](Db& db) {
        exec(db,
            "UPDATE sections SET title_id = '" + std::string(19990, 'x')
                + "' WHERE id = 'tentang'");
        exec(db,
            "UPDATE pages SET markdown = 'Awal.\n\n" + std::string(128 * 1024, 'w')
                + "\n\nAkhir.\n' WHERE id = 'tentang-ksd'");
    });
    for (auto const* screen : {"home", "article"}) {
        for (auto const* size : {"800x480", "1080x1920"}) {
            INFO(screen << " " << size);
            std::string shot = out_png(std::string("long-") + screen + "-" + size + ".png");
            auto run = screenshot(pack, screen, shot, size);
            INFO(run.out.text << "\n" << run.seconds << " s");
            CHECK(run.out.status == 0);
            CHECK(run.seconds < 20);
        }
    }
}

namespace {

// The offscreen kiosk on the sample content with a logo of the given bytes, at the attract
// screen, drawn once.
std::unique_ptr<kiosk::shell::Offscreen> attract_with_logo(
    kiosk::ui::Size size, std::string bytes) {
    auto content = kiosk::make_sample_content();
    content->institution_data.logo = "images/logo.png";
    content->assets["images/logo.png"] = std::move(bytes);
    auto made = kiosk::shell::Offscreen::create(size, std::move(content), {});
    if (!made.ok())
        FAIL(made.error().message);
    auto k = made.release_value();
    k->host().advance(0, kiosk::fixed_unix_time);
    k->host().draw();
    return k;
}

std::array<uint8_t, 3> pixel(
    kiosk::shell::Offscreen& k, std::vector<uint8_t> const& rgb, int x, int y) {
    size_t at = (size_t(y) * size_t(k.canvas().size().w) + size_t(x)) * 3;
    return {rgb[at], rgb[at + 1], rgb[at + 2]};
}

} // namespace

TEST_CASE("a valid logo is decoded and drawn and the institution name wraps beside it") {
    for (auto size : {kiosk::ui::Size {800, 480}, kiosk::ui::Size {1080, 1920}}) {
        INFO(size.w << "x" << size.h);
        // All black: a decoded logo leaves black pixels where it is drawn.
        auto k = attract_with_logo(size, test::make_png(300, 150));
        auto rgb = k->canvas().rgb();
        kiosk::ui::Rect logo {};
        for (auto const& w : k->host().ui().widgets())
            if (w.label == "logo")
                logo = w.rect;
        REQUIRE(logo.w > 0);
        CHECK(pixel(*k, rgb, logo.x + logo.w / 2, logo.y + logo.h / 2)
            == std::array<uint8_t, 3> {0, 0, 0});
        // Nothing but the background in the right margin of the header: the name and its
        // parent wrapped in the width the logo leaves (they ran off a portrait screen).
        auto background = pixel(*k, rgb, size.w - 2, 2);
        int margin = size.w / 40;
        for (int y = 0; y < logo.bottom() + logo.h / 2; ++y)
            for (int x = size.w - margin; x < size.w; ++x)
                if (pixel(*k, rgb, x, y) != background)
                    FAIL("text in the right margin at " << x << "," << y);
    }
}
