// The sync pass; see sync_pass.h.
#include "sync_pass.h"

#include "backoff.h"
#include "skm_upload.h"
#include "upload_common.h"

#include "ksd/device_db.h"
#include "ksd/log.h"
#include "ksd/number.h"
#include "ksd/queue_export.h"
#include "ksd/skm.h"
#include "ksd/taxonomy.h"
#include "ksd/tickets.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

namespace ksd::sync {

using nlohmann::json;

namespace {

constexpr char const* component = "sync";

// A string field of an object from the network, or "" when absent or of another type. Never
// operator[] on a const json: a missing key is an assertion failure there, and a hostile or
// broken answer must not crash the agent.
std::string text_field(json const& object, char const* key) {
    if (!object.is_object())
        return {};
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The ticket as sent (PROTOCOL.md): one definition with the USB export's (queue_export.h).
json ticket_json(Ticket const& t, BootClock const& boot_now) {
    return ticket_upload_json(t, boot_now);
}

} // namespace

// From here to the next anonymous namespace: shared with skm_upload.cpp (upload_common.h).
BootClock boot_now(SyncSettings const& s) {
    return s.boot_clock ? s.boot_clock() : BootClock {};
}

// An exact non-negative integer field of an answer.
std::optional<int64_t> time_field(json const& object, char const* key) {
    if (!object.is_object())
        return std::nullopt;
    auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer() || it->get<int64_t>() < 0)
        return std::nullopt;
    return it->get<int64_t>();
}

// The server's dates of a ticket (a result or an update), issue 11; nullopt from an older server.
struct ServerDates {
    int64_t received_at {0};
    int64_t made_at {0};
    bool made_at_estimated {false};
};
std::optional<ServerDates> server_dates(json const& item) {
    auto received = time_field(item, "received_at");
    auto made = time_field(item, "made_at");
    auto estimated = item.find("made_at_estimated");
    if (!received || !made || estimated == item.end() || !estimated->is_boolean())
        return std::nullopt;
    return ServerDates {*received, *made, estimated->get<bool>()};
}

// Records the server's time of an answer with the boot clock now (for server_now).
void remember(Db& db, json const& answer, BootClock const& boot) {
    auto at = time_field(answer, "server_time");
    if (!at)
        return;
    if (auto r = remember_server_time(db, *at, boot); !r.ok())
        log::warn(component, "cannot record the server's time: " + r.error().message);
}

Result<std::string> gzip(std::string const& data) {
    z_stream z {};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return Error {"cannot start gzip"};
    std::string out(deflateBound(&z, data.size()), '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END)
        return Error {"gzip failed"};
    return out;
}

// The server's own answer: the KSD-Protocol header and a JSON object with protocol 1. Anything
// else (a portal's page, a proxy's error) is not an answer at all.
std::optional<json> own_answer(HttpResponse const& r) {
    if (r.header("ksd-protocol") != "1")
        return std::nullopt;
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("protocol") || j["protocol"] != 1)
        return std::nullopt;
    return j;
}

std::string describe_failure(HttpResponse const& r, std::optional<json> const& answer) {
    std::string s = "HTTP " + std::to_string(r.status);
    if (r.status >= 300 && r.status < 400)
        return s + " redirect to '" + r.header("location") + "' (captive portal?)";
    if (!answer)
        return s + " not the KSD server's answer (content-type '" + r.header("content-type") + "')";
    auto err = answer->find("error");
    if (err != answer->end() && !text_field(*err, "code").empty())
        return s + " " + text_field(*err, "code") + ": " + text_field(*err, "message");
    return s + " unexpected answer";
}

std::vector<std::string> auth_headers(SyncSettings const& s) {
    return {"Authorization: Bearer " + s.token, "Accept: application/json"};
}

namespace {

enum class Outcome { Acknowledged, Quarantined, Retry };

struct Decision {
    Outcome outcome {Outcome::Retry};
    std::string server_status; // Acknowledged
    std::string reason; // Quarantined, Retry
    std::optional<ServerDates> dates; // Acknowledged, from a server since issue 11
};

Result<std::vector<Ticket>> due_tickets(Db& db, int64_t now, int limit, bool ignore_schedule) {
    // A next attempt absurdly far ahead was stored under a wrong clock (or the clock is wrong
    // now); waiting for it could mean waiting for decades, so it is due.
    TRY_RESULT(auto st,
        db.prepare("SELECT id FROM tickets WHERE state = 'queued' AND (?3 != 0 "
                   "OR next_attempt_at <= ?1 OR next_attempt_at > ?1 + ?4) "
                   "ORDER BY sequence LIMIT ?2"));
    st.bind_all(now, limit, ignore_schedule ? 1 : 0, absurd_future_s);
    std::vector<std::string> ids;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        ids.push_back(st.column_text(0));
    }
    std::vector<Ticket> out;
    for (auto const& id : ids) {
        TRY_RESULT(auto t, find_ticket_by_id(db, id));
        if (t)
            out.push_back(std::move(*t));
    }
    return out;
}

// Decides every sent ticket's fate from the upload's outcome.
std::vector<Decision> decide(std::vector<Ticket> const& tickets,
    Result<HttpResponse> const& response, int64_t now, std::optional<int64_t>& retry_after) {
    std::vector<Decision> out(tickets.size());
    if (!response.ok()) {
        for (auto& d : out)
            d.reason = response.error().message;
        return out;
    }
    HttpResponse const& r = response.value();
    auto answer = own_answer(r);
    bool results_ok = answer && (r.status == 200 || r.status == 207)
        && (*answer)["kind"] == "ticket_results" && (*answer)["results"].is_array();
    if (!results_ok) {
        if (r.status == 429 || r.status == 503)
            retry_after = parse_retry_after(r.header("retry-after"), now);
        std::string why = describe_failure(r, answer);
        for (auto& d : out)
            d.reason = why;
        return out;
    }
    std::map<std::string, json const*> by_id;
    for (auto const& item : (*answer)["results"])
        if (!text_field(item, "id").empty())
            by_id[text_field(item, "id")] = &item;
    for (size_t i = 0; i < tickets.size(); ++i) {
        auto it = by_id.find(tickets[i].id);
        if (it == by_id.end()) {
            // No result for it: as if there had been no answer for this ticket.
            out[i].reason = "no result for this ticket in the server's answer";
            continue;
        }
        json const& item = *it->second;
        std::string result = text_field(item, "result");
        if (result == "created" || result == "duplicate") {
            out[i].outcome = Outcome::Acknowledged;
            out[i].server_status = text_field(item, "status");
            out[i].reason = result;
            out[i].dates = server_dates(item);
        } else if (result == "conflict" || result == "invalid") {
            out[i].outcome = Outcome::Quarantined;
            std::string reason = text_field(item, "reason");
            out[i].reason = result + ": " + (reason.empty() ? "no reason given" : reason);
        } else {
            out[i].reason = "unknown result '" + result + "'";
        }
    }
    return out;
}

// ack_at: when the server acknowledged (its server_time); now: the device's wall clock, for the
// next attempts (stored and compared on it).
Result<void> record(Db& db, std::vector<Ticket> const& tickets,
    std::vector<Decision> const& decisions, int64_t now, int64_t ack_at,
    std::optional<int64_t> retry_after, std::function<double()> const& unit_random,
    PassReport& report) {
    TRY_RESULT(auto tx, Transaction::begin(db));
    TRY_RESULT(auto ack,
        db.prepare("UPDATE tickets SET state = 'acknowledged', acknowledged_at = ?1, "
                   "server_status = coalesce(nullif(?2, ''), server_status), last_error = '' "
                   "WHERE id = ?3 AND state IN ('queued', 'sending')"));
    // The server's dates, also for a ticket already acknowledged (a resend after a restore).
    TRY_RESULT(auto dates,
        db.prepare("UPDATE tickets SET server_received_at = ?1, server_made_at = ?2, "
                   "server_made_at_estimated = ?3 WHERE id = ?4"));
    TRY_RESULT(auto quarantine,
        db.prepare("UPDATE tickets SET state = 'quarantined', attempts = attempts + 1, "
                   "last_error = ?, quarantine_seen_at = 0 WHERE id = ? "
                   "AND state IN ('queued', 'sending')"));
    TRY_RESULT(auto retry,
        db.prepare("UPDATE tickets SET state = 'queued', attempts = attempts + 1, "
                   "last_error = ?, next_attempt_at = ? WHERE id = ? "
                   "AND state IN ('queued', 'sending')"));
    for (size_t i = 0; i < tickets.size(); ++i) {
        Ticket const& t = tickets[i];
        Decision const& d = decisions[i];
        switch (d.outcome) {
        case Outcome::Acknowledged:
            ack.bind_all(ack_at, d.server_status, t.id);
            TRY_VOID(ack.run());
            if (d.dates) {
                dates.bind_all(d.dates->received_at, d.dates->made_at,
                    d.dates->made_at_estimated ? 1 : 0, t.id);
                TRY_VOID(dates.run());
            }
            ++report.acknowledged;
            log::info(component,
                "ticket " + t.code + " acknowledged (" + d.reason + ", status '" + d.server_status
                    + "')");
            break;
        case Outcome::Quarantined:
            quarantine.bind_all(d.reason, t.id);
            TRY_VOID(quarantine.run());
            ++report.quarantined;
            log::warn(component, "ticket " + t.code + " quarantined: " + d.reason);
            break;
        case Outcome::Retry: {
            int64_t delay
                = retry_after ? *retry_after : backoff_delay(t.attempts + 1, unit_random());
            retry.bind_all(d.reason, now + delay, t.id);
            TRY_VOID(retry.run());
            ++report.retry_later;
            report.last_error = d.reason;
            log::warn(component,
                "ticket " + t.code + " not delivered (attempt " + std::to_string(t.attempts + 1)
                    + "), retry in " + std::to_string(delay) + " s: " + d.reason);
            break;
        }
        }
    }
    auto committed = tx.commit();
    if (!committed.ok())
        // The outcome is unknown; whatever was not recorded is simply sent again, and the server
        // answers a resent ticket with its first result.
        return Error {"cannot record the upload's results: " + committed.error().message};
    return {};
}

} // namespace

// From here to the next anonymous namespace: shared with skm_upload.cpp (upload_common.h).
// The error code of the server's own error answer, or "" for anything else (a proxy's page).
std::string own_error_code(std::optional<json> const& answer) {
    if (!answer)
        return {};
    auto err = answer->find("error");
    return err == answer->end() ? std::string() : text_field(*err, "code");
}

// A whole request that the KSD server itself refused for what the tickets contain (PROTOCOL.md:
// 400 malformed or bad shape, 413 too large or too many): resending it unchanged can never
// succeed. Only the server's own answer (header, protocol, error code) counts: a 413 or 400
// page of nginx or of any other box on the way says nothing about the tickets, and is retried.
std::optional<std::string> refused_whole(HttpResponse const& r) {
    auto answer = own_answer(r);
    std::string const code = own_error_code(answer);
    bool const content
        = (r.status == 413 && (code == "payload_too_large" || code == "batch_too_large"))
        || (r.status == 400
            && (code == "malformed_json" || code == "invalid_utf8" || code == "bad_request"));
    if (!content)
        return std::nullopt;
    return describe_failure(r, answer);
}

// The server refused the upload because the tickets name another kiosk than the token: the
// configuration's fault, never the tickets'.
bool kiosk_mismatch(HttpResponse const& r) {
    return r.status == 403 && own_error_code(own_answer(r)) == "kiosk_mismatch";
}

namespace {

struct Prepared {
    Ticket ticket;
    std::string json;
};

// Sends one batch and records the outcome; a batch refused whole is halved until each refused
// ticket is alone, and such a ticket is quarantined (the others flow).
Result<void> send_batch(Db& db, HttpClient& http, SyncSettings const& settings, int64_t now,
    std::function<double()> const& unit_random, std::vector<Prepared> const& batch,
    PassReport& report) {
    std::string joined;
    std::vector<Ticket> tickets;
    for (auto const& p : batch) {
        joined += (joined.empty() ? "" : ",") + p.json;
        tickets.push_back(p.ticket);
    }
    TRY_RESULT(auto body, gzip("{\"tickets\":[" + joined + "]}"));
    auto headers = auth_headers(settings);
    headers.push_back("Content-Type: application/json");
    headers.push_back("Content-Encoding: gzip");
    log::info(component, "sending " + std::to_string(tickets.size()) + " ticket(s)");
    auto response = http.request("POST", settings.server_url + "/api/v1/tickets", headers, body);
    if (response.ok()) {
        if (auto why = refused_whole(*response)) {
            if (batch.size() == 1) {
                std::vector<Decision> d(1);
                d[0].outcome = Outcome::Quarantined;
                d[0].reason = "refused: " + *why;
                return record(db, tickets, d, now, now, std::nullopt, unit_random, report);
            }
            log::warn(component,
                "batch of " + std::to_string(batch.size()) + " refused (" + *why
                    + "): splitting it to find the ticket(s) refused alone");
            auto mid = batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2);
            TRY_VOID(send_batch(db, http, settings, now, unit_random,
                std::vector<Prepared>(batch.begin(), mid), report));
            return send_batch(db, http, settings, now, unit_random,
                std::vector<Prepared>(mid, batch.end()), report);
        }
        if (response->status == 401) {
            report.unauthorized = true;
            report.last_error = describe_failure(*response, own_answer(*response));
        }
        if (kiosk_mismatch(*response)) {
            report.config_error = "configuration error: "
                + describe_failure(*response, own_answer(*response)) + " (the tickets stay queued)";
            report.last_error = report.config_error;
        }
    }
    std::optional<int64_t> retry_after;
    auto decisions = decide(tickets, response, now, retry_after);
    if (retry_after)
        report.retry_after = retry_after;
    // Acknowledged at the server's time of its answer: the device's clock may say 1970.
    BootClock const boot = boot_now(settings);
    int64_t ack_at = now;
    std::optional<json> answer = response.ok() ? own_answer(*response) : std::nullopt;
    if (auto at = answer ? time_field(*answer, "server_time") : std::nullopt) {
        ack_at = *at;
        remember(db, *answer, boot);
    } else if (auto heard = server_now(db, boot); heard.ok() && *heard) {
        ack_at = **heard;
    }
    return record(db, tickets, decisions, now, ack_at, retry_after, unit_random, report);
}

// Tickets waiting to be sent that name another kiosk than the token's: device.id and the token
// disagree. The server would refuse them (403 kiosk_mismatch); they are not even sent.
Result<std::string> foreign_kiosk(Db& db, std::string const& kiosk) {
    TRY_RESULT(auto st,
        db.prepare("SELECT kiosk_id, count(*) FROM tickets WHERE state IN ('queued', 'sending') "
                   "AND kiosk_id != ?1 GROUP BY kiosk_id ORDER BY count(*) DESC LIMIT 1"));
    st.bind(1, kiosk);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::string();
    std::string const other = st.column_text(0);
    return "configuration error: " + std::to_string(st.column_int64(1))
        + " queued ticket(s) were made with device.id '" + other + "' but the token is kiosk '"
        + kiosk + "'. Register this kiosk as '" + other + "' (ksd-server kiosk add " + other
        + ") and use that token, or set device.id to '" + kiosk
        + "' (tickets made before keep their id). Nothing is quarantined: the tickets stay "
          "queued";
}

Result<void> upload(Db& db, HttpClient& http, SyncSettings const& settings, int64_t now,
    std::function<double()> const& unit_random, PassReport& report) {
    std::string const kiosk = token_kiosk(settings.token);
    TRY_RESULT(auto foreign, foreign_kiosk(db, kiosk));
    if (!foreign.empty()) {
        report.config_error = foreign;
        report.last_error = foreign;
    }
    TRY_RESULT(auto all_due, due_tickets(db, now, settings.batch_limit, settings.ignore_schedule));
    std::vector<Ticket> tickets;
    for (auto& t : all_due)
        if (t.kiosk_id == kiosk)
            tickets.push_back(std::move(t));
    if (tickets.empty()) {
        log::debug(component, "no ticket due");
        return {};
    }
    report.more_due = static_cast<int>(tickets.size()) >= settings.batch_limit;
    // Each ticket is serialised alone first: dump() throws on invalid UTF-8, and one such
    // ticket is quarantined here rather than blocking every other one (I4).
    std::vector<Prepared> sendable;
    std::vector<Ticket> unsendable;
    BootClock const boot = boot_now(settings);
    for (auto const& t : tickets) {
        try {
            sendable.push_back(Prepared {t, ticket_json(t, boot).dump()});
        } catch (json::exception const& e) {
            unsendable.push_back(t);
        }
    }
    if (!unsendable.empty()) {
        std::vector<Decision> bad(unsendable.size());
        for (auto& d : bad) {
            d.outcome = Outcome::Quarantined;
            d.reason = "invalid: not valid UTF-8 on the device";
        }
        TRY_VOID(record(db, unsendable, bad, now, now, std::nullopt, unit_random, report));
    }
    if (sendable.empty())
        return {};
    report.sent = static_cast<int>(sendable.size());
    return send_batch(db, http, settings, now, unit_random, sendable, report);
}

int64_t count_of(Db& db, std::string const& sql, std::string const& kiosk) {
    auto st = db.prepare(sql);
    if (!st)
        return 0;
    st->bind(1, kiosk);
    auto row = st->step();
    return row.ok() && *row ? st->column_int64(0) : 0;
}

int64_t int_field(json const& object, char const* key, int64_t fallback) {
    if (!object.is_object())
        return fallback;
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

// A server restored from a backup (or replaced by another database) has lost what was stored
// after the backup: tickets this kiosk holds as acknowledged, and its change sequence went back.
// The first updates answer says what the server holds (PROTOCOL.md); when it holds fewer of this
// kiosk's tickets than the kiosk has acknowledged, when it is another database, or when the
// cursor is not one of its changes, the cursor goes back to 0 and the acknowledged tickets the
// kiosk still has whole are queued again (the server answers `duplicate` for those it holds).
// Returns true when the cursor was reset.
Result<bool> check_restore(Db& db, json const& answer, int64_t cursor, int64_t acknowledged,
    std::string const& kiosk, PassReport& report) {
    std::string const db_id = text_field(answer, "db_id");
    if (db_id.empty())
        return false; // an older server: nothing to compare
    TRY_RESULT(auto stored_id, get_state(db, server_db_id_key));
    bool const other_db = stored_id && !stored_id->empty() && *stored_id != db_id;
    auto known = answer.find("cursor_known");
    bool const cursor_lost = (known != answer.end() && known->is_boolean() && !known->get<bool>())
        || int_field(answer, "latest_seq", cursor) < cursor;
    int64_t const held = int_field(answer.value("held", json::object()), "tickets", acknowledged);
    bool const tickets_lost = held < acknowledged;
    if (!other_db && !cursor_lost && !tickets_lost) {
        if (!stored_id || *stored_id != db_id)
            TRY_VOID(set_state(db, server_db_id_key, db_id));
        return false;
    }
    std::string why = other_db ? "it is another database (db_id " + db_id + ")"
        : tickets_lost         ? "it holds " + std::to_string(held) + " of the "
            + std::to_string(acknowledged) + " tickets it acknowledged"
                       : "its change sequence went back below " + std::to_string(cursor);
    log::warn(component,
        "the server was restored from a backup or replaced: " + why
            + "; asking for every update again and sending again what it lost");
    TRY_RESULT(auto tx, Transaction::begin(db));
    if (other_db || tickets_lost) {
        TRY_RESULT(auto requeue,
            db.prepare("UPDATE tickets SET state = 'queued', attempts = 0, next_attempt_at = 0, "
                       "last_error = 'sent again: the server was restored' "
                       "WHERE state = 'acknowledged' AND purged = 0 AND kiosk_id = ?1"));
        requeue.bind(1, kiosk);
        TRY_VOID(requeue.run());
        report.requeued_after_restore = db.changes();
        int64_t purged = count_of(db,
            "SELECT count(*) FROM tickets WHERE state = 'acknowledged' AND purged = 1 "
            "AND kiosk_id = ?1",
            kiosk);
        log::warn(component,
            std::to_string(report.requeued_after_restore)
                + " acknowledged ticket(s) queued again for the restored server"
                + (purged > 0 ? "; " + std::to_string(purged)
                            + " older one(s) had their personal data purged here already and "
                              "cannot be sent again (see the restore procedure)"
                              : std::string()));
    }
    TRY_VOID(set_state(db, updates_cursor_key, "0"));
    TRY_VOID(set_state(db, server_db_id_key, db_id));
    TRY_VOID(tx.commit());
    return true;
}

// An exact JSON integer from min to 2^53-1 (1.0, 1e3 and 2^64-1 are not).
bool exact_integer(json const& v, int64_t min) {
    constexpr int64_t max = (int64_t {1} << 53) - 1;
    if (v.is_number_unsigned())
        return v.get<uint64_t>() <= static_cast<uint64_t>(max)
            && static_cast<int64_t>(v.get<uint64_t>()) >= min;
    return v.is_number_integer() && v.get<int64_t>() >= min && v.get<int64_t>() <= max;
}

// The `replies` of an update (PROTOCOL.md): nullopt when absent (a server before issue 10: only
// staff_reply is known) or not a list of {id, at, role, text} with positive integer ids.
std::optional<std::vector<StaffReply>> update_replies(json const& u) {
    auto it = u.find("replies");
    if (it == u.end() || !it->is_array())
        return std::nullopt;
    std::vector<StaffReply> out;
    for (auto const& r : *it) {
        if (!r.is_object() || !exact_integer(r.value("id", json()), 1)
            || !exact_integer(r.value("at", json()), 0) || !r.contains("text")
            || !r["text"].is_string())
            return std::nullopt;
        auto role = text_field(r, "role");
        out.push_back({r["id"].get<int64_t>(), r["at"].get<int64_t>(),
            role.empty() ? std::string("responder") : role, r["text"].get<std::string>()});
    }
    return out;
}

// Applies one update to this device's ticket (the ticket's whole state after a change on the
// server). Returns whether the ticket is one of this device's.
Result<bool> apply_update(Db& db, json const& u) {
    std::string const id = text_field(u, "ticket_id");
    if (id.empty())
        return false;
    TRY_RESULT(auto apply,
        db.prepare("UPDATE tickets SET server_status = ?1, staff_reply = ?2, server_referral = ?3 "
                   "WHERE id = ?4"));
    apply.bind_all(
        text_field(u, "status"), text_field(u, "staff_reply"), text_field(u, "referral"), id);
    TRY_VOID(apply.run());
    if (db.changes() == 0)
        return false;
    if (auto dates = server_dates(u)) {
        TRY_RESULT(auto st,
            db.prepare("UPDATE tickets SET server_received_at = ?1, server_made_at = ?2, "
                       "server_made_at_estimated = ?3 WHERE id = ?4"));
        st.bind_all(dates->received_at, dates->made_at, dates->made_at_estimated ? 1 : 0, id);
        TRY_VOID(st.run());
    }
    auto replies = update_replies(u);
    if (replies)
        TRY_VOID(store_staff_replies(db, id, *replies));
    else if (u.contains("replies"))
        log::warn(component,
            "ticket " + text_field(u, "code")
                + ": the update's replies are malformed; kept "
                  "the latest reply only");
    log::info(component,
        "ticket " + text_field(u, "code") + " now '" + text_field(u, "status") + "'"
            + (text_field(u, "staff_reply").empty() ? std::string()
                                                    : " with "
                        + std::to_string(replies ? replies->size() : 1) + " staff reply(ies)"));
    return true;
}

Result<void> fetch_updates(
    Db& db, HttpClient& http, SyncSettings const& settings, PassReport& report) {
    std::string const kiosk = token_kiosk(settings.token);
    bool checked = false;
    for (int page = 0; page < settings.max_update_pages; ++page) {
        TRY_RESULT(auto stored, get_state(db, updates_cursor_key));
        std::string cursor = stored.value_or("0");
        // Counted before asking: whatever this kiosk acknowledged, the server had committed.
        int64_t const acknowledged = count_of(db,
            "SELECT count(*) FROM tickets WHERE state = 'acknowledged' AND kiosk_id = ?1", kiosk);
        TRY_RESULT(auto r,
            http.request("GET", settings.server_url + "/api/v1/updates?since=" + cursor,
                auth_headers(settings)));
        auto answer = own_answer(r);
        if (r.status == 401)
            report.unauthorized = true;
        if (!answer || r.status != 200 || (*answer)["kind"] != "updates"
            || !(*answer)["cursor"].is_number_integer() || !(*answer)["updates"].is_array())
            return Error {"updates: " + describe_failure(r, answer)};
        if (!checked) {
            checked = true;
            int64_t const since = ksd::parse_int<int64_t>(cursor).value_or(0);
            TRY_RESULT(bool reset, check_restore(db, *answer, since, acknowledged, kiosk, report));
            if (reset) {
                --page; // the same page again, from 0
                continue;
            }
        }
        remember(db, *answer, boot_now(settings));
        TRY_RESULT(auto tx, Transaction::begin(db));
        for (auto const& u : (*answer)["updates"]) {
            TRY_RESULT(bool applied, apply_update(db, u));
            if (applied)
                ++report.updates_applied;
        }
        auto next = (*answer)["cursor"].get<int64_t>();
        TRY_VOID(set_state(db, updates_cursor_key, std::to_string(next)));
        TRY_VOID(tx.commit());
        // Asks again only while the server has more and the cursor moves (no endless loop).
        if (!(*answer)["more"].is_boolean() || !(*answer)["more"].get<bool>()
            || std::to_string(next) == cursor)
            break;
    }
    report.updates_ok = true;
    return {};
}

} // namespace

namespace {

// Writes what the staff screen shows about the pass, and purges old personal data.
Result<void> after_pass(
    Db& db, SyncSettings const& settings, int64_t now, PassReport const& report) {
    TRY_VOID(set_state(db, last_attempt_key, std::to_string(now)));
    std::string result;
    if (!report.failed()) {
        TRY_VOID(set_state(db, last_success_key, std::to_string(now)));
        result = "ok: " + std::to_string(report.acknowledged) + " sent";
        if (report.quarantined > 0)
            result += ", " + std::to_string(report.quarantined) + " quarantined";
        // A pass that delivered only survey answers must not read as one that did nothing.
        if (report.skm_acknowledged > 0)
            result += ", " + std::to_string(report.skm_acknowledged) + " survey answer(s) sent";
        if (report.skm_quarantined > 0)
            result += ", " + std::to_string(report.skm_quarantined) + " survey answer(s) held";
    } else {
        result = "error: " + (report.last_error.empty() ? "unknown" : report.last_error);
    }
    if (result.size() > 160)
        result = result.substr(0, 157) + "...";
    TRY_VOID(set_state(db, last_result_key, result));
    if (report.unauthorized) {
        TRY_VOID(set_state(db, auth_error_key, report.last_error));
        log::error(component,
            "the server refused this kiosk's token (" + report.last_error
                + "): check the token file; the tickets stay queued");
    } else if (report.updates_ok) {
        TRY_VOID(set_state(db, auth_error_key, ""));
    }
    if (!report.config_error.empty()) {
        TRY_VOID(set_state(db, config_error_key, report.config_error));
        log::error(component, report.config_error);
    } else if (report.updates_ok) {
        TRY_VOID(set_state(db, config_error_key, ""));
    }
    // acknowledged_at is the server's time, so the purge judges by the server's time: as heard in
    // this boot plus the boot clock since; else the wall clock, only when it is trusted (a clock
    // in 2099 would purge everything at once).
    int64_t purge_now = now;
    TRY_RESULT(auto heard, server_now(db, boot_now(settings)));
    if (heard) {
        purge_now = *heard;
    } else if (settings.clock_trusted && !settings.clock_trusted()) {
        log::debug(component,
            "purge of personal data postponed: the clock is not synchronised and the server's "
            "time is not known in this boot");
        return {};
    }
    TRY_RESULT(int purged, purge_personal_data(db, purge_now, settings.retention_days * 86400));
    if (purged > 0)
        log::info(component,
            "personal data of " + std::to_string(purged) + " ticket(s) purged after "
                + std::to_string(settings.retention_days) + " days");
    return {};
}

} // namespace

Result<PassReport> run_sync_pass(Db& db, HttpClient& http, SyncSettings const& settings,
    int64_t now, std::function<double()> const& unit_random) {
    PassReport report;
    TRY_VOID(upload(db, http, settings, now, unit_random, report));
    // After a failed upload the server is most likely unreachable; the next pass asks again.
    if (!(report.retry_later > 0 && report.acknowledged == 0 && report.quarantined == 0)) {
        // Issue 14: the survey responses, after the tickets (they matter less).
        TRY_VOID(upload_skm(db, http, settings, now, unit_random, report));
        auto updates = fetch_updates(db, http, settings, report);
        if (!updates.ok()) {
            report.last_error = updates.error().message;
            log::warn(component, updates.error().message);
        }
    }
    if (report.requeued_after_restore > 0) {
        // What the restored server lost goes again at once (one batch; the daemon goes on).
        int const sent = report.sent;
        TRY_VOID(upload(db, http, settings, now, unit_random, report));
        report.sent += sent;
        report.more_due = true;
    }
    if (auto r = after_pass(db, settings, now, report); !r)
        log::warn(component, "cannot record the pass: " + r.error().message);
    return report;
}

std::string token_kiosk(std::string const& token) {
    return token.substr(0, token.find('.'));
}

std::string plain_http_warning(std::string const& url) {
    std::string const scheme = "http://";
    if (url.compare(0, scheme.size(), scheme) != 0)
        return {};
    std::string host = url.substr(scheme.size());
    host = host.substr(0, host.find('/'));
    if (auto at = host.rfind('@'); at != std::string::npos)
        host = host.substr(at + 1);
    if (!host.empty() && host.front() == '[')
        host = host.substr(1, host.find(']') - 1);
    else
        host = host.substr(0, host.find(':'));
    for (auto& c : host)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool const loopback = host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
    if (loopback)
        return {};
    return "the server URL " + url
        + " is plain http:// outside this machine: the token and the visitors' requests "
          "cross the network unencrypted; use https:// (nginx with TLS, PROTOCOL.md)";
}

Result<std::string> requeue_quarantined(Db& db, int64_t now) {
    TRY_VOID(mark_quarantine_seen(db, now));
    TRY_RESULT(auto released, release_quarantined(db));
    for (auto const& t : released)
        log::info(component,
            "ticket " + t.code + " released by staff from quarantine (was: " + t.reason + ")");
    TRY_RESULT(int surveys, release_quarantined_skm_responses(db));
    return "released " + std::to_string(released.size())
        + " quarantined ticket(s) back to the queue\n"
        + (surveys > 0 ? "released " + std::to_string(surveys)
                    + " quarantined survey response(s) back to the queue\n"
                       : std::string());
}

Result<std::string> format_status(Db& db, int64_t now) {
    TRY_VOID(mark_quarantine_seen(db, now));
    TRY_RESULT(auto c, queue_counts(db));
    std::string out;
    out += "queued " + std::to_string(c.queued) + "\n";
    out += "sending " + std::to_string(c.sending) + "\n";
    out += "acknowledged " + std::to_string(c.acknowledged) + "\n";
    out += "quarantined " + std::to_string(c.quarantined) + "\n";
    out += "oldest_unsent_age_s "
        + std::to_string(c.oldest_unsent_created_at ? now - c.oldest_unsent_created_at : 0) + "\n";
    TRY_RESULT(auto st,
        db.prepare("SELECT code, last_error FROM tickets WHERE state = 'quarantined' OR "
                   "(state = 'queued' AND last_error != '') ORDER BY sequence"));
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out += "  " + st.column_text(0) + ": " + st.column_text(1) + "\n";
    }
    TRY_RESULT(auto surveys, format_skm_status(db));
    return out + surveys;
}

} // namespace ksd::sync
