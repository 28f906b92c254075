// How the staff dashboard writes times, dates, sizes and personal data: times in the office's
// zone (WIB by default) as Indonesians write them, "Senin, 30 Nov 2026 09.15"; contacts masked for
// roles that may not see them.
#pragma once

#include "ksd/date.h"
#include "ksd/taxonomy.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ksd::server::web {

// "Senin, 30 Nov 2026 09.15" / "Monday, 30 Nov 2026 09:15"; "-" for 0.
std::string format_time(int64_t unix_s, Lang, Zone const&);
// "30 Nov 2026"; "-" for 0.
std::string format_date(int64_t unix_s, Lang, Zone const&);
// "30 Nov 09.15" (this year) for tables.
std::string format_short_time(int64_t unix_s, int64_t now, Lang, Zone const&);
// "5 menit lalu" / "5 minutes ago"; "baru saja" under a minute.
std::string format_ago(int64_t unix_s, int64_t now, Lang);
// "2,5 GB" / "2.5 GB".
std::string format_bytes(int64_t bytes, Lang);
// The local calendar day of a time: days since 1970-01-01 in the zone.
int64_t local_day(int64_t unix_s, Zone const&);
// The UTC time of a local date's midnight; nullopt-style -1 when text is not YYYY-MM-DD.
int64_t parse_local_date(std::string_view yyyy_mm_dd, Zone const&);

// The word for a stored code (topic, category, sector) in lang, or the stored text itself when
// it is not one of ours (an older kiosk's free text).
template <typename Terms>
std::string term_word(Terms const& terms, std::string const& code, Lang lang) {
    for (auto const& t : terms)
        if (t.code == code)
            return std::string(t.name(lang));
    return code;
}

// & < > " ' as entities: text in HTML and in SVG (the fleet's charts, the preview).
std::string html_escape(std::string_view);

// "0812****7890": the first four and last four digits of a number, the rest hidden.
std::string mask_phone(std::string_view phone);
// "b***@example.com".
std::string mask_email(std::string_view email);

} // namespace ksd::server::web
