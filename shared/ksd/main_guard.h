// The last-resort catch every program's main() shares: an exception that escaped every handler is
// a bug of ours, so it gets one line on stderr (the journal) and exit status 70 (EX_SOFTWARE),
// never a terminate() with a core dump; systemd restarts a service that exits so.
#pragma once

#include <cstdio>
#include <exception>

namespace ksd {

template <class Run>
int guarded_main(char const* program, Run&& run) noexcept {
    try {
        return run();
    } catch (std::exception const& e) {
        std::fprintf(stderr, "%s: internal error: %s\n", program, e.what());
    } catch (...) {
        std::fprintf(stderr, "%s: internal error\n", program);
    }
    return 70;
}

} // namespace ksd
