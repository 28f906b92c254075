// Shared test fixtures: an offscreen kiosk at a size with the fixed sample content and clock,
// one with a ticket desk on a real device database, and a request filled in as a visitor does.
#pragma once

#include "app/desk.h"
#include "app/memory_content.h"
#include "app/script.h"
#include "platform/sdl_audio.h"
#include "shell/offscreen.h"
#include "test_support.h"

#include <catch2/catch.hpp>

namespace kiosk::test {

// Content other than the sample (an article with links added, a logo) is passed in.
inline std::unique_ptr<shell::Offscreen> make_kiosk(ui::Size size, AppOptions options = {},
    std::unique_ptr<Content> content = make_sample_content()) {
    auto made = shell::Offscreen::create(size, std::move(content), std::move(options));
    if (!made.ok())
        FAIL("cannot create the offscreen kiosk: " << made.error().message);
    auto k = made.release_value();
    k->host().advance(0, fixed_unix_time);
    return k;
}

// The read-aloud's sound through SDL's dummy audio driver: real SDL audio whose device plays
// into nothing, at the real pace (the machines running the tests have no sound card). One device
// for the whole run, opened at first use: closing one waits for SDL's audio thread, which made
// the layout test (hundreds of kiosks) a minute longer. Each kiosk gets its own handle to it.
struct SpeakerCalls {
    int plays {0};
    int appends {0};
};
inline std::unique_ptr<Speaker> dummy_speaker(SpeakerCalls* calls = nullptr) {
    struct Handle final : Speaker {
        sdl::SdlSpeaker& device;
        SpeakerCalls* calls;
        Handle(sdl::SdlSpeaker& d, SpeakerCalls* c)
            : device(d)
            , calls(c) { }
        void play(ksd::SpeechAudio const& a) override {
            if (calls)
                ++calls->plays;
            device.play(a);
        }
        void append(ksd::SpeechAudio const& a) override {
            if (calls)
                ++calls->appends;
            device.append(a);
        }
        void stop() override { device.stop(); }
        bool playing() override { return device.playing(); }
    };
    static std::unique_ptr<sdl::SdlSpeaker> device = [] {
        setenv("SDL_AUDIODRIVER", "dummy", 0);
        auto opened = sdl::SdlSpeaker::open();
        if (!opened.ok())
            FAIL("SDL's dummy audio device does not open: " << opened.error().message);
        return opened.release_value();
    }();
    device->stop(); // what an earlier kiosk left playing
    return std::make_unique<Handle>(*device, calls);
}

// Fails the test with the message of a failed step (tap, type, expect, navigate).
inline void ok(ksd::Result<void> r) {
    if (!r.ok())
        FAIL(r.error().message);
}

// The kiosk's desk on a device database file in dir.
inline DeskConfig desk_in(ksd::test::TempDir const& dir) {
    DeskConfig d;
    d.db_path = dir / "device.db";
    d.kiosk_id = "kiosk-test";
    return d;
}

// An offscreen kiosk whose tickets go to that database (not to memory).
inline std::unique_ptr<shell::Offscreen> make_kiosk_with_desk(
    DeskConfig d, ui::Size size = {800, 480}, AppOptions options = {}) {
    auto k = make_kiosk(size, std::move(options));
    k->app().set_desk(make_device_desk(std::move(d)));
    return k;
}

#ifdef KSD_DEMO_DIR
// A desk whose staff find the signed demo pack on a USB stick (dir/usb/stick), with the live
// pack at dir/live/ksd.pack and the demo key.
inline DeskConfig desk_with_usb_stick(ksd::test::TempDir const& dir) {
    std::string usb = dir / "usb";
    REQUIRE(ksd::test::run("mkdir -p " + usb + "/stick " + dir / "live") == 0);
    REQUIRE(ksd::test::run(std::string("cp ") + KSD_DEMO_DIR + "/ksd-demo.pack " + KSD_DEMO_DIR
                + "/ksd-demo.pack.minisig " + usb + "/stick/")
        == 0);
    DeskConfig d = desk_in(dir);
    d.usb_dirs = {usb};
    d.pack_path = dir / "live/ksd.pack";
    d.public_key_path = std::string(KSD_DEMO_DIR) + "/ksd-demo.pub";
    return d;
}
#endif

// Steps 1 to 5 of the request through the screen, typed on the on-screen keyboard as a visitor
// does, from the attract screen up to the consent step.
inline void fill_request_form(Host& h, std::string const& phone = "081234567890") {
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Ajukan Konsultasi"));
    ok(h.expect("Langkah 1 dari 6"));
    ok(h.tap("Pihak ketiga (badan usaha, perguruan tinggi, organisasi masyarakat)"));
    ok(h.tap("Lanjut"));
    ok(h.tap("Draf dokumen (KB, PKS, NK)"));
    ok(h.tap("Lanjut"));
    ok(h.expect("Langkah 3 dari 6"));
    ok(h.tap("Nama"));
    ok(h.type("Siti Rahma"));
    ok(h.tap("Selesai"));
    ok(h.tap("Nomor HP/WhatsApp"));
    ok(h.type(phone));
    ok(h.tap("Selesai"));
    ok(h.tap("Lanjut"));
    ok(h.expect("Langkah 4 dari 6"));
    ok(h.tap("Pertanyaan"));
    ok(h.type("Apa saja syarat PKS dengan desa?"));
    ok(h.tap("Selesai"));
    ok(h.tap("Lanjut"));
    ok(h.expect("Langkah 5 dari 6"));
}

// On to step 6, "Periksa dan kirim": consent given, nothing sent yet.
inline void fill_request_to_review(Host& h) {
    fill_request_form(h);
    ok(h.tap("Saya setuju data saya diproses untuk konsultasi ini."));
    ok(h.tap("Lanjut"));
    ok(h.expect("Periksa dan kirim"));
}

// How far (levels per RGB channel) a pixel may differ from a golden image: one set of goldens
// serves amd64 and arm64 (the Pi). The same frame drawn on arm64 differs by 1-2 levels on
// thousands of anti-aliased pixels and by 4 on a few (17 in home_1920x1080, 4 in
// technician_1080x1920): SDL's and SDL_ttf's blending, not our float code (-ffp-contract=off
// changes nothing). 5 is the worst seen plus one; a real change (a moved glyph, a wrong colour)
// differs by tens. Every golden comparison uses this one value.
constexpr int golden_tolerance = 5;

inline std::vector<ui::Size> const& all_sizes() {
    static std::vector<ui::Size> const sizes
        = {{800, 480}, {1280, 800}, {1920, 1080}, {1080, 1920}};
    return sizes;
}

} // namespace kiosk::test
