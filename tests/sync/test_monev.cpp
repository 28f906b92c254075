// Issue 14, monitoring and evaluation of agreements (monev) on the server: the to-do selection at
// its boundaries (exactly 90 and 180 days, exactly 12 months), the history of evaluations in a
// real SQLite store with the latest written into the draft register and from there into a built
// pack, the weekly digest sent once per week through a real SMTP sink (also across a restart),
// and the dashboard's pages on the real ksd-server (an editor records, a viewer may not).
#include "server_ready.h"
#include "smtp_sink.h"
#include "staff_client.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "content_service.h"
#include "monev.h"
#include "store.h"
#include "store_content.h"
#include "store_monev.h"

#include "ksd/content_build.h"
#include "ksd/content_pack.h"
#include "ksd/number.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <set>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace ksd::test;
using namespace ksd::server;
using ksd::Date;
using ksd::ImplementationState;

namespace {

ksd::server::Conn store_at(std::string const& path) {
    auto db = open_store(path);
    REQUIRE(db.ok());
    return std::move(*db);
}

AgreementRow row(
    std::string const& nomor, Date start, Date end, std::string const& evaluated = "") {
    AgreementRow r;
    r.fields.nomor = nomor;
    r.fields.mitra = "Mitra " + nomor;
    r.fields.perihal = "Perihal";
    r.fields.mulai = start.iso();
    r.fields.berakhir = end.iso();
    r.monitoring.tanggal_evaluasi = evaluated;
    return r;
}

Date plus(Date d, int64_t days) {
    return Date::from_days(d.days() + days);
}

std::vector<std::string> numbers(std::vector<TodoItem> const& items) {
    std::vector<std::string> out;
    for (auto const& i : items)
        out.push_back(i.fields.nomor);
    return out;
}

// The draft of a store with the project's content imported (the first setup's step).
void import_demo(ksd::server::Conn& db) {
    auto r = import_sources(db, std::string(KSD_SOURCE_DIR) + "/content", "test", 1);
    REQUIRE(r.ok());
}

int64_t unix_at(Date d, int hour_utc) {
    return d.days() * 86400 + hour_utc * 3600;
}

// The real `ksd-server serve` under libfaketime, its clock starting at utc ("2026-11-30
// 00:30:00") and running on; killed with SIGKILL when it goes out of scope.
class ServerAt {
public:
    ServerAt(std::string const& db, std::string const& log, std::string const& config,
        std::string const& utc) {
        std::remove(log.c_str());
        m_pid = ::fork();
        if (m_pid == 0) {
            std::string cmd = "exec env TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=0 "
                              "ASAN_OPTIONS=\"${ASAN_OPTIONS:-}:verify_asan_link_order=0\" "
                              "faketime -f '@"
                + utc + "' " KSD_SERVER_BIN " --config " + shq(config) + " --db " + shq(db)
                + (test_on_postgres()
                        ? " --data-dir " + shq(std::filesystem::path(log).parent_path().string())
                        : std::string())
                + " serve --listen 127.0.0.1:0 >" + shq(log) + " 2>&1";
            ::execl("/bin/sh", "/bin/sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        REQUIRE(wait_for_server_ready(log) > 0);
    }
    ~ServerAt() {
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
    }
    ServerAt(ServerAt const&) = delete;
    ServerAt& operator=(ServerAt const&) = delete;

private:
    pid_t m_pid {-1};
};

int64_t digests_sent(std::string const& db_path) {
    auto out = db_sql(db_path, "SELECT count(*) FROM monev_digests WHERE sent_at > 0");
    return ksd::parse_int<int64_t>(out.text.substr(0, out.text.find('\n'))).value_or(-1);
}

} // namespace

TEST_CASE("monev: months_before keeps the day or takes the month's last", "[monev]") {
    CHECK(months_before(Date {2026, 12, 1}, 12) == Date {2025, 12, 1});
    CHECK(months_before(Date {2028, 2, 29}, 12) == Date {2027, 2, 28});
    CHECK(months_before(Date {2026, 3, 31}, 1) == Date {2026, 2, 28});
    CHECK(months_before(Date {2026, 1, 15}, 1) == Date {2025, 12, 15});
    CHECK(iso_weekday(Date {2026, 11, 30}) == 1);
    CHECK(iso_weekday(Date {2026, 12, 6}) == 7);
    CHECK(iso_weekday(Date {1970, 1, 1}) == 4);
}

TEST_CASE("monev: the to-do list at its boundaries (90 and 180 days, 12 months)", "[monev]") {
    Date const today {2026, 12, 1};
    Date const long_ago {2020, 1, 1};
    std::vector<AgreementRow> rows {
        row("E/0", long_ago, today, "2026-11-01"), // ends today: within 90
        row("E/90", long_ago, plus(today, 90), "2026-11-01"), // exactly 90 days
        row("E/91", long_ago, plus(today, 91), "2026-11-01"), // the 180 group
        row("E/180", long_ago, plus(today, 180), "2026-11-01"), // exactly 180 days
        row("E/181", long_ago, plus(today, 181), "2026-11-01"), // neither
        row("E/-1", long_ago, plus(today, -1)), // ended yesterday: nothing to do
        row("S/12m", long_ago, plus(today, 1000), "2025-12-01"), // exactly 12 months ago
        row("S/12m-1", long_ago, plus(today, 1000), "2025-12-02"), // a day less
        row("S/never", long_ago, plus(today, 1000)), // never evaluated
        row("S/future", plus(today, 1), plus(today, 1000)), // not in force yet
    };
    std::map<std::string, Evaluation> latest;
    // The history's later evaluation wins over the register's older date.
    rows.push_back(row("S/hist", long_ago, plus(today, 1000), "2024-01-01"));
    Evaluation e;
    e.nomor = "S/hist";
    e.evaluated_on = Date {2026, 6, 1};
    e.state = ImplementationState::Hindered;
    latest["S/hist"] = e;
    auto todo = monev_todo(rows, latest, today);
    CHECK(numbers(todo.ending_90) == std::vector<std::string> {"E/0", "E/90"});
    CHECK(numbers(todo.ending_180) == std::vector<std::string> {"E/91", "E/180"});
    CHECK(numbers(todo.not_evaluated) == std::vector<std::string> {"S/never", "S/12m"});
    CHECK(todo.ending_90[1].days_left == 90);
    CHECK(todo.size() == 6);
}

TEST_CASE("monev: evaluations are kept as history and the latest reaches the draft and the pack",
    "[monev]") {
    TempDir dir;
    auto db = store_at(ksd::test::server_db(dir));
    import_demo(db);
    Date const today {2026, 12, 1};
    std::string const nomor = "DEMO/PKS/011/2021";
    auto r1 = record_evaluation(db,
        {nomor, "2026-10-01", "Terkendala", "Server belum dipindahkan", "Diskominfo"}, "eka", today,
        100);
    REQUIRE(r1.ok());
    CHECK(r1->empty());
    // An older evaluation recorded later is history only.
    auto r2 = record_evaluation(db,
        {nomor, "2025-09-01", "ongoing", "Pelatihan operator", "Diskominfo"}, "eka", today, 200);
    REQUIRE(r2.ok());
    CHECK(r2->empty());
    auto history = evaluations_of(db, nomor);
    REQUIRE(history.ok());
    REQUIRE(history->size() == 2);
    CHECK(history->at(0).evaluated_on == Date {2026, 10, 1});
    CHECK(history->at(0).state == ImplementationState::Hindered);
    CHECK(history->at(0).recorded_by == "eka");
    CHECK(history->at(1).summary == "Pelatihan operator");

    auto rows = list_agreements(db);
    REQUIRE(rows.ok());
    auto it = std::find_if(
        rows->begin(), rows->end(), [&](AgreementRow const& r) { return r.fields.nomor == nomor; });
    REQUIRE(it != rows->end());
    CHECK(it->monitoring.status_pelaksanaan == "Terkendala");
    CHECK(it->monitoring.tanggal_evaluasi == "2026-10-01");
    CHECK(it->monitoring.ringkasan_evaluasi == "Server belum dipindahkan");
    CHECK(it->monitoring.penanggung_jawab == "Diskominfo");

    // Bad input: each problem at its field, nothing stored.
    auto bad = record_evaluation(db, {nomor, "2026-12-02", "macet", "  ", ""}, "eka", today, 300);
    REQUIRE(bad.ok());
    std::set<std::string> fields;
    for (auto const& p : *bad)
        fields.insert(p.field);
    CHECK(fields == std::set<std::string> {"tanggal", "status", "ringkasan"});
    auto unknown
        = record_evaluation(db, {"NO/SUCH", "2026-11-01", "done", "x", ""}, "eka", today, 300);
    REQUIRE(unknown.ok());
    REQUIRE(unknown->size() == 1);
    CHECK(unknown->front().field == "nomor");
    CHECK(evaluations_of(db, nomor)->size() == 2);
    // A number changed in the register takes its history along (the register form does this).
    REQUIRE(rename_evaluations(db, nomor, "DEMO/PKS/011/2021-R").ok());
    CHECK(evaluations_of(db, "DEMO/PKS/011/2021-R")->size() == 2);
    CHECK(evaluations_of(db, nomor)->empty());
    REQUIRE(rename_evaluations(db, "DEMO/PKS/011/2021-R", nomor).ok());

    // The draft builds into a pack that carries the latest evaluation to the kiosks.
    auto files = read_draft(db);
    REQUIRE(files.ok());
    std::string src = dir / "src";
    for (auto const& f : *files) {
        std::filesystem::create_directories(
            std::filesystem::path(src + "/" + f.path).parent_path());
        spit(src + "/" + f.path, f.bytes);
    }
    auto built = ksd::build_content_pack({src, dir / "p.pack", 1795400000, std::nullopt});
    REQUIRE(built.ok());
    auto pack = ksd::ContentPack::open_unverified(dir / "p.pack");
    REQUIRE(pack.ok());
    ksd::AgreementFilter f;
    f.implementation = ImplementationState::Hindered;
    auto hindered = pack->agreements(f);
    REQUIRE(hindered.ok());
    bool found = false;
    for (auto const& a : *hindered)
        if (a.number == nomor) {
            found = true;
            CHECK(a.evaluation == "Server belum dipindahkan");
            CHECK(a.responsible_unit == "Diskominfo");
            CHECK(a.evaluated_on == Date {2026, 10, 1});
        }
    CHECK(found);
}

TEST_CASE("monev: the weekly digest goes out once per week through a real SMTP sink, also after "
          "a restart",
    "[monev]") {
    if (!have_aiosmtpd()) {
        WARN("SKIPPED: python3-aiosmtpd is not installed");
        return;
    }
    TempDir dir;
    std::string const db_path = ksd::test::server_db(dir);
    {
        auto db = store_at(db_path);
        import_demo(db);
    }
    int const port = free_port();
    SmtpSink sink(dir / "sink", port);
    NotifySettings n;
    n.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
    n.mail_from = "ksd@example.go.id";
    n.mail_tls = MailTls::None;
    n.digest.to = {"kerjasama@example.go.id", "kabag@example.go.id"};
    n.digest.weekday = 1; // Monday
    n.digest.hour = 7; // 07.00 WIB = 00.00 UTC
    n.digest.public_url = "https://ksd.example.go.id";
    Date const monday {2026, 11, 30};
    {
        auto db = store_at(db_path);
        // Monday 06.59 WIB: not yet (and the week before, never sent, is not sent late now).
        CHECK(send_digest_if_due(db, n, n.digest, unix_at(monday, 0) - 1, nullptr).value()
            == DigestOutcome::NotDue);
        CHECK(send_digest_if_due(db, n, n.digest, unix_at(monday, 0), nullptr).value()
            == DigestOutcome::Sent);
        CHECK(send_digest_if_due(db, n, n.digest, unix_at(monday, 5), nullptr).value()
            == DigestOutcome::AlreadySent);
    }
    {
        // A restart later in the week: the database remembers.
        auto db = store_at(db_path);
        CHECK(send_digest_if_due(db, n, n.digest, unix_at(plus(monday, 3), 9), nullptr).value()
            == DigestOutcome::AlreadySent);
        // Mail off: nothing at all.
        NotifySettings off = n;
        off.smtp_url.clear();
        CHECK(send_digest_if_due(db, off, off.digest, unix_at(plus(monday, 7), 1), nullptr).value()
            == DigestOutcome::Off);
        // The next week's, late (the server was down on Monday).
        CHECK(send_digest_if_due(db, n, n.digest, unix_at(plus(monday, 9), 3), nullptr).value()
            == DigestOutcome::Sent);
    }
    auto mails = sink.messages();
    REQUIRE(mails.size() == 4); // two weeks, two addresses
    std::set<std::string> to;
    for (auto const& m : mails) {
        auto at = m.find("\r\nTo: ");
        REQUIRE(at != std::string::npos);
        to.insert(m.substr(at + 6, m.find("\r\n", at + 6) - at - 6));
    }
    CHECK(to == std::set<std::string> {"kerjasama@example.go.id", "kabag@example.go.id"});
    CHECK(mails[0].find("Message-ID: <ksd-monev-2026-11-30@example.go.id>") != std::string::npos);
    // Quoted-printable: soft line breaks and encoded '=' undone, enough for these checks.
    std::string body = mails[0];
    for (std::string::size_type p; (p = body.find("=\r\n")) != std::string::npos;)
        body.erase(p, 3);
    for (std::string::size_type p; (p = body.find("=3D")) != std::string::npos;)
        body.replace(p, 3, "=");
    CHECK(body.find("Berakhir dalam 90 hari") != std::string::npos);
    // DEMO/PKS/010/2024 ends on 31 Dec 2026: 31 days after that Monday.
    CHECK(body.find("DEMO/PKS/010/2024") != std::string::npos);
    CHECK(body.find("(31 hari lagi)") != std::string::npos);
    CHECK(
        body.find("https://ksd.example.go.id/staff/content/monev/agreement?nomor=DEMO/PKS/010/2024")
        != std::string::npos);
    // DEMO/PKS/002/2024 was last evaluated on 20 Nov 2025: over 12 months before.
    auto stale = body.find("Belum dievaluasi 12 bulan");
    REQUIRE(stale != std::string::npos);
    CHECK(body.find("DEMO/PKS/002/2024", stale) != std::string::npos);
    auto db = store_at(db_path);
    auto st = db.prepare("SELECT count(*) FROM monev_digests WHERE sent_at > 0 AND recipients = 2");
    REQUIRE(st.ok());
    REQUIRE(st->step().value());
    CHECK(st->column_int64(0) == 2);
}

TEST_CASE("monev pages: an editor records an evaluation, the history and the to-do list show it, "
          "a viewer may not record, and a published pack carries it",
    "[monev]") {
    SyncKiosk k;
    std::string const pub = k.dir / "ksd.pub";
    REQUIRE(run(std::string(KSD_CONTENT_BIN) + " keygen -p " + shq(pub) + " -s "
                + shq(k.dir / "ksd.key") + " >/dev/null 2>&1")
        == 0);
    REQUIRE(::chmod((k.dir / "ksd.key").c_str(), 0600) == 0);
    std::string const config = k.dir / "server.toml";
    spit(config, "public_key = \"" + pub + "\"\nsecret_key = \"" + k.dir / "ksd.key" + "\"\n");
    REQUIRE(add_staff_user(k.server_db, "eka", "editor", "Pulau-Burung-99") == 0);
    REQUIRE(add_staff_user(k.server_db, "vina", "viewer", "Kuala-Enok-2026") == 0);
    REQUIRE(k.server_cli("content import-sources " + shq(std::string(KSD_SOURCE_DIR) + "/content")
                 + " >/dev/null 2>&1")
                .status
        == 0);
    ServerProcess server(k.server_db, k.dir / "server.log", config);
    StaffClient editor(server.port());
    REQUIRE(editor.login("eka", "Pulau-Burung-99") == 303);
    std::string const nomor = "DEMO/KB/007/2024";
    Date const today = ksd::date_in(now_s(), ksd::Zone {});

    auto page = editor.get("/staff/content/monev/agreement?nomor=" + nomor);
    REQUIRE(page.status == 200);
    CHECK(page.body.find("Belum pernah dievaluasi.") != std::string::npos);
    CHECK(page.body.find("id=\"monev-form\"") != std::string::npos);
    // The form starts from the implementing agency.
    CHECK(page.body.find("value=\"Bappeda\"") != std::string::npos);

    httplib::Params form {{"nomor", nomor}, {"tanggal", plus(today, 1).iso()},
        {"status", "ongoing"}, {"ringkasan", "KKN tematik berjalan di 12 desa"},
        {"penanggung_jawab", "Bappeda"}};
    auto future = editor.post("/staff/content/monev/agreement", form);
    CHECK(future.status == 400);
    CHECK(future.body.find("tanggalnya belum terjadi") != std::string::npos);
    form.erase("tanggal");
    form.emplace("tanggal", today.iso());
    auto saved = editor.post("/staff/content/monev/agreement", form);
    REQUIRE(saved.status == 303);
    auto shown = editor.get(saved.header("Location"));
    REQUIRE(shown.status == 200);
    CHECK(shown.body.find("Evaluasi tersimpan.") != std::string::npos);
    CHECK(shown.body.find("data-state=\"ongoing\"") != std::string::npos);
    CHECK(shown.body.find("KKN tematik berjalan di 12 desa") != std::string::npos);

    auto todo = editor.get("/staff/content/monev");
    REQUIRE(todo.status == 200);
    CHECK(todo.body.find("Berakhir dalam 90 hari") != std::string::npos);
    CHECK(todo.body.find("Belum dievaluasi 12 bulan") != std::string::npos);
    // Never evaluated and in force: listed with its link.
    CHECK(todo.body.find("/staff/content/monev/agreement?nomor=DEMO/PKS/006/2023")
        != std::string::npos);

    StaffClient viewer(server.port());
    REQUIRE(viewer.login("vina", "Kuala-Enok-2026") == 303);
    viewer.refresh_csrf_from("/staff/content/monev");
    auto view = viewer.get("/staff/content/monev/agreement?nomor=" + nomor);
    REQUIRE(view.status == 200);
    CHECK(view.body.find("id=\"monev-form\"") == std::string::npos);
    CHECK(viewer.post("/staff/content/monev/agreement", form).status == 403);
    auto count = db_sql(k.server_db,
        "SELECT (SELECT count(*) FROM agreement_evaluations) || '|' || (SELECT count(*) FROM "
        "audit WHERE action = 'monev_evaluation')");
    CHECK(count.text == "1|1\n");

    // Published as staff publish any edit; a real ksd-sync installs the pack with it.
    auto published = editor.post("/staff/content/publish", {{"confirm", "yes"}});
    REQUIRE(published.status == 303);
    std::string target = k.dir / "ksd.pack";
    auto synced = k.sync(server.url(), " --pack " + shq(target) + " --public-key " + shq(pub));
    INFO(synced.text);
    REQUIRE(synced.status == 0);
    auto key = ksd::minisign::load_public_key(pub);
    REQUIRE(key.ok());
    auto pack = ksd::ContentPack::open(target, *key);
    REQUIRE(pack.ok());
    CHECK(pack->meta().monitoring);
    ksd::AgreementFilter f;
    f.query = "Tridarma";
    auto list = pack->agreements(f);
    REQUIRE(list.ok());
    REQUIRE(list->size() == 1);
    CHECK(list->front().implementation == ImplementationState::Ongoing);
    CHECK(list->front().evaluation == "KKN tematik berjalan di 12 desa");
    CHECK(list->front().evaluated_on == today);
}

TEST_CASE("monev: the real server's notify worker sends the digest once on its weekday, not again "
          "after a restart, and the next week again",
    "[monev]") {
    // Its server runs under faketime; against PostgreSQL it missed its 15 s once on a loaded
    // machine (not understood yet: see issue 15's note). The week's claim on PostgreSQL is
    // covered by the digest test above.
    sqlite_only("a faketime'd server on PostgreSQL is not yet reliable under load");
    if (!have_aiosmtpd() || run("command -v faketime >/dev/null 2>&1") != 0) {
        WARN("SKIPPED: python3-aiosmtpd or faketime is not installed");
        return;
    }
    TempDir dir;
    std::string const db_path = ksd::test::server_db(dir);
    {
        auto db = store_at(db_path);
        import_demo(db);
    }
    int const port = free_port();
    SmtpSink sink(dir / "sink", port);
    std::string const config = dir / "server.toml";
    spit(config,
        "[mail]\nsmtp_url = \"smtp://127.0.0.1:" + std::to_string(port)
            + "\"\nfrom = \"ksd@example.go.id\"\ntls = \"none\"\n[notify]\nretry_min_s = 1\n"
              "[monev]\ndigest_to = \"kerjasama@example.go.id\"\ndigest_weekday = \"monday\"\n"
              "digest_hour = 7\n");
    {
        // Monday 30 Nov 2026 07.30 WIB.
        ServerAt server(db_path, dir / "server.log", config, "2026-11-30 00:30:00");
        REQUIRE(wait_until([&] { return sink.messages().size() == 1; }, 15000));
        REQUIRE(wait_until([&] { return digests_sent(db_path) == 1; }, 5000));
    }
    {
        // Restarted that afternoon: the week is done. Two seconds are four worker passes.
        ServerAt server(db_path, dir / "server2.log", config, "2026-11-30 07:00:00");
        std::this_thread::sleep_for(std::chrono::seconds(2));
        CHECK(sink.messages().size() == 1);
    }
    {
        // The next Monday.
        ServerAt server(db_path, dir / "server3.log", config, "2026-12-07 00:05:00");
        REQUIRE(wait_until([&] { return sink.messages().size() == 2; }, 15000));
    }
    auto mails = sink.messages();
    CHECK(mails[0].find("<ksd-monev-2026-11-30@example.go.id>") != std::string::npos);
    CHECK(mails[1].find("<ksd-monev-2026-12-07@example.go.id>") != std::string::npos);
}
