// The inbox's storage (sync/server/store_inbox.h) on real SQLite files: filters, keyset paging,
// full-text words, overdue, counts, due times after a holiday change, and the query plans.
#include "server_ready.h"
#include "sla.h"
#include "store.h"
#include "store_events.h"
#include "store_inbox.h"
#include "test_support.h"

#include "ksd/migrate.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <set>

using namespace ksd;
using namespace ksd::server;
using ksd::test::TempDir;

namespace {

constexpr int wib = 420;
// Monday 30 Nov 2026 09.00 WIB.
int64_t const monday = local_day_start(Date {2026, 11, 30}, wib) + 9 * 3600;

struct Visitor {
    std::string kiosk {"kiosk-1"};
    std::string category {"masyarakat"};
    std::string topic {"rencana"};
    std::string sector;
    std::string name {"Siti Rahayu"};
    std::string organisation;
    std::string question {"Bagaimana alur kerja sama?"};
};

nlohmann::json ticket(Visitor const& v, int64_t sequence) {
    return {{"id", generate_uuid_v4()}, {"code", generate_ticket_code()}, {"kiosk_id", v.kiosk},
        {"created_at", monday}, {"clock_trusted", true}, {"sequence", sequence},
        {"category", v.category}, {"topic", v.topic}, {"sector", v.sector}, {"name", v.name},
        {"phone", "081234567890"}, {"email", ""}, {"organisation", v.organisation},
        {"question", v.question}, {"lang", "id"}, {"consent_version", "privasi-2026-11"}};
}

// A filter with only the fields set that a test names (designated initializers would leave
// the rest to their defaults too, but -Wmissing-field-initializers refuses them).
template <typename Set>
InboxFilter make_filter(Set&& set) {
    InboxFilter f;
    set(f);
    return f;
}

Visitor visitor_asking(std::string question) {
    Visitor v;
    v.question = std::move(question);
    return v;
}

struct Store {
    TempDir dir;
    Conn db = open_store(ksd::test::server_db(dir)).release_value();
    SlaRules sla {3, wib, {}};
    int64_t seq {0};
    // Stores one ticket received at `now`; returns its id.
    std::string add(Visitor const& v, int64_t now) {
        auto t = ticket(v, ++seq);
        auto r = ingest(db, {t}, now, sla);
        REQUIRE(r.ok());
        REQUIRE(r->at(0).result == "created");
        return t["id"].get<std::string>();
    }
    std::vector<std::string> ids(InboxFilter const& f, int64_t now, int limit = 1000) {
        auto page = inbox_page(db, f, now, limit);
        REQUIRE(page.ok());
        std::vector<std::string> out;
        for (auto const& r : page->rows)
            out.push_back(r.id);
        return out;
    }
};

} // namespace

TEST_CASE("inbox: each filter narrows the list, newest first", "[inbox]") {
    Store s;
    Visitor a;
    Visitor b {"kiosk-2", "pemda-lain", "draf", "pendidikan", "Budi Santoso",
        "Pemerintah Kabupaten Karo", "Draf PKS pengelolaan sampah"};
    std::string a1 = s.add(a, monday);
    std::string b1 = s.add(b, monday + 60);
    std::string a2 = s.add(a, monday + 120);
    int64_t now = monday + 180;
    CHECK(s.ids({}, now) == std::vector<std::string> {a2, b1, a1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.kiosk_id = "kiosk-2"; }), now)
        == std::vector<std::string> {b1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.topic = "rencana"; }), now)
        == std::vector<std::string> {a2, a1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.category = "pemda-lain"; }), now)
        == std::vector<std::string> {b1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.sector = "pendidikan"; }), now)
        == std::vector<std::string> {b1});
    CHECK(
        s.ids(make_filter([&](InboxFilter& f) { f.status = ticket_states().front(); }), now).size()
        == 3);
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.status = "Selesai"; }), now).empty());
    CHECK(s.ids(make_filter([&](InboxFilter& f) {
        f.received_from = monday + 60;
        f.received_before = monday + 120;
    }),
              now)
        == std::vector<std::string> {b1});
    // Two filters at once.
    CHECK(s.ids(make_filter([&](InboxFilter& f) {
        f.kiosk_id = "kiosk-1";
        f.received_from = monday + 1;
    }),
              now)
        == std::vector<std::string> {a2});
    // Assignment (the replies helper's column; set here as it would be).
    REQUIRE(s.db.exec("UPDATE tickets SET assigned_to = 7 WHERE kiosk_id = 'kiosk-2'").ok());
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.assigned_to = 7; }), now)
        == std::vector<std::string> {b1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.assigned_to = 8; }), now).empty());
}

TEST_CASE("inbox: words are found in question, name, organisation and code", "[inbox]") {
    Store s;
    Visitor a;
    a.question = "Kerja sama pengelolaan pelabuhan Belawan";
    Visitor b;
    b.name = "Yohanes Gultom";
    b.organisation = "Universitas Sumatera Utara";
    b.question = "Beasiswa daerah";
    std::string a1 = s.add(a, monday);
    std::string b1 = s.add(b, monday + 1);
    int64_t now = monday + 10;
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.words = "pelabuhan"; }), now)
        == std::vector<std::string> {a1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.words = "PELABUH"; }), now)
        == std::vector<std::string> {a1}); // a prefix, any case
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.words = "gultom"; }), now)
        == std::vector<std::string> {b1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.words = "sumatera universitas"; }), now)
        == std::vector<std::string> {b1});
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.words = "pelabuhan gultom"; }), now)
              .empty()); // every word must match
    auto row = inbox_page(s.db, {}, now, 10);
    REQUIRE(row.ok());
    std::string code = row->rows.back().code; // a1's "XXXXX-XXXXX"
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.words = code; }), now)
        == std::vector<std::string> {a1});
    // FTS5 syntax typed by staff means nothing: no error, no match.
    for (std::string q : {"\"", "pelabuhan\" OR \"", "NEAR(a b)", "*", "a:b", "(", "-x", "^^"}) {
        INFO(q);
        auto page = inbox_page(s.db, make_filter([&](InboxFilter& f) { f.words = q; }), now, 10);
        REQUIRE(page.ok());
    }
    // With another filter.
    CHECK(s.ids(make_filter([&](InboxFilter& f) {
               f.kiosk_id = "kiosk-9";
               f.words = "pelabuhan";
           }),
               now)
              .empty());
}

TEST_CASE("inbox: keyset pages cover every row once, also among equal receive times", "[inbox]") {
    Store s;
    // 3 batches of 9 tickets, each batch received in the same second (one upload).
    std::set<std::string> all;
    for (int b = 0; b < 3; ++b) {
        std::vector<nlohmann::json> batch;
        for (int i = 0; i < 9; ++i)
            batch.push_back(ticket(Visitor {}, ++s.seq));
        auto r = ingest(s.db, batch, monday + b * 10, s.sla);
        REQUIRE(r.ok());
        for (auto const& t : batch)
            all.insert(t["id"].get<std::string>());
    }
    int64_t now = monday + 100;
    std::vector<std::string> seen;
    std::vector<InboxCursor> starts;
    std::optional<InboxCursor> cursor;
    int pages = 0;
    while (true) {
        auto page = inbox_page(s.db, {}, now, 5, cursor, PageDirection::Older);
        REQUIRE(page.ok());
        ++pages;
        CHECK(page->newer.has_value() == (pages > 1));
        for (size_t i = 1; i < page->rows.size(); ++i) {
            auto const& p = page->rows[i - 1];
            auto const& r = page->rows[i];
            CHECK(
                (p.received_at > r.received_at || (p.received_at == r.received_at && p.id > r.id)));
        }
        for (auto const& r : page->rows)
            seen.push_back(r.id);
        if (!page->older)
            break;
        cursor = page->older;
        starts.push_back(*cursor);
    }
    CHECK(pages == 6); // 27 rows by 5
    CHECK(seen.size() == 27);
    CHECK(std::set<std::string>(seen.begin(), seen.end()) == all);
    // Back from the last page towards the newest: the same pages in reverse.
    auto last = inbox_page(s.db, {}, now, 5, starts.back(), PageDirection::Older);
    REQUIRE(last.ok());
    REQUIRE(last->newer);
    auto before = inbox_page(s.db, {}, now, 5, last->newer, PageDirection::Newer);
    REQUIRE(before.ok());
    REQUIRE(before->rows.size() == 5);
    CHECK(before->rows.front().id == seen[20]);
    CHECK(before->rows.back().id == seen[24]);
    CHECK(before->older.has_value());
    CHECK(before->newer.has_value());
    // A page size out of range is an error, not a silent clamp.
    CHECK_FALSE(inbox_page(s.db, {}, now, 0).ok());
    CHECK_FALSE(inbox_page(s.db, {}, now, 1001).ok());
}

TEST_CASE("inbox: overdue means no first reply by the due time, with counts on top", "[inbox]") {
    Store s;
    // Friday 27 Nov 2026 10.00: due when Thursday 3 Dec starts (Mon, Tue, Wed).
    int64_t friday = local_day_start(Date {2026, 11, 27}, wib) + 10 * 3600;
    std::string late = s.add(Visitor {}, friday);
    std::string answered = s.add(Visitor {}, friday + 1);
    std::string fresh = s.add(Visitor {}, monday);
    REQUIRE(s.db.exec("UPDATE tickets SET first_reply_at = 1 WHERE id = '" + answered + "'").ok());
    auto row = inbox_page(s.db, {}, monday, 10);
    REQUIRE(row.ok());
    CHECK(row->rows.back().due_at == local_day_start(Date {2026, 12, 3}, wib));
    int64_t thursday = local_day_start(Date {2026, 12, 3}, wib);
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.overdue = OverdueFilter::Only; }), thursday - 1)
              .empty());
    CHECK(s.ids(make_filter([&](InboxFilter& f) { f.overdue = OverdueFilter::Only; }), thursday)
        == std::vector<std::string> {late});
    auto counts = inbox_counts(s.db, thursday);
    REQUIRE(counts.ok());
    CHECK(counts->fresh == 3);
    CHECK(counts->overdue == 1);
    REQUIRE(set_status(s.db, fresh, TicketStatus::Done, cli_actor(), "", thursday).ok());
    counts = inbox_counts(s.db, thursday);
    REQUIRE(counts.ok());
    CHECK(counts->fresh == 2);
}

TEST_CASE(
    "inbox: a changed holiday list recomputes the due times of unanswered requests", "[inbox]") {
    Store s;
    std::string open = s.add(Visitor {}, monday); // due Friday 4 Dec 00.00
    std::string answered = s.add(Visitor {}, monday + 1);
    REQUIRE(refresh_due_times(s.db, s.sla).ok());
    REQUIRE(s.db.exec("UPDATE tickets SET first_reply_at = 1 WHERE id = '" + answered + "'").ok());
    auto due_of = [&](std::string const& id) {
        auto page = inbox_page(s.db, {}, monday, 10);
        REQUIRE(page.ok());
        for (auto const& r : page->rows)
            if (r.id == id)
                return r.due_at;
        FAIL("no row " + id);
        return int64_t {0};
    };
    CHECK(due_of(open) == local_day_start(Date {2026, 12, 4}, wib));
    auto same = refresh_due_times(s.db, s.sla);
    REQUIRE(same.ok());
    CHECK(*same == 0);
    s.sla.holidays = {Date {2026, 12, 1}};
    auto changed = refresh_due_times(s.db, s.sla);
    REQUIRE(changed.ok());
    CHECK(*changed == 1);
    CHECK(due_of(open) == local_day_start(Date {2026, 12, 5}, wib));
    CHECK(due_of(answered) == local_day_start(Date {2026, 12, 4}, wib)); // kept as it was
}

TEST_CASE("inbox: a database of version 3 gets due times and its old requests are searchable",
    "[inbox]") {
    ksd::test::sqlite_only("SQLite's schema version 5");
    TempDir dir;
    std::string path = dir / "old.db";
    {
        // A database as version 5 left it (made by the first five steps, so later steps need
        // not be undone), with one request stored as the server then stored it.
        auto db = Db::open(path, OpenMode::ReadWriteCreate);
        REQUIRE(db.ok());
        REQUIRE(migrate(*db, store_migrations().first(5)).ok());
        auto t = ticket(visitor_asking("Pengelolaan irigasi Samosir"), 1);
        REQUIRE(
            db->exec("INSERT INTO kiosks(id, token_hash, created_at) VALUES ('kiosk-1', x'00', 1)")
                .ok());
        auto st = db->prepare(
            "INSERT INTO tickets(id, code, kiosk_id, created_at, clock_trusted, sequence, "
            "category, "
            "topic, sector, name, phone, email, organisation, question, lang, consent_version, "
            "content_hash, received_at, status, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, "
            "?, ?, ?, ?, ?, ?, 'h', ?, 'Baru', ?)");
        REQUIRE(st.ok());
        st->bind_all(t["id"].get<std::string>(), t["code"].get<std::string>(),
            t["kiosk_id"].get<std::string>(), t["created_at"].get<int64_t>(),
            t["sequence"].get<int64_t>(), t["category"].get<std::string>(),
            t["topic"].get<std::string>(), t["sector"].get<std::string>(),
            t["name"].get<std::string>(), t["phone"].get<std::string>(),
            t["email"].get<std::string>(), t["organisation"].get<std::string>(),
            t["question"].get<std::string>(), t["lang"].get<std::string>(),
            t["consent_version"].get<std::string>(), monday, monday);
        REQUIRE(st->run().ok());
    }
    auto db = open_store(path);
    REQUIRE(db.ok());
    auto found
        = inbox_page(*db, make_filter([&](InboxFilter& f) { f.words = "samosir"; }), monday, 10);
    REQUIRE(found.ok());
    REQUIRE(found->rows.size() == 1);
    CHECK(found->rows[0].due_at == 0);
    auto n = refresh_due_times(*db, SlaRules {});
    REQUIRE(n.ok());
    CHECK(*n == 1);
    found = inbox_page(*db, make_filter([&](InboxFilter& f) { f.words = "samosir"; }), monday, 10);
    REQUIRE(found.ok());
    CHECK(found->rows[0].due_at == local_day_start(Date {2026, 12, 4}, wib));
}

TEST_CASE(
    "inbox: every filter reads an index in the list's order (no sort, no full scan)", "[inbox]") {
    ksd::test::sqlite_only("SQLite's query plans");
    Store s;
    s.add(Visitor {}, monday);
    std::vector<std::pair<std::string, InboxFilter>> const filters {{"none", {}},
        {"status", make_filter([&](InboxFilter& f) { f.status = "Baru"; })},
        {"kiosk", make_filter([&](InboxFilter& f) { f.kiosk_id = "kiosk-1"; })},
        {"topic", make_filter([&](InboxFilter& f) { f.topic = "rencana"; })},
        {"category", make_filter([&](InboxFilter& f) { f.category = "masyarakat"; })},
        {"sector", make_filter([&](InboxFilter& f) { f.sector = "pendidikan"; })},
        {"dates", make_filter([&](InboxFilter& f) {
             f.received_from = monday - 86400;
             f.received_before = monday;
         })},
        {"status and dates", make_filter([&](InboxFilter& f) {
             f.status = "Baru";
             f.received_from = monday - 86400;
         })},
        {"overdue", make_filter([&](InboxFilter& f) { f.overdue = OverdueFilter::Only; })},
        {"assigned", make_filter([&](InboxFilter& f) { f.assigned_to = 3; })}};
    for (auto const& [name, f] : filters)
        for (bool cursor : {false, true}) {
            auto plan = inbox_plan(s.db, f, monday, cursor);
            REQUIRE(plan.ok());
            INFO(name << (cursor ? " with a cursor" : "") << ": " << *plan);
            CHECK(plan->find("USE TEMP B-TREE") == std::string::npos);
            CHECK(plan->find("USING") != std::string::npos);
            CHECK(plan->find("SCAN tickets\n") == std::string::npos);
        }
    // Words with another filter: that filter's index drives, the matches are tested.
    for (bool cursor : {false, true}) {
        auto mixed = inbox_plan(s.db, make_filter([](InboxFilter& f) {
            f.kiosk_id = "kiosk-1";
            f.words = "pelabuhan";
        }),
            monday, cursor);
        REQUIRE(mixed.ok());
        INFO(*mixed);
        CHECK(mixed->find("USING INDEX inbox_kiosk") != std::string::npos);
        CHECK(mixed->find("USE TEMP B-TREE") == std::string::npos);
    }
    // Words: the full-text index gives the candidates.
    auto plan = inbox_plan(
        s.db, make_filter([&](InboxFilter& f) { f.words = "pelabuhan"; }), monday, false);
    REQUIRE(plan.ok());
    INFO(*plan);
    CHECK(plan->find("VIRTUAL TABLE INDEX") != std::string::npos);
}

TEST_CASE("inbox: the benchmark's generator fills a searchable database and keeps the trigger",
    "[inbox]") {
    ksd::test::sqlite_only("the FTS5 trigger");
    Store s;
    GenerateSpec spec;
    spec.requests = 3000;
    spec.kiosks = 7;
    spec.days = 30;
    spec.now = monday;
    REQUIRE(generate_requests(s.db, spec, s.sla).ok());
    auto all = inbox_page(s.db, {}, monday, 1000);
    REQUIRE(all.ok());
    CHECK(all->rows.size() == 1000);
    CHECK(all->older.has_value());
    std::set<std::string> kiosks;
    int64_t rows = 0;
    REQUIRE(for_each_inbox_row(s.db, {}, monday, [&](InboxRow const& r) {
        kiosks.insert(r.kiosk_id);
        ++rows;
        return true;
    }).ok());
    CHECK(rows == 3000);
    CHECK(kiosks.size() == 7);
    // Generated text is in the search index, and so is a request stored afterwards (the
    // insert trigger is back).
    auto found
        = inbox_page(s.db, make_filter([](InboxFilter& f) { f.words = "samosir"; }), monday, 1000);
    REQUIRE(found.ok());
    CHECK_FALSE(found->rows.empty());
    for (auto const& r : found->rows)
        CHECK(r.question.find("Samosir") != std::string::npos);
    std::string later = s.add(visitor_asking("Sengketa batas wilayah Zabargad"), monday + 1);
    CHECK(s.ids(make_filter([](InboxFilter& f) { f.words = "zabargad"; }), monday + 2)
        == std::vector<std::string> {later});
    auto counts = inbox_counts(s.db, monday);
    REQUIRE(counts.ok());
    CHECK(counts->overdue > 0);
}

TEST_CASE(
    "inbox: the counts on top read a small index on either engine, not the table", "[inbox]") {
    // Enough requests that PostgreSQL's planner prefers an index to reading the table; the
    // generator analyses (and on PostgreSQL vacuums) what it wrote.
    Store s;
    GenerateSpec spec;
    spec.requests = 20000;
    spec.kiosks = 5;
    spec.now = monday;
    REQUIRE(generate_requests(s.db, spec, s.sla).ok());
    auto plan = inbox_counts_plan(s.db, monday);
    REQUIRE(plan.ok());
    INFO(*plan);
    if (ksd::test::test_on_postgres()) {
        CHECK(plan->find("Index Only Scan using counts_fresh") != std::string::npos);
        CHECK(plan->find("Index Only Scan using counts_unanswered_due") != std::string::npos);
        CHECK(plan->find("Seq Scan") == std::string::npos);
    } else {
        CHECK(plan->find("COVERING INDEX inbox_status") != std::string::npos);
        CHECK(plan->find("INDEX inbox_unanswered") != std::string::npos);
        CHECK(plan->find("SCAN tickets\n") == std::string::npos);
    }
    // The counts agree with counting every row.
    auto counts = inbox_counts(s.db, monday);
    REQUIRE(counts.ok());
    auto all = s.db.prepare("SELECT sum(CASE WHEN status = 'Baru' THEN 1 ELSE 0 END), "
                            "sum(CASE WHEN first_reply_at = 0 AND due_at BETWEEN 1 AND ?1 "
                            "THEN 1 ELSE 0 END) FROM tickets");
    REQUIRE(all.ok());
    all->bind(1, monday);
    REQUIRE(all->step().value());
    CHECK(counts->fresh == all->column_int64(0));
    CHECK(counts->overdue == all->column_int64(1));
    CHECK(counts->fresh > 0);
    CHECK(counts->overdue > 0);
}

TEST_CASE("inbox: the real server gives an upload its due time from the config, recomputes it "
          "when the holidays change, and refuses a bad holiday by name",
    "[inbox]") {
    TempDir dir;
    std::string db_path = ksd::test::server_db(dir);
    std::string config = dir / "server.toml";
    auto token = ksd::test::capture(
        std::string(KSD_SERVER_BIN) + " --db '" + db_path + "' kiosk add kiosk-1 2>/dev/null");
    REQUIRE(token.status == 0);
    std::string bearer = token.text.substr(0, token.text.find('\n'));
    ksd::test::spit(config, "sla_days = 2\ntime_zone = \"WITA\"\n");
    int64_t received = 0;
    {
        ksd::test::ServerProcess server(db_path, dir / "server.log", config);
        httplib::Client c("127.0.0.1", server.port());
        c.set_bearer_token_auth(bearer.c_str());
        nlohmann::json body {{"tickets", {ticket(Visitor {}, 1)}}};
        auto r = c.Post("/api/v1/tickets", body.dump(), "application/json");
        REQUIRE(r);
        REQUIRE(r->status == 200);
        received = nlohmann::json::parse(r->body)["results"][0]["received_at"].get<int64_t>();
    }
    SlaRules rules {2, 480, {}};
    auto due = [&] {
        auto db = open_store(db_path);
        REQUIRE(db.ok());
        auto page = inbox_page(*db, {}, received, 10);
        REQUIRE(page.ok());
        REQUIRE(page->rows.size() == 1);
        return page->rows[0].due_at;
    };
    CHECK(due() == sla_due_at(received, rules));
    // The next two working days become holidays: the due time moves by two working days.
    for (int64_t d = local_date(received, 480).days() + 1; rules.holidays.size() < 2; ++d)
        if (is_working_day(Date::from_days(d), rules))
            rules.holidays.push_back(Date::from_days(d));
    REQUIRE(sla_due_at(received, rules) > sla_due_at(received, SlaRules {2, 480, {}}));
    ksd::test::spit(config,
        "sla_days = 2\ntime_zone = \"WITA\"\nholidays = \"" + rules.holidays[0].iso() + ", "
            + rules.holidays[1].iso() + "\"\n");
    {
        ksd::test::ServerProcess server(db_path, dir / "server.log", config);
        CHECK(server.log().find("due times of 1 requests") != std::string::npos);
    }
    CHECK(due() == sla_due_at(received, rules));
    ksd::test::spit(config, "holidays = \"2026-12-25, 2026-13-01\"\n");
    auto bad = ksd::test::capture(std::string(KSD_SERVER_BIN) + " --config '" + config + "' --db '"
        + db_path + "' serve --listen 127.0.0.1:0 2>&1");
    CHECK(bad.status == 1);
    CHECK(bad.text.find("2026-13-01") != std::string::npos);
}
