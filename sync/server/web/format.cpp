// Times, dates, sizes and masked contacts as the staff dashboard shows them (see format.h).
#include "web/format.h"

#include "ksd/date.h"

#include <array>
#include <cstdio>

namespace ksd::server::web {

namespace {

constexpr std::array<char const*, 7> days_id {
    "Kamis", "Jumat", "Sabtu", "Minggu", "Senin", "Selasa", "Rabu"};
constexpr std::array<char const*, 7> days_en {
    "Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"};
constexpr std::array<char const*, 12> months_id {
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"};
constexpr std::array<char const*, 12> months_en {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct Local {
    Date date;
    int64_t day {0}; // days since 1970-01-01 (a Thursday)
    int hour {0};
    int minute {0};
};

Local local(int64_t unix_s, Zone const& zone) {
    int64_t t = unix_s + int64_t {zone.utc_offset_minutes} * 60;
    int64_t day = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t sec = t - day * 86400;
    return {
        Date::from_days(day), day, static_cast<int>(sec / 3600), static_cast<int>(sec % 3600 / 60)};
}

char const* month(int m, Lang lang) {
    return lang == Lang::Id ? months_id[static_cast<size_t>(m - 1)]
                            : months_en[static_cast<size_t>(m - 1)];
}

std::string clock(Local const& l, Lang lang) {
    char buf[16];
    // Indonesian writes the time with a full stop (09.15), English with a colon.
    std::snprintf(buf, sizeof buf, lang == Lang::Id ? "%02d.%02d" : "%02d:%02d", l.hour, l.minute);
    return buf;
}

} // namespace

std::string format_time(int64_t unix_s, Lang lang, Zone const& zone) {
    if (unix_s == 0)
        return "-";
    Local l = local(unix_s, zone);
    size_t dow = static_cast<size_t>(((l.day % 7) + 7) % 7);
    return std::string(lang == Lang::Id ? days_id[dow] : days_en[dow]) + ", "
        + std::to_string(l.date.day) + " " + month(l.date.month, lang) + " "
        + std::to_string(l.date.year) + " " + clock(l, lang);
}

std::string format_date(int64_t unix_s, Lang lang, Zone const& zone) {
    if (unix_s == 0)
        return "-";
    Local l = local(unix_s, zone);
    return std::to_string(l.date.day) + " " + month(l.date.month, lang) + " "
        + std::to_string(l.date.year);
}

std::string format_short_time(int64_t unix_s, int64_t now, Lang lang, Zone const& zone) {
    if (unix_s == 0)
        return "-";
    Local l = local(unix_s, zone);
    Local n = local(now, zone);
    std::string d = std::to_string(l.date.day) + " " + month(l.date.month, lang);
    // Appended piece by piece: GCC 12 at -O2 reports a false -Wrestrict for `" " + to_string()`.
    if (l.date.year != n.date.year) {
        d += ' ';
        d += std::to_string(l.date.year);
    }
    d += ' ';
    d += clock(l, lang);
    return d;
}

std::string format_ago(int64_t unix_s, int64_t now, Lang lang) {
    if (unix_s == 0)
        return lang == Lang::Id ? "belum pernah" : "never";
    int64_t d = now - unix_s;
    bool id = lang == Lang::Id;
    if (d < 60)
        return id ? "baru saja" : "just now";
    auto unit = [&](int64_t n, char const* id_word, char const* en_word) {
        return std::to_string(n) + " " + (id ? id_word : en_word) + (!id && n != 1 ? "s" : "")
            + (id ? " lalu" : " ago");
    };
    if (d < 3600)
        return unit(d / 60, "menit", "minute");
    if (d < 86400)
        return unit(d / 3600, "jam", "hour");
    return unit(d / 86400, "hari", "day");
}

std::string format_bytes(int64_t bytes, Lang lang) {
    char buf[32];
    double v = static_cast<double>(bytes);
    char const* unit = "B";
    if (bytes >= int64_t {1} << 30) {
        v /= double(int64_t {1} << 30);
        unit = "GB";
    } else if (bytes >= int64_t {1} << 20) {
        v /= double(1 << 20);
        unit = "MB";
    } else if (bytes >= 1024) {
        v /= 1024;
        unit = "KB";
    }
    if (unit[0] == 'B')
        std::snprintf(buf, sizeof buf, "%lld B", static_cast<long long>(bytes));
    else
        std::snprintf(buf, sizeof buf, "%.1f %s", v, unit);
    std::string s = buf;
    if (lang == Lang::Id)
        for (auto& c : s)
            if (c == '.')
                c = ',';
    return s;
}

int64_t local_day(int64_t unix_s, Zone const& zone) {
    return local(unix_s, zone).day;
}

int64_t parse_local_date(std::string_view text, Zone const& zone) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return -1;
    auto d = parse_date(text);
    if (!d)
        return -1;
    return d->days() * 86400 - int64_t {zone.utc_offset_minutes} * 60;
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size() + s.size() / 8);
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string mask_phone(std::string_view phone) {
    std::string out;
    size_t digits = 0;
    for (char c : phone)
        if (c >= '0' && c <= '9')
            ++digits;
    if (digits == 0)
        return phone.empty() ? "" : "****";
    size_t seen = 0;
    for (char c : phone) {
        if (c >= '0' && c <= '9') {
            ++seen;
            bool show = digits > 8 ? (seen <= 4 || seen > digits - 4) : seen > digits - 2;
            out += show ? c : '*';
        } else if (c == '+' || c == ' ' || c == '-') {
            out += c;
        }
    }
    return out;
}

std::string mask_email(std::string_view email) {
    auto at = email.rfind('@');
    if (at == std::string_view::npos || at == 0)
        return email.empty() ? "" : "***";
    std::string out;
    // The first character of the local part as typed (a whole UTF-8 sequence), then stars.
    size_t first = 1;
    while (first < at && (static_cast<unsigned char>(email[first]) & 0xC0) == 0x80)
        ++first;
    out.append(email.substr(0, first));
    out += "***";
    out.append(email.substr(at));
    return out;
}

} // namespace ksd::server::web
