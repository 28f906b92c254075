// Spreadsheet exports as staff upload them (the register of agreements): comma, semicolon or tab
// separated; UTF-8 with or without a byte-order mark, UTF-16 with one, or Windows-1252 (what Excel
// writes as "CSV" on a Windows set to Indonesian). Detected and converted to the comma-separated
// UTF-8 that content/FORMAT.md asks for, every record kept on its line.
#pragma once

#include "ksd/csv.h"

#include <string>
#include <string_view>
#include <vector>

namespace ksd::spreadsheet {

enum class Encoding { Utf8, Utf8Bom, Utf16LeBom, Utf16BeBom, Windows1252 };
std::string_view encoding_name(Encoding); // "UTF-8", "UTF-8 (BOM)", ..., "Windows-1252"

struct Decoded {
    std::string text; // UTF-8, without a byte-order mark
    Encoding encoding {Encoding::Utf8};
};
// Never fails: a byte-order mark decides first, then text that is valid UTF-8 is UTF-8, and
// anything else is Windows-1252, which gives every byte a character (the five bytes it leaves
// undefined become U+0081, U+008D, U+008F, U+0090, U+009D, as Windows itself decodes them).
Decoded decode_text(std::string_view bytes);
std::string windows1252_to_utf8(std::string_view bytes);

// The separator of a CSV text: whichever of ',', ';' and '\t' occurs most often outside quotes
// in its first record (the header); ',' when none does.
char detect_separator(std::string_view text);

struct Converted {
    std::string csv; // comma-separated UTF-8; empty when problems is not
    Encoding encoding {Encoding::Utf8};
    char separator {','};
    std::vector<csv::Problem> problems; // the text cannot be read as CSV: each with its line
};
// Decodes bytes, detects the separator and writes the records comma-separated, quoting where
// needed. Each record starts on the line it started on in the upload, so a problem found later
// names the row the staff see in their spreadsheet. A comma-separated UTF-8 text is kept as is.
Converted to_comma_utf8(std::string_view bytes);

} // namespace ksd::spreadsheet
