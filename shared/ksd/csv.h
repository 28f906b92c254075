// An RFC 4180 CSV reader that knows the line each record starts on, so that every error in a
// staff-exported register can name file:line. Quoted fields may hold commas, quotes ("") and
// line breaks; a UTF-8 byte-order mark (Excel adds one) is skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ksd::csv {

struct Record {
    size_t line; // 1-based line where the record starts
    std::vector<std::string> fields;
};

struct Problem {
    size_t line;
    std::string message; // English
    std::string message_id; // Bahasa Indonesia (the staff's web pages)
};

struct Table {
    std::vector<Record> records; // the header is records[0]
    std::vector<Problem> problems; // malformed quoting, oversized fields
};

// Parses text; never fails as a whole: problems are listed and parsing resumes at the next line.
// Fields longer than max_field_bytes are reported and truncated.
Table parse(std::string_view text, char separator = ',', size_t max_field_bytes = 8192);

// One cell for writing, safe to open in a spreadsheet: a text a spreadsheet would run as a
// formula (starting with = @ + - tab or CR) gets a leading ' (a phone number "+62 812..." stays
// as it is), and a cell holding the separator, a quote or a line end is quoted ("" for ").
std::string cell(std::string text, char separator = ',');

} // namespace ksd::csv
