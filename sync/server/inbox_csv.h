// The inbox's CSV export: the rows of a filter as a spreadsheet opens them (UTF-8 with BOM, CRLF,
// ';' or ',' between cells, formula-safe cells), written in batches to a sink so that 100,000
// rows never sit in memory at once.
#pragma once

#include "store_inbox.h"

#include "ksd/taxonomy.h"

#include <functional>
#include <string>
#include <string_view>

namespace ksd::server {

enum class CsvSeparator { Semicolon, Comma };
// Viewers see contacts masked as on the pages (web/format.h: "0812****7890", "b***@example.com").
enum class ContactView { Full, Masked };

struct InboxCsvOptions {
    CsvSeparator separator {CsvSeparator::Semicolon};
    ContactView contacts {ContactView::Masked};
    Lang lang {Lang::Id}; // header and words (topics, categories, sectors)
    int utc_offset_minutes {420}; // times as "2026-11-30 09:15" in this zone
};

// "semicolon"/";" or "comma"/","; absent: semicolon (what a spreadsheet set to Indonesian reads).
std::optional<CsvSeparator> parse_csv_separator(std::string_view);

// The BOM and the header line.
std::string inbox_csv_head(InboxCsvOptions const&);
// One request as a CSV line (ending in CRLF).
std::string inbox_csv_line(InboxRow const&, InboxCsvOptions const&, int64_t now);

// Writes head and every row of the filter to sink in pieces of about chunk_bytes; the sink
// returns false to stop (the client went away). Returns the number of rows written.
Result<int64_t> write_inbox_csv(Conn&, InboxFilter const&, int64_t now, InboxCsvOptions const&,
    std::function<bool(std::string_view)> const& sink, size_t chunk_bytes = 64 * 1024);

} // namespace ksd::server
