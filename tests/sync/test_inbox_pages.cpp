// The inbox pages against the real ksd-server: requests uploaded by a kiosk over the sync API,
// read by staff over HTTP with a real session: filters, counts and the tab title, the polled
// fragments, the pager, a hostile question inert, and the CSV export (BOM, separator, CRLF,
// formula-safe cells, masked contacts for a viewer, audited).
#include "server_ready.h"
#include "staff_client.h"
#include "test_support.h"

#include "ksd/csv.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <regex>

using namespace ksd;
using namespace ksd::test;

namespace {

constexpr char const* responder_pw = "Teluk-Kiambang-7";
constexpr char const* viewer_pw = "Sungai-Batang-42";
std::string const hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>";

struct Upload {
    std::string kiosk {"kiosk-1"};
    std::string topic {"rencana"};
    std::string name {"Siti Rahayu"};
    std::string question {"Bagaimana alur kerja sama pengelolaan pelabuhan?"};
    std::string phone {"081234567890"};
};

nlohmann::json ticket_json(Upload const& t, int64_t sequence) {
    return {{"id", generate_uuid_v4()}, {"code", generate_ticket_code()}, {"kiosk_id", t.kiosk},
        {"created_at", 1796004900}, {"clock_trusted", true}, {"sequence", sequence},
        {"category", "masyarakat"}, {"topic", t.topic}, {"sector", "pariwisata"}, {"name", t.name},
        {"phone", t.phone}, {"email", "budi@example.com"}, {"organisation", ""},
        {"question", t.question}, {"lang", "id"}, {"consent_version", "privasi-2026-11"}};
}

struct Inbox {
    TempDir dir;
    std::string db = ksd::test::server_db(dir);
    std::map<std::string, std::string> tokens;
    std::map<std::string, int64_t> sequences;
    std::unique_ptr<ServerProcess> server;
    Inbox() {
        REQUIRE(add_staff_user(db, "ana", "responder", responder_pw) == 0);
        REQUIRE(add_staff_user(db, "budi", "viewer", viewer_pw) == 0);
        for (std::string k : {"kiosk-1", "kiosk-2"}) {
            auto out = capture(
                std::string(KSD_SERVER_BIN) + " --db '" + db + "' kiosk add " + k + " 2>/dev/null");
            REQUIRE(out.status == 0);
            tokens[k] = out.text.substr(0, out.text.find('\n'));
        }
        server = std::make_unique<ServerProcess>(db, dir / "server.log");
    }
    // Uploads tickets as their kiosk does (POST /api/v1/tickets).
    void upload(std::vector<Upload> const& list) {
        std::map<std::string, nlohmann::json> by_kiosk;
        for (auto const& t : list)
            by_kiosk[t.kiosk].push_back(ticket_json(t, ++sequences[t.kiosk]));
        for (auto const& [kiosk, tickets] : by_kiosk) {
            httplib::Client c("127.0.0.1", server->port());
            c.set_bearer_token_auth(tokens[kiosk].c_str());
            auto r = c.Post("/api/v1/tickets", nlohmann::json {{"tickets", tickets}}.dump(),
                "application/json");
            REQUIRE(r);
            REQUIRE(r->status == 200);
        }
    }
    StaffClient login(std::string const& user) {
        StaffClient c(server->port());
        REQUIRE(c.login(user, user == "ana" ? responder_pw : viewer_pw) == 303);
        return c;
    }
};

std::string unescape(std::string s) {
    for (std::string::size_type at; (at = s.find("&amp;")) != std::string::npos;)
        s.replace(at, 5, "&");
    return s;
}

std::string link(std::string const& body, std::string const& rel) {
    std::smatch m;
    std::regex re("href=\"([^\"]*)\" rel=\"" + rel + "\"");
    return std::regex_search(body, m, re) ? unescape(m[1].str()) : std::string();
}

size_t count(std::string const& body, std::string const& what) {
    size_t n = 0;
    for (auto at = body.find(what); at != std::string::npos; at = body.find(what, at + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("inbox pages: filters, counts in the tab title, words for codes", "[inbox][web]") {
    Inbox in;
    in.upload({Upload {}, Upload {"kiosk-2", "draf", "Budi Santoso", "Draf PKS sampah"},
        Upload {"kiosk-1", "monev", "Yohanes Gultom", "Evaluasi irigasi Samosir"}});
    auto c = in.login("ana");
    auto page = c.get("/staff/requests");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<title>(3) Permohonan · Anjungan KSD</title>") != std::string::npos);
    CHECK(page.body.find("Rencana kerja sama") != std::string::npos); // the topic in words
    CHECK(page.body.find("Masyarakat umum") != std::string::npos);
    CHECK(page.body.find("Pariwisata") != std::string::npos);
    CHECK(count(page.body, "<tr class=\"inbox-overdue\">") == 0);
    auto by_topic = c.get("/staff/requests?topic=draf");
    CHECK(by_topic.body.find("Budi Santoso") != std::string::npos);
    CHECK(by_topic.body.find("Siti Rahayu") == std::string::npos);
    auto by_kiosk = c.get("/staff/requests?kiosk=kiosk-1");
    CHECK(by_kiosk.body.find("Budi Santoso") == std::string::npos);
    CHECK(by_kiosk.body.find("Yohanes Gultom") != std::string::npos);
    auto by_words = c.get("/staff/requests?q=samosir irigasi"); // httplib sends %20
    CHECK(by_words.body.find("Yohanes Gultom") != std::string::npos);
    CHECK(by_words.body.find("Siti Rahayu") == std::string::npos);
    CHECK(by_words.body.find("value=\"samosir irigasi\"") != std::string::npos); // form kept
    auto none = c.get("/staff/requests?q=zzzzzz");
    CHECK(none.body.find("Tidak ada permohonan yang cocok") != std::string::npos);
    // A bad date is named, the rest of the filter applies.
    auto bad = c.get("/staff/requests?from=31%2F11%2F2026&kiosk=kiosk-2");
    CHECK(bad.status == 200);
    CHECK(bad.body.find("Diterima dari") != std::string::npos);
    CHECK(bad.body.find("role=\"alert\"") != std::string::npos);
    CHECK(bad.body.find("Budi Santoso") != std::string::npos);
    CHECK(bad.body.find("Siti Rahayu") == std::string::npos);
    // Assigned to me: nobody is assigned yet.
    CHECK(c.get("/staff/requests?mine=1").body.find("Siti Rahayu") == std::string::npos);
}

TEST_CASE("inbox pages: the polled fragments carry the count and the title", "[inbox][web]") {
    Inbox in;
    in.upload({Upload {}});
    auto c = in.login("budi");
    auto count_fragment = c.get("/staff/requests/count");
    REQUIRE(count_fragment.status == 200);
    CHECK(count_fragment.body.find("<title>(1) Permohonan · Anjungan KSD</title>")
        != std::string::npos);
    CHECK(count_fragment.body.find("<header") == std::string::npos); // no layout
    CHECK(count_fragment.body.find("hx-trigger=\"every 20s\"") != std::string::npos);
    in.upload({Upload {}, Upload {}});
    auto results
        = c.get("/staff/requests", {{"HX-Request", "true"}, {"HX-Target", "inbox-results"}});
    REQUIRE(results.status == 200);
    CHECK(results.body.rfind("<title>(3) Permohonan", 0) == 0);
    CHECK(results.body.find("<header") == std::string::npos);
    CHECK(count(results.body, "Siti Rahayu") == 3);
}

TEST_CASE("inbox pages: the pager walks every request once, newest first", "[inbox][web]") {
    Inbox in;
    std::vector<Upload> many;
    for (int i = 0; i < 120; ++i)
        many.push_back(Upload {"kiosk-1", "rencana", "Pemohon " + std::to_string(1000 + i),
            "Pertanyaan nomor " + std::to_string(i)});
    in.upload(many);
    auto c = in.login("ana");
    std::set<std::string> seen;
    std::string path = "/staff/requests?topic=rencana";
    int pages = 0;
    std::regex name_re("Pemohon (1[0-9]{3})");
    while (!path.empty() && pages < 10) {
        auto page = c.get(path);
        REQUIRE(page.status == 200);
        ++pages;
        int rows = 0;
        for (std::sregex_iterator it(page.body.begin(), page.body.end(), name_re), end; it != end;
             ++it) {
            CHECK(seen.insert((*it)[1].str()).second);
            ++rows;
        }
        CHECK(rows == (pages < 3 ? 50 : 20));
        CHECK((link(page.body, "prev").empty()) == (pages == 1));
        if (pages > 1) // the filter is kept in the pager's links
            CHECK(link(page.body, "prev").find("topic=rencana") != std::string::npos);
        path = link(page.body, "next");
    }
    CHECK(pages == 3);
    CHECK(seen.size() == 120);
    // A made-up cursor is named and the list starts from the newest.
    auto bad = c.get("/staff/requests?older=12_x");
    CHECK(bad.status == 200);
    CHECK(bad.body.find("role=\"alert\"") != std::string::npos);
}

TEST_CASE("inbox pages: a hostile question is inert in the list and in the CSV", "[inbox][web]") {
    Inbox in;
    in.upload({Upload {"kiosk-1", "rencana", "=HYPERLINK(\"http://x\")", hostile}});
    auto c = in.login("ana");
    auto page = c.get("/staff/requests");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<script>alert") == std::string::npos);
    CHECK(page.body.find("<img src=x") == std::string::npos);
    CHECK(page.body.find("&lt;script&gt;alert(1)&lt;") != std::string::npos); // shown as text
    auto csv = c.get("/staff/requests/export.csv?sep=comma");
    REQUIRE(csv.status == 200);
    auto table = ksd::csv::parse(csv.body, ',');
    REQUIRE(table.records.size() == 2);
    CHECK(table.records[1].fields[8] == "'=HYPERLINK(\"http://x\")");
    CHECK(table.records[1].fields[12] == hostile); // text in a CSV cell, nothing runs
}

TEST_CASE(
    "inbox pages: the CSV export of a filter, its separator, masking and audit", "[inbox][web]") {
    Inbox in;
    in.upload({Upload {}, Upload {"kiosk-2", "draf", "Budi Santoso", "Draf PKS; sampah"}});
    auto ana = in.login("ana");
    auto csv = ana.get("/staff/requests/export.csv?topic=draf&sep=semicolon");
    REQUIRE(csv.status == 200);
    CHECK(csv.header("Content-Type").find("text/csv") == 0);
    CHECK(csv.header("Content-Disposition").find("attachment; filename=\"permohonan-")
        != std::string::npos);
    CHECK(csv.body.rfind("\xEF\xBB\xBF"
                         "Diterima;Kode;Status;",
              0)
        == 0);
    CHECK(csv.body.find("\r\n") != std::string::npos);
    CHECK(csv.body.find("Siti Rahayu") == std::string::npos); // the filter applies
    auto table = ksd::csv::parse(csv.body, ';');
    REQUIRE(table.records.size() == 2);
    CHECK(table.records[1].fields[8] == "Budi Santoso");
    CHECK(table.records[1].fields[12] == "Draf PKS; sampah");
    CHECK(table.records[1].fields[10] == "081234567890"); // a responder sees contacts
    CHECK(table.records[1].fields[6] == "Draf dokumen (KB, PKS, NK)");
    auto budi = in.login("budi");
    auto masked = budi.get("/staff/requests/export.csv?sep=comma");
    REQUIRE(masked.status == 200);
    CHECK(masked.body.find("081234567890") == std::string::npos);
    CHECK(masked.body.find("0812****7890") != std::string::npos);
    CHECK(masked.body.find("b***@example.com") != std::string::npos);
    CHECK(budi.get("/staff/requests/export.csv?sep=tab").status == 400);
    auto audit = db_sql(in.db,
        "SELECT user_name || ' ' || detail FROM audit WHERE action = 'requests_export' "
        "ORDER BY id");
    CHECK(audit.text == "ana topic=draf&sep=semicolon\nbudi sep=comma\n");
}
