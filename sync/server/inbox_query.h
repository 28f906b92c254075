// The inbox's address: the query string of /staff/requests (and of its CSV export) read into a
// filter and a page position, and written back for the pager's and the export's links. No
// HTTP here: parameters come through a getter, so the pages and the tests share one reading.
#pragma once

#include "store_inbox.h"

#include <functional>
#include <string>
#include <vector>

namespace ksd::server {

// The parameters, as the filter form names them: status, kiosk, topic, category, sector,
// from and to (local dates YYYY-MM-DD, both inclusive), overdue=1, mine=1, q (words); the
// pager adds older=CURSOR or newer=CURSOR, where CURSOR is "<received_at>_<id>".
inline constexpr char const* inbox_filter_params[]
    = {"status", "kiosk", "topic", "category", "sector", "from", "to", "overdue", "mine", "q"};

enum class InboxProblem { BadFrom, BadTo, BadStatus, BadCursor, TooLong };

struct InboxQuery {
    InboxFilter filter;
    std::optional<InboxCursor> cursor;
    PageDirection direction {PageDirection::Older};
    // What could not be read; that part of the filter is left out, the rest applies.
    std::vector<InboxProblem> problems;
    // The filter's own parameters as given (valid ones only), for links that keep the filter.
    std::vector<std::pair<std::string, std::string>> kept;
};

using ParamGetter = std::function<std::string(std::string const&)>;

// me: the signed-in user's id (for mine=1); statuses: the valid ones.
InboxQuery parse_inbox_query(ParamGetter const& param, int64_t me, int utc_offset_minutes,
    std::vector<std::string> const& statuses);

std::string encode_cursor(InboxCursor const&);
std::optional<InboxCursor> decode_cursor(std::string_view);

// "a=1&b=x%20y": the kept filter, plus extra pairs (the pager's cursor, the separator).
std::string query_string(std::vector<std::pair<std::string, std::string>> const& pairs);
std::string percent_encode(std::string_view);

// The shown part of a question: at most max_chars characters (whole UTF-8 sequences), with "…"
// when cut; line breaks become spaces.
std::string question_snippet(std::string_view question, size_t max_chars = 140);

// The badge class of a status word (style.css: badge-new, badge-progress, badge-wait,
// badge-done, badge-other).
std::string status_badge(std::string_view status);

} // namespace ksd::server
