// The satisfaction survey's storage on the server; see store_skm.h.
#include "store_skm.h"

#include "json_int.h"
#include "sla.h"

#include <cstdio>
#include <optional>

namespace ksd::server {

using nlohmann::json;

namespace {

constexpr char const* respondent_fields[] = {"gender", "age_band", "education", "occupation"};

std::span<SkmChoice const> choices_of(std::string_view field) {
    if (field == "gender")
        return skm_genders();
    if (field == "age_band")
        return skm_age_bands();
    if (field == "education")
        return skm_educations();
    return skm_occupations();
}

// The canonical form whose hash decides "same content" for a repeated id: every field, sorted.
std::string skm_content_hash(nlohmann::json const& r) {
    nlohmann::json canon = nlohmann::json::object();
    for (auto const* f :
        {"id", "kiosk_id", "created_at", "clock_trusted", "form_version", "answers", "lang"})
        canon[f] = r.at(f);
    for (auto const* f : respondent_fields)
        canon[f] = r.value(f, std::string());
    return sha256_hex(canon.dump());
}

} // namespace

bool skm_form_version_known(std::string_view v) {
    return v == skm_form_version;
}

std::string validate_skm_record(nlohmann::json const& r, std::string const& kiosk_id) {
    if (!r.is_object())
        return "a survey response must be a JSON object";
    if (!r.contains("id") || !r["id"].is_string() || !is_uuid(r["id"].get<std::string>()))
        return "id: must be a lower-case UUID";
    if (!r.contains("kiosk_id") || !r["kiosk_id"].is_string())
        return "kiosk_id: missing or not a string";
    if (r["kiosk_id"].get<std::string>() != kiosk_id)
        return "kiosk_id: does not match the token's kiosk";
    if (!r.contains("created_at") || !json_integer_in(r["created_at"], 0, max_json_integer))
        return "created_at: missing or not an integer from 0 to "
            + std::to_string(max_json_integer);
    if (!r.contains("clock_trusted") || !r["clock_trusted"].is_boolean())
        return "clock_trusted: missing or not a boolean";
    if (!r.contains("form_version") || !r["form_version"].is_string())
        return "form_version: missing or not a string";
    if (!skm_form_version_known(r["form_version"].get_ref<std::string const&>()))
        return "form_version: '" + r["form_version"].get<std::string>().substr(0, 40)
            + "' is not a form this server knows (" + skm_form_version + ")";
    if (!r.contains("answers") || !r["answers"].is_array()
        || r["answers"].size() != size_t(skm_element_count))
        return "answers: must be a list of " + std::to_string(skm_element_count)
            + " integers (U1..U9)";
    SkmInput in;
    for (size_t i = 0; i < size_t(skm_element_count); ++i) {
        auto const& v = r["answers"][i];
        if (!json_integer_in(v, 0, skm_max_value))
            return "answers: U" + std::to_string(i + 1) + " must be an integer from 0 to "
                + std::to_string(skm_max_value) + " (0: not answered)";
        in.answers[i] = int(v.get<int64_t>());
    }
    for (auto const* f : respondent_fields) {
        if (r.contains(f) && !r[f].is_string())
            return std::string(f) + ": not a string";
        std::string code = r.value(f, std::string());
        if (!skm_choice_valid(choices_of(f), code))
            return std::string(f) + ": unknown code '" + code.substr(0, 40) + "'";
    }
    if (!r.contains("lang") || !r["lang"].is_string() || (r["lang"] != "id" && r["lang"] != "en"))
        return "lang: must be \"id\" or \"en\"";
    if (auto problem = skm_input_problem(in))
        return "answers: " + *problem;
    return {};
}

Result<std::vector<IngestResult>> check_and_ingest_skm(
    Conn& db, json const& records, std::string const& kiosk_id, int64_t now) {
    std::vector<json> valid;
    std::vector<std::optional<IngestResult>> refused(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
        std::string reason = validate_skm_record(records[i], kiosk_id);
        if (reason.empty()) {
            valid.push_back(records[i]);
            continue;
        }
        IngestResult r;
        if (records[i].is_object() && records[i].contains("id") && records[i]["id"].is_string())
            r.id = records[i]["id"].get<std::string>();
        r.result = "invalid";
        r.reason = std::move(reason);
        refused[i] = std::move(r);
    }
    TRY_RESULT(auto stored, ingest_skm(db, valid, now));
    std::vector<IngestResult> out;
    out.reserve(records.size());
    size_t next = 0;
    for (auto& slot : refused)
        out.push_back(slot ? std::move(*slot) : std::move(stored.at(next++)));
    return out;
}

json skm_result_json(IngestResult const& r) {
    json item {{"id", r.id}, {"result", r.result}};
    if (r.result == "created" || r.result == "duplicate") {
        item["received_at"] = r.received_at;
        item["made_at"] = r.made.at;
        item["made_at_estimated"] = r.made.estimated;
    } else {
        item["reason"] = r.reason;
    }
    return item;
}

Result<std::vector<IngestResult>> ingest_skm(
    Conn& db, std::vector<nlohmann::json> const& records, int64_t now) {
    std::vector<IngestResult> out;
    TRY_RESULT(auto tx, Tx::begin(db, TransactionKind::Immediate));
    TRY_RESULT(auto insert,
        db.prepare("INSERT INTO skm_responses(id, kiosk_id, created_at, clock_trusted, made_at, "
                   "made_at_estimated, received_at, form_version, u1, u2, u3, u4, u5, u6, u7, "
                   "u8, u9, gender, age_band, education, occupation, lang, content_hash) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                   "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23) ON CONFLICT(id) DO NOTHING"));
    TRY_RESULT(auto lookup,
        db.prepare("SELECT content_hash, received_at, made_at, made_at_estimated "
                   "FROM skm_responses WHERE id = ?1"));
    for (auto const& r : records) {
        IngestResult res;
        res.id = r["id"].get<std::string>();
        std::string const hash = skm_content_hash(r);
        bool const trusted = r["clock_trusted"].get<bool>();
        int64_t const made = trusted ? r["created_at"].get<int64_t>() : now;
        insert.bind(1, res.id).bind(2, r["kiosk_id"].get<std::string>());
        insert.bind(3, r["created_at"].get<int64_t>()).bind(4, int64_t(trusted ? 1 : 0));
        insert.bind(5, made).bind(6, int64_t(trusted ? 0 : 1)).bind(7, now);
        insert.bind(8, r["form_version"].get<std::string>());
        for (int i = 0; i < skm_element_count; ++i)
            insert.bind(9 + i, r["answers"][size_t(i)].get<int64_t>());
        int col = 18;
        for (auto const* f : respondent_fields)
            insert.bind(col++, r.value(f, std::string()));
        insert.bind(22, r["lang"].get<std::string>()).bind(23, hash);
        TRY_VOID(insert.run());
        bool const inserted = db.changes() > 0;
        lookup.bind(1, res.id);
        TRY_RESULT(bool row, lookup.step());
        if (!row)
            return Error {"survey response " + res.id + " vanished during the upload"};
        std::string const stored_hash = lookup.column_text(0);
        res.received_at = lookup.column_int64(1);
        res.made = {lookup.column_int64(2), lookup.column_int64(3) != 0};
        lookup.reset();
        if (inserted) {
            res.result = "created";
        } else if (stored_hash == hash) {
            res.result = "duplicate";
        } else {
            res.result = "conflict";
            res.reason = "id: " + res.id + " is stored with other answers; the stored one is kept";
        }
        out.push_back(std::move(res));
    }
    TRY_VOID(tx.commit());
    return out;
}

namespace {

// WHERE clause for a filter; binds ?1 from, ?2 to, ?3 kiosk ('' = all). Two texts rather than
// "(?3 = '' OR kiosk_id = ?3)", which keeps SQLite from using the kiosk's index (one kiosk's year
// took as long as all kiosks' in ksd-bench).
std::string where(SkmFilter const& f) {
    return f.kiosk.empty() ? " WHERE made_at >= ?1 AND made_at < ?2 AND ?3 = ''"
                           : " WHERE kiosk_id = ?3 AND made_at >= ?1 AND made_at < ?2";
}

void bind_filter(Stmt& st, SkmFilter const& f) {
    st.bind_all(f.from, f.to, f.kiosk);
}

} // namespace

Result<SkmTally> skm_tally(Conn& db, SkmFilter const& f) {
    std::string sql = "SELECT count(*)";
    for (int i = 1; i <= skm_element_count; ++i) {
        std::string u = "u" + std::to_string(i);
        sql += ", coalesce(sum(CASE WHEN " + u + " > 0 THEN 1 ELSE 0 END), 0), coalesce(sum(" + u
            + "), 0)";
    }
    TRY_RESULT(auto st, db.prepare(sql + " FROM skm_responses" + where(f)));
    bind_filter(st, f);
    TRY_RESULT(bool row, st.step());
    SkmTally t;
    if (!row)
        return t;
    t.respondents = st.column_int64(0);
    for (int i = 0; i < skm_element_count; ++i) {
        t.answered[size_t(i)] = st.column_int64(1 + 2 * i);
        t.sum[size_t(i)] = st.column_int64(2 + 2 * i);
    }
    return t;
}

Result<std::vector<std::pair<std::string, SkmTally>>> skm_tally_by_kiosk(
    Conn& db, SkmFilter const& f) {
    std::string sql = "SELECT kiosk_id, count(*)";
    for (int i = 1; i <= skm_element_count; ++i) {
        std::string u = "u" + std::to_string(i);
        sql += ", coalesce(sum(CASE WHEN " + u + " > 0 THEN 1 ELSE 0 END), 0), coalesce(sum(" + u
            + "), 0)";
    }
    TRY_RESULT(auto st,
        db.prepare(sql
            + " FROM skm_responses WHERE made_at >= ?1 AND made_at < ?2 GROUP BY kiosk_id "
              "ORDER BY kiosk_id"));
    st.bind_all(f.from, f.to);
    std::vector<std::pair<std::string, SkmTally>> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        SkmTally t;
        t.respondents = st.column_int64(1);
        for (int i = 0; i < skm_element_count; ++i) {
            t.answered[size_t(i)] = st.column_int64(2 + 2 * i);
            t.sum[size_t(i)] = st.column_int64(3 + 2 * i);
        }
        out.emplace_back(st.column_text(0), t);
    }
    return out;
}

Result<SkmProfile> skm_profile(Conn& db, SkmFilter const& f) {
    SkmProfile out;
    for (auto const* field : respondent_fields) {
        TRY_RESULT(auto st,
            db.prepare(std::string("SELECT ") + field + ", count(*) FROM skm_responses" + where(f)
                + " GROUP BY 1"));
        bind_filter(st, f);
        auto& counts = out[field];
        while (true) {
            TRY_RESULT(bool row, st.step());
            if (!row)
                break;
            counts[st.column_text(0)] = st.column_int64(1);
        }
    }
    return out;
}

Result<std::vector<std::string>> skm_kiosks(Conn& db) {
    TRY_RESULT(
        auto st, db.prepare("SELECT DISTINCT kiosk_id FROM skm_responses ORDER BY kiosk_id"));
    std::vector<std::string> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(st.column_text(0));
    }
    return out;
}

Result<void> for_each_skm_row(Conn& db, SkmFilter const& f,
    std::function<bool(SkmRow const&)> const& fn, int64_t after_at, std::string after_id) {
    // Keyset pages of 1000 by (made_at, id): no statement stays open across the callback's work,
    // and the order is stable.
    while (true) {
        TRY_RESULT(auto st,
            db.prepare(std::string("SELECT id, kiosk_id, made_at, made_at_estimated, "
                                   "received_at, form_version, u1, u2, u3, u4, u5, u6, u7, u8, "
                                   "u9, gender, age_band, education, occupation, lang "
                                   "FROM skm_responses")
                + where(f)
                + " AND (made_at > ?4 OR (made_at = ?4 AND id > ?5)) ORDER BY made_at, id "
                  "LIMIT 1000"));
        st.bind_all(f.from, f.to, f.kiosk, after_at, after_id);
        std::vector<SkmRow> rows;
        while (true) {
            TRY_RESULT(bool row, st.step());
            if (!row)
                break;
            SkmRow r;
            r.id = st.column_text(0);
            r.kiosk_id = st.column_text(1);
            r.made_at = st.column_int64(2);
            r.made_at_estimated = st.column_int(3) != 0;
            r.received_at = st.column_int64(4);
            r.form_version = st.column_text(5);
            for (int i = 0; i < skm_element_count; ++i)
                r.answers[size_t(i)] = st.column_int(6 + i);
            r.respondent
                = {st.column_text(15), st.column_text(16), st.column_text(17), st.column_text(18)};
            r.lang = st.column_text(19);
            rows.push_back(std::move(r));
        }
        if (rows.empty())
            return {};
        for (auto const& r : rows)
            if (!fn(r))
                return {};
        after_at = rows.back().made_at;
        after_id = rows.back().id;
    }
}

std::string SkmPeriod::key() const {
    char buf[16];
    switch (kind) {
    case SkmPeriodKind::Month:
        std::snprintf(buf, sizeof buf, "%04d-%02d", year, part);
        break;
    case SkmPeriodKind::Quarter:
        std::snprintf(buf, sizeof buf, "%04d-Q%d", year, part);
        break;
    case SkmPeriodKind::Year:
        std::snprintf(buf, sizeof buf, "%04d", year);
        break;
    }
    return buf;
}

namespace {

SkmPeriod make_period(SkmPeriodKind kind, int year, int part, int offset) {
    SkmPeriod p;
    p.kind = kind;
    p.year = year;
    p.part = part;
    int first_month = 1;
    int months = 12;
    switch (kind) {
    case SkmPeriodKind::Month:
        first_month = part;
        months = 1;
        break;
    case SkmPeriodKind::Quarter:
        first_month = 3 * (part - 1) + 1;
        months = 3;
        break;
    case SkmPeriodKind::Year:
        break;
    }
    int end_month = first_month + months; // 13 = January of the next year
    p.from = local_day_start(Date {year, first_month, 1}, offset);
    p.to = local_day_start(
        end_month > 12 ? Date {year + 1, end_month - 12, 1} : Date {year, end_month, 1}, offset);
    return p;
}

std::optional<int> digits(std::string_view s) {
    if (s.empty() || s.size() > 4)
        return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace

SkmPeriod skm_period_of(SkmPeriodKind kind, int64_t t, int offset) {
    Date d = local_date(t, offset);
    switch (kind) {
    case SkmPeriodKind::Month:
        return make_period(kind, d.year, d.month, offset);
    case SkmPeriodKind::Quarter:
        return make_period(kind, d.year, (d.month - 1) / 3 + 1, offset);
    case SkmPeriodKind::Year:
        return make_period(kind, d.year, 1, offset);
    }
    return make_period(kind, d.year, 1, offset);
}

SkmPeriod skm_period_step(SkmPeriod const& p, int delta, int offset) {
    int per_year = 1;
    switch (p.kind) {
    case SkmPeriodKind::Month:
        per_year = 12;
        break;
    case SkmPeriodKind::Quarter:
        per_year = 4;
        break;
    case SkmPeriodKind::Year:
        per_year = 1;
        break;
    }
    int index = p.year * per_year + (p.part - 1) + delta;
    return make_period(p.kind, index / per_year, index % per_year + 1, offset);
}

std::optional<SkmPeriod> parse_skm_period(
    std::string_view kind_text, std::string_view at, int64_t now, int offset) {
    SkmPeriodKind kind;
    if (kind_text.empty() || kind_text == "month")
        kind = SkmPeriodKind::Month;
    else if (kind_text == "quarter")
        kind = SkmPeriodKind::Quarter;
    else if (kind_text == "year")
        kind = SkmPeriodKind::Year;
    else
        return std::nullopt;
    if (at.empty())
        return skm_period_of(kind, now, offset);
    auto year = digits(at.substr(0, 4));
    if (!year || at.size() < 4 || *year < 2000 || *year > 2999)
        return std::nullopt;
    std::string_view rest = at.substr(4);
    switch (kind) {
    case SkmPeriodKind::Month: {
        auto m = rest.size() == 3 && rest[0] == '-' ? digits(rest.substr(1)) : std::nullopt;
        if (!m || *m < 1 || *m > 12)
            return std::nullopt;
        return make_period(kind, *year, *m, offset);
    }
    case SkmPeriodKind::Quarter: {
        auto q
            = rest.size() == 3 && rest.substr(0, 2) == "-Q" ? digits(rest.substr(2)) : std::nullopt;
        if (!q || *q < 1 || *q > 4)
            return std::nullopt;
        return make_period(kind, *year, *q, offset);
    }
    case SkmPeriodKind::Year:
        if (!rest.empty())
            return std::nullopt;
        return make_period(kind, *year, 1, offset);
    }
    return std::nullopt;
}

} // namespace ksd::server
