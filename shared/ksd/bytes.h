// Sizes for people: "464 KiB", "1,5 MiB" (Indonesian decimal comma), "12 GiB". Pure, no I/O.
#pragma once

#include "ksd/taxonomy.h"

#include <cstdint>
#include <string>

namespace ksd {

// bytes in the largest binary unit (B, KiB, MiB, GiB, TiB) that keeps the number at least 1;
// one decimal below 10 of that unit ("1.5 MiB"), none above ("464 KiB"), none when it is .0.
// A negative size (unknown) is "?".
std::string format_bytes(int64_t bytes, Lang);

} // namespace ksd
