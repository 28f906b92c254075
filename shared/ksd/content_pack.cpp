// Content pack reader; see content_pack.h. All queries bind parameters; the pack is opened
// immutable because a signed pack never changes in place (a new one is renamed over it).
#include "ksd/content_pack.h"

#include "ksd/number.h"
#include "ksd/pack_schema.h"
#include "ksd/utf8.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <sys/stat.h>

namespace ksd {

namespace {

struct FileIdentity {
    dev_t dev {};
    ino_t ino {};
    off_t size {};
    int64_t mtime_ns {};
    bool operator==(FileIdentity const&) const = default;
};

Result<FileIdentity> identify(std::string const& path) {
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0)
        return Error {"content pack " + path + " not found"};
    if (!S_ISREG(st.st_mode))
        return Error {"content pack " + path + " is not a regular file"};
    return FileIdentity {st.st_dev, st.st_ino, st.st_size,
        static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

Result<std::string> meta_value(Db& db, std::string_view key) {
    TRY_RESULT(auto st, db.prepare("SELECT value FROM meta WHERE key = ?"));
    st.bind(1, key);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return Error {"content pack has no '" + std::string(key) + "' in its metadata"};
    return st.column_text(0);
}

Result<int64_t> meta_int(Db& db, std::string_view key) {
    TRY_RESULT(std::string v, meta_value(db, key));
    auto n = parse_int<int64_t>(v);
    if (!n)
        return Error {"content pack metadata '" + std::string(key) + "' is not a number: " + v};
    return *n;
}

std::string lang_str(Lang l) {
    return std::string(lang_code(l));
}

// Lower case and without the diacritics of Latin letters, as FTS5's remove_diacritics does for
// the languages the kiosk shows.
std::string fold_word(std::string_view word) {
    static constexpr char const* latin1 = "aaaaaaaceeeeiiiidnooooo/ouuuuyty"; // U+00E0..U+00FF
    std::string out;
    size_t i = 0;
    while (i < word.size()) {
        char32_t cp = utf8::decode(word, i);
        if (cp < 0x80) {
            out += static_cast<char>(std::tolower(static_cast<int>(cp)));
        } else if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) {
            out += latin1[(cp | 0x20) - 0xE0];
        } else {
            utf8::append(out, cp);
        }
    }
    return out;
}

bool is_word_char(char32_t cp) {
    if (cp < 0x80)
        return std::isalnum(static_cast<int>(cp)) != 0;
    return cp != 0xA0 && cp != 0xD7 && cp != 0xF7 && !(cp >= 0x2000 && cp <= 0x206F);
}

// Splits into words: runs of letters and digits (any script).
std::vector<std::pair<size_t, size_t>> word_spans(std::string_view text) {
    std::vector<std::pair<size_t, size_t>> spans;
    size_t i = 0;
    size_t start = std::string_view::npos;
    while (i < text.size()) {
        size_t at = i;
        bool word = is_word_char(utf8::decode(text, i));
        if (word && start == std::string_view::npos)
            start = at;
        if (!word && start != std::string_view::npos) {
            spans.push_back({start, at - start});
            start = std::string_view::npos;
        }
    }
    if (start != std::string_view::npos)
        spans.push_back({start, text.size() - start});
    return spans;
}

std::vector<std::string> query_words(std::string_view query) {
    std::vector<std::string> out;
    if (!utf8::is_valid(query))
        return out;
    for (auto [at, len] : word_spans(query))
        if (utf8::length(query.substr(at, len)) >= 2)
            out.push_back(fold_word(query.substr(at, len)));
    return out;
}

// About a dozen words of body around the first match, matched words between snippet_open and
// snippet_close, "…" where text was cut.
std::string make_snippet(std::string const& body, std::vector<std::string> const& words) {
    constexpr size_t window = 12;
    auto spans = word_spans(body);
    std::vector<bool> hit(spans.size(), false);
    size_t first_hit = spans.size();
    for (size_t w = 0; w < spans.size(); ++w) {
        std::string folded
            = fold_word(std::string_view(body).substr(spans[w].first, spans[w].second));
        for (auto const& q : words) {
            if (folded.rfind(q, 0) == 0) {
                hit[w] = true;
                first_hit = std::min(first_hit, w);
            }
        }
    }
    if (spans.empty())
        return {};
    size_t from = first_hit == spans.size() ? 0 : (first_hit > 3 ? first_hit - 3 : 0);
    size_t to = std::min(spans.size(), from + window);
    std::string out = from > 0 ? "…" : "";
    for (size_t w = from; w < to; ++w) {
        if (w > from) {
            // Keep the text between words, with line breaks as spaces.
            size_t gap_from = spans[w - 1].first + spans[w - 1].second;
            for (char c : std::string_view(body).substr(gap_from, spans[w].first - gap_from))
                out += (c == '\n' || c == '\r') ? ' ' : c;
        }
        if (hit[w])
            out += snippet_open;
        out += body.substr(spans[w].first, spans[w].second);
        if (hit[w])
            out += snippet_close;
    }
    if (to < spans.size())
        out += "…";
    return out;
}

struct SchemaEntry {
    std::string type, name, table, sql;
    auto operator<=>(SchemaEntry const&) const = default;
};

Result<std::vector<SchemaEntry>> schema_of(Db& db) {
    TRY_RESULT(auto st,
        db.prepare("SELECT type, name, tbl_name, coalesce(sql, '') FROM sqlite_schema "
                   "ORDER BY type, name"));
    std::vector<SchemaEntry> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3)});
    }
    return out;
}

// The pack's schema must be exactly what pack_schema_sql creates (its FTS5 shadow tables and
// automatic indexes included), plus pack_schema_monitoring_sql in format 2: a signed pack with
// a view named "pages" (a recursive one never ends), a trigger, or a table of other columns is
// refused here, before any query runs on it. Returns the format the schema is.
Result<int> check_schema(Db& pack) {
    TRY_RESULT(auto actual, schema_of(pack));
    bool monitoring = std::any_of(actual.begin(), actual.end(),
        [](SchemaEntry const& e) { return e.name == "agreement_monitoring"; });
    TRY_RESULT(Db expected_db, Db::open(":memory:", OpenMode::ReadWriteCreate));
    TRY_VOID(expected_db.exec(pack_schema_sql));
    if (monitoring)
        TRY_VOID(expected_db.exec(pack_schema_monitoring_sql));
    TRY_RESULT(auto expected, schema_of(expected_db));
    std::map<std::pair<std::string, std::string>, SchemaEntry const*> want;
    for (auto const& e : expected)
        want[{e.type, e.name}] = &e;
    for (auto const& e : actual) {
        auto it = want.find({e.type, e.name});
        if (it == want.end()) {
            bool other_type = std::any_of(expected.begin(), expected.end(),
                [&](SchemaEntry const& x) { return x.name == e.name; });
            return Error {"unexpected " + e.type + " '" + e.name + "'"
                + (other_type ? " (a " + e.type + " where the pack has a table or index)" : "")};
        }
        if (!(*it->second == e))
            return Error {e.type + " '" + e.name + "' is not defined as a pack defines it"};
        want.erase(it);
    }
    if (!want.empty())
        return Error {
            "missing " + want.begin()->first.first + " '" + want.begin()->first.second + "'"};
    return monitoring ? 2 : 1;
}

} // namespace

Result<ContentPack> ContentPack::open(std::string const& path, minisign::PublicKey const& key) {
    TRY_RESULT(FileIdentity before, identify(path));
    auto verified = minisign::verify_file(path, key);
    if (!verified.ok())
        return Error {"content pack " + path + " rejected: " + verified.error().message};
    TRY_RESULT(ContentPack pack, open_unverified(path));
    TRY_RESULT(FileIdentity after, identify(path));
    // The file we opened must be the one whose signature we checked.
    if (!(before == after))
        return Error {"content pack " + path + " changed while it was being opened; try again"};
    return pack;
}

Result<ContentPack> ContentPack::open_unverified(std::string const& path) {
    TRY_RESULT(auto id, identify(path));
    (void)id;
    auto db = Db::open(path, OpenMode::ReadOnlyImmutable);
    if (!db.ok())
        return Error {"content pack " + path + " is not readable: " + db.error().message};
    ContentPack pack(db.release_value());
    auto header = pack.load_header();
    if (!header.ok())
        return Error {"content pack " + path + " is not valid: " + header.error().message};
    return pack;
}

Result<void> ContentPack::load_header() {
    TRY_RESULT(int schema_format, check_schema(m_db));
    TRY_RESULT(int64_t format, meta_int(m_db, "format_version"));
    if (format < pack_format_version_min || format > pack_format_version)
        return Error {"format version " + std::to_string(format) + ", this program reads versions "
            + std::to_string(pack_format_version_min) + " to "
            + std::to_string(pack_format_version)};
    if (format != schema_format)
        return Error {"format version " + std::to_string(format) + " with the tables of format "
            + std::to_string(schema_format)};
    m_meta.format_version = static_cast<int>(format);
    m_meta.monitoring = format >= 2;
    TRY_RESULT(m_meta.content_version, meta_int(m_db, "content_version"));
    TRY_RESULT(m_meta.build_time, meta_int(m_db, "build_time"));
    TRY_RESULT(m_meta.source_hash, meta_value(m_db, "source_hash"));
    TRY_RESULT(int64_t demo, meta_int(m_db, "demo"));
    m_meta.demo = demo != 0;
    TRY_RESULT(m_institution.name.id, meta_value(m_db, "institution.name.id"));
    TRY_RESULT(m_institution.name.en, meta_value(m_db, "institution.name.en"));
    TRY_RESULT(m_institution.parent.id, meta_value(m_db, "institution.parent.id"));
    TRY_RESULT(m_institution.parent.en, meta_value(m_db, "institution.parent.en"));
    TRY_RESULT(m_institution.address, meta_value(m_db, "institution.address"));
    TRY_RESULT(m_institution.logo, meta_value(m_db, "institution.logo"));

    TRY_RESULT(auto st,
        m_db.prepare("SELECT id, kind, icon, title_id, title_en FROM sections ORDER BY ord"));
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        m_sections.push_back(Section {st.column_text(0), st.column_text(1), st.column_text(2),
            {st.column_text(3), st.column_text(4)}});
    }
    TRY_RESULT(auto hl, m_db.prepare("SELECT text_id, text_en, page FROM highlights ORDER BY ord"));
    while (true) {
        TRY_RESULT(bool row, hl.step());
        if (!row)
            break;
        m_highlights.push_back(
            Highlight {{hl.column_text(0), hl.column_text(1)}, hl.column_text(2)});
    }
    return {};
}

Result<std::vector<PageSummary>> ContentPack::pages_in_section(
    std::string const& section, Lang lang) const {
    TRY_RESULT(auto st,
        m_db.prepare("SELECT id, section, ord, title, summary FROM pages "
                     "WHERE section = ? AND lang = ? ORDER BY ord, id"));
    st.bind_all(section, lang_str(lang));
    std::vector<PageSummary> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_int(2), st.column_text(3),
            st.column_text(4)});
    }
    return out;
}

Result<Page> ContentPack::page(std::string const& id, Lang lang) const {
    TRY_RESULT(auto st,
        m_db.prepare("SELECT id, section, ord, title, summary, markdown FROM pages "
                     "WHERE id = ? AND lang = ?"));
    st.bind_all(id, lang_str(lang));
    TRY_RESULT(bool row, st.step());
    if (!row)
        return Error {"no page '" + id + "' in the content pack"};
    Page p {st.column_text(0), st.column_text(1), st.column_int(2), st.column_text(3),
        st.column_text(4), st.column_text(5), {}};
    TRY_RESULT(auto links,
        m_db.prepare("SELECT label, url FROM page_links WHERE page = ? AND lang = ? ORDER BY ord"));
    links.bind_all(id, lang_str(lang));
    while (true) {
        TRY_RESULT(bool more, links.step());
        if (!more)
            break;
        p.links.push_back({links.column_text(0), links.column_text(1)});
    }
    return p;
}

namespace {

// Appends the WHERE clause of a filter; returns the values to bind in order.
std::vector<std::string> agreement_where(
    AgreementFilter const& f, bool monitoring, std::string& sql) {
    std::vector<std::string> binds;
    if (f.implementation) {
        // A format 1 pack has no states: no agreement matches one.
        if (!monitoring) {
            sql += " AND 0";
        } else {
            sql += " AND a.id IN (SELECT agreement FROM agreement_monitoring WHERE state = ?)";
            binds.emplace_back(implementation_code(*f.implementation));
        }
    }
    std::string fts = fts_query_from_input(f.query);
    if (!fts.empty()) {
        sql += " AND a.id IN (SELECT rowid - " + std::to_string(search_rowid_agreement_first)
            + " FROM search WHERE search MATCH ? AND rowid >= "
            + std::to_string(search_rowid_agreement_first) + " AND rowid < "
            + std::to_string(search_rowid_en_first) + ")";
        binds.push_back(fts);
    }
    if (f.kind) {
        sql += " AND a.kind = ?";
        binds.push_back(*f.kind);
    }
    if (f.sector) {
        sql += " AND a.sector = ?";
        binds.push_back(*f.sector);
    }
    if (f.status) {
        std::string today = f.today.iso();
        std::string soon = Date::from_days(f.today.days() + ending_soon_days).iso();
        switch (*f.status) {
        case AgreementStatus::NotYetActive:
            sql += " AND a.start_date > ?";
            binds.push_back(today);
            break;
        case AgreementStatus::Active:
            sql += " AND a.start_date <= ? AND a.end_date > ?";
            binds.push_back(today);
            binds.push_back(soon);
            break;
        case AgreementStatus::EndingSoon:
            sql += " AND a.start_date <= ? AND a.end_date >= ? AND a.end_date <= ?";
            binds.push_back(today);
            binds.push_back(today);
            binds.push_back(soon);
            break;
        case AgreementStatus::Ended:
            sql += " AND a.end_date < ?";
            binds.push_back(today);
            break;
        }
    }
    return binds;
}

Agreement read_agreement(Statement const& st) {
    Agreement a;
    a.id = st.column_int64(0);
    a.number = st.column_text(1);
    a.kind = st.column_text(2);
    a.doc_type = st.column_text(3);
    a.partner = st.column_text(4);
    a.subject = st.column_text(5);
    a.sector = st.column_text(6);
    a.scope = st.column_text(7);
    // Dates were validated by the builder; a bad one reads as 1970-01-01 rather than failing.
    a.signed_on = parse_date(st.column_text(8)).value_or(Date {});
    a.start = parse_date(st.column_text(9)).value_or(Date {});
    a.end = parse_date(st.column_text(10)).value_or(Date {});
    a.agency = st.column_text(11);
    a.notes = st.column_text(12);
    a.implementation = parse_implementation_state(st.column_text(13));
    a.evaluated_on = parse_date(st.column_text(14));
    a.evaluation = st.column_text(15);
    a.responsible_unit = st.column_text(16);
    return a;
}

// The columns read_agreement reads, FROM included: a format 1 pack has no monitoring table.
std::string agreement_select(bool monitoring) {
    std::string sql = "SELECT a.id, a.number, a.kind, a.doc_type, a.partner, a.subject, "
                      "a.sector, a.scope, a.signed_on, a.start_date, a.end_date, "
                      "a.agency, a.notes, ";
    if (monitoring)
        return sql
            + "coalesce(m.state, ''), coalesce(m.evaluated_on, ''), coalesce(m.summary, ''), "
              "coalesce(m.unit, '') FROM agreements a "
              "LEFT JOIN agreement_monitoring m ON m.agreement = a.id";
    return sql + "'', '', '', '' FROM agreements a";
}

} // namespace

Result<std::vector<Agreement>> ContentPack::agreements(AgreementFilter const& f) const {
    std::string sql = agreement_select(m_meta.monitoring) + " WHERE 1";
    auto binds = agreement_where(f, m_meta.monitoring, sql);
    // Newest first: what visitors usually look for.
    sql += " ORDER BY a.signed_on DESC, a.id DESC LIMIT ? OFFSET ?";
    TRY_RESULT(auto st, m_db.prepare(sql));
    int i = 1;
    for (auto const& b : binds)
        st.bind(i++, b);
    st.bind(i++, f.limit);
    st.bind(i++, f.offset);
    std::vector<Agreement> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_agreement(st));
    }
    return out;
}

Result<int64_t> ContentPack::count_agreements(AgreementFilter const& f) const {
    std::string sql = "SELECT count(*) FROM agreements a WHERE 1";
    auto binds = agreement_where(f, m_meta.monitoring, sql);
    TRY_RESULT(auto st, m_db.prepare(sql));
    int i = 1;
    for (auto const& b : binds)
        st.bind(i++, b);
    TRY_RESULT(bool row, st.step());
    return row ? st.column_int64(0) : 0;
}

Result<Agreement> ContentPack::agreement(int64_t id) const {
    TRY_RESULT(auto st, m_db.prepare(agreement_select(m_meta.monitoring) + " WHERE a.id = ?"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return Error {"no agreement " + std::to_string(id) + " in the content pack"};
    return read_agreement(st);
}

Result<std::vector<Potential>> ContentPack::potential(Lang lang) const {
    TRY_RESULT(auto st,
        m_db.prepare("SELECT id, sector, title, summary, markdown, location FROM potential "
                     "WHERE lang = ? ORDER BY ord"));
    st.bind(1, lang_str(lang));
    std::vector<Potential> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
            st.column_text(4), st.column_text(5)});
    }
    return out;
}

Result<std::vector<Contact>> ContentPack::contacts(Lang lang) const {
    TRY_RESULT(auto st,
        m_db.prepare("SELECT id, name, role, phone, whatsapp, whatsapp_url, email, address, "
                     "hours, url FROM contacts WHERE lang = ? ORDER BY ord"));
    st.bind(1, lang_str(lang));
    std::vector<Contact> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_text(2), st.column_text(3),
            st.column_text(4), st.column_text(5), st.column_text(6), st.column_text(7),
            st.column_text(8), st.column_text(9)});
    }
    return out;
}

Result<std::vector<FaqEntry>> ContentPack::faq(Lang lang) const {
    TRY_RESULT(
        auto st, m_db.prepare("SELECT id, question, answer FROM faq WHERE lang = ? ORDER BY ord"));
    st.bind(1, lang_str(lang));
    std::vector<FaqEntry> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_text(2)});
    }
    return out;
}

Result<std::string> ContentPack::asset(std::string const& name) const {
    TRY_RESULT(auto st, m_db.prepare("SELECT data FROM assets WHERE name = ?"));
    st.bind(1, name);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return Error {"no asset '" + name + "' in the content pack"};
    return st.column_blob(0);
}

Result<std::vector<SearchHit>> ContentPack::search(
    std::string_view query, Lang lang, int limit) const {
    std::vector<SearchHit> out;
    std::string fts = fts_query_from_input(query);
    if (fts.empty())
        return out;
    // Scoring costs about a microsecond per match, and a common word matches nearly every
    // document; so at most search_rank_candidates matches are scored per tier, taken in rowid
    // order (pages first, then agreements newest first). Tier one: matches in the title; tier
    // two: the rest. When a query matches more than that, typing another word narrows it.
    // Only the rowid and score are read here; title and snippet are read for the hits shown.
    // Title matches weigh ten times body matches.
    int64_t first = lang == Lang::Id ? search_rowid_id_first : search_rowid_agreement_first;
    int64_t last = lang == Lang::Id ? search_rowid_en_first - 1 : search_rowid_en_last;
    TRY_RESULT(auto ranked,
        m_db.prepare("SELECT rowid, bm25(search, 10.0, 1.0) FROM search "
                     "WHERE search MATCH ? AND rowid BETWEEN ? AND ? ORDER BY rowid LIMIT ?"));
    auto candidates
        = [&](std::string const& match) -> Result<std::vector<std::pair<double, int64_t>>> {
        ranked.reset();
        ranked.bind(1, match).bind(2, first).bind(3, last).bind(4, search_rank_candidates);
        std::vector<std::pair<double, int64_t>> found;
        while (true) {
            TRY_RESULT(bool row, ranked.step());
            if (!row)
                break;
            found.push_back({ranked.column_double(1), ranked.column_int64(0)});
        }
        std::sort(found.begin(), found.end());
        return found;
    };
    TRY_RESULT(auto in_title, candidates("title : (" + fts + ")"));
    TRY_RESULT(auto anywhere, candidates(fts));
    std::vector<std::pair<int64_t, double>> top;
    std::set<int64_t> taken;
    for (auto const* tier : {&in_title, &anywhere}) {
        for (auto const& [rank, rowid] : *tier) {
            if (static_cast<int>(top.size()) >= limit)
                break;
            if (taken.insert(rowid).second)
                top.push_back({rowid, rank});
        }
    }
    // A point lookup by rowid reads the stored row directly; a snippet() would need the MATCH
    // again, which costs a doclist scan per hit.
    TRY_RESULT(
        auto detail, m_db.prepare("SELECT kind, ref, title, body FROM search WHERE rowid = ?"));
    auto words = query_words(query);
    for (auto const& [rowid, rank] : top) {
        detail.reset();
        detail.bind(1, rowid);
        TRY_RESULT(bool row, detail.step());
        if (!row)
            continue;
        std::string kind = detail.column_text(0);
        HitKind k = kind == "page" ? HitKind::Page
            : kind == "agreement"  ? HitKind::Agreement
            : kind == "potential"  ? HitKind::Potential
                                   : HitKind::Faq;
        out.push_back({k, detail.column_text(1), detail.column_text(2),
            make_snippet(detail.column_text(3), words), rank});
    }
    return out;
}

std::string fts_query_from_input(std::string_view input) {
    // Words are runs of letters and digits (any script), as the snippets see them; quoting each
    // keeps FTS5 syntax characters typed by a visitor from meaning anything. A single letter
    // matches nearly everything and has no prefix index: it waits for more.
    if (!utf8::is_valid(input))
        return {};
    std::string out;
    auto spans = word_spans(input);
    for (size_t w = 0; w < spans.size() && w < 16; ++w) {
        auto word = input.substr(spans[w].first, spans[w].second);
        if (utf8::length(word) < 2)
            continue;
        if (!out.empty())
            out += ' ';
        out += '"';
        out += word;
        out += "\"*";
    }
    return out;
}

} // namespace ksd
