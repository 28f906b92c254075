// Logging to stderr; a single write() per line so lines of two threads never interleave.
#include "ksd/log.h"

#include <atomic>
#include <cstdlib>
#include <string>
#include <unistd.h>

namespace ksd::log {

namespace {
Level initial_level() {
    Level l = Level::Info;
    if (char const* env = std::getenv("KSD_LOG_LEVEL")) {
        std::string_view v(env);
        if (v == "debug")
            l = Level::Debug;
        else if (v == "warn")
            l = Level::Warn;
        else if (v == "error")
            l = Level::Error;
        else if (v == "off")
            l = Level::Off;
    }
    return l;
}
std::atomic<Level> g_level {initial_level()};

char const* name_of(Level l) {
    switch (l) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info";
    case Level::Warn:
        return "warn";
    case Level::Error:
        return "error";
    case Level::Off:
        break;
    }
    return "off";
}
} // namespace

void set_level(Level l) {
    g_level = l;
}
Level level() {
    return g_level;
}

bool set_level_from_name(std::string_view name) {
    for (auto l : {Level::Debug, Level::Info, Level::Warn, Level::Error, Level::Off}) {
        if (name == name_of(l)) {
            g_level = l;
            return true;
        }
    }
    return false;
}

void write(Level l, std::string_view component, std::string_view message) {
    if (l < g_level.load() || l == Level::Off)
        return;
    std::string line;
    line.reserve(component.size() + message.size() + 16);
    line += name_of(l);
    line += ' ';
    line += component;
    line += ": ";
    // One event, one line: newlines inside a message would split it in the journal.
    for (char c : message)
        line += (c == '\n' || c == '\r') ? ' ' : c;
    line += '\n';
    ssize_t unused = ::write(2, line.data(), line.size());
    (void)unused;
}

} // namespace ksd::log
