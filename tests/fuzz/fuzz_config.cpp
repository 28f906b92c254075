// Fuzz target: the TOML configuration (ksd/config.h) with a schema of every key type (a copy of
// the kiosk's keys plus a top-level key), reading back every key of an accepted file.
#include "fuzz_support.h"
#include "ksd/config.h"

namespace {

ksd::ConfigSchema const& schema() {
    static ksd::ConfigSchema const s = [] {
        ksd::ConfigSchema c;
        c.string("content.pack", "/var/lib/ksd/content/ksd.pack", "The pack.");
        c.integer("screen.width", 0, 0, 8192, "Width.");
        c.integer("screen.drm_device_index", -1, -1, 9, "Card.");
        c.integer("sync.batch", 100, 1, 500, "Batch.");
        c.integer("sync.big", 0, INT64_MIN, INT64_MAX, "Any integer.");
        c.boolean("screen.fullscreen", true, "Full screen.");
        c.choice("screen.rotation", "0", {"0", "90", "180", "270"}, "Rotation.");
        c.choice("ui.language", "id", {"id", "en"}, "Language.");
        c.string("device.id", "kiosk-dev", "Id.");
        c.string("top", "", "A key outside any table.");
        c.string("a.b.c", "", "A key two tables deep.");
        return c;
    }();
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    auto text = ksd::fuzz::as_view(data, size);
    auto r = ksd::parse_config(text, "fuzz.toml", schema());
    if (!r.ok()) {
        if (r.error().message.empty())
            ksd::fuzz::fail("a refused config without a message");
        return 0;
    }
    for (auto const& k : schema().keys()) {
        switch (k.type) {
        case ksd::ConfigType::String:
        case ksd::ConfigType::Choice:
            (void)r->get_string(k.name);
            break;
        case ksd::ConfigType::Integer: {
            auto v = r->get_int(k.name);
            if (v < k.min || v > k.max)
                ksd::fuzz::fail("an accepted integer outside its range");
            break;
        }
        case ksd::ConfigType::Boolean:
            (void)r->get_bool(k.name);
            break;
        }
    }
    return 0;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // The documented defaults must always load (what --print-config writes).
    auto text = schema().documented_defaults("fuzz");
    if (auto r = ksd::parse_config(text, "defaults.toml", schema()); !r.ok()) {
        std::fprintf(stderr, "%s\n%s\n", text.c_str(), r.error().message.c_str());
        ksd::fuzz::fail("the documented defaults do not load");
    }
    return 0;
}
