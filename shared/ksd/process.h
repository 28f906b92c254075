// Runs another program with its standard input given as bytes and its output captured, under a
// deadline: the read-aloud's espeak-ng (speech.h). No shell is involved (argv as given), and a
// program that overruns the deadline is killed with SIGKILL, so a hung child never holds the
// caller (the kiosk's worker thread) for longer than asked.
#pragma once

#include "ksd/result.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ksd {

struct ProgramOutput {
    int exit_code {0}; // the program's exit status (it was not killed)
    std::string out; // standard output
    std::string err; // standard error, for messages
};

// argv[0] is looked up in PATH. An Error when the program cannot be started, is killed by a
// signal, overruns the timeout (then killed), or writes more than max_output bytes to either
// stream; a non-zero exit is a value (exit_code) for the caller to judge.
Result<ProgramOutput> run_program(std::vector<std::string> const& argv, std::string_view input,
    std::chrono::milliseconds timeout, size_t max_output = 64u << 20);

// Whether a program of that name is found in PATH and executable.
bool program_in_path(std::string const& name);

} // namespace ksd
