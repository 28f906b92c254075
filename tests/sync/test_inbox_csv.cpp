// The inbox's CSV export (sync/server/inbox_csv.h): BOM, separator, CRLF, formula-safe cells,
// masked contacts, words instead of codes, and writing in pieces.
#include "inbox_csv.h"
#include "store.h"
#include "test_db.h"
#include "test_support.h"

#include "ksd/csv.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using namespace ksd;
using namespace ksd::server;
using ksd::test::TempDir;

namespace {

int64_t const monday = local_day_start(Date {2026, 11, 30}, 420) + 9 * 3600 + 15 * 60;

nlohmann::json hostile_ticket(int64_t sequence) {
    return {{"id", generate_uuid_v4()}, {"code", generate_ticket_code()}, {"kiosk_id", "kiosk-1"},
        {"created_at", monday}, {"clock_trusted", true}, {"sequence", sequence},
        {"category", "pihak-ketiga"}, {"topic", "draf"}, {"sector", ""},
        {"name", "=HYPERLINK(\"http://x\";\"klik\")"}, {"phone", "+6281234567890"},
        {"email", "budi@example.com"}, {"organisation", "PT Satu; Dua"},
        {"question", "<script>alert(1)</script>\n-2+3; \"kutip\"\r\n@SUM(A1)"}, {"lang", "id"},
        {"consent_version", "privasi-2026-11"}};
}

} // namespace

TEST_CASE("inbox csv: BOM, chosen separator, CRLF, formula-safe and masked cells", "[inbox]") {
    TempDir dir;
    auto db = open_store(ksd::test::server_db(dir));
    REQUIRE(db.ok());
    REQUIRE(ingest(*db, {hostile_ticket(1)}, monday, SlaRules {}).ok());
    for (auto sep : {CsvSeparator::Semicolon, CsvSeparator::Comma})
        for (auto view : {ContactView::Masked, ContactView::Full}) {
            std::string out;
            InboxCsvOptions o {sep, view, Lang::Id, 420};
            auto n = write_inbox_csv(*db, {}, monday + 60, o, [&](std::string_view s) {
                out += s;
                return true;
            });
            REQUIRE(n.ok());
            CHECK(*n == 1);
            INFO(out);
            CHECK(out.rfind("\xEF\xBB\xBF"
                            "Diterima",
                      0)
                == 0);
            char c = sep == CsvSeparator::Semicolon ? ';' : ',';
            // Read back with our own RFC 4180 reader: two records, every cell as written.
            auto table = csv::parse(out, c);
            CHECK(table.problems.empty());
            REQUIRE(table.records.size() == 2);
            auto const& head = table.records[0].fields;
            auto const& row = table.records[1].fields;
            REQUIRE(row.size() == head.size());
            CHECK(row[0] == "2026-11-30 09:15"); // WIB, not UTC
            CHECK(row[5] == "Pihak ketiga (badan usaha, perguruan tinggi, organisasi masyarakat)");
            CHECK(row[6] == "Draf dokumen (KB, PKS, NK)");
            CHECK(row[8] == "'=HYPERLINK(\"http://x\";\"klik\")");
            CHECK(row[9] == "PT Satu; Dua");
            CHECK(row[12] == "<script>alert(1)</script>\n-2+3; \"kutip\"\r\n@SUM(A1)");
            if (view == ContactView::Masked) {
                CHECK(row[10] == "'+6281*****7890"); // masked, and still formula-safe
                CHECK(row[11] == "b***@example.com");
                CHECK(out.find("81234567890") == std::string::npos);
                CHECK(out.find("budi@") == std::string::npos);
            } else {
                CHECK(row[10] == "+6281234567890");
                CHECK(row[11] == "budi@example.com");
            }
            // Every line ends in CRLF (a line break inside a quoted cell is the visitor's).
            CHECK(out.substr(out.size() - 2) == "\r\n");
            CHECK(out.find("Diterima" + std::string(1, c) + "Kode" + std::string(1, c))
                != std::string::npos);
        }
}

TEST_CASE("inbox csv: rows are written in pieces, and a sink can stop the export", "[inbox]") {
    TempDir dir;
    auto db = open_store(ksd::test::server_db(dir));
    REQUIRE(db.ok());
    std::vector<nlohmann::json> batch;
    for (int i = 0; i < 1200; ++i)
        batch.push_back(hostile_ticket(i + 1));
    REQUIRE(ingest(*db, batch, monday, SlaRules {}).ok());
    InboxCsvOptions o;
    size_t pieces = 0;
    size_t largest = 0;
    size_t bytes = 0;
    auto n = write_inbox_csv(
        *db, {}, monday, o,
        [&](std::string_view s) {
            ++pieces;
            largest = std::max(largest, s.size());
            bytes += s.size();
            return true;
        },
        16 * 1024);
    REQUIRE(n.ok());
    CHECK(*n == 1200);
    CHECK(pieces > 10);
    CHECK(largest < 16 * 1024 + 1024); // a piece is one row past the chunk size at most
    pieces = 0;
    auto stopped = write_inbox_csv(
        *db, {}, monday, o,
        [&](std::string_view) {
            ++pieces;
            return false;
        },
        16 * 1024);
    REQUIRE(stopped.ok());
    CHECK(pieces == 1);
    CHECK(*stopped < 1200);
    CHECK_FALSE(parse_csv_separator("tab").has_value());
    CHECK(parse_csv_separator("") == CsvSeparator::Semicolon);
    CHECK(parse_csv_separator("comma") == CsvSeparator::Comma);
}
