// Fuzz target: the Markdown model (ksd/markdown.h) on any valid UTF-8 text, as the content
// builder and the kiosk use it (parse, plain text for search, the text of every block).
#include "fuzz_support.h"
#include "ksd/markdown.h"
#include "ksd/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(uint8_t const* data, size_t size) {
    auto text = ksd::fuzz::as_view(data, size);
    // The builder refuses invalid UTF-8 before parsing (markdown.h's precondition).
    if (!ksd::utf8::is_valid(text))
        return -1;
    auto doc = ksd::md::parse(text);
    auto plain = ksd::md::plain_text(doc);
    for (auto const& b : doc.blocks) {
        (void)ksd::md::spans_text(b.spans);
        for (auto const& row : b.rows)
            for (auto const& cell : row)
                (void)ksd::md::spans_text(cell);
    }
    // What the model hands on is still valid UTF-8 (the kiosk lays it out byte by byte).
    if (!ksd::utf8::is_valid(plain))
        ksd::fuzz::fail("plain text of valid UTF-8 is not valid UTF-8");
    return 0;
}
