// Shared test fixtures: an offscreen kiosk at a size with the fixed sample content and clock.
#pragma once

#include "app/script.h"
#include "platform/offscreen.h"

#include <catch2/catch.hpp>

namespace kiosk::test {

// Content other than the sample (an article with links added, a logo) is passed in.
inline std::unique_ptr<sdl::Offscreen> make_kiosk(ui::Size size, AppOptions options = {},
    std::unique_ptr<Content> content = make_sample_content()) {
    auto made = sdl::Offscreen::create(size, std::move(content), std::move(options));
    if (!made.ok())
        FAIL("cannot create the offscreen kiosk: " << made.error().message);
    auto k = made.release_value();
    k->host().advance(0, fixed_unix_time);
    return k;
}

// Fails the test with the message of a failed step (tap, type, expect, navigate).
inline void ok(ksd::Result<void> r) {
    if (!r.ok())
        FAIL(r.error().message);
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
