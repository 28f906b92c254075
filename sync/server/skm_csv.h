// The SKM CSV exports: every response of a period and kiosk (one line per response, the nine
// values and the respondent codes), and the index per element; as the inbox's export writes
// them (UTF-8 with BOM, CRLF, ';' or ',', formula-safe cells through csv::cell).
#pragma once

#include "inbox_csv.h"
#include "store_skm.h"

#include "ksd/skm.h"
#include "ksd/taxonomy.h"

#include <string>

namespace ksd::server {

struct SkmCsvOptions {
    CsvSeparator separator {CsvSeparator::Semicolon};
    Lang lang {Lang::Id};
    int utc_offset_minutes {420};
};

std::string skm_csv_head(SkmCsvOptions const&);
std::string skm_csv_line(SkmRow const&, SkmCsvOptions const&);
// The index as a small table: one line per element (code, name, answered, NRR, weight, NRR
// tertimbang), then IKM, grade and respondents.
std::string skm_index_csv(SkmIndex const&, SkmCsvOptions const&);

} // namespace ksd::server
