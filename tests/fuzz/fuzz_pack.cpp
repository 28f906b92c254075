// Fuzz target: the pack reader (ksd/content_pack.h). The input is written as the SQLite pack
// file and opened without the signature check (the signature's job is a different one: this
// target is about the reader), then read completely as the kiosk reads it.
#include "fuzz_support.h"
#include "pack_walk.h"

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    std::string const path = ksd::fuzz::work_dir() + "/in.pack";
    ksd::fuzz::write_file(path, ksd::fuzz::as_view(data, size));
    auto pack = ksd::ContentPack::open_unverified(path);
    if (pack.ok())
        ksd::fuzz::walk_pack(*pack);
    return 0;
}
