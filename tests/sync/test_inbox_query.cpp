// The inbox's query string (sync/server/inbox_query.h): filters read from parameters, bad parts
// named and left out, cursors, links that keep the filter, snippets.
#include "inbox_query.h"
#include "store.h"

#include <catch2/catch.hpp>

#include <map>

using namespace ksd;
using namespace ksd::server;

namespace {

InboxQuery parse(std::map<std::string, std::string> const& params) {
    return parse_inbox_query(
        [&](std::string const& k) {
            auto it = params.find(k);
            return it == params.end() ? std::string() : it->second;
        },
        42, 420, {"Baru", "Selesai"});
}

} // namespace

TEST_CASE("inbox query: every filter parameter is read", "[inbox]") {
    auto q = parse({{"status", "Baru"}, {"kiosk", "kiosk-7"}, {"topic", "draf"},
        {"category", "masyarakat"}, {"sector", "pariwisata"}, {"from", "2026-11-01"},
        {"to", "2026-11-30"}, {"overdue", "1"}, {"mine", "1"}, {"q", "pelabuhan <b>"}});
    CHECK(q.problems.empty());
    CHECK(q.filter.status == "Baru");
    CHECK(q.filter.kiosk_id == "kiosk-7");
    CHECK(q.filter.topic == "draf");
    CHECK(q.filter.category == "masyarakat");
    CHECK(q.filter.sector == "pariwisata");
    // Local (WIB) days, "to" inclusive: 1 Nov 00.00 WIB up to 1 Dec 00.00 WIB.
    CHECK(q.filter.received_from == Date {2026, 11, 1}.days() * 86400 - 7 * 3600);
    CHECK(q.filter.received_before == Date {2026, 12, 1}.days() * 86400 - 7 * 3600);
    CHECK(q.filter.overdue == OverdueFilter::Only);
    CHECK(q.filter.assigned_to == 42);
    CHECK(q.filter.words == "pelabuhan <b>");
    CHECK(query_string(q.kept)
        == "status=Baru&kiosk=kiosk-7&topic=draf&category=masyarakat&sector=pariwisata&from=2026-"
           "11-01&to=2026-11-30&overdue=1&mine=1&q=pelabuhan%20%3Cb%3E");
    CHECK_FALSE(q.cursor.has_value());
}

TEST_CASE("inbox query: a bad part is named and left out, the rest applies", "[inbox]") {
    auto q = parse({{"status", "Hilang"}, {"from", "30/11/2026"}, {"to", "2026-02-30"},
        {"kiosk", "kiosk-1"}, {"older", "12_not-a-uuid"}});
    CHECK(q.problems
        == std::vector<InboxProblem> {InboxProblem::BadStatus, InboxProblem::BadFrom,
            InboxProblem::BadTo, InboxProblem::BadCursor});
    CHECK(q.filter.status.empty());
    CHECK_FALSE(q.filter.received_from.has_value());
    CHECK_FALSE(q.filter.received_before.has_value());
    CHECK(q.filter.kiosk_id == "kiosk-1");
    CHECK_FALSE(q.cursor.has_value());
    CHECK(query_string(q.kept) == "kiosk=kiosk-1");
    auto longer = parse({{"kiosk", std::string(300, 'k')}, {"q", "a\xff"}});
    CHECK(longer.problems.size() == 2);
    CHECK(longer.filter.kiosk_id.empty());
    CHECK(longer.filter.words.empty());
}

TEST_CASE("inbox query: cursors go both ways and refuse anything else", "[inbox]") {
    InboxCursor c {1764470400, "0b5e3f0c-9d7e-4c1a-8a52-2f1f0e9d6c11"};
    CHECK(encode_cursor(c) == "1764470400_0b5e3f0c-9d7e-4c1a-8a52-2f1f0e9d6c11");
    auto back = decode_cursor(encode_cursor(c));
    REQUIRE(back);
    CHECK(back->received_at == c.received_at);
    CHECK(back->id == c.id);
    for (std::string bad : {"", "_", "1764470400", "x_0b5e3f0c-9d7e-4c1a-8a52-2f1f0e9d6c11",
             "-5_0b5e3f0c-9d7e-4c1a-8a52-2f1f0e9d6c11", "1_0B5E3F0C-9D7E-4C1A-8A52-2F1F0E9D6C11",
             "99999999999999999999999_0b5e3f0c-9d7e-4c1a-8a52-2f1f0e9d6c11"}) {
        INFO(bad);
        CHECK_FALSE(decode_cursor(bad).has_value());
    }
    auto q = parse({{"newer", encode_cursor(c)}});
    CHECK(q.direction == PageDirection::Newer);
    REQUIRE(q.cursor);
    CHECK(q.cursor->id == c.id);
}

TEST_CASE("inbox query: snippets cut whole characters, badges by status", "[inbox]") {
    CHECK(question_snippet("Apa kabar?\nBaik.", 140) == "Apa kabar? Baik.");
    CHECK(question_snippet("Kerja sama daerah", 5) == "Kerja…");
    // "é" is two bytes: never cut in half.
    CHECK(question_snippet("ééé", 2) == "éé…");
    CHECK(question_snippet("\xff\xfe", 10) == "?");
    CHECK(status_badge("Baru") == "badge-new");
    CHECK(status_badge("Selesai") == "badge-done");
    CHECK(status_badge("Bukan kewenangan") == "badge-other");
    CHECK(percent_encode("a b&c=d/é") == "a%20b%26c%3Dd%2F%C3%A9");
}
