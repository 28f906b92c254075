// The real ksd-kiosk binary, headless (SDL_VIDEODRIVER=dummy): command-line smoke tests, the
// scripted visit of visit.txt, screenshots and the benchmark mode's output.
#include "test_support.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

namespace {

std::string kiosk() {
    return std::string("SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy ") + KSD_KIOSK_BIN;
}

std::string slurp(std::string const& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

bool exists(std::string const& path) {
    return std::ifstream(path).good();
}

} // namespace

TEST_CASE("ksd-kiosk --help and --version answer, a bad option is refused") {
    ksd::test::TempDir dir;
    CHECK(ksd::test::run(kiosk() + " --help > " + dir / "help.txt") == 0);
    CHECK(slurp(dir / "help.txt").find("--screenshot") != std::string::npos);
    CHECK(ksd::test::run(kiosk() + " --version > " + dir / "v.txt") == 0);
    CHECK(slurp(dir / "v.txt").find("ksd-kiosk") != std::string::npos);
    CHECK(ksd::test::run(kiosk() + " --frobnicate 2> " + dir / "err.txt") == 2);
    CHECK(slurp(dir / "err.txt").find("unknown option --frobnicate") != std::string::npos);
    CHECK(ksd::test::run(kiosk() + " --print-config > " + dir / "cfg.toml") == 0);
    CHECK(slurp(dir / "cfg.toml").find("rotation") != std::string::npos);
}

TEST_CASE("the scripted visit passes end to end") {
    ksd::test::TempDir dir;
    std::string script = std::string(KSD_SOURCE_DIR) + "/tests/kiosk/visit.txt";
    int rc = ksd::test::run(kiosk() + " --sample --size 800x480 --script " + script + " --out-dir "
        + dir.path() + " > " + dir / "out.txt" + " 2>&1");
    INFO(slurp(dir / "out.txt"));
    REQUIRE(rc == 0);
    for (auto const* f : {"e2e-home.png", "e2e-search.png", "e2e-detail.png", "e2e-attract.png"})
        CHECK(exists(dir / f));
}

TEST_CASE("a failing script fails the binary with the line") {
    ksd::test::TempDir dir;
    {
        std::ofstream(dir / "bad.txt")
            << "tap Sentuh layar untuk mulai\nexpect Tidak ada teks ini\n";
    }
    int rc = ksd::test::run(kiosk() + " --sample --size 800x480 --script " + dir / "bad.txt"
        + " 2> " + dir / "err.txt");
    CHECK(rc == 1);
    CHECK(slurp(dir / "err.txt").find("script line 2") != std::string::npos);
}

TEST_CASE("screenshot mode renders named screens without a display") {
    ksd::test::TempDir dir;
    for (auto const* screen : {"attract", "home", "article", "register", "contacts", "potential",
             "faq", "register-detail"}) {
        INFO(screen);
        CHECK(ksd::test::run(kiosk() + " --sample --screenshot " + dir / "s.png" + " --screen "
                  + screen + " --size 1280x800 --lang en")
            == 0);
        CHECK(exists(dir / "s.png"));
        std::remove((dir / "s.png").c_str());
    }
    CHECK(ksd::test::run(kiosk() + " --sample --screenshot " + dir / "x.png"
              + " --screen nowhere --size 800x480 2>/dev/null")
        == 1);
    // No pack at all: the calm screen, not a crash.
    CHECK(ksd::test::run(kiosk() + " --pack " + dir / "missing.pack" + " --screenshot "
              + dir / "u.png" + " --screen unavailable --size 800x480 2>/dev/null")
        == 0);
    CHECK(exists(dir / "u.png"));
}

TEST_CASE("bench mode prints one JSON line per frame") {
    ksd::test::TempDir dir;
    REQUIRE(ksd::test::run(kiosk() + " --sample --bench-frames 5 --screen home --size 1920x1080 > "
                + dir / "b.jsonl")
        == 0);
    std::istringstream lines(slurp(dir / "b.jsonl"));
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        CHECK(line.starts_with("{\"frame\":"));
        CHECK(line.find("\"ms\":") != std::string::npos);
        ++n;
    }
    CHECK(n == 5);
}

TEST_CASE("first-frame-exit mode presents one frame on the dummy video driver and exits") {
    ksd::test::TempDir dir;
    {
        std::ofstream(dir / "kiosk.toml")
            << "[content]\npack = \"" << dir / "none.pack"
            << "\"\n"
            << "[screen]\nwidth = 800\nheight = 480\nfullscreen = false\n";
    }
    CHECK(ksd::test::run(
              kiosk() + " --config " + dir / "kiosk.toml" + " --first-frame-exit 2>/dev/null")
        == 0);
    // A missing font is a clear start-up error naming the file.
    std::ofstream(dir / "nofont.toml") << "[fonts]\ndir = \"" << dir / "fonts"
                                       << "\"\n";
    CHECK(ksd::test::run(kiosk() + " --config " + dir / "nofont.toml" + " --first-frame-exit 2> "
              + dir / "err.txt")
        == 1);
    CHECK(slurp(dir / "err.txt").find("OpenSans-Regular.ttf") != std::string::npos);
    // Rotated output (a render target turned by 90 degrees) starts as well.
    std::ofstream(dir / "rot.toml")
        << "[content]\npack = \"" << dir / "none.pack"
        << "\"\n"
        << "[screen]\nwidth = 800\nheight = 480\nfullscreen = false\nrotation = \"90\"\n";
    CHECK(ksd::test::run(
              kiosk() + " --config " + dir / "rot.toml" + " --first-frame-exit 2>/dev/null")
        == 0);
    // A bad value: the technician's page is presented instead (78 after it with
    // --first-frame-exit; see test_technician.cpp).
    std::ofstream(dir / "bad.toml") << "[screen]\nrotation = \"45\"\n";
    CHECK(ksd::test::run(
              kiosk() + " --config " + dir / "bad.toml" + " --first-frame-exit 2>/dev/null")
        == 78);
}

#ifdef KSD_DEMO_DIR
TEST_CASE("the signed demo pack is shown, a tampered or unsigned one gives the calm screen") {
    ksd::test::TempDir dir;
    std::string demo = KSD_DEMO_DIR;
    REQUIRE(ksd::test::run(
                "cp " + demo + "/ksd-demo.pack " + demo + "/ksd-demo.pack.minisig " + dir.path())
        == 0);
    std::string args
        = " --key " + demo + "/ksd-demo.pub --size 800x480 --screenshot " + dir / "s.png";
    CHECK(ksd::test::run(kiosk() + " --pack " + dir / "ksd-demo.pack" + args + " --screen home")
        == 0);
    // One byte changed: the signature no longer matches, the kiosk must not show it.
    REQUIRE(ksd::test::run("printf x >> " + dir / "ksd-demo.pack") == 0);
    CHECK(ksd::test::run(
              kiosk() + " --pack " + dir / "ksd-demo.pack" + args + " --screen home 2>/dev/null")
        == 1);
    CHECK(ksd::test::run(kiosk() + " --pack " + dir / "ksd-demo.pack" + args
              + " --screen unavailable 2>/dev/null")
        == 0);
    // Garbage instead of a pack, with no signature at all.
    { std::ofstream(dir / "junk.pack") << "not a pack"; }
    CHECK(ksd::test::run(
              kiosk() + " --pack " + dir / "junk.pack" + args + " --screen unavailable 2>/dev/null")
        == 0);
    CHECK(ksd::test::run(kiosk() + " --pack " + dir / "junk.pack --no-verify" + args
              + " --screen unavailable 2>/dev/null")
        == 0);
}

TEST_CASE("the scripted visit on the signed demo pack") {
    ksd::test::TempDir dir;
    std::string demo = KSD_DEMO_DIR;
    std::string script = std::string(KSD_SOURCE_DIR) + "/tests/kiosk/visit-demo.txt";
    int rc = ksd::test::run(kiosk() + " --pack " + demo + "/ksd-demo.pack --key " + demo
        + "/ksd-demo.pub --size 1280x800 --script " + script + " --out-dir " + dir.path() + " > "
        + dir / "out.txt 2>&1");
    INFO(slurp(dir / "out.txt"));
    CHECK(rc == 0);
    CHECK(exists(dir / "demo-search.png"));
}
#endif

TEST_CASE("a request end to end: typed, saved durably, looked up, wiped on idle") {
    ksd::test::TempDir dir;
    std::string script = std::string(KSD_SOURCE_DIR) + "/tests/kiosk/request.txt";
    std::string db = dir / "device.db";
    int rc = ksd::test::run(kiosk() + " --sample --size 800x480 --device-db " + db + " --script "
        + script + " --out-dir " + dir.path() + " > " + dir / "out.txt" + " 2>&1");
    std::string out = slurp(dir / "out.txt");
    INFO(out);
    REQUIRE(rc == 0);
    auto at = out.find("ticket code on screen: ");
    REQUIRE(at != std::string::npos);
    std::string code = out.substr(at + 23, 11);
    // The row, read back by the sqlite3 tool from the file the binary left.
    CHECK(ksd::test::run("sqlite3 " + db
              + " \"SELECT name || '|' || email || '|' || category "
                "|| '|' || sector FROM tickets WHERE code = '"
              + code + "'\" > " + dir / "row.txt")
        == 0);
    CHECK(slurp(dir / "row.txt") == "Anna Mueller|anna@example.org|mitra-luar-negeri|pendidikan\n");
    // The abandoned second form left nothing behind.
    CHECK(ksd::test::run("sqlite3 " + db + " \"SELECT count(*) FROM tickets\" > " + dir / "n.txt")
        == 0);
    CHECK(slurp(dir / "n.txt") == "1\n");
    for (auto const* f : {"request-1.png", "request-3.png", "request-review.png",
             "request-done.png", "status-result.png"})
        CHECK(exists(dir / f));
}

namespace {

// Runs request-code.txt on the real binary with a config that sets ticket.status_url; returns
// the exit status, and the code it read from the screen in code.
int run_code_script(ksd::test::TempDir const& dir, std::string const& size, std::string& code) {
    {
        std::ofstream(dir / "kiosk.toml")
            << "[device]\nid = \"kiosk-1\"\n\n[ticket]\n"
               "status_url = \"https://ksd.example.go.id/t/{code}\"\n";
    }
    std::string script = std::string(KSD_SOURCE_DIR) + "/tests/kiosk/request-code.txt";
    int rc = ksd::test::run(kiosk() + " --config " + dir / "kiosk.toml" + " --sample --size " + size
        + " --device-db " + dir / "device.db" + " --script " + script + " --out-dir " + dir.path()
        + " > " + dir / "out.txt" + " 2>&1");
    std::string out = slurp(dir / "out.txt");
    auto at = out.find("ticket code on screen: ");
    code = at == std::string::npos ? "" : out.substr(at + 23, 11);
    return rc;
}

} // namespace

TEST_CASE("the code stays on screen for two minutes, then the prompt repeats it, the e-mail wish "
          "is kept") {
    ksd::test::TempDir dir;
    std::string code;
    int rc = run_code_script(dir, "800x480", code);
    INFO(slurp(dir / "out.txt"));
    REQUIRE(rc == 0);
    REQUIRE(code.size() == 11);
    for (auto const* f : {"consent.png", "done-qr.png", "done-idle.png"})
        CHECK(exists(dir / f));
    // The separate e-mail box, ticked in the script, is stored with the request.
    CHECK(ksd::test::run("sqlite3 " + dir / "device.db"
              + " \"SELECT email_replies FROM tickets WHERE code = '" + code + "'\" > "
              + dir / "row.txt")
        == 0);
    CHECK(slurp(dir / "row.txt") == "1\n");
}

TEST_CASE("the code screen's QR code decodes to the status page with the code") {
    if (!ksd::test::have_tool("zbarimg")) {
        std::puts("SKIPPED: zbarimg (Debian zbar-tools) is not installed");
        return;
    }
    ksd::test::TempDir dir;
    for (auto const* size : {"800x480", "1080x1920"}) {
        INFO(size);
        std::string code;
        int rc = run_code_script(dir, size, code);
        INFO(slurp(dir / "out.txt"));
        REQUIRE(rc == 0);
        REQUIRE(
            ksd::test::run("zbarimg --quiet --raw " + dir / "done-qr.png" + " > " + dir / "qr.txt")
            == 0);
        CHECK(slurp(dir / "qr.txt") == "https://ksd.example.go.id/t/" + code + "\n");
    }
}

TEST_CASE("a ticket.status_url without http(s) or {code} is a config error naming the key") {
    ksd::test::TempDir dir;
    for (auto const* bad : {"ksd.example.go.id/t/{code}", "https://ksd.example.go.id/t/"}) {
        INFO(bad);
        { std::ofstream(dir / "bad.toml") << "[ticket]\nstatus_url = \"" << bad << "\"\n"; }
        CHECK(ksd::test::run(kiosk() + " --config " + dir / "bad.toml" + " --sample --screenshot "
                  + dir / "x.png" + " --screen home 2> " + dir / "err.txt")
            == 78); // the technician's page in x.png
        CHECK(slurp(dir / "err.txt").find("ticket.status_url") != std::string::npos);
    }
    // The idle keys moved to [idle]: the old name is refused, not silently ignored.
    { std::ofstream(dir / "old.toml") << "[ui]\nidle_seconds = 30\n"; }
    CHECK(ksd::test::run(kiosk() + " --config " + dir / "old.toml" + " --sample --screenshot "
              + dir / "x.png" + " --screen home 2> " + dir / "err.txt")
        == 78);
    CHECK(slurp(dir / "err.txt").find("idle_seconds") != std::string::npos);
}
