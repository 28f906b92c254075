// Fuzz target: the content builder (ksd/content_build.h) on a whole source tree. The input is
// an archive (fuzz_support.h: "=== path" lines) written into a private folder, then built; a
// pack the builder accepts must open and read back completely.
#include "fuzz_support.h"
#include "pack_walk.h"

#include "ksd/content_build.h"

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    std::string const out = ksd::fuzz::work_dir() + "/out.pack";
    auto r = ksd::fuzz::build_tree(ksd::fuzz::as_view(data, size), out, 1795401000);
    if (!r.ok()) {
        for (auto const& d : r.errors)
            if (d.message.empty())
                ksd::fuzz::fail("a diagnostic without a message");
        if (std::filesystem::exists(out))
            ksd::fuzz::fail("a pack was left behind by a failed build");
        return 0;
    }
    auto pack = ksd::ContentPack::open_unverified(out);
    if (!pack.ok())
        ksd::fuzz::fail(
            ("the builder wrote a pack its own reader refuses: " + pack.error().message).c_str());
    ksd::fuzz::walk_pack(*pack);
    return 0;
}
