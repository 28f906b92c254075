// Sizes for people (see bytes.h): integer arithmetic only, so every platform prints the same.
#include "ksd/bytes.h"

#include <array>

namespace ksd {

std::string format_bytes(int64_t bytes, Lang l) {
    if (bytes < 0)
        return "?";
    if (bytes < 1024)
        return std::to_string(bytes) + " B";
    static constexpr std::array<char const*, 4> units = {"KiB", "MiB", "GiB", "TiB"};
    size_t u = 0;
    int64_t unit = 1024;
    while (u + 1 < units.size() && bytes / unit >= 1024) {
        unit *= 1024;
        ++u;
    }
    // Tenths of the unit, rounded half up; (bytes % unit) * 10 cannot overflow.
    int64_t tenths = bytes / unit * 10 + ((bytes % unit) * 10 + unit / 2) / unit;
    if (tenths >= 100) {
        int64_t whole = (tenths + 5) / 10;
        if (whole >= 1024 && u + 1 < units.size()) // 1023.6 KiB reads as 1 MiB
            return "1 " + std::string(units[u + 1]);
        return std::to_string(whole) + " " + units[u];
    }
    std::string out = std::to_string(tenths / 10);
    if (tenths % 10 != 0)
        out += (l == Lang::Id ? "," : ".") + std::to_string(tenths % 10);
    return out + " " + units[u];
}

} // namespace ksd
