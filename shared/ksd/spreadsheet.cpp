// Decoding and normalising spreadsheet exports; see spreadsheet.h.
#include "ksd/spreadsheet.h"

#include "ksd/utf8.h"

#include <array>

namespace ksd::spreadsheet {

namespace {

// Windows-1252's 0x80..0x9F; 0 where it defines no character (then the C1 control is used).
constexpr std::array<char32_t, 32> cp1252_high {0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020,
    0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D,
    0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

std::string utf16_to_utf8(std::string_view bytes, bool little_endian) {
    std::string out;
    auto unit = [&](size_t i) -> char32_t {
        auto a = static_cast<unsigned char>(bytes[i]);
        auto b = static_cast<unsigned char>(bytes[i + 1]);
        return little_endian ? (b << 8 | a) : (a << 8 | b);
    };
    size_t i = 0;
    while (i + 1 < bytes.size()) {
        char32_t u = unit(i);
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < bytes.size()) {
            char32_t low = unit(i);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                i += 2;
                utf8::append(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
                continue;
            }
        }
        // An unpaired surrogate is no character: the replacement character marks the spot.
        utf8::append(out, u >= 0xD800 && u <= 0xDFFF ? char32_t {0xFFFD} : u);
    }
    if (i < bytes.size())
        utf8::append(out, 0xFFFD); // an odd last byte
    return out;
}

bool needs_quotes(std::string const& field) {
    return field.find_first_of(",\"\r\n") != std::string::npos;
}

size_t count_lines(std::string const& s) {
    size_t n = 0;
    for (char c : s)
        n += c == '\n';
    return n;
}

} // namespace

std::string_view encoding_name(Encoding e) {
    switch (e) {
    case Encoding::Utf8:
        return "UTF-8";
    case Encoding::Utf8Bom:
        return "UTF-8 (BOM)";
    case Encoding::Utf16LeBom:
        return "UTF-16 LE (BOM)";
    case Encoding::Utf16BeBom:
        return "UTF-16 BE (BOM)";
    case Encoding::Windows1252:
        return "Windows-1252";
    }
    return "?";
}

std::string windows1252_to_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() + bytes.size() / 8);
    for (char ch : bytes) {
        auto b = static_cast<unsigned char>(ch);
        if (b < 0x80)
            out += ch;
        else if (b < 0xA0)
            utf8::append(out, cp1252_high[b - 0x80] ? cp1252_high[b - 0x80] : char32_t {b});
        else
            utf8::append(out, b); // 0xA0..0xFF are Latin-1, the same code points
    }
    return out;
}

Decoded decode_text(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xEF\xBB\xBF") {
        bytes.remove_prefix(3);
        if (utf8::is_valid(bytes))
            return {std::string(bytes), Encoding::Utf8Bom};
        // A BOM before bytes that are not UTF-8: the bytes decide.
        return {windows1252_to_utf8(bytes), Encoding::Windows1252};
    }
    if (bytes.substr(0, 2) == "\xFF\xFE")
        return {utf16_to_utf8(bytes.substr(2), true), Encoding::Utf16LeBom};
    if (bytes.substr(0, 2) == "\xFE\xFF")
        return {utf16_to_utf8(bytes.substr(2), false), Encoding::Utf16BeBom};
    if (utf8::is_valid(bytes))
        return {std::string(bytes), Encoding::Utf8};
    return {windows1252_to_utf8(bytes), Encoding::Windows1252};
}

char detect_separator(std::string_view text) {
    size_t comma = 0, semicolon = 0, tab = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"')
            quoted = !quoted; // "" inside quotes toggles twice: no change
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ',')
            ++comma;
        else if (!quoted && c == ';')
            ++semicolon;
        else if (!quoted && c == '\t')
            ++tab;
    }
    if (semicolon > comma && semicolon >= tab)
        return ';';
    if (tab > comma && tab > semicolon)
        return '\t';
    return ',';
}

Converted to_comma_utf8(std::string_view bytes) {
    Converted out;
    Decoded decoded = decode_text(bytes);
    out.encoding = decoded.encoding;
    out.separator = detect_separator(decoded.text);
    csv::Table table = csv::parse(decoded.text, out.separator);
    if (!table.problems.empty()) {
        out.problems = std::move(table.problems);
        return out;
    }
    if (out.separator == ',') {
        out.csv = std::move(decoded.text);
        return out;
    }
    size_t line = 1;
    for (auto const& rec : table.records) {
        // Blank lines the reader skipped come back, so the record stays on its line.
        for (; line < rec.line; ++line)
            out.csv += '\n';
        for (size_t i = 0; i < rec.fields.size(); ++i) {
            auto const& f = rec.fields[i];
            if (i)
                out.csv += ',';
            if (needs_quotes(f)) {
                out.csv += '"';
                for (char c : f) {
                    if (c == '"')
                        out.csv += '"';
                    out.csv += c;
                }
                out.csv += '"';
            } else {
                out.csv += f;
            }
            line += count_lines(f);
        }
        out.csv += '\n';
        ++line;
    }
    return out;
}

} // namespace ksd::spreadsheet
