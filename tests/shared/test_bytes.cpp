// Sizes and content versions as staff read them (issue 13, finding 10): "464 KiB", not "0 MiB";
// a version made from the build time back to that time, a hand-given one left alone.
#include "ksd/bytes.h"
#include "ksd/content_build.h"

#include <catch2/catch.hpp>

using ksd::format_bytes;
using ksd::Lang;

TEST_CASE("sizes are said in the unit that keeps a readable number") {
    CHECK(format_bytes(0, Lang::En) == "0 B");
    CHECK(format_bytes(1023, Lang::En) == "1023 B");
    CHECK(format_bytes(1024, Lang::En) == "1 KiB");
    CHECK(format_bytes(475136, Lang::En) == "464 KiB"); // the demo pack: once "0 MiB"
    CHECK(format_bytes(1536, Lang::En) == "1.5 KiB");
    CHECK(format_bytes(1536, Lang::Id) == "1,5 KiB");
    CHECK(format_bytes(1024 * 1024 - 1, Lang::En) == "1 MiB");
    CHECK(format_bytes(int64_t(5) * 1024 * 1024 * 1024 / 2, Lang::En) == "2.5 GiB");
    CHECK(format_bytes(int64_t(12) * 1024 * 1024 * 1024, Lang::Id) == "12 GiB");
    CHECK(format_bytes(INT64_MAX, Lang::En) == "8388608 TiB");
    CHECK(format_bytes(-1, Lang::En) == "?");
}

TEST_CASE("a content version made from the build time gives that time back") {
    int64_t t = 1796045130; // 2026-11-30 13:25:30 UTC
    CHECK(ksd::version_from_time(t) == 20261130132530);
    CHECK(ksd::time_from_version(20261130132530) == t);
    CHECK_FALSE(ksd::time_from_version(200).has_value()); // given by hand
    CHECK_FALSE(ksd::time_from_version(20261332000000).has_value()); // month 13
    CHECK_FALSE(ksd::time_from_version(20260230000000).has_value()); // 30 February
    CHECK_FALSE(ksd::time_from_version(20261130246000).has_value());
}
