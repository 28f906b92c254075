// UTF-8 checks shared by content validation and the request form.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ksd::utf8 {

// Returns the byte offset of the first invalid sequence (overlong forms, surrogates and code
// points above U+10FFFF are invalid), or nullopt when the whole string is valid UTF-8.
std::optional<size_t> first_invalid(std::string_view);
inline bool is_valid(std::string_view s) {
    return !first_invalid(s).has_value();
}

// Decodes one code point at s[i] and advances i; assumes valid UTF-8.
char32_t decode(std::string_view s, size_t& i);
void append(std::string& out, char32_t cp);
// Number of code points (valid UTF-8 assumed).
size_t length(std::string_view);
// The 1-based line number of a byte offset, for error messages.
size_t line_of_offset(std::string_view s, size_t offset);

} // namespace ksd::utf8
