// Fuzz target: the CSV reader (ksd/csv.h) with both separators and a small field limit, checking
// what it promises: record lines ascending and within the text, fields within the limit.
#include "fuzz_support.h"
#include "ksd/csv.h"

#include <algorithm>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    auto text = ksd::fuzz::as_view(data, size);
    size_t lines = 1 + static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    for (char sep : {',', ';'}) {
        for (size_t limit : {size_t(8192), size_t(7)}) {
            auto t = ksd::csv::parse(text, sep, limit);
            size_t last = 0;
            for (auto const& r : t.records) {
                if (r.line < 1 || r.line > lines || r.line < last)
                    ksd::fuzz::fail("a record line outside the text or out of order");
                last = r.line;
                for (auto const& f : r.fields)
                    if (f.size() > limit)
                        ksd::fuzz::fail("a field over the limit");
            }
            for (auto const& p : t.problems)
                if (p.line < 1 || p.line > lines || p.message.empty()) {
                    std::fprintf(stderr, "problem at line %zu of %zu: %s\n", p.line, lines,
                        p.message.c_str());
                    ksd::fuzz::fail("a problem outside the text or without a message");
                }
        }
    }
    return 0;
}
