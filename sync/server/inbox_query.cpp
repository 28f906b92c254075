// Reading and writing the inbox's query string (see inbox_query.h).
#include "inbox_query.h"

#include "sla.h"
#include "store.h"

#include "ksd/date.h"
#include "ksd/number.h"
#include "ksd/utf8.h"

#include <cctype>
#include <charconv>

namespace ksd::server {

namespace {

// A local date as YYYY-MM-DD only (the date input's value); nullopt for anything else.
std::optional<Date> iso_date(std::string const& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    return parse_date(s);
}

} // namespace

std::string encode_cursor(InboxCursor const& c) {
    return std::to_string(c.received_at) + "_" + c.id;
}

std::optional<InboxCursor> decode_cursor(std::string_view s) {
    auto sep = s.find('_');
    if (sep == std::string_view::npos || sep == 0)
        return std::nullopt;
    InboxCursor c;
    auto received_at = ksd::parse_int<int64_t>(s.substr(0, sep));
    if (!received_at || *received_at < 0)
        return std::nullopt;
    c.received_at = *received_at;
    c.id = std::string(s.substr(sep + 1));
    if (!is_uuid(c.id))
        return std::nullopt;
    return c;
}

InboxQuery parse_inbox_query(ParamGetter const& param, int64_t me, int utc_offset_minutes,
    std::vector<std::string> const& statuses) {
    InboxQuery q;
    auto keep
        = [&](char const* name, std::string const& value) { q.kept.emplace_back(name, value); };
    // Codes and ids are short; anything longer is not one of ours.
    auto text = [&](char const* name, std::string& into) {
        std::string v = param(name);
        if (v.empty())
            return;
        if (v.size() > 200) {
            q.problems.push_back(InboxProblem::TooLong);
            return;
        }
        into = v;
        keep(name, v);
    };
    if (std::string s = param("status"); !s.empty()) {
        bool known = false;
        for (auto const& st : statuses)
            known = known || st == s;
        if (known) {
            q.filter.status = s;
            keep("status", s);
        } else {
            q.problems.push_back(InboxProblem::BadStatus);
        }
    }
    text("kiosk", q.filter.kiosk_id);
    text("topic", q.filter.topic);
    text("category", q.filter.category);
    text("sector", q.filter.sector);
    if (std::string s = param("from"); !s.empty()) {
        if (auto d = iso_date(s)) {
            q.filter.received_from = local_day_start(*d, utc_offset_minutes);
            keep("from", s);
        } else {
            q.problems.push_back(InboxProblem::BadFrom);
        }
    }
    if (std::string s = param("to"); !s.empty()) {
        if (auto d = iso_date(s)) {
            // Inclusive: up to the start of the next local day.
            q.filter.received_before
                = local_day_start(Date::from_days(d->days() + 1), utc_offset_minutes);
            keep("to", s);
        } else {
            q.problems.push_back(InboxProblem::BadTo);
        }
    }
    if (param("overdue") == "1") {
        q.filter.overdue = OverdueFilter::Only;
        keep("overdue", "1");
    }
    if (param("mine") == "1") {
        q.filter.assigned_to = me;
        keep("mine", "1");
    }
    if (std::string s = param("q"); !s.empty()) {
        if (s.size() > 500 || !utf8::is_valid(s)) {
            q.problems.push_back(InboxProblem::TooLong);
        } else {
            q.filter.words = s;
            keep("q", s);
        }
    }
    std::string older = param("older");
    std::string newer = param("newer");
    if (!older.empty() || !newer.empty()) {
        q.direction = older.empty() ? PageDirection::Newer : PageDirection::Older;
        q.cursor = decode_cursor(older.empty() ? newer : older);
        if (!q.cursor)
            q.problems.push_back(InboxProblem::BadCursor);
    }
    return q;
}

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string query_string(std::vector<std::pair<std::string, std::string>> const& pairs) {
    std::string out;
    for (auto const& [k, v] : pairs) {
        // Appended piece by piece (operator+ on a temporary trips GCC 12's -Wrestrict at -O2).
        if (!out.empty())
            out += '&';
        out.append(percent_encode(k)).append("=").append(percent_encode(v));
    }
    return out;
}

std::string question_snippet(std::string_view question, size_t max_chars) {
    std::string out;
    size_t chars = 0;
    size_t i = 0;
    if (!utf8::is_valid(question))
        return "?";
    while (i < question.size() && chars < max_chars) {
        size_t start = i;
        char32_t cp = utf8::decode(question, i);
        if (cp == '\n' || cp == '\r' || cp == '\t')
            out += ' ';
        else
            out.append(question.substr(start, i - start));
        ++chars;
    }
    if (i < question.size())
        out += "…";
    return out;
}

std::string status_badge(std::string_view status) {
    if (status == "Baru" || status == "Diterima")
        return "badge-new";
    if (status == "Diproses")
        return "badge-progress";
    if (status == "Menunggu tanggapan pemohon")
        return "badge-wait";
    if (status == "Selesai")
        return "badge-done";
    return "badge-other";
}

} // namespace ksd::server
