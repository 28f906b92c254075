// Logging: one plain line per event on stderr ("warn content: pack rejected: ..."); journald
// adds time and unit. The level comes from the program's config or KSD_LOG_LEVEL.
#pragma once

#include <string_view>

namespace ksd::log {

enum class Level { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

void set_level(Level);
Level level();
// Parses "debug", "info", "warn", "error", "off"; returns false (level unchanged) otherwise.
bool set_level_from_name(std::string_view);

void write(Level, std::string_view component, std::string_view message);

inline void debug(std::string_view c, std::string_view m) {
    write(Level::Debug, c, m);
}
inline void info(std::string_view c, std::string_view m) {
    write(Level::Info, c, m);
}
inline void warn(std::string_view c, std::string_view m) {
    write(Level::Warn, c, m);
}
inline void error(std::string_view c, std::string_view m) {
    write(Level::Error, c, m);
}

} // namespace ksd::log
