// Scripted visits for tests and the end-to-end run, and jumping to a named screen for
// screenshots and benchmarks. See kiosk/SCRIPTS.md for the script format.
#pragma once

#include "app/host.h"

#include <functional>
#include <string>

namespace kiosk {

// 2026-11-23 09:30 WIB: the fixed clock of tests, screenshots and scripts.
inline constexpr int64_t fixed_unix_time = 1795401000;

// Names for --screen: attract, home, article, article-link-qr, register, register-keyboard,
// register-picker, register-detail, potential, potential-detail, faq, contacts, idle,
// unavailable, ... (the full list in SCRIPTS.md).
std::vector<std::string> const& screen_names();
// Drives the App there with actions (as a visitor would); fails on an unknown name or when
// the content lacks what the screen needs.
ksd::Result<void> navigate_to(Host&, std::string_view name);

struct ScriptHooks {
    // Writes the current picture to a file (drawn first).
    std::function<ksd::Result<void>(std::string const& path)> screenshot;
    // Called with every line before it runs (progress in logs).
    std::function<void(int line, std::string const& text)> trace;
    // Called with the code remember-code read from the screen.
    std::function<void(std::string const& code)> code;
};

// Runs a script against the Host, advancing its virtual clock from start_mono_ms/start_unix.
// Returns the first failure with its line number and what was on screen.
ksd::Result<void> run_script(Host&, std::string_view script, ScriptHooks const&,
    int64_t start_mono_ms = 0, int64_t start_unix = fixed_unix_time);

} // namespace kiosk
