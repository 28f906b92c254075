// Fuzz target: the kiosk's layout of a pack. The input is a source tree archive (as for the
// content target); when it builds, the pack is opened as the kiosk opens it (unsigned) and a few
// screens are laid out and drawn into a software surface (SDL's software renderer, no video).
// A slow input is a defect here: laying out text must stay linear in its length.
#include "fuzz_support.h"

#include "app/pack_content.h"
#include "app/script.h"
#include "shell/offscreen.h"

#include "ksd/content_build.h"

#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    setenv("SDL_VIDEODRIVER", "dummy", 0);
    setenv("SDL_AUDIODRIVER", "dummy", 0);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    std::string const out = ksd::fuzz::work_dir() + "/kiosk.pack";
    if (!ksd::fuzz::build_tree(ksd::fuzz::as_view(data, size), out, kiosk::fixed_unix_time).ok())
        return -1; // not a pack: nothing for the kiosk to show (keeps it out of the corpus)
    auto content = kiosk::open_pack(out, "", kiosk::Verify::None);
    if (!content.ok())
        ksd::fuzz::fail(
            ("the kiosk refuses a pack the builder accepted: " + content.error().message).c_str());
    auto made = kiosk::shell::Offscreen::create({800, 480}, content.release_value(), {});
    if (!made.ok()) {
        std::fprintf(
            stderr, "cannot create the offscreen kiosk: %s\n", made.error().message.c_str());
        std::abort();
    }
    auto& k = **made;
    k.host().advance(0, kiosk::fixed_unix_time);
    k.host().draw();
    for (char const* screen :
        {"home", "article", "register", "register-detail", "potential-detail", "faq", "contacts"}) {
        if (kiosk::navigate_to(k.host(), screen).ok())
            k.host().draw();
    }
    return 0;
}
