// The catalogue's lookups: texts by key and language, placeholders, the English singular.
#include "ui/strings.h"

#include <array>

namespace kiosk::ui {

namespace {

struct Entry {
    char const* id;
    char const* en;
    char const* en_one; // "" when the English singular is the plural text
};

constexpr Entry entries[] = {
#define KSD_UI_STRING_ENTRY(key, id, en, en_one) {id, en, en_one},
    KSD_UI_STRINGS(KSD_UI_STRING_ENTRY)
#undef KSD_UI_STRING_ENTRY
};

constexpr S keys[] = {
#define KSD_UI_STRING_KEY(key, id, en, en_one) S::key,
    KSD_UI_STRINGS(KSD_UI_STRING_KEY)
#undef KSD_UI_STRING_KEY
};

static_assert(std::size(entries) == std::size(keys));

std::string replace_args(
    std::string_view pattern, std::initializer_list<std::string_view> args, size_t first) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (size_t i = 0; i < pattern.size(); ++i) {
        // "{N}" with a single digit: the catalogue never needs ten arguments.
        if (pattern[i] == '{' && i + 2 < pattern.size() && pattern[i + 1] >= '1'
            && pattern[i + 1] <= '9' && pattern[i + 2] == '}') {
            size_t n = size_t(pattern[i + 1] - '1');
            if (n >= first && n - first < args.size()) {
                out += *(args.begin() + (n - first));
                i += 2;
                continue;
            }
        }
        out += pattern[i];
    }
    return out;
}

} // namespace

char const* text(ksd::Lang l, S key, Count count) {
    Entry const& e = entries[size_t(key)];
    switch (l) {
    case ksd::Lang::Id:
        return e.id;
    case ksd::Lang::En:
        return count == Count::One && e.en_one[0] != '\0' ? e.en_one : e.en;
    }
    return e.en;
}

std::string fill(ksd::Lang l, S key, std::initializer_list<std::string_view> args) {
    return replace_args(text(l, key), args, 0);
}

std::string counted(ksd::Lang l, S key, int64_t n, std::initializer_list<std::string_view> more) {
    std::string number = std::to_string(n);
    std::string first = replace_args(
        text(l, key, n == 1 ? Count::One : Count::Other), {std::string_view(number)}, 0);
    return replace_args(first, more, 1);
}

std::span<S const> all_strings() {
    return keys;
}

} // namespace kiosk::ui
