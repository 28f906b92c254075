// RFC 4180 CSV reader; see csv.h.
#include "ksd/csv.h"

namespace ksd::csv {

Table parse(std::string_view text, char sep, size_t max_field) {
    Table out;
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    size_t i = 0;
    size_t line = 1;
    size_t const n = text.size();
    while (i < n) {
        Record rec {line, {}};
        std::string field;
        bool record_done = false;
        bool bad = false;
        bool oversized = false;
        auto push = [&](std::string&& f) {
            if (f.size() > max_field) {
                if (!oversized)
                    out.problems.push_back({rec.line,
                        "field " + std::to_string(rec.fields.size() + 1) + " is "
                            + std::to_string(f.size()) + " bytes, more than the limit of "
                            + std::to_string(max_field),
                        "isian " + std::to_string(rec.fields.size() + 1) + " berukuran "
                            + std::to_string(f.size()) + " bita, melebihi batas "
                            + std::to_string(max_field)});
                oversized = true;
                f.resize(max_field);
            }
            rec.fields.push_back(std::move(f));
        };
        while (!record_done && !bad) {
            field.clear();
            if (i < n && text[i] == '"') {
                size_t quote_line = line;
                ++i;
                bool closed = false;
                while (i < n) {
                    char c = text[i];
                    if (c == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (c == '\n')
                        ++line;
                    field += c;
                    ++i;
                }
                if (!closed) {
                    out.problems.push_back(
                        {quote_line, "a quoted field is never closed (missing \")",
                            "isian bertanda kutip tidak pernah ditutup (kurang \")"});
                    return out;
                }
                // After a closing quote: a separator, the end of the line or of the text.
                if (i < n && text[i] != sep && text[i] != '\n' && text[i] != '\r') {
                    out.problems.push_back({line,
                        "text after a closing quote in field "
                            + std::to_string(rec.fields.size() + 1)
                            + " (write \"\" for a quote inside a quoted field)",
                        "ada teks sesudah tanda kutip penutup pada isian "
                            + std::to_string(rec.fields.size() + 1)
                            + " (tulis \"\" untuk tanda kutip di dalam isian bertanda kutip)"});
                    bad = true;
                    break;
                }
            } else {
                while (i < n && text[i] != sep && text[i] != '\n' && text[i] != '\r') {
                    if (text[i] == '"') {
                        out.problems.push_back({line,
                            "a quote inside unquoted field " + std::to_string(rec.fields.size() + 1)
                                + " (quote the whole field)",
                            "ada tanda kutip di dalam isian tanpa kutip "
                                + std::to_string(rec.fields.size() + 1)
                                + " (apit seluruh isian dengan tanda kutip)"});
                        bad = true;
                        break;
                    }
                    field += text[i];
                    ++i;
                }
                if (bad)
                    break;
            }
            push(std::move(field));
            if (i >= n) {
                record_done = true;
            } else if (text[i] == sep) {
                ++i;
                if (i >= n) {
                    push(std::string());
                    record_done = true;
                }
            } else {
                if (text[i] == '\r')
                    ++i;
                // Lines are counted by line feeds only (as in quoted fields and in editors): a
                // lone carriage return ends the record, but the next one is on the same line.
                if (i < n && text[i] == '\n') {
                    ++i;
                    ++line;
                }
                record_done = true;
            }
        }
        if (bad) {
            // Skip to the next line and carry on, so every bad row is reported.
            while (i < n && text[i] != '\n')
                ++i;
            if (i < n) {
                ++i;
                ++line;
            }
            continue;
        }
        // Blank lines (a single empty field) are not records.
        if (!(rec.fields.size() == 1 && rec.fields[0].empty()))
            out.records.push_back(std::move(rec));
    }
    return out;
}

std::string cell(std::string s, char separator) {
    bool numeric_tail = s.size() > 1 && s.find_first_not_of("0123456789 ", 1) == std::string::npos;
    if (!s.empty()
        && (s[0] == '=' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'
            || ((s[0] == '+' || s[0] == '-') && !numeric_tail)))
        s = "'" + s;
    char const specials[] = {separator, '"', '\r', '\n', '\0'};
    if (s.find_first_of(specials) == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

} // namespace ksd::csv
