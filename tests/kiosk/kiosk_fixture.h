// Shared test fixtures: an offscreen kiosk at a size with the fixed sample content and clock.
#pragma once

#include "app/script.h"
#include "platform/offscreen.h"

#include <catch2/catch.hpp>

namespace kiosk::test {

inline std::unique_ptr<sdl::Offscreen> make_kiosk(ui::Size size, AppOptions options = {}) {
    auto made = sdl::Offscreen::create(size, make_sample_content(), options);
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

inline std::vector<ui::Size> const& all_sizes() {
    static std::vector<ui::Size> const sizes
        = {{800, 480}, {1280, 800}, {1920, 1080}, {1080, 1920}};
    return sizes;
}

} // namespace kiosk::test
