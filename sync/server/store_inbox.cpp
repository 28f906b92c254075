// The inbox's storage (see store_inbox.h): filtered keyset pages over the indexes of migration 6,
// counts, due times, and the benchmark's generator.
#include "store_inbox.h"

#include "store.h"

#include "ksd/content_pack.h"
#include "ksd/request_options.h"
#include "ksd/taxonomy.h"

#include <algorithm>
#include <random>
#include <variant>

namespace ksd::server {

namespace {

constexpr char const* row_columns
    = "id, code, kiosk_id, created_at, clock_trusted, category, topic, sector, name, phone, email, "
      "organisation, question, lang, received_at, status, assigned_to, first_reply_at, due_at";

InboxRow read_row(Stmt& st) {
    InboxRow r;
    r.id = st.column_text(0);
    r.code = st.column_text(1);
    r.kiosk_id = st.column_text(2);
    r.created_at = st.column_int64(3);
    r.clock_trusted = st.column_int64(4) != 0;
    r.category = st.column_text(5);
    r.topic = st.column_text(6);
    r.sector = st.column_text(7);
    r.name = st.column_text(8);
    r.phone = st.column_text(9);
    r.email = st.column_text(10);
    r.organisation = st.column_text(11);
    r.question = st.column_text(12);
    r.lang = st.column_text(13);
    r.received_at = st.column_int64(14);
    r.status = st.column_text(15);
    // 0 (or NULL in a database of the inbox's own placeholder step) is nobody.
    if (!st.column_is_null(16) && st.column_int64(16) != 0)
        r.assigned_to = st.column_int64(16);
    r.first_reply_at = st.column_int64(17);
    r.due_at = st.column_int64(18);
    return r;
}

using Bind = std::variant<std::string, int64_t>;

struct Where {
    std::string sql; // " AND ..." terms
    std::vector<Bind> binds;
    void add(std::string const& term, Bind value) {
        sql += " AND " + term;
        binds.push_back(std::move(value));
    }
};

// The filter's terms. Each equality has an index led by its column and followed by
// (received_at, id), so that SQLite reads the newest rows of the filter straight from it.
// FTS5's '"word"* "word"*' (fts_query_from_input: letters and digits only) as PostgreSQL's
// 'word:* & word:*': every word, as a prefix.
std::string pg_tsquery(std::string const& fts) {
    std::string out;
    for (size_t i = 0; i < fts.size(); ++i) {
        if (fts[i] == '"')
            continue;
        if (fts[i] == '*')
            out += ":*";
        else if (fts[i] == ' ')
            out += " & ";
        else
            out += fts[i];
    }
    return out;
}

Where filter_terms(Engine engine, InboxFilter const& f, int64_t now) {
    Where w;
    if (!f.status.empty())
        w.add("status = ?", f.status);
    if (!f.kiosk_id.empty())
        w.add("kiosk_id = ?", f.kiosk_id);
    if (!f.topic.empty())
        w.add("topic = ?", f.topic);
    if (!f.category.empty())
        w.add("category = ?", f.category);
    if (!f.sector.empty())
        w.add("sector = ?", f.sector);
    if (f.received_from)
        w.add("received_at >= ?", *f.received_from);
    if (f.received_before)
        w.add("received_at < ?", *f.received_before);
    switch (f.overdue) {
    case OverdueFilter::Any:
        break;
    case OverdueFilter::Only:
        // first_reply_at = 0 selects the partial index inbox_unanswered, which carries due_at.
        w.sql += " AND first_reply_at = 0";
        w.add("due_at BETWEEN 1 AND ?", now);
        break;
    }
    if (f.assigned_to)
        w.add("assigned_to = ?", *f.assigned_to);
    std::string fts = fts_query_from_input(f.words);
    if (!fts.empty()) {
        // Words alone: the matches drive (a name or a code matches a few rows). Words with an
        // equality filter: that filter's index drives and the matches are a set to test against
        // ('+' keeps SQLite from driving by them); driving by a common word's 100,000 matches
        // and reading each row to test its kiosk took 3 s at 1,000,000 requests.
        bool narrowed = !f.status.empty() || !f.kiosk_id.empty() || !f.topic.empty()
            || !f.category.empty() || !f.sector.empty() || f.assigned_to.has_value()
            || f.overdue == OverdueFilter::Only;
        switch (engine) {
        case Engine::Sqlite:
            w.add(std::string(narrowed ? "+rowid" : "rowid")
                    + " IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH ?)",
                fts);
            break;
        case Engine::Postgres:
            // The generated tsvector and its GIN index (store_schema_pg.cpp); the planner picks
            // the driving index itself.
            w.add("search @@ to_tsquery('simple', ?)", pg_tsquery(fts));
            break;
        }
    }
    return w;
}

void bind_all(Stmt& st, std::vector<Bind> const& binds) {
    int i = 1;
    for (auto const& b : binds)
        std::visit([&](auto const& v) { st.bind(i++, v); }, b);
}

} // namespace

namespace {

std::string const older_than = " AND (received_at, id) < (?, ?)";
std::string const newer_than = " AND (received_at, id) > (?, ?)";

// The page's statement and its parameters (the cursor's two, then the limit, come last).
std::string page_sql(Where const& w, bool with_cursor, PageDirection direction) {
    bool const going_older = direction == PageDirection::Older;
    std::string sql = std::string("SELECT ") + row_columns + " FROM tickets WHERE true" + w.sql;
    if (with_cursor)
        sql += going_older ? older_than : newer_than;
    sql += going_older ? " ORDER BY received_at DESC, id DESC" : " ORDER BY received_at, id";
    return sql + " LIMIT ?";
}

// The query plan of sql with binds, one step a line: SQLite's EXPLAIN QUERY PLAN has its detail
// in the fourth column, PostgreSQL's EXPLAIN one line per row.
Result<std::string> explain(Conn& db, std::string const& sql, std::vector<Bind> const& binds) {
    bool const sqlite = db.engine() == Engine::Sqlite;
    TRY_RESULT(auto st, db.prepare(std::string(sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + sql));
    bind_all(st, binds);
    std::string out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out += st.column_text(sqlite ? 3 : 0) + "\n";
    }
    return out;
}

} // namespace

Result<std::string> inbox_plan(Conn& db, InboxFilter const& f, int64_t now, bool with_cursor) {
    Where w = filter_terms(db.engine(), f, now);
    std::vector<Bind> binds = w.binds;
    if (with_cursor) {
        binds.emplace_back(now);
        binds.emplace_back(std::string("ffffffff-ffff-4fff-bfff-ffffffffffff"));
    }
    binds.emplace_back(int64_t {51});
    return explain(db, page_sql(w, with_cursor, PageDirection::Older), binds);
}

Result<InboxPage> inbox_page(Conn& db, InboxFilter const& f, int64_t now, int limit,
    std::optional<InboxCursor> const& from, PageDirection direction) {
    if (limit < 1 || limit > 1000)
        return make_error("inbox page size must be 1 to 1000, not " + std::to_string(limit));
    Where w = filter_terms(db.engine(), f, now);
    bool const going_older = direction == PageDirection::Older;
    TRY_RESULT(auto st, db.prepare(page_sql(w, from.has_value(), direction)));
    std::vector<Bind> binds = w.binds;
    if (from) {
        binds.emplace_back(from->received_at);
        binds.emplace_back(from->id);
    }
    binds.emplace_back(int64_t {limit} + 1);
    bind_all(st, binds);
    InboxPage page;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        page.rows.push_back(read_row(st));
    }
    bool more = page.rows.size() > static_cast<size_t>(limit);
    if (more)
        page.rows.pop_back();
    if (!going_older)
        std::reverse(page.rows.begin(), page.rows.end());
    if (page.rows.empty())
        return page;
    InboxCursor first {page.rows.front().received_at, page.rows.front().id};
    InboxCursor last {page.rows.back().received_at, page.rows.back().id};
    // The page read tells whether more lie in its own direction; one indexed probe tells
    // whether any lie the other way (a page reached by a cursor usually has neighbours there).
    std::optional<InboxCursor> beyond;
    if (from) {
        TRY_RESULT(auto probe,
            db.prepare("SELECT 1 FROM tickets WHERE true" + w.sql
                + (going_older ? newer_than : older_than) + " LIMIT 1"));
        std::vector<Bind> pb = w.binds;
        InboxCursor const& edge = going_older ? first : last;
        pb.emplace_back(edge.received_at);
        pb.emplace_back(edge.id);
        bind_all(probe, pb);
        TRY_RESULT(bool any, probe.step());
        if (any)
            beyond = edge;
    }
    if (going_older) {
        if (more)
            page.older = last;
        page.newer = beyond;
    } else {
        if (more)
            page.newer = first;
        page.older = beyond;
    }
    return page;
}

namespace {

// The two counts, each with its own small index on PostgreSQL (counts_fresh and
// counts_unanswered_due, store_schema_pg.cpp); on SQLite inbox_status and inbox_unanswered.
constexpr char const* fresh_count_sql = "SELECT count(*) FROM tickets WHERE status = ?1";
constexpr char const* overdue_count_sql
    = "SELECT count(*) FROM tickets WHERE first_reply_at = 0 AND due_at BETWEEN 1 AND ?1";

} // namespace

Result<InboxCounts> inbox_counts(Conn& db, int64_t now) {
    InboxCounts c;
    TRY_RESULT(auto fresh, db.prepare(fresh_count_sql));
    fresh.bind(1, ticket_states().front());
    TRY_VOID(fresh.step());
    c.fresh = fresh.column_int64(0);
    TRY_RESULT(auto overdue, db.prepare(overdue_count_sql));
    overdue.bind(1, now);
    TRY_VOID(overdue.step());
    c.overdue = overdue.column_int64(0);
    return c;
}

Result<std::string> inbox_counts_plan(Conn& db, int64_t now) {
    TRY_RESULT(auto fresh, explain(db, fresh_count_sql, {ticket_states().front()}));
    TRY_RESULT(auto overdue, explain(db, overdue_count_sql, {now}));
    return fresh + overdue;
}

Result<void> for_each_inbox_row(Conn& db, InboxFilter const& f, int64_t now,
    std::function<bool(InboxRow const&)> const& visit, int batch_rows) {
    std::optional<InboxCursor> cursor;
    while (true) {
        TRY_RESULT(auto page, inbox_page(db, f, now, batch_rows, cursor, PageDirection::Older));
        for (auto const& r : page.rows)
            if (!visit(r))
                return {};
        if (!page.older)
            return {};
        cursor = page.older;
    }
}

Result<int64_t> refresh_due_times(Conn& db, SlaRules const& rules) {
    std::string const fingerprint = sla_fingerprint(rules);
    TRY_RESULT(auto tx, Tx::begin(db, TransactionKind::Immediate));
    TRY_RESULT(auto stored, db.prepare("SELECT value FROM meta WHERE key = 'sla_rules'"));
    TRY_RESULT(bool row, stored.step());
    if (row && stored.column_text(0) == fingerprint) {
        // Same rules: only rows without a due time (none, unless written by an older program).
        TRY_RESULT(auto none, db.prepare("SELECT 1 FROM tickets WHERE due_at = 0 LIMIT 1"));
        TRY_RESULT(bool any, none.step());
        if (!any)
            return int64_t {0};
    }
    TRY_RESULT(auto pick,
        db.prepare(
            "SELECT rowid, received_at FROM tickets WHERE first_reply_at = 0 OR due_at = 0"));
    std::vector<std::pair<int64_t, int64_t>> due;
    while (true) {
        TRY_RESULT(bool r, pick.step());
        if (!r)
            break;
        due.emplace_back(pick.column_int64(0), sla_due_at(pick.column_int64(1), rules));
    }
    TRY_RESULT(auto set, db.prepare("UPDATE tickets SET due_at = ?2 WHERE rowid = ?1"));
    for (auto const& [rowid, at] : due) {
        set.bind_all(rowid, at);
        TRY_VOID(set.run());
    }
    TRY_RESULT(auto keep,
        db.prepare("INSERT INTO meta(key, value) VALUES ('sla_rules', ?1) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    keep.bind(1, fingerprint);
    TRY_VOID(keep.run());
    TRY_VOID(tx.commit());
    return static_cast<int64_t>(due.size());
}

std::vector<std::string> const& generated_states() {
    static std::vector<std::string> const states {
        "Baru", "Diproses", "Menunggu tanggapan pemohon", "Selesai", "Bukan kewenangan"};
    return states;
}

namespace {

constexpr char const* crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// A distinct code for each i: i times an odd number modulo 2^50 is a bijection.
std::string bench_code(int64_t i, uint32_t seed) {
    uint64_t v = (static_cast<uint64_t>(i) * 0x9E3779B97F4A7ull + seed) & ((1ull << 50) - 1);
    std::string s(11, '-');
    for (int k = 10; k >= 0; --k) {
        if (k == 5)
            continue;
        s[static_cast<size_t>(k)] = crockford[v & 31];
        v >>= 5;
    }
    return s;
}

std::string bench_uuid(std::mt19937_64& rng) {
    uint64_t a = rng();
    uint64_t b = rng();
    a = (a & ~0xF000ull) | 0x4000ull; // version 4
    b = (b & ~(3ull << 62)) | (2ull << 62); // variant 10
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
        static_cast<unsigned long long>(a >> 32),
        static_cast<unsigned long long>((a >> 16) & 0xFFFF),
        static_cast<unsigned long long>(a & 0xFFFF), static_cast<unsigned long long>(b >> 48),
        static_cast<unsigned long long>(b & 0xFFFFFFFFFFFFull));
    return buf;
}

} // namespace

Result<void> generate_requests(Conn& db, GenerateSpec const& spec, SlaRules const& rules) {
    static constexpr char const* first_names[] = {"Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur",
        "Agus", "Rina", "Hendra", "Yuni", "Made", "Wayan", "Putu", "Fajar", "Lestari", "Andi",
        "Ratna", "Joko", "Maria", "Yohanes"};
    static constexpr char const* last_names[] = {"Saputra", "Wijaya", "Hidayat", "Lubis",
        "Nasution", "Siregar", "Pratama", "Kurniawan", "Susanto", "Santoso", "Harahap", "Gultom",
        "Manurung", "Simanjuntak", "Setiawan", "Rahayu"};
    static constexpr char const* places[] = {"Medan", "Binjai", "Deli Serdang", "Langkat", "Karo",
        "Simalungun", "Asahan", "Labuhanbatu", "Tapanuli Utara", "Toba", "Samosir", "Nias",
        "Sibolga", "Tanjungbalai", "Pematangsiantar", "Tebing Tinggi", "Padangsidimpuan",
        "Gunungsitoli", "Dairi", "Humbang Hasundutan", "Pakpak Bharat", "Batu Bara",
        "Serdang Bedagai", "Mandailing Natal", "Padang Lawas", "Labuhanbatu Utara"};
    static constexpr char const* questions[]
        = {"Bagaimana alur kerja sama dengan {} untuk pengelolaan pelabuhan?",
            "Apa saja persyaratan perjanjian kerja sama dengan Pemerintah Kabupaten {}?",
            "Kami ingin mengajukan draf PKS tentang pengelolaan sampah bersama {}.",
            "Kapan jadwal penandatanganan kesepakatan bersama dengan {}?",
            "Mohon informasi monitoring dan evaluasi kerja sama pariwisata di {}.",
            // One literal (clang warns of two adjacent ones in an array).
            "Apakah universitas kami dapat bekerja sama dengan pemda di bidang kesehatan di {}?",
            "Bagaimana prosedur kerja sama transportasi antar daerah dengan {}?",
            "Dokumen apa yang diperlukan untuk nota kesepahaman dengan {}?",
            "Kami dari desa dekat {}, bagaimana mengusulkan kerja sama irigasi?",
            "Status perpanjangan kerja sama air minum dengan {} sudah sampai di mana?"};
    static constexpr char const* organisations[] = {"Universitas Sumatera Utara",
        "PT Pelabuhan Nusantara", "Yayasan Peduli Danau Toba", "Dinas Pariwisata",
        "Bappeda Kabupaten", "CV Maju Bersama", "Koperasi Tani Makmur", "Kedutaan Besar"};

    std::mt19937_64 rng(spec.seed);
    auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
    auto chance = [&rng](int percent) { return static_cast<int>(rng() % 100) < percent; };

    bool const sqlite = db.engine() == Engine::Sqlite;
    if (sqlite)
        TRY_VOID(db.exec("PRAGMA cache_size = -262144")); // 256 MiB: the indexes stay in memory
    TRY_RESULT(auto tx, Tx::begin(db, TransactionKind::Immediate));
    // SQLite: the full-text index is built once at the end ('rebuild' reads the table in one
    // pass, three times faster than the insert trigger row by row); the trigger, as migration 6
    // wrote it, is put back in the same transaction. PostgreSQL's tsvector is a generated column.
    std::string trigger_sql;
    if (sqlite) {
        TRY_RESULT(auto trigger,
            db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' "
                       "AND name = 'tickets_fts_insert'"));
        TRY_RESULT(bool has_trigger, trigger.step());
        if (!has_trigger)
            return make_error("the database has no tickets_fts_insert trigger (not migrated?)");
        trigger_sql = trigger.column_text(0);
        trigger.reset();
        TRY_VOID(db.exec("DROP TRIGGER tickets_fts_insert"));
    }
    TRY_RESULT(auto kiosk,
        db.prepare("INSERT INTO kiosks(id, token_hash, created_at) VALUES (?1, ?3, ?2) "
                   "ON CONFLICT(id) DO NOTHING"));
    std::vector<std::string> kiosk_ids;
    for (int k = 0; k < spec.kiosks; ++k) {
        char id[32];
        std::snprintf(id, sizeof id, "kiosk-%03d", k + 1);
        kiosk_ids.emplace_back(id);
        kiosk.bind_all(kiosk_ids.back(), spec.now - int64_t {spec.days} * 86400);
        kiosk.bind_blob(3, std::string(32, '\0')); // no token: generated kiosks never connect
        TRY_VOID(kiosk.run());
    }
    TRY_RESULT(auto insert,
        db.prepare("INSERT INTO tickets(id, code, kiosk_id, created_at, clock_trusted, sequence, "
                   "category, topic, sector, name, phone, email, organisation, question, lang, "
                   "consent_version, content_hash, received_at, status, staff_reply, updated_at, "
                   "assigned_to, first_reply_at, due_at) VALUES (?1, ?2, ?3, ?4, 1, ?5, ?6, ?7, "
                   "?8, ?9, ?10, ?11, ?12, ?13, 'id', 'privasi-2026-11', 'generated', ?14, ?15, "
                   "?16, ?17, ?18, ?19, ?20)"));
    std::vector<int64_t> sequence(kiosk_ids.size(), 0);
    auto sector_list = sectors();
    int64_t const span = int64_t {spec.days} * 86400;
    int64_t const start = spec.now - span;
    auto const& states = generated_states();
    for (int64_t i = 0; i < spec.requests; ++i) {
        int64_t received = start + (spec.requests > 1 ? i * span / spec.requests : 0);
        size_t k = pick(kiosk_ids.size());
        auto const& category = visitor_categories[pick(visitor_categories.size())];
        auto const& topic = request_topics[pick(request_topics.size())];
        std::string sector
            = chance(30) ? std::string() : std::string(sector_list[pick(sector_list.size())].code);
        std::string first = first_names[pick(std::size(first_names))];
        std::string name = first + " " + last_names[pick(std::size(last_names))];
        std::string phone = "08" + std::to_string(1000000000 + rng() % 9000000000ull);
        std::string email = chance(60) ? "" : first + std::to_string(i % 1000) + "@example.com";
        std::string org
            = category.code == "masyarakat" ? "" : organisations[pick(std::size(organisations))];
        std::string question = questions[pick(std::size(questions))];
        question.replace(question.find("{}"), 2, places[pick(std::size(places))]);
        // Recent requests are mostly new; older ones mostly answered and closed, with a backlog
        // of unanswered ones (the overdue).
        bool recent = spec.now - received < 3 * 86400;
        int roll = static_cast<int>(rng() % 100);
        std::string const& status = recent ? (roll < 70 ? states[0] : states[1])
            : roll < 5                     ? states[0]
            : roll < 15                    ? states[1]
            : roll < 22                    ? states[2]
            : roll < 30                    ? states[4]
                                           : states[3];
        int64_t first_reply = status == states[0]
            ? 0
            : std::min(spec.now, received + 3600 + static_cast<int64_t>(rng() % (4 * 86400)));
        std::string reply = first_reply ? "Terima kasih, permohonan Anda kami tindak lanjuti." : "";
        insert.bind(1, bench_uuid(rng)).bind(2, bench_code(i, spec.seed)).bind(3, kiosk_ids[k]);
        insert.bind(4, received - static_cast<int64_t>(rng() % 120)).bind(5, ++sequence[k]);
        insert.bind(6, category.code).bind(7, topic.code).bind(8, sector).bind(9, name);
        insert.bind(10, phone).bind(11, email).bind(12, org).bind(13, question);
        insert.bind(14, received).bind(15, status).bind(16, reply);
        insert.bind(17, std::max(received, first_reply));
        if (chance(60))
            insert.bind(18, static_cast<int64_t>(1 + pick(static_cast<size_t>(spec.staff_users))));
        else
            insert.bind(18, int64_t {0}); // unassigned (store_events: 0 is nobody)
        insert.bind(19, first_reply).bind(20, sla_due_at(received, rules));
        TRY_VOID(insert.run());
    }
    if (sqlite) {
        TRY_VOID(db.exec("INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')"));
        TRY_VOID(db.exec(trigger_sql));
    }
    TRY_RESULT(auto keep,
        db.prepare("INSERT INTO meta(key, value) VALUES ('sla_rules', ?1) "
                   "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    keep.bind(1, sla_fingerprint(rules));
    TRY_VOID(keep.run());
    TRY_VOID(tx.commit());
    // Statistics for the query planner (sampled: a second, not a full scan of every index).
    if (sqlite)
        return db.exec("PRAGMA analysis_limit = 1000; ANALYZE;");
    // PostgreSQL: VACUUM too, as autovacuum's passes would on a database in use: the counts are
    // index-only scans, which read the table itself for rows on pages not yet marked all-visible.
    // After a bulk load of 1,000,000 rows in one transaction (measured with psql), the first
    // VACUUM left about half the pages unmarked (the counts read 33,629 rows from the table,
    // 175 ms); a second marked the rest (no row read, 11 ms).
    TRY_VOID(db.exec("VACUUM ANALYZE tickets"));
    return db.exec("VACUUM tickets");
}

} // namespace ksd::server
