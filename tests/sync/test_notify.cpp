// Issue 11, notifications and retention: the visitor's e-mail (MIME framing), delivery through the
// real ksd-server to a real SMTP sink (Debian's python3-aiosmtpd, tests/sync/smtp_sink.py) with
// retries and a SIGKILL during the send, the signed webhook to a loopback receiver, and the
// retention purge checked by grepping the database and WAL files.
#include "server_ready.h"
#include "smtp_sink.h"
#include "staff_client.h"
#include "sync_kiosk.h"
#include "test_support.h"

#include "notify_message.h"
#include "notify_worker.h"
#include "store.h"
#include "store_events.h"
#include "store_outbox.h"

#include "ksd/db.h"
#include "ksd/migrate.h"
#include "ksd/number.h"

#include <catch2/catch.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <arpa/inet.h>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <vector>

using namespace ksd::test;
using namespace ksd::server;
using nlohmann::json;

namespace {

// Polls pred every 50 ms until it holds or timeout_ms passed.
bool wait_for(std::function<bool()> const& pred, int timeout_ms) {
    auto const end = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < end) {
        if (pred())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}

std::string header_of(std::string const& message, std::string const& name) {
    std::string const m = "\r\n" + message;
    auto at = m.find("\r\n" + name + ": ");
    if (at == std::string::npos)
        return {};
    at += name.size() + 4;
    return m.substr(at, m.find("\r\n", at) - at);
}

// A visitor's request stored as the server's ingest stores it (kiosk-1 registered), with
// e-mail replies asked for when `asks` (the column the upload's email_replies fills).
std::string stored_request(ksd::server::Conn& db, std::string const& name, std::string const& phone,
    std::string const& email, ksd::ReplyByEmail asks, int64_t at, std::string const& lang = "id") {
    ksd::Ticket x;
    x.id = ksd::generate_uuid_v4();
    x.code = ksd::generate_ticket_code();
    x.kiosk_id = "kiosk-1";
    x.created_at = at;
    x.clock_trusted = true;
    x.sequence = at;
    x.input = visitor(name);
    x.input.phone = phone;
    x.input.email = email;
    x.input.lang = lang == "en" ? ksd::Lang::En : ksd::Lang::Id;
    auto t = ticket_json(x);
    REQUIRE(validate_ticket(t, "kiosk-1").empty());
    auto r = ingest(db, {t}, at, SlaRules {});
    REQUIRE(r.ok());
    REQUIRE(r->at(0).result == "created");
    auto st = db.prepare("UPDATE tickets SET email_replies = ?2 WHERE id = ?1");
    REQUIRE(st.ok());
    st->bind_all(x.id, asks == ksd::ReplyByEmail::Yes ? 1 : 0);
    REQUIRE(st->run().ok());
    return x.id;
}

ksd::server::Conn open_server_db(std::string const& path) {
    auto db = open_store(path);
    REQUIRE(db.ok());
    return std::move(*db);
}

std::vector<OutboxItem> deliveries(std::string const& db_path, std::string const& id) {
    auto db = open_server_db(db_path);
    auto items = outbox_of_ticket(db, id);
    REQUIRE(items.ok());
    return *items;
}

int reply_cli(std::string const& db, std::string const& id, std::string const& text) {
    return run(server_bin + " --db " + shq(db) + " tickets reply " + id + " " + shq(text)
        + " >/dev/null 2>&1");
}

// The server's config for the sink on smtp_port, with short retry waits; public_url empty: no
// status page link (and the dashboard accepts forms from the loopback address tests use).
std::string mail_config(std::string const& dir, int smtp_port, std::string const& public_url) {
    std::string path = dir + "/server.toml";
    spit(path,
        (public_url.empty() ? std::string() : "public_url = \"" + public_url + "\"\n")
            + "[mail]\nsmtp_url = \"smtp://127.0.0.1:" + std::to_string(smtp_port)
            + "\"\nfrom = \"ksd@example.go.id\"\ntls = \"none\"\n[notify]\nretry_min_s = 1\n"
              "retry_max_s = 2\n");
    return path;
}

// Undoes quoted-printable (soft breaks, =XX) of a message's body.
std::string qp_decode(std::string const& message) {
    auto head_end = message.find("\r\n\r\n");
    std::string const s = head_end == std::string::npos ? message : message.substr(head_end + 4);
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '=' && i + 2 < s.size() && s[i + 1] == '\r' && s[i + 2] == '\n') {
            i += 2;
            continue;
        }
        if (s[i] == '=' && i + 2 < s.size()) {
            out += static_cast<char>(ksd::parse_int<int>(s.substr(i + 1, 2), 16).value_or('?'));
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

// The text of an RFC 2047 header value made of =?UTF-8?B?...?= words.
std::string decode_words(std::string const& v) {
    std::string out;
    for (auto at = v.find("=?UTF-8?B?"); at != std::string::npos;
         at = v.find("=?UTF-8?B?", at + 1)) {
        auto end = v.find("?=", at + 10);
        std::string b64 = v.substr(at + 10, end - at - 10);
        std::string bin(b64.size(), '\0');
        size_t len = 0;
        REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(),
                    b64.c_str(), b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL)
            == 0);
        out += bin.substr(0, len);
    }
    return out;
}

} // namespace

TEST_CASE("notify: the e-mail is proper MIME and no field can add a header", "[notify]") {
    OutboxItem o;
    o.id = 42;
    o.ticket_id = "0f8fad5b-d9cb-469f-a165-70867728950e";
    o.event = NotifyEvent::Reply;
    o.status = "Diproses";
    o.created_at = 1798000000;
    NotifyContent c;
    c.code = "ABCDE-FGHJK";
    c.lang = "id";
    c.email = "warga@example.org";
    // Staff text with a would-be header, a line starting with a dot, long lines and Indonesian
    // and non-Latin letters.
    c.text = "Terima kasih.\r\nBcc: spy@evil.example\n.\nBaris panjang " + std::string(200, 'x')
        + "\nSalam — tim KSD, 日本語 テキスト";
    auto m = build_mail(o, c, MailSettings {"ksd@kab.example.go.id"}, "https://ksd.example.go.id/");
    REQUIRE(m.ok());
    std::string const& msg = *m;
    auto head_end = msg.find("\r\n\r\n");
    REQUIRE(head_end != std::string::npos);
    std::string head = msg.substr(0, head_end + 2);
    // Only our headers, each line within 78 characters, CRLF only.
    std::vector<std::string> names;
    for (size_t at = 0; at < head.size();) {
        auto end = head.find("\r\n", at);
        std::string line = head.substr(at, end - at);
        CHECK(line.size() <= 78);
        CHECK(line.find('\n') == std::string::npos);
        if (!line.empty() && line[0] != ' ')
            names.push_back(line.substr(0, line.find(':')));
        at = end + 2;
    }
    CHECK(names
        == std::vector<std::string> {"Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
            "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"});
    CHECK(header_of(msg, "Message-ID")
        == "<ksd-42-0f8fad5b-d9cb-469f-a165-70867728950e@kab.example.go.id>");
    CHECK(header_of(msg, "Date") == "Wed, 23 Dec 2026 04:26:40 +0000");
    // The body: every line within 76 characters, pure ASCII, decoding to the text.
    std::string body = msg.substr(head_end + 4);
    for (size_t at = 0; at < body.size();) {
        auto end = body.find("\r\n", at);
        REQUIRE(end != std::string::npos);
        CHECK(end - at <= 76);
        CHECK(body.substr(at, 1) != ".");
        at = end + 2;
    }
    for (char ch : body)
        CHECK(static_cast<unsigned char>(ch) < 0x80);
    std::string text = qp_decode(msg);
    CHECK(text.find("Kode permohonan: ABCDE-FGHJK") != std::string::npos);
    CHECK(text.find("Sedang") != std::string::npos); // the visitor's words for Diproses
    CHECK(text.find("Salam — tim KSD, 日本語 テキスト") != std::string::npos);
    CHECK(text.find("https://ksd.example.go.id/t/ABCDE-FGHJK") != std::string::npos);
    CHECK(text.find("Bcc: spy@evil.example") != std::string::npos); // in the body, harmless

    // A long non-Latin subject is folded into encoded words that decode to it.
    std::string subject = "Balasan " + std::string(30, 'a') + " 日本語のテキストが長いです。";
    std::string folded = encode_header_text(subject, 9);
    CHECK(decode_words(folded) == subject);
    for (size_t at = 0; at < folded.size();) {
        auto end = folded.find("\r\n", at);
        CHECK((end == std::string::npos ? folded.size() : end) - at + (at == 0 ? 9 : 0) <= 78);
        at = end == std::string::npos ? folded.size() : end + 2;
    }

    // Addresses that would add a recipient or a header are refused, never sent.
    for (std::string bad : {"a@b.example\r\nBcc: x@y.example", "<a@b.example>", "a b@c.example",
             "a@b.example, c@d.example", "nobody", "a@localhost", "ä@b.example", ""}) {
        CAPTURE(bad);
        CHECK_FALSE(is_plain_address(bad));
        c.email = bad;
        CHECK_FALSE(build_mail(o, c, MailSettings {"ksd@kab.example.go.id"}, "").ok());
    }
    CHECK(is_plain_address("warga.name+ksd@mail.example.co.id"));

    // English visitors get English words.
    c.email = "visitor@example.org";
    c.lang = "en";
    o.event = NotifyEvent::Closed;
    o.status = "Selesai";
    auto en = build_mail(o, c, MailSettings {"ksd@kab.example.go.id"}, "");
    REQUIRE(en.ok());
    CHECK(decode_words(header_of(*en, "Subject")).find("Your request ABCDE-FGHJK") == 0);
    CHECK(qp_decode(*en).find("Request code: ABCDE-FGHJK") != std::string::npos);
}

TEST_CASE("notify: the retry waits grow to their cap with jitter", "[notify]") {
    NotifySettings s;
    s.retry_min_s = 60;
    s.retry_max_s = 6 * 3600;
    for (int attempt = 1; attempt < 40; ++attempt) {
        int64_t d = retry_delay_s(s, attempt);
        CHECK(d >= 60);
        CHECK(d <= std::min<int64_t>(6 * 3600, 60LL << std::min(attempt - 1, 20)));
    }
}

TEST_CASE("notify: one e-mail per reply and closing through a real SMTP sink, none without "
          "consent",
    "[notify]") {
    if (!have_aiosmtpd()) {
        WARN("SKIPPED: python3-aiosmtpd is not installed");
        return;
    }
    TempDir dir;
    std::string const db_path = ksd::test::server_db(dir);
    std::string asked, not_asked, code;
    {
        auto db = open_server_db(db_path);
        REQUIRE(add_kiosk(db, "kiosk-1", now_s()).ok());
        asked = stored_request(db, "Siti Consenting", "+6281111111111", "siti@example.org",
            ksd::ReplyByEmail::Yes, now_s());
        not_asked = stored_request(db, "Budi Silent", "+6282222222222", "budi@example.org",
            ksd::ReplyByEmail::No, now_s());
        code = find_ticket(db, asked)->value().fields["code"].get<std::string>();
    }
    int const smtp_port = free_port();
    SmtpSink sink(dir / "sink", smtp_port);
    ServerProcess server(db_path, dir / "server.log",
        mail_config(dir.path(), smtp_port, "https://ksd.example.go.id"));

    REQUIRE(reply_cli(db_path, asked, "Balasan pertama untuk Siti.") == 0);
    REQUIRE(reply_cli(db_path, not_asked, "Balasan untuk Budi.") == 0);
    REQUIRE(wait_for([&] { return sink.messages().size() >= 1; }, 10000));
    REQUIRE(reply_cli(db_path, asked, "Balasan kedua.") == 0);
    REQUIRE(run(server_bin + " --db " + shq(db_path) + " tickets status " + asked
                + " Selesai >/dev/null 2>&1")
        == 0);
    // Every mail delivery of the request is marked sent, then the sink holds exactly three.
    REQUIRE(wait_for(
        [&] {
            auto items = deliveries(db_path, asked);
            int sent = 0;
            for (auto const& o : items)
                sent += o.channel == Channel::Mail && o.state == OutboxState::Sent;
            return sent == 3;
        },
        15000));
    std::this_thread::sleep_for(std::chrono::milliseconds(700)); // a worker pass more
    auto mails = sink.messages();
    REQUIRE(mails.size() == 3);
    std::vector<std::string> ids;
    for (auto const& m : mails) {
        CHECK(header_of(m, "X-Envelope-To") == "siti@example.org");
        CHECK(header_of(m, "To") == "siti@example.org");
        CHECK(header_of(m, "From") == "ksd@example.go.id");
        ids.push_back(header_of(m, "Message-ID"));
        CHECK(ids.back().find("-" + asked + "@example.go.id>") != std::string::npos);
        CHECK(qp_decode(m).find("https://ksd.example.go.id/t/" + code) != std::string::npos);
    }
    CHECK(ids[0] != ids[1]);
    CHECK(qp_decode(mails[0]).find("Balasan pertama untuk Siti.") != std::string::npos);
    CHECK(qp_decode(mails[1]).find("Balasan kedua.") != std::string::npos);
    CHECK(
        decode_words(header_of(mails[2], "Subject")).find("Permohonan " + code + ": Selesai") == 0);
    // The visitor who did not ask: no mail queued, none received.
    for (auto const& o : deliveries(db_path, not_asked))
        CHECK(o.channel != Channel::Mail);
    for (auto const& m : mails)
        CHECK(m.find("budi@example.org") == std::string::npos);
    // No webhook configured: its rows are dropped, not kept pending.
    REQUIRE(wait_for(
        [&] {
            for (auto const& o : deliveries(db_path, asked))
                if (o.channel == Channel::Webhook)
                    return false;
            return true;
        },
        5000));
}

TEST_CASE(
    "notify: with the relay down the e-mail waits, shows the failure, and goes later", "[notify]") {
    if (!have_aiosmtpd()) {
        WARN("SKIPPED: python3-aiosmtpd is not installed");
        return;
    }
    TempDir dir;
    std::string const db_path = ksd::test::server_db(dir);
    std::string id;
    {
        auto db = open_server_db(db_path);
        REQUIRE(add_kiosk(db, "kiosk-1", now_s()).ok());
        id = stored_request(db, "Ayu Waiting", "+6283333333333", "ayu@example.org",
            ksd::ReplyByEmail::Yes, now_s(), "en");
    }
    int const smtp_port = free_port(); // nothing listens there yet
    ServerProcess server(db_path, dir / "server.log", mail_config(dir.path(), smtp_port, ""));
    REQUIRE(reply_cli(db_path, id, "Your answer.") == 0);
    REQUIRE(wait_for(
        [&] {
            auto items = deliveries(db_path, id);
            return items.size() == 1 && items[0].attempts >= 2;
        },
        15000));
    auto waiting = deliveries(db_path, id).at(0);
    CHECK(waiting.state == OutboxState::Pending);
    CHECK(waiting.last_error.find("onnect") != std::string::npos);
    // The request's page in the dashboard shows it.
    REQUIRE(add_staff_user(db_path, "ani", "responder", "kata-sandi-panjang-1") == 0);
    StaffClient staff(server.port());
    REQUIRE(staff.login("ani", "kata-sandi-panjang-1") == 303);
    auto page = staff.get("/staff/requests/" + id);
    REQUIRE(page.status == 200);
    CHECK(page.body.find("id=\"deliveries\"") != std::string::npos);
    CHECK(page.body.find("delivery-error") != std::string::npos);

    SmtpSink sink(dir / "sink", smtp_port);
    REQUIRE(wait_for([&] { return sink.messages().size() == 1; }, 15000));
    REQUIRE(
        wait_for([&] { return deliveries(db_path, id).at(0).state == OutboxState::Sent; }, 5000));
    auto mail = sink.messages().at(0);
    CHECK(decode_words(header_of(mail, "Subject")).find("A reply to your request") == 0);
    CHECK(qp_decode(mail).find("Your answer.") != std::string::npos);
}

TEST_CASE("notify: a server killed during the send loses no e-mail, a copy sent again has the "
          "same Message-ID",
    "[notify]") {
    if (!have_aiosmtpd()) {
        WARN("SKIPPED: python3-aiosmtpd is not installed");
        return;
    }
    TempDir dir;
    std::string const db_path = ksd::test::server_db(dir);
    std::string id;
    {
        auto db = open_server_db(db_path);
        REQUIRE(add_kiosk(db, "kiosk-1", now_s()).ok());
        id = stored_request(db, "Dewi Killed", "+6284444444444", "dewi@example.org",
            ksd::ReplyByEmail::Yes, now_s());
    }
    int const smtp_port = free_port();
    SmtpSink sink(dir / "sink", smtp_port);
    spit(sink.dir() + "/stall", "1"); // DATA received, its answer held back
    ServerProcess server(db_path, dir / "server.log",
        mail_config(dir.path(), smtp_port, "https://ksd.example.go.id"));
    REQUIRE(reply_cli(db_path, id, "Jawaban yang tidak boleh hilang.") == 0);
    REQUIRE(wait_for([&] { return std::filesystem::exists(sink.dir() + "/stalled"); }, 10000));
    server.kill9(); // the relay has the message, the server never heard "250"
    CHECK(deliveries(db_path, id).at(0).state == OutboxState::Pending);
    std::filesystem::remove(sink.dir() + "/stall");
    server.start();
    REQUIRE(
        wait_for([&] { return deliveries(db_path, id).at(0).state == OutboxState::Sent; }, 15000));
    auto mails = sink.messages();
    // At least once: the sink finished the first copy after the kill, the restarted server sent
    // it again; both carry the same Message-ID, so a mail program shows one.
    REQUIRE(mails.size() >= 1);
    CHECK(mails.size() <= 2);
    for (auto const& m : mails) {
        CHECK(header_of(m, "Message-ID") == header_of(mails[0], "Message-ID"));
        CHECK(qp_decode(m).find("Jawaban yang tidak boleh hilang.") != std::string::npos);
    }
}

TEST_CASE(
    "notify: the webhook gets a signed JSON POST and is retried until it answers 2xx", "[notify]") {
    TempDir dir;
    std::string const db_path = ksd::test::server_db(dir);
    std::string id, code;
    {
        auto db = open_server_db(db_path);
        REQUIRE(add_kiosk(db, "kiosk-1", now_s()).ok());
        id = stored_request(
            db, "Rina Hooked", "+6285555555555", "", ksd::ReplyByEmail::No, now_s());
        code = find_ticket(db, id)->value().fields["code"].get<std::string>();
    }
    std::string const secret = "rahasia-webhook-kantor-0123456789";
    spit(dir / "hook.secret", secret + "\n");
    ::chmod((dir / "hook.secret").c_str(), 0600);

    struct Received {
        std::string body;
        std::string signature;
    };
    std::mutex mutex;
    std::vector<Received> got;
    httplib::Server receiver;
    receiver.Post("/hook", [&](httplib::Request const& req, httplib::Response& res) {
        std::lock_guard lock(mutex);
        got.push_back({req.body, req.get_header_value("KSD-Signature")});
        // The first call fails and asks for an hour's pause: clamped to notify.retry_max_s.
        res.status = got.size() == 1 ? 503 : 204;
        if (got.size() == 1)
            res.set_header("Retry-After", "3600");
    });
    int const hook_port = receiver.bind_to_any_port("127.0.0.1");
    std::thread serving([&] { receiver.listen_after_bind(); });

    std::string config = dir / "server.toml";
    spit(config,
        "public_url = \"https://ksd.example.go.id\"\n[notify]\nwebhook_url = "
        "\"http://127.0.0.1:"
            + std::to_string(hook_port) + "/hook\"\nwebhook_secret_file = \""
            + (dir / "hook.secret") + "\"\nretry_min_s = 1\nretry_max_s = 2\n");
    {
        ServerProcess server(db_path, dir / "server.log", config);
        REQUIRE(reply_cli(db_path, id, "Balasan lewat gateway.") == 0);
        CHECK(wait_for(
            [&] {
                auto items = deliveries(db_path, id);
                return items.size() == 1 && items[0].state == OutboxState::Sent;
            },
            15000));
    }
    receiver.stop();
    serving.join();
    REQUIRE(got.size() == 2);
    auto const body = json::parse(got[1].body);
    CHECK(body["event"] == "reply");
    CHECK(body["code"] == code);
    CHECK(body["status"] == "Diproses");
    CHECK(body["text"] == "Balasan lewat gateway.");
    CHECK(body["lang"] == "id");
    CHECK(body["status_url"] == "https://ksd.example.go.id/t/" + code);
    CHECK(body["status_visitor"]["headline"].get<std::string>().size() > 0);
    CHECK(body["sent_at"].get<int64_t>() >= now_s() - 60);
    CHECK_FALSE(body.contains("phone")); // notify.webhook_phone is off by default
    CHECK(json::parse(got[0].body)["delivery_id"] == body["delivery_id"]);
    for (auto const& r : got) {
        // The receiver's check: HMAC-SHA256 of the raw body with the shared secret.
        CHECK(r.signature == webhook_signature(secret, r.body));
        CHECK(r.signature.size() == 7 + 64);
    }
    CHECK(webhook_signature(secret, got[1].body + " ") != got[1].signature);
    // HMAC-SHA256 of a known vector (RFC 4231 test case 2).
    CHECK(webhook_signature("Jefe", "what do ya want for nothing?")
        == "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("notify: a secret file others can read is refused at start", "[notify]") {
    TempDir dir;
    spit(dir / "hook.secret", "rahasia-webhook-kantor-0123456789\n");
    ::chmod((dir / "hook.secret").c_str(), 0644);
    auto r = read_secret_file("notify.webhook_secret_file", dir / "hook.secret");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("chmod 600") != std::string::npos);
    spit(dir / "server.toml",
        "[notify]\nwebhook_url = \"https://gw.example.org/ksd\"\nwebhook_secret_file = \""
            + (dir / "hook.secret") + "\"\n");
    auto out = capture(server_bin + " --config " + shq(dir / "server.toml") + " --db "
        + shq(dir / "s.db") + " serve --listen 127.0.0.1:0");
    CHECK(out.status != 0);
    CHECK(out.text.find("can be read or changed by other users") != std::string::npos);
}

TEST_CASE("notify: the retention purge removes name, phone and e-mail from the database and WAL "
          "files",
    "[notify][retention]") {
    sqlite_only("it reads the database and WAL files' bytes");
    TempDir dir;
    std::string const db_path = ksd::test::server_db(dir);
    int64_t const day = 86400;
    int64_t const now = now_s();
    std::string old_done, old_other, recent, open_one;
    {
        auto db = open_server_db(db_path);
        REQUIRE(add_kiosk(db, "kiosk-1", now - 500 * day).ok());
        old_done = stored_request(db, "ZAMRUDKHATULISTIWA Lama", "+6281999000111",
            "zamrud.lama@example.org", ksd::ReplyByEmail::Yes, now - 420 * day);
        old_other = stored_request(db, "KARTOSUWIRYO TUAPURBA", "+6281999000222",
            "kartosuwiryo@example.org", ksd::ReplyByEmail::No, now - 410 * day);
        recent = stored_request(db, "CEMPAKABIRU Baruini", "+6281999000333",
            "cempaka.baru@example.org", ksd::ReplyByEmail::Yes, now - 20 * day);
        open_one = stored_request(db, "MELATIPUTIH Terbuka", "+6281999000444",
            "melati.open@example.org", ksd::ReplyByEmail::Yes, now - 400 * day);
        auto cli = cli_actor();
        REQUIRE(add_reply(db, old_done, "Jawaban lama yang tetap ada.", cli, now - 419 * day).ok());
        REQUIRE(set_status(db, old_done, TicketStatus::Done, cli, "", now - 400 * day).ok());
        REQUIRE(
            set_status(db, old_other, TicketStatus::NotOurs, cli, "SP4N-LAPOR!", now - 380 * day)
                .ok());
        REQUIRE(add_reply(db, recent, "Jawaban baru.", cli, now - 15 * day).ok());
        REQUIRE(set_status(db, recent, TicketStatus::Done, cli, "", now - 10 * day).ok());
        // The deliveries of the old request were made (or given up) long ago.
        auto items = outbox_of_ticket(db, old_done);
        REQUIRE(items.ok());
        REQUIRE(items->size() == 4); // mail and webhook of its reply and of its closing
        // (old_other: the webhook of its closing; no mail, the visitor did not ask: 5 in all)
        for (auto const& o : *items)
            REQUIRE(mark_failed(db, o.id, "550 <zamrud.lama@example.org> unknown", now - 399 * day)
                        .ok());
        // The full-text index gets segments holding the names (the inbox's search).
        REQUIRE(db.exec("INSERT INTO tickets_fts(tickets_fts) VALUES ('optimize')").ok());
    }
    // Names in capitals: the inbox's full-text index keeps them as lower-case tokens (prefix-
    // compressed: the ends of the words are searched for), so each file copy is looked for.
    std::vector<std::string> const gone = {"ZAMRUDKHATULISTIWA", "khatulistiwa", "+6281999000111",
        "zamrud.lama@example.org", "KARTOSUWIRYO", "suwiryo", "TUAPURBA", "apurba",
        "+6281999000222", "kartosuwiryo@example.org"};
    std::vector<std::string> const kept
        = {"CEMPAKABIRU", "pakabiru", "+6281999000333", "cempaka.baru@example.org", "MELATIPUTIH",
            "atiputih", "+6281999000444", "melati.open@example.org"};
    auto file_bytes = [&] { return slurp(db_path) + slurp(db_path + "-wal"); };
    {
        std::string before = file_bytes();
        for (auto const& s : gone)
            REQUIRE(before.find(s) != std::string::npos); // the test can fail
    }
    auto out = capture(server_bin + " --db " + shq(db_path) + " purge");
    INFO(out.text);
    REQUIRE(out.status == 0);
    CHECK(out.text.find("personal data of 2 closed requests removed (5 deliveries deleted)")
        != std::string::npos);
    std::string after = file_bytes();
    for (auto const& s : gone) {
        CAPTURE(s);
        CHECK(after.find(s) == std::string::npos);
    }
    for (auto const& s : kept) {
        CAPTURE(s);
        CHECK(after.find(s) != std::string::npos);
    }
    auto db = open_server_db(db_path);
    auto t = find_ticket(db, old_done);
    REQUIRE(t.ok());
    REQUIRE(t->has_value());
    auto const& f = (*t)->fields;
    CHECK(f["name"] == "");
    CHECK(f["phone"] == "");
    CHECK(f["email"] == "");
    CHECK(f["question"] != ""); // the question stays
    CHECK((*t)->status == "Selesai");
    auto rs = replies(db, old_done);
    REQUIRE(rs.ok());
    REQUIRE(rs->size() == 1);
    CHECK(rs->at(0).text == "Jawaban lama yang tetap ada.");
    CHECK(outbox_of_ticket(db, old_done)->empty());
    // The inbox's search no longer finds the name, still finds the question's words.
    auto st = db.prepare("SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH ?1");
    REQUIRE(st.ok());
    st->bind(1, "zamrudkhatulistiwa");
    REQUIRE(st->step().ok());
    CHECK(st->column_int64(0) == 0);
    // Run again: nothing more to do.
    auto again = capture(server_bin + " --db " + shq(db_path) + " purge");
    CHECK(again.text.find("personal data of 0 closed requests removed") != std::string::npos);
}

TEST_CASE("notify: migration 10 sets closed_at of requests closed before it", "[notify]") {
    sqlite_only("SQLite's schema version 9");
    TempDir dir;
    std::string const db_path = dir / "old.db";
    std::string closed, open_one;
    {
        auto db = ksd::server::open_conn(db_path);
        REQUIRE(db.ok());
        REQUIRE(ksd::server::migrate(*db, store_migrations().first(9)).ok());
        REQUIRE(add_kiosk(*db, "kiosk-1", 1000).ok());
        closed = stored_request(*db, "Lama", "+6281234000000", "", ksd::ReplyByEmail::No, 1000);
        open_one = stored_request(*db, "Buka", "+6281234000001", "", ksd::ReplyByEmail::No, 1001);
        // Closed as issue 10 closed it: the status and its history entry.
        auto st = db->prepare("UPDATE tickets SET status = 'Selesai', updated_at = 6000 WHERE id "
                              "= ?1");
        REQUIRE(st.ok());
        st->bind(1, closed);
        REQUIRE(st->run().ok());
        auto ev = db->prepare("INSERT INTO ticket_events(ticket_id, at, user_id, user_name, "
                              "author_role, kind, from_status, to_status) VALUES (?1, 5000, 0, "
                              "'cli', 'cli', 'status', 'Baru', 'Selesai')");
        REQUIRE(ev.ok());
        ev->bind(1, closed);
        REQUIRE(ev->run().ok());
    }
    auto db = open_server_db(db_path);
    auto st = db.prepare("SELECT closed_at FROM tickets WHERE id = ?1");
    REQUIRE(st.ok());
    st->bind(1, closed);
    REQUIRE(*st->step());
    CHECK(st->column_int64(0) == 5000);
    st->reset();
    st->bind(1, open_one);
    REQUIRE(*st->step());
    CHECK(st->column_int64(0) == 0);
}

TEST_CASE(
    "notify: a delivery not made within give_up is marked failed with its error", "[notify]") {
    TempDir dir;
    auto db = open_server_db(ksd::test::server_db(dir));
    int64_t const t0 = 1800000000;
    REQUIRE(add_kiosk(db, "kiosk-1", t0).ok());
    auto id = stored_request(
        db, "Gita Givenup", "+6286666666666", "gita@example.org", ksd::ReplyByEmail::Yes, t0);
    REQUIRE(add_reply(db, id, "Balasan.", cli_actor(), t0).ok());
    NotifySettings s;
    s.smtp_url = "smtp://127.0.0.1:" + std::to_string(free_port()); // nothing listens
    s.mail_from = "ksd@example.go.id";
    s.mail_tls = MailTls::None;
    s.retry_min_s = 60;
    s.retry_max_s = 3600;
    s.give_up_s = 3 * 86400;
    REQUIRE(notify_settings_problem(s).empty());
    // Time is passed in: the first try now, the next not before its time, the last after 3 days.
    REQUIRE(deliver_due(db, s, t0, nullptr).value() == 1);
    auto first = outbox_of_ticket(db, id).value().at(0);
    CHECK(first.state == OutboxState::Pending);
    CHECK(first.attempts == 1);
    CHECK(first.next_at >= t0 + 60);
    CHECK(first.next_at <= t0 + 60);
    CHECK(deliver_due(db, s, t0 + 30, nullptr).value() == 0); // not due yet
    REQUIRE(deliver_due(db, s, t0 + 3 * 86400, nullptr).value() == 1);
    auto last = outbox_of_ticket(db, id).value().at(0);
    CHECK(last.state == OutboxState::Failed);
    CHECK(last.attempts == 2);
    CHECK(last.last_error.find("gave up after 2 tries") == 0);
    CHECK(last.done_at == t0 + 3 * 86400);
    CHECK(deliver_due(db, s, t0 + 4 * 86400, nullptr).value() == 0); // never tried again
}
