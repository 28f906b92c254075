// Issue 10, a request's life on the server: statuses that only move forward, several replies that
// all reach the kiosk through the real ksd-sync, internal notes that never leave the server, the
// history, canned replies, and migration 5 of an old server database.
#include "server_fixtures.h"
#include "server_ready.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "store.h"
#include "store_events.h"

#include "ksd/db.h"
#include "ksd/device_db.h"
#include "ksd/migrate.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>
#include <thread>
#include <tuple>
#include <vector>

using namespace ksd::test;
using nlohmann::json;

namespace {

size_t count_in(std::string const& text, std::string const& needle) {
    size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

struct DeviceReply {
    int64_t id {0};
    std::string text;
};

std::vector<DeviceReply> device_replies(std::string const& device_db, std::string const& id) {
    auto db = ksd::open_device_db(device_db);
    REQUIRE(db.ok());
    auto st = db->prepare("SELECT reply_id, text FROM ticket_replies WHERE ticket_id = ?1 "
                          "ORDER BY reply_id");
    REQUIRE(st.ok());
    st->bind(1, id);
    std::vector<DeviceReply> out;
    while (true) {
        auto row = st->step();
        REQUIRE(row.ok());
        if (!*row)
            break;
        out.push_back({st->column_int64(0), st->column_text(1)});
    }
    return out;
}

// GET /api/v1/updates?since=0 as a kiosk: the whole answer.
json updates_body(int port, std::string const& token, std::string* raw = nullptr) {
    httplib::Client c("127.0.0.1", port);
    c.set_bearer_token_auth(token.c_str());
    auto r = c.Get("/api/v1/updates?since=0");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    if (raw)
        *raw = r->body;
    return json::parse(r->body);
}

// The last update of a ticket in an updates answer (what a kiosk ends up with).
json last_update_of(json const& body, std::string const& id) {
    json last;
    for (auto const& u : body["updates"])
        if (u["ticket_id"] == id)
            last = u;
    REQUIRE(last.is_object());
    return last;
}

} // namespace

TEST_CASE("two replies and a status reach the device database, an internal note does not") {
    SyncKiosk k;
    k.make_tickets(2);
    ServerProcess server(k.server_db, k.dir / "server.log");
    REQUIRE(k.sync(server.url()).status == 0);
    auto const& t = k.tickets[0];
    std::string const note = "Catatan internal: pemohon kerabat Kabag";
    auto first = k.server_cli("tickets reply " + t.code + " 'Berkas Anda kami terima.'");
    INFO(first.text);
    REQUIRE(first.status == 0);
    REQUIRE(k.server_cli("tickets note " + t.code + " " + shq(note)).status == 0);
    REQUIRE(k.server_cli("tickets reply " + t.code + " 'Silakan datang hari Senin.'").status == 0);
    auto done = k.server_cli("tickets status " + t.code + " Selesai");
    INFO(done.text);
    REQUIRE(done.status == 0);

    std::string raw;
    auto body = updates_body(server.port(), k.token, &raw);
    CHECK(raw.find("Catatan internal") == std::string::npos);
    auto u = last_update_of(body, t.id);
    CHECK(u["status"] == "Selesai");
    REQUIRE(u["replies"].size() == 2);
    CHECK(u["replies"][0]["text"] == "Berkas Anda kami terima.");
    CHECK(u["replies"][1]["text"] == "Silakan datang hari Senin.");
    CHECK(u["replies"][0]["role"] == "responder");
    CHECK(u["replies"][0]["id"].get<int64_t>() < u["replies"][1]["id"].get<int64_t>());

    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    auto d = k.device_ticket(t.id);
    CHECK(d.server_status == "Selesai");
    CHECK(d.staff_reply == "Silakan datang hari Senin.");
    auto replies = device_replies(k.device_db, t.id);
    REQUIRE(replies.size() == 2);
    CHECK(replies[0].text == "Berkas Anda kami terima.");
    CHECK(replies[1].text == "Silakan datang hari Senin.");
    // The note is nowhere in the device database's files (the WAL included).
    CHECK(slurp(k.device_db).find("Catatan internal") == std::string::npos);
    CHECK(slurp(k.device_db + "-wal").find("Catatan internal") == std::string::npos);
    // The other ticket got nothing.
    CHECK(device_replies(k.device_db, k.tickets[1].id).empty());
    CHECK(k.device_ticket(k.tickets[1].id).server_status == "Baru");

    // Delivered again from cursor 0 (as after a restore): the same two rows, no more.
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(ksd::set_state(*db, "sync.updates_cursor", "0").ok());
    }
    auto again = k.sync(server.url());
    INFO(again.text);
    CHECK(again.status == 0);
    CHECK(device_replies(k.device_db, t.id).size() == 2);
}

TEST_CASE("a protocol-1 kiosk that reads only staff_reply sees the latest reply") {
    SyncKiosk k;
    k.make_tickets(1);
    ServerProcess server(k.server_db, k.dir / "server.log");
    REQUIRE(k.sync(server.url()).status == 0);
    auto const& t = k.tickets[0];
    REQUIRE(k.server_cli("tickets reply " + t.id + " 'Pertama.'").status == 0);
    REQUIRE(k.server_cli("tickets reply " + t.id + " 'Kedua, yang terbaru.'").status == 0);
    auto body = updates_body(server.port(), k.token);
    // A v1 consumer applies every update in order, keeping status and staff_reply.
    std::string status, reply;
    for (auto const& u : body["updates"])
        if (u["ticket_id"] == t.id) {
            status = u["status"].get<std::string>();
            reply = u["staff_reply"].get<std::string>();
        }
    CHECK(reply == "Kedua, yang terbaru.");
    // The first reply moved the new request on to "Diproses".
    CHECK(status == "Diproses");
}

TEST_CASE("statuses only move forward and Bukan kewenangan needs where the visitor should go") {
    SyncKiosk k;
    k.make_tickets(2);
    ServerProcess server(k.server_db, k.dir / "server.log");
    REQUIRE(k.sync(server.url()).status == 0);
    auto const& t = k.tickets[0];
    REQUIRE(k.server_cli("tickets status " + t.code + " Diproses").status == 0);
    REQUIRE(k.server_cli("tickets status " + t.code + " 'Menunggu tanggapan pemohon'").status == 0);
    // The visitor answered: back to work is allowed.
    REQUIRE(k.server_cli("tickets status " + t.code + " Diproses").status == 0);
    auto same = k.server_cli("tickets status " + t.code + " Diproses");
    CHECK(same.status != 0);
    CHECK(same.text.find("already 'Diproses'") != std::string::npos);
    auto back = k.server_cli("tickets status " + t.code + " Baru");
    INFO(back.text);
    CHECK(back.status != 0);
    CHECK(back.text.find("cannot move from 'Diproses' back to 'Baru'") != std::string::npos);
    REQUIRE(k.server_cli("tickets status " + t.code + " Selesai").status == 0);
    auto reopen = k.server_cli("tickets status " + t.code + " Diproses");
    INFO(reopen.text);
    CHECK(reopen.status != 0);
    CHECK(reopen.text.find("'Selesai' is final") != std::string::npos);

    auto const& u = k.tickets[1];
    auto bare = k.server_cli("tickets status " + u.code + " 'Bukan kewenangan'");
    CHECK(bare.status != 0);
    CHECK(bare.text.find("where the visitor should go") != std::string::npos);
    auto referred = k.server_cli("tickets status " + u.code
        + " 'Bukan kewenangan' 'Laporkan melalui SP4N-LAPOR! (lapor.go.id)'");
    INFO(referred.text);
    REQUIRE(referred.status == 0);

    // The history holds each accepted change once, with who; the refusals left nothing.
    auto history = k.server_cli("tickets history " + t.code);
    INFO(history.text);
    REQUIRE(history.status == 0);
    CHECK(count_in(history.text, "status ") == 4);
    CHECK(history.text.find("cli") != std::string::npos);
    // The kiosk gets the referral next to the status.
    auto body = updates_body(server.port(), k.token);
    auto last = last_update_of(body, u.id);
    CHECK(last["status"] == "Bukan kewenangan");
    CHECK(last["referral"] == "Laporkan melalui SP4N-LAPOR! (lapor.go.id)");
    REQUIRE(k.sync(server.url()).status == 0);
    CHECK(k.device_ticket(u.id).server_status == "Bukan kewenangan");
}

namespace {

using namespace ksd::server;

// A server database holding one ticket of kiosk-1 as ingest stores it; returns its id.
std::string stored_ticket(ksd::server::Conn& db, int64_t now, int n = 1) {
    auto t = ticket_json([&] {
        ksd::Ticket x;
        x.id = ksd::generate_uuid_v4();
        x.code = ksd::generate_ticket_code();
        x.kiosk_id = "kiosk-1";
        x.created_at = now;
        x.clock_trusted = true;
        x.sequence = n;
        x.input = visitor("Pengunjung " + std::to_string(n));
        return x;
    }());
    REQUIRE(validate_ticket(t, "kiosk-1").empty());
    auto r = ingest(db, {t}, now, SlaRules {});
    REQUIRE(r.ok());
    REQUIRE(r->at(0).result == "created");
    return t["id"].get<std::string>();
}

} // namespace

TEST_CASE("migration 5 keeps old replies as history and maps the old states") {
    sqlite_only("SQLite's schema version 3");
    TempDir dir;
    std::string const path = dir / "old.db";
    std::string a = "0f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
                b = "1f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
                c = "2f8e2c1a-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    {
        // A database as the server before issue 10 left it: three tickets, the first answered
        // twice (the second reply overwrote the first) and moved through two old states.
        auto db = ksd::server::open_conn(path);
        REQUIRE(db.ok());
        REQUIRE(ksd::server::migrate(*db, store_migrations().first(3)).ok());
        auto add = db->prepare(
            "INSERT INTO tickets(id, code, kiosk_id, created_at, clock_trusted, sequence, "
            "category, topic, sector, name, phone, email, organisation, question, lang, "
            "consent_version, content_hash, received_at, status, staff_reply, updated_at) VALUES "
            "(?1, ?2, 'kiosk-1', 1, 1, ?3, 'c', 't', '', 'n', '', '', '', 'q', 'id', '1', 'h', "
            "100, ?4, ?5, ?6)");
        REQUIRE(add.ok());
        add->bind_all(a, "7K3QD-9MRT9", 1, "Pembahasan TKKSD", "Kedua.", 400);
        REQUIRE(add->run().ok());
        add->bind_all(b, "8K3QD-9MRT9", 2, "Diterima", "", 100);
        REQUIRE(add->run().ok());
        add->bind_all(c, "9K3QD-9MRT9", 3, "Selesai", "", 100);
        REQUIRE(add->run().ok());
        auto change = db->prepare("INSERT INTO changes(ticket_id, kiosk_id, status, staff_reply, "
                                  "at) VALUES (?1, 'kiosk-1', ?2, ?3, ?4)");
        REQUIRE(change.ok());
        for (auto const& [id, status, reply, at] :
            std::vector<std::tuple<std::string, std::string, std::string, int>> {
                {a, "Diterima", "", 100}, {b, "Diterima", "", 100}, {c, "Diterima", "", 100},
                {a, "Diterima", "Pertama.", 200}, {a, "Pembahasan TKKSD", "Pertama.", 300},
                {a, "Pembahasan TKKSD", "Kedua.", 400}, {c, "Selesai", "", 100}}) {
            change->bind_all(id, status, reply, at);
            REQUIRE(change->run().ok());
        }
    }
    auto db = open_store(path);
    REQUIRE(db.ok());
    auto events = history(*db, a);
    REQUIRE(events.ok());
    REQUIRE(events->size() == 3);
    CHECK((*events)[0].kind == EventKind::Reply);
    CHECK((*events)[0].text == "Pertama.");
    CHECK((*events)[0].at == 200);
    CHECK((*events)[1].kind == EventKind::Status);
    CHECK((*events)[1].from_status == "Diterima");
    CHECK((*events)[1].to_status == "Pembahasan TKKSD");
    CHECK((*events)[2].text == "Kedua.");
    auto ta = find_ticket(*db, a);
    REQUIRE(ta.ok());
    CHECK((*ta)->status == "Diproses");
    CHECK((*ta)->first_reply_at == 200);
    CHECK((*find_ticket(*db, b))->status == "Baru");
    CHECK((*find_ticket(*db, c))->status == "Selesai");
    // The kiosk learns the new words: a change for each ticket whose word changed, carrying all
    // replies; the finished one needs none.
    auto ch = changes_since(*db, "kiosk-1", 7, 100);
    REQUIRE(ch.ok());
    REQUIRE(ch->size() == 2);
    CHECK((*ch)[0].ticket_id == a);
    CHECK((*ch)[0].status == "Diproses");
    CHECK((*ch)[0].staff_reply == "Kedua.");
    auto sent = replies_upto(*db, a, (*ch)[0].reply_upto);
    REQUIRE(sent.ok());
    CHECK(sent->size() == 2);
    CHECK((*ch)[1].ticket_id == b);
    CHECK((*ch)[1].status == "Baru");
    // Older changes keep the replies as they were then, in the new words.
    auto old = changes_since(*db, "kiosk-1", 4, 1);
    REQUIRE(old.ok());
    CHECK((*old)[0].status == "Diproses");
    CHECK(replies_upto(*db, a, (*old)[0].reply_upto)->size() == 1);
}

TEST_CASE("replies, notes and assignment are kept in the history with who and when") {
    TempDir dir;
    auto db = open_store(dir / "s.db");
    REQUIRE(db.ok());
    int64_t const now = 1795439215;
    auto id = stored_ticket(*db, now);
    Actor const ana {7, "ana", "responder"};
    REQUIRE(assign(*db, id, 9, "budi", ana, now + 1).ok());
    CHECK_FALSE(assign(*db, id, 9, "budi", ana, now + 2).ok());
    auto first = add_reply(*db, id, "  Berkas diterima.\r\nTerima kasih.  ", ana, now + 10);
    REQUIRE(first.ok());
    REQUIRE(add_note(*db, id, "Telepon balik besok", ana, now + 20).ok());
    REQUIRE(add_reply(*db, id, "Silakan datang.", ana, now + 30).ok());
    auto t = find_ticket(*db, id);
    REQUIRE(t.ok());
    CHECK((*t)->assigned_to == 9);
    CHECK((*t)->first_reply_at == now + 10);
    CHECK((*t)->staff_reply == "Silakan datang.");
    CHECK((*t)->status == "Diproses");
    auto h = history(*db, id);
    REQUIRE(h.ok());
    REQUIRE(h->size() == 5);
    CHECK((*h)[0].kind == EventKind::Assign);
    CHECK((*h)[0].text == "budi");
    CHECK((*h)[1].kind == EventKind::Reply);
    CHECK((*h)[1].text == "Berkas diterima.\nTerima kasih.");
    CHECK((*h)[1].user_name == "ana");
    CHECK((*h)[1].author_role == "responder");
    CHECK((*h)[2].kind == EventKind::Status);
    CHECK((*h)[2].to_status == "Diproses");
    CHECK((*h)[3].kind == EventKind::Note);
    CHECK((*h)[4].at == now + 30);
    auto r = replies(*db, id);
    REQUIRE(r.ok());
    CHECK(r->size() == 2);
    // Bad input is refused with what is wrong, and nothing is stored.
    auto empty = add_reply(*db, id, " \n ", ana, now + 40);
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().message == "reply: must not be empty");
    auto long_one = add_reply(*db, id, std::string(max_reply_bytes + 1, 'x'), ana, now + 40);
    REQUIRE_FALSE(long_one.ok());
    CHECK(long_one.error().message.find("at most 4000") != std::string::npos);
    CHECK_FALSE(add_reply(*db, id, "bad \xff byte", ana, now + 40).ok());
    CHECK_FALSE(add_note(*db, id, "bell \x07", ana, now + 40).ok());
    CHECK_FALSE(add_reply(*db, "00000000-0000-4000-8000-000000000000", "x", ana, now).ok());
    CHECK(history(*db, id)->size() == 5);
    // Only replies and the status reach the changes feed: the note is not in it.
    CHECK(scalar(*db, "SELECT count(*) FROM changes WHERE staff_reply LIKE '%Telepon%'") == 0);
}

TEST_CASE("canned replies are stored, edited, listed and removed, bad ones refused") {
    TempDir dir;
    auto db = open_store(dir / "s.db");
    REQUIRE(db.ok());
    Actor const eka {3, "eka", "editor"};
    CannedReply c;
    c.title_id = "Rujuk ke SP4N-LAPOR!";
    c.text_id = "Pengaduan layanan publik disampaikan melalui SP4N-LAPOR! (lapor.go.id).";
    c.text_en = "Complaints about public services go to SP4N-LAPOR! (lapor.go.id).";
    auto id = add_canned(*db, c, eka, 100);
    REQUIRE(id.ok());
    CannedReply bad;
    bad.title_id = "Tanpa teks";
    CHECK(validate_canned(bad) == "text_id: must not be empty");
    CHECK_FALSE(add_canned(*db, bad, eka, 100).ok());
    auto found = find_canned(*db, *id);
    REQUIRE(found.ok());
    REQUIRE(found->has_value());
    CHECK((*found)->updated_by == "eka");
    c.id = *id;
    c.title_en = "Refer to SP4N-LAPOR!";
    REQUIRE(update_canned(*db, c, eka, 200).ok());
    auto all = list_canned(*db);
    REQUIRE(all.ok());
    REQUIRE(all->size() == 1);
    CHECK((*all)[0].title_en == "Refer to SP4N-LAPOR!");
    CHECK((*all)[0].updated_at == 200);
    REQUIRE(delete_canned(*db, *id).ok());
    CHECK_FALSE(delete_canned(*db, *id).ok());
    CHECK(list_canned(*db)->empty());
}

TEST_CASE("the status rule: forward only, Menunggu back to Diproses, two final statuses") {
    using S = TicketStatus;
    CHECK(status_move(S::New, S::InProgress) == StatusMove::Allowed);
    CHECK(status_move(S::New, S::Done) == StatusMove::Allowed);
    CHECK(status_move(S::InProgress, S::WaitingForVisitor) == StatusMove::Allowed);
    CHECK(status_move(S::WaitingForVisitor, S::InProgress) == StatusMove::Allowed);
    CHECK(status_move(S::InProgress, S::NotOurs) == StatusMove::Allowed);
    CHECK(status_move(S::InProgress, S::New) == StatusMove::Backward);
    CHECK(status_move(S::Done, S::InProgress) == StatusMove::FromFinal);
    CHECK(status_move(S::NotOurs, S::Done) == StatusMove::FromFinal);
    CHECK(status_move(S::Done, S::Done) == StatusMove::Same);
    CHECK(parse_status("menunggu TANGGAPAN pemohon") == S::WaitingForVisitor);
    CHECK_FALSE(parse_status("Diterima").has_value());
}

TEST_CASE("a request with many long replies reaches the kiosk in pages a kiosk accepts") {
    SyncKiosk k;
    k.make_tickets(1);
    ServerProcess server(k.server_db, k.dir / "server.log");
    REQUIRE(k.sync(server.url()).status == 0);
    auto const& t = k.tickets[0];
    {
        // The most a request holds: each of the 100 changes carries every reply before it
        // (20 MB in one page without the page's byte budget; a kiosk takes at most 8 MiB).
        auto db = open_store(k.server_db);
        REQUIRE(db.ok());
        for (int i = 0; i < max_replies; ++i)
            REQUIRE(add_reply(*db, t.id, std::to_string(i) + std::string(max_reply_bytes - 4, 'x'),
                Actor {1, "ana", "responder"}, now_s())
                        .ok());
        auto refused = add_reply(*db, t.id, "one more", Actor {1, "ana", "responder"}, now_s());
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().message.find("100 replies already") != std::string::npos);
    }
    std::string raw;
    auto first = updates_body(server.port(), k.token, &raw);
    CHECK(raw.size() < (4u << 20));
    CHECK(first["more"] == true);
    auto out = k.sync(server.url());
    INFO(out.text);
    CHECK(out.status == 0);
    auto replies = device_replies(k.device_db, t.id);
    REQUIRE(replies.size() == static_cast<size_t>(max_replies));
    CHECK(replies.back().text.rfind("99", 0) == 0);
}

TEST_CASE("replies the agent cannot read, or an older server without them, keep the stored ones") {
    SyncKiosk k;
    k.make_tickets(1);
    auto const& t = k.tickets[0];
    {
        ServerProcess server(k.server_db, k.dir / "server.log");
        REQUIRE(k.sync(server.url()).status == 0);
        REQUIRE(k.server_cli("tickets reply " + t.id + " 'Pertama.'").status == 0);
        REQUIRE(k.server_cli("tickets reply " + t.id + " 'Kedua.'").status == 0);
        REQUIRE(k.sync(server.url()).status == 0);
        REQUIRE(device_replies(k.device_db, t.id).size() == 2);
    }
    // A fake server (nothing else can send these): first a malformed replies list, then an
    // update as a server before issue 10 sends it, without replies.
    json update {{"seq", 100}, {"ticket_id", t.id}, {"code", t.code}, {"status", "Diproses"},
        {"staff_reply", "Ketiga."}, {"at", 1795440000},
        {"replies", json::array({{{"id", 1.5}, {"at", 1}, {"text", 7}}})}};
    httplib::Server fake;
    fake.Get("/api/v1/updates", [&](httplib::Request const&, httplib::Response& res) {
        res.set_header("KSD-Protocol", "1");
        res.set_content(json {{"protocol", 1}, {"kind", "updates"}, {"cursor", 100},
                            {"more", false}, {"updates", json::array({update})}}
                            .dump(),
            "application/json");
    });
    int port = fake.bind_to_any_port("127.0.0.1");
    REQUIRE(port > 0);
    std::thread serving([&] { fake.listen_after_bind(); });
    auto const url = "http://127.0.0.1:" + std::to_string(port);
    auto out = k.sync(url);
    INFO(out.text);
    CHECK(out.text.find("replies are malformed") != std::string::npos);
    CHECK(k.device_ticket(t.id).staff_reply == "Ketiga.");
    CHECK(device_replies(k.device_db, t.id).size() == 2);
    update.erase("replies");
    update["staff_reply"] = "Keempat.";
    {
        auto db = ksd::open_device_db(k.device_db);
        REQUIRE(db.ok());
        REQUIRE(ksd::set_state(*db, "sync.updates_cursor", "0").ok());
    }
    auto old = k.sync(url);
    INFO(old.text);
    CHECK(k.device_ticket(t.id).staff_reply == "Keempat.");
    CHECK(device_replies(k.device_db, t.id).size() == 2);
    fake.stop();
    serving.join();
}
