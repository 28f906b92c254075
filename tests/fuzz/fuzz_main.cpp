// The fuzz targets' entry points as plain programs (no libFuzzer): runs LLVMFuzzerTestOneInput on
// every file named, or every file in a folder named, so that the regression inputs and the seed
// corpus are checked by the normal (gcc) test suite too, each within 10 s as under libFuzzer.
// Exit status 0: every input ran.
#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size);
extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) __attribute__((weak));

namespace fs = std::filesystem;

namespace {

// As libFuzzer's -timeout=10: a slow input is a defect (text layout must stay linear).
constexpr unsigned timeout_s = 10;
char const* current = "";

extern "C" void on_alarm(int) {
    char const head[] = "fuzz_main: timeout: this input ran for more than 10 s: ";
    (void)!write(2, head, sizeof head - 1);
    (void)!write(2, current, std::strlen(current));
    (void)!write(2, "\n", 1);
    std::abort();
}

} // namespace

int main(int argc, char** argv) {
#ifndef __SANITIZE_ADDRESS__
    // As libFuzzer's -rss_limit_mb=2048, roughly: an input asking for gigabytes fails to get
    // them instead of taking the machine's memory (ASan reserves its shadow: no limit there).
    rlimit as {rlim_t(4) << 30, rlim_t(4) << 30};
    setrlimit(RLIMIT_AS, &as);
#endif
    std::signal(SIGALRM, on_alarm);
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        fs::path p(argv[i]);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            for (auto const& e : fs::recursive_directory_iterator(p))
                if (e.is_regular_file() && e.path().filename().string()[0] != '.')
                    files.push_back(e.path());
        } else if (fs::is_regular_file(p, ec)) {
            files.push_back(p);
        } else {
            std::fprintf(stderr, "%s: no such file or folder\n", argv[i]);
            return 2;
        }
    }
    std::sort(files.begin(), files.end());
    for (auto const& f : files) {
        std::ifstream in(f, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        std::string bytes = ss.str();
        // Printed before the run: a crash leaves the name of its input as the last line.
        std::fprintf(stderr, "running %s (%zu bytes)\n", f.c_str(), bytes.size());
        std::fflush(stderr);
        std::string name = f.string();
        current = name.c_str();
        alarm(timeout_s);
        LLVMFuzzerTestOneInput(reinterpret_cast<uint8_t const*>(bytes.data()), bytes.size());
        alarm(0);
    }
    std::fprintf(stderr, "%zu inputs ran without a crash\n", files.size());
    return 0;
}
