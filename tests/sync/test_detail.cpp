// Issue 10, the request detail page against the real ksd-server: a viewer reads (contacts masked)
// and is refused a reply, a hostile question is shown as text, a responder replies twice, notes,
// assigns and finishes, canned replies fill the reply, and the real ksd-sync brings the replies
// (not the note) to the kiosk.
#include "server_ready.h"
#include "staff_client.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "store.h"
#include "store_events.h"
#include "web/format.h"

#include "ksd/device_db.h"
#include "ksd/tickets.h"

#include <catch2/catch.hpp>

#include <string>

using namespace ksd::test;

namespace {

constexpr char const* responder_pw = "Sungai-Batang-42";
constexpr char const* viewer_pw = "Kuala-Enok-2026";
constexpr char const* editor_pw = "Pulau-Burung-99";

std::string const hostile = "Tolong <script>alert('x')</script> dan <img src=x onerror=alert(1)> "
                            "& \"kutip\"";

// A kiosk whose one request has a hostile question, delivered to the server by a real pass,
// the server running, and three staff users.
struct Desk {
    SyncKiosk k;
    ksd::Ticket t;
    std::unique_ptr<ServerProcess> server;
    Desk() {
        {
            auto db = ksd::open_device_db(k.device_db);
            REQUIRE(db.ok());
            auto in = visitor("Siti Aminah");
            in.category = "mitra-luar-negeri";
            in.topic = "alur";
            in.sector = "pendidikan";
            in.email = "siti.aminah@example.com";
            in.question = hostile;
            auto saved = ksd::save_ticket(*db, in, "kiosk-1", ksd::WallClock {now_s(), false});
            REQUIRE(saved.ok());
            t = *saved;
        }
        REQUIRE(add_staff_user(k.server_db, "ana", "responder", responder_pw) == 0);
        REQUIRE(add_staff_user(k.server_db, "budi", "viewer", viewer_pw) == 0);
        REQUIRE(add_staff_user(k.server_db, "eka", "editor", editor_pw) == 0);
        server = std::make_unique<ServerProcess>(k.server_db, k.dir / "server.log");
        auto out = k.sync(server->url());
        INFO(out.text);
        REQUIRE(out.status == 0);
    }
    std::string page() const { return "/staff/requests/" + t.id; }
    StaffClient login(char const* user, char const* pw) {
        StaffClient c(server->port());
        REQUIRE(c.login(user, pw) == 303);
        c.refresh_csrf_from(page());
        REQUIRE_FALSE(c.csrf().empty());
        return c;
    }
    int64_t audit_count(std::string const& action) {
        auto db = ksd::server::open_conn(k.server_db);
        REQUIRE(db.ok());
        auto st = db->prepare("SELECT count(*) FROM audit WHERE action = ?1");
        REQUIRE(st.ok());
        st->bind(1, action);
        REQUIRE(st->step().ok());
        return st->column_int64(0);
    }
};

size_t count_in(std::string const& text, std::string const& needle) {
    size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

} // namespace

TEST_CASE("detail: a viewer reads the request with contacts masked and is refused a reply") {
    Desk d;
    auto c = d.login("budi", viewer_pw);
    auto page = c.get(d.page());
    REQUIRE(page.status == 200);
    CHECK(page.body.find(ksd::server::web::mask_phone("+6281234567890")) != std::string::npos);
    CHECK(page.body.find("s***@example.com") != std::string::npos);
    CHECK(page.body.find("+6281234567890") == std::string::npos);
    CHECK(page.body.find("siti.aminah@example.com") == std::string::npos);
    // Codes in words, both clocks, no forms for a viewer.
    CHECK(page.body.find("Mitra luar negeri") != std::string::npos);
    CHECK(page.body.find("Alur &amp; persyaratan") != std::string::npos);
    CHECK(page.body.find("belum tersinkron") != std::string::npos);
    CHECK(page.body.find("/reply\"") == std::string::npos);
    auto refused = c.post(d.page() + "/reply", {{"text", "Dari pembaca"}});
    CHECK(refused.status == 403);
    auto status = c.post(d.page() + "/status", {{"status", "Selesai"}});
    CHECK(status.status == 403);
    auto db = ksd::server::open_store(d.k.server_db);
    REQUIRE(db.ok());
    CHECK(ksd::server::history(*db, d.t.id)->empty());
    // A viewer may not manage canned replies either.
    CHECK(c.get("/staff/canned").status == 403);
}

TEST_CASE("detail: a hostile question is shown as inert text") {
    Desk d;
    auto c = d.login("ana", responder_pw);
    auto page = c.get(d.page());
    REQUIRE(page.status == 200);
    CHECK(page.body.find("<script>alert") == std::string::npos);
    CHECK(page.body.find("<img src=x") == std::string::npos);
    CHECK(page.body.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;") != std::string::npos);
    CHECK(page.body.find("&lt;img src=x onerror=alert(1)&gt;") != std::string::npos);
    // The one script tag of the layout's own files, no other.
    CHECK(count_in(page.body, "<script") == 2);
    // A hostile reply and note are inert too.
    REQUIRE(c.post(d.page() + "/reply", {{"text", "<b onmouseover=x>tebal</b>"}}).status == 303);
    REQUIRE(c.post(d.page() + "/note", {{"text", "<svg onload=x>"}}).status == 303);
    page = c.get(d.page());
    CHECK(page.body.find("<b onmouseover") == std::string::npos);
    CHECK(page.body.find("<svg onload") == std::string::npos);
    CHECK(page.body.find("&lt;svg onload=x&gt;") != std::string::npos);
}

TEST_CASE(
    "detail: replies, a note, an assignment and a status reach the kiosk, the note does not") {
    Desk d;
    auto c = d.login("ana", responder_pw);
    auto first = c.post(d.page() + "/reply", {{"text", "Berkas Anda kami terima."}});
    CHECK(first.status == 303);
    CHECK(first.header("Location") == d.page() + "?done=reply#history");
    REQUIRE(c.post(d.page() + "/note", {{"text", "Catatan: telepon balik besok"}}).status == 303);
    REQUIRE(c.post(d.page() + "/reply", {{"text", "Silakan datang hari Senin."}}).status == 303);
    // The assignee list holds responders and admins; a viewer is refused.
    auto bad = c.post(d.page() + "/assign", {{"user", "2"}});
    CHECK(bad.status == 400);
    REQUIRE(c.post(d.page() + "/assign", {{"user", "1"}}).status == 303);
    // Bukan kewenangan needs where to go; a move back is refused with the reason.
    auto bare = c.post(d.page() + "/status", {{"status", "Bukan kewenangan"}, {"reason", " "}});
    CHECK(bare.status == 400);
    CHECK(bare.body.find("ke mana pemohon sebaiknya pergi") != std::string::npos);
    auto back = c.post(d.page() + "/status", {{"status", "Baru"}});
    CHECK(back.status == 400);
    CHECK(back.body.find("back to &apos;Baru&apos;") != std::string::npos);
    REQUIRE(
        c.post(d.page() + "/status", {{"status", "Selesai"}, {"reason", "Dijawab"}}).status == 303);

    auto page = c.get(d.page() + "?done=status");
    REQUIRE(page.status == 200);
    CHECK(page.body.find("Status diubah.") != std::string::npos);
    CHECK(page.body.find("Berkas Anda kami terima.") != std::string::npos);
    CHECK(page.body.find("Catatan: telepon balik besok") != std::string::npos);
    CHECK(page.body.find("Status ini sudah final.") != std::string::npos);
    CHECK(page.body.find("ana (Penjawab)") != std::string::npos);
    CHECK(d.audit_count("reply") == 2);
    CHECK(d.audit_count("note") == 1);
    CHECK(d.audit_count("assign") == 1);
    CHECK(d.audit_count("status") == 1);

    auto out = d.k.sync(d.server->url());
    INFO(out.text);
    CHECK(out.status == 0);
    auto dev = ksd::open_device_db(d.k.device_db);
    REQUIRE(dev.ok());
    auto replies = ksd::staff_replies(*dev, d.t.id);
    REQUIRE(replies.ok());
    REQUIRE(replies->size() == 2);
    CHECK((*replies)[0].text == "Berkas Anda kami terima.");
    CHECK((*replies)[1].text == "Silakan datang hari Senin.");
    auto t = ksd::find_ticket_by_id(*dev, d.t.id);
    REQUIRE(t.ok());
    CHECK((*t)->server_status == "Selesai");
    CHECK(slurp(d.k.device_db).find("telepon balik") == std::string::npos);
    CHECK(slurp(d.k.device_db + "-wal").find("telepon balik") == std::string::npos);
}

TEST_CASE("detail: editors manage canned replies and a responder picks one into the reply") {
    Desk d;
    auto e = d.login("eka", editor_pw);
    e.refresh_csrf_from("/staff/canned");
    auto empty = e.post("/staff/canned", {{"title_id", "Tanpa teks"}, {"text_id", ""}});
    CHECK(empty.status == 400);
    CHECK(empty.body.find("text_id: must not be empty") != std::string::npos);
    auto added = e.post("/staff/canned",
        {{"title_id", "Rujuk SP4N-LAPOR!"}, {"title_en", "Refer to SP4N-LAPOR!"},
            {"text_id", "Silakan sampaikan melalui SP4N-LAPOR!"},
            {"text_en", "Please report it through SP4N-LAPOR!"}});
    REQUIRE(added.status == 303);
    CHECK(d.audit_count("canned_add") == 1);
    REQUIRE(e.post("/staff/canned/1",
                 {{"title_id", "Rujuk ke SP4N-LAPOR!"},
                     {"text_id", "Silakan sampaikan melalui SP4N-LAPOR!"}})
                .status
        == 303);
    auto list = e.get("/staff/canned");
    CHECK(list.body.find("Rujuk ke SP4N-LAPOR!") != std::string::npos);
    // An editor cannot reply.
    CHECK(e.post(d.page() + "/reply", {{"text", "x"}}).status == 403);

    auto r = d.login("ana", responder_pw);
    CHECK(r.get("/staff/canned").status == 403);
    auto picked = r.get(d.page() + "?canned=1");
    REQUIRE(picked.status == 200);
    // The visitor wrote in Indonesian: the Indonesian text fills the reply.
    CHECK(
        picked.body.find(">Silakan sampaikan melalui SP4N-LAPOR!</textarea>") != std::string::npos);
    REQUIRE(e.post("/staff/canned/1/delete").status == 303);
    CHECK(d.audit_count("canned_delete") == 1);
    CHECK(e.post("/staff/canned/1/delete").status == 404);
}
