// The sync protocol's routes. Every answer carries KSD-Protocol and a JSON body with "protocol",
// so a kiosk can tell this server's acknowledgement from a captive portal or a proxy's page.
#include "api.h"

#include "json_int.h"
#include "ksd/log.h"
#include "ksd/number.h"
#include "ksd/utf8.h"
#include "store.h"
#include "store_events.h"
#include "store_skm.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <optional>

namespace ksd::server {

using nlohmann::json;

Result<DbPool::Lease> DbPool::take() {
    {
        std::lock_guard lock(m_mutex);
        if (!m_free.empty()) {
            auto db = std::move(m_free.back());
            m_free.pop_back();
            return Lease(*this, std::move(db));
        }
    }
    TRY_RESULT(auto db, open_store(m_path, m_busy_timeout_ms));
    return Lease(*this, std::make_unique<Conn>(std::move(db)));
}

namespace {
// An answer's text may quote the client's own bytes (a parse error shows where it stopped, which
// can be inside a UTF-8 sequence): invalid UTF-8 is replaced, or dump() throws and a bad request
// becomes a 500 (found by the server fuzz target).
std::string dump_answer(json const& body) {
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}
} // namespace

std::string error_body(std::string_view code, std::string_view message) {
    json body {{"protocol", protocol_version},
        {"error", {{"code", std::string(code)}, {"message", std::string(message)}}}};
    return dump_answer(body);
}

void DbPool::give_back(std::unique_ptr<Conn> db) {
    // A PostgreSQL connection that was lost (the database restarted, a failover, a killed
    // backend) is closed here; the next request opens a new one.
    if (!db->usable())
        return;
    std::lock_guard lock(m_mutex);
    m_free.push_back(std::move(db));
}

namespace {

int64_t now() {
    return static_cast<int64_t>(std::time(nullptr));
}

void send_json(httplib::Response& res, int status, json body) {
    body["protocol"] = protocol_version;
    res.status = status;
    res.set_content(dump_answer(body), "application/json");
}

void send_error(
    httplib::Response& res, int status, std::string const& code, std::string const& message) {
    send_json(res, status, json {{"error", {{"code", code}, {"message", message}}}});
}

void send_internal(httplib::Response& res, Error const& e) {
    if (is_busy(e)) {
        // Overload, not failure: nothing was committed and the kiosk retries after a pause.
        log::warn("server", "database busy: " + e.message);
        res.set_header("Retry-After", std::to_string(busy_retry_after_s));
        send_error(res, 503, "busy", "the server is busy; retry after the Retry-After delay");
        return;
    }
    log::error("server", e.message);
    send_error(res, 500, "internal", "the server could not complete the request; retry later");
}

// The kiosk id of the request's bearer token; otherwise answers 401 and returns nullopt.
std::optional<std::string> authenticate_request(
    DbPool& pool, httplib::Request const& req, httplib::Response& res) {
    std::string header = req.get_header_value("Authorization");
    std::string const prefix = "Bearer ";
    if (header.compare(0, prefix.size(), prefix) != 0) {
        res.set_header("WWW-Authenticate", "Bearer");
        send_error(res, 401, "unauthorized", "missing bearer token");
        return std::nullopt;
    }
    auto lease = pool.take();
    if (!lease) {
        send_internal(res, lease.error());
        return std::nullopt;
    }
    auto id = authenticate(lease->db(), header.substr(prefix.size()));
    if (!id) {
        send_internal(res, id.error());
        return std::nullopt;
    }
    if (!*id) {
        res.set_header("WWW-Authenticate", "Bearer");
        send_error(res, 401, "unauthorized", "unknown or revoked token");
        return std::nullopt;
    }
    return **id;
}

constexpr int max_nesting = 32;
// A heartbeat is kept as sent, one per kiosk: a few hundred bytes in practice.
constexpr size_t max_heartbeat_bytes = 64 * 1024;

// The deepest nesting of arrays and objects in JSON text (strings skipped), without parsing.
int nesting_depth(std::string_view text) {
    int depth = 0;
    int deepest = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

// Parses a JSON request body; otherwise answers 400 naming the problem.
std::optional<json> parse_body(std::string const& body, httplib::Response& res) {
    if (auto bad = utf8::first_invalid(body)) {
        send_error(res, 400, "invalid_utf8",
            "the body is not valid UTF-8 (first bad byte at offset " + std::to_string(*bad) + ")");
        return std::nullopt;
    }
    // Deep nesting is refused before parsing: serialising it again would recurse that deep.
    if (nesting_depth(body) > max_nesting) {
        send_error(res, 400, "bad_request",
            "the body is nested deeper than " + std::to_string(max_nesting) + " levels");
        return std::nullopt;
    }
    json j = json::parse(body, nullptr, false);
    if (j.is_discarded()) {
        // Parse again with exceptions for nlohmann's message with line and column.
        // A number too large for a double (1e400) is an out_of_range, not a parse_error.
        try {
            [[maybe_unused]] auto again = json::parse(body);
        } catch (json::exception const& e) {
            send_error(res, 400, "malformed_json", e.what());
            return std::nullopt;
        }
        send_error(res, 400, "malformed_json", "the body is not JSON");
        return std::nullopt;
    }
    if (!j.is_object()) {
        send_error(res, 400, "bad_request", "the body must be a JSON object");
        return std::nullopt;
    }
    return j;
}

// Reads the (already gunzipped) body, stopping at the decoded-size limit.
std::optional<std::string> read_body(httplib::Request const& req,
    httplib::ContentReader const& reader, ApiLimits const& limits, httplib::Response& res) {
    size_t const max_bytes = limits.max_decoded_bytes;
    std::string body;
    bool too_big = false;
    bool complete = reader([&](char const* data, size_t n) {
        if (body.size() + n > max_bytes) {
            too_big = true;
            return false;
        }
        body.append(data, n);
        return true;
    });
    if (too_big) {
        send_error(res, 413, "payload_too_large",
            "the decoded body is larger than " + std::to_string(max_bytes) + " bytes");
        return std::nullopt;
    }
    // httplib stops reading at max_body_bytes on the wire (by Content-Length or while reading
    // a chunked body) and then reports a failed read.
    bool wire_too_big = res.status == 413
        || ksd::parse_int<uint64_t>(req.get_header_value("Content-Length")).value_or(0)
            > limits.max_body_bytes;
    if (!complete && wire_too_big) {
        send_error(res, 413, "payload_too_large",
            "the body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
        return std::nullopt;
    }
    if (!complete) {
        // Not the tickets' fault (a cut connection, bytes damaged on the way): its own code, so
        // that the kiosk retries instead of quarantining (PROTOCOL.md).
        send_error(res, 400, "incomplete_body", "the body could not be read or decoded");
        return std::nullopt;
    }
    return body;
}

} // namespace

Result<std::vector<IngestResult>> ingest_upload(
    Conn& db, std::string const& kiosk, json const& list, int64_t at, SlaRules const& sla) {
    // Invalid tickets are answered one by one so that one bad ticket never blocks the others.
    std::vector<json> valid;
    std::vector<std::optional<IngestResult>> results(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
        std::string reason = validate_ticket(list[i], kiosk);
        if (reason.empty()) {
            valid.push_back(list[i]);
            continue;
        }
        IngestResult r;
        if (list[i].is_object() && list[i].contains("id") && list[i]["id"].is_string())
            r.id = list[i]["id"].get<std::string>();
        r.result = "invalid";
        r.reason = reason;
        results[i] = r;
    }
    TRY_RESULT(auto stored, ingest(db, valid, at, sla));
    std::vector<IngestResult> out;
    out.reserve(list.size());
    size_t next = 0;
    for (auto& slot : results)
        out.push_back(slot ? std::move(*slot) : std::move(stored.at(next++)));
    return out;
}

json ingest_result_json(IngestResult const& r) {
    json item {{"id", r.id}, {"result", r.result}};
    if (r.result == "created" || r.result == "duplicate") {
        item["received_at"] = r.received_at;
        item["status"] = r.status;
        // Issue 11: when the request was made by the server's reckoning (PROTOCOL.md).
        item["made_at"] = r.made.at;
        item["made_at_estimated"] = r.made.estimated;
    } else {
        item["reason"] = r.reason;
    }
    return item;
}

namespace {

void post_tickets(DbPool& pool, ApiLimits const& limits, httplib::Request const& req,
    httplib::Response& res, httplib::ContentReader const& reader) {
    auto body = read_body(req, reader, limits, res);
    if (!body)
        return;
    auto kiosk = authenticate_request(pool, req, res);
    if (!kiosk)
        return;
    auto envelope = parse_body(*body, res);
    if (!envelope)
        return;
    if (!envelope->contains("tickets") || !(*envelope)["tickets"].is_array()) {
        send_error(res, 400, "bad_request", "tickets: missing or not an array");
        return;
    }
    auto const& list = (*envelope)["tickets"];
    if (list.size() > limits.max_batch) {
        send_error(res, 413, "batch_too_large",
            "at most " + std::to_string(limits.max_batch) + " tickets per request");
        return;
    }
    // A ticket of another kiosk is no fault of the ticket: the kiosk's device id and its token
    // disagree. Nothing is stored and the kiosk reports a configuration error (PROTOCOL.md).
    for (auto const& t : list) {
        if (auto other = names_other_kiosk(t, *kiosk)) {
            log::warn("server",
                "kiosk " + *kiosk + " uploaded tickets of kiosk '" + *other
                    + "': its device.id does not match its token");
            send_error(res, 403, "kiosk_mismatch",
                "the tickets name kiosk '" + *other + "' but the token is kiosk '" + *kiosk
                    + "'; set device.id to '" + *kiosk + "' or use that kiosk's token");
            return;
        }
    }
    auto lease = pool.take();
    if (!lease)
        return send_internal(res, lease.error());
    auto stored = ingest_upload(lease->db(), *kiosk, list, now(), limits.sla);
    if (!stored)
        return send_internal(res, stored.error());
    json out = json::array();
    bool all_ok = true;
    for (auto const& r : *stored) {
        all_ok = all_ok && (r.result == "created" || r.result == "duplicate");
        out.push_back(ingest_result_json(r));
    }
    // The peer address from the socket (req.remote_addr), never a header the client sent.
    log::info("server",
        "kiosk " + *kiosk + " from " + req.remote_addr + ": " + std::to_string(list.size())
            + " tickets received");
    send_json(res, all_ok ? 200 : 207,
        json {{"kind", "ticket_results"}, {"server_time", now()}, {"results", out}});
}

// Issue 14: survey responses, with the rules of tickets (PROTOCOL.md, POST /api/v1/skm): one
// result per record in the order sent; a bad record never blocks the others.
void post_skm(DbPool& pool, ApiLimits const& limits, httplib::Request const& req,
    httplib::Response& res, httplib::ContentReader const& reader) {
    auto body = read_body(req, reader, limits, res);
    if (!body)
        return;
    auto kiosk = authenticate_request(pool, req, res);
    if (!kiosk)
        return;
    auto envelope = parse_body(*body, res);
    if (!envelope)
        return;
    if (!envelope->contains("responses") || !(*envelope)["responses"].is_array()) {
        send_error(res, 400, "bad_request", "responses: missing or not an array");
        return;
    }
    auto const& list = (*envelope)["responses"];
    if (list.size() > limits.max_batch) {
        send_error(res, 413, "batch_too_large",
            "at most " + std::to_string(limits.max_batch) + " responses per request");
        return;
    }
    for (auto const& r : list) {
        if (auto other = names_other_kiosk(r, *kiosk)) {
            send_error(res, 403, "kiosk_mismatch",
                "the survey responses name kiosk '" + *other + "' but the token is kiosk '" + *kiosk
                    + "'; set device.id to '" + *kiosk + "' or use that kiosk's token");
            return;
        }
    }
    auto lease = pool.take();
    if (!lease)
        return send_internal(res, lease.error());
    auto stored = check_and_ingest_skm(lease->db(), list, *kiosk, now());
    if (!stored)
        return send_internal(res, stored.error());
    json out = json::array();
    bool all_ok = true;
    for (auto const& r : *stored) {
        all_ok = all_ok && (r.result == "created" || r.result == "duplicate");
        out.push_back(skm_result_json(r));
    }
    log::info("server",
        "kiosk " + *kiosk + " from " + req.remote_addr + ": " + std::to_string(list.size())
            + " survey responses received");
    send_json(res, all_ok ? 200 : 207,
        json {{"kind", "skm_results"}, {"server_time", now()}, {"results", out}});
}

void get_updates(
    DbPool& pool, ApiLimits const& limits, httplib::Request const& req, httplib::Response& res) {
    auto kiosk = authenticate_request(pool, req, res);
    if (!kiosk)
        return;
    int64_t since = 0;
    if (req.has_param("since")) {
        // Decimal digits only: no sign, space or exponent.
        std::string s = req.get_param_value("since");
        auto parsed = ksd::parse_int<int64_t>(s);
        if (!parsed || s[0] == '-' || *parsed > max_json_integer) {
            send_error(res, 400, "bad_request",
                "since: must be an integer cursor from 0 to " + std::to_string(max_json_integer));
            return;
        }
        since = *parsed;
    }
    auto lease = pool.take();
    if (!lease)
        return send_internal(res, lease.error());
    auto changes = changes_since(lease->db(), *kiosk, since, limits.max_updates + 1);
    if (!changes)
        return send_internal(res, changes.error());
    bool more = changes->size() > static_cast<size_t>(limits.max_updates);
    if (more)
        changes->pop_back();
    auto held = kiosk_holdings(lease->db(), *kiosk, since);
    if (!held)
        return send_internal(res, held.error());
    json list = json::array();
    int64_t cursor = since;
    // Each update carries all replies of its ticket up to its change (internal notes never);
    // a ticket's replies are read once per page. A page stops early once its replies reach
    // max_updates_bytes (at least one update goes), so that many long replies stay within what
    // a kiosk accepts in one answer.
    std::map<std::string, std::vector<ReplyOut>> replies_of;
    size_t reply_bytes = 0;
    for (auto const& c : *changes) {
        if (!list.empty() && reply_bytes >= limits.max_updates_bytes) {
            more = true;
            break;
        }
        auto found = replies_of.find(c.ticket_id);
        if (found == replies_of.end()) {
            auto all = replies_upto(lease->db(), c.ticket_id, max_json_integer);
            if (!all)
                return send_internal(res, all.error());
            found = replies_of.emplace(c.ticket_id, all.release_value()).first;
        }
        json replies = json::array();
        for (auto const& r : found->second)
            if (r.id <= c.reply_upto) {
                replies.push_back(
                    {{"id", r.id}, {"at", r.at}, {"role", "responder"}, {"text", r.text}});
                reply_bytes += r.text.size() + 64;
            }
        json u {{"seq", c.seq}, {"ticket_id", c.ticket_id}, {"code", c.code}, {"status", c.status},
            {"staff_reply", c.staff_reply}, {"at", c.at}, {"replies", std::move(replies)},
            {"received_at", c.received_at}, {"made_at", c.made.at},
            {"made_at_estimated", c.made.estimated}};
        if (!c.referral.empty())
            u["referral"] = c.referral;
        list.push_back(std::move(u));
        cursor = c.seq;
    }
    // The optional fields with which a kiosk notices a restored server (PROTOCOL.md).
    send_json(res, 200,
        json {{"kind", "updates"}, {"server_time", now()}, {"cursor", cursor}, {"more", more},
            {"updates", list}, {"db_id", held->db_id}, {"latest_seq", held->latest_seq},
            {"cursor_known", held->cursor_known},
            {"held", {{"tickets", held->tickets}, {"max_sequence", held->max_sequence}}}});
}

// The heartbeat's numbers, when present, are exact integers in range; otherwise names the field.
std::string heartbeat_number_error(json const& body) {
    struct Field {
        char const* name;
        int64_t min;
    };
    static constexpr Field top[]
        = {{"content_version", 0}, {"oldest_unsent_age_s", -max_json_integer},
            {"disk_free_bytes", 0}, {"uptime_s", 0}, {"last_frame_at", 0}, {"sent_at", 0}};
    for (auto const& f : top)
        if (body.contains(f.name) && !json_integer_in(body[f.name], f.min, max_json_integer))
            return std::string(f.name) + ": must be an integer from " + std::to_string(f.min)
                + " to " + std::to_string(max_json_integer);
    if (body.contains("queue")) {
        auto const& q = body["queue"];
        if (!q.is_object())
            return "queue: must be an object";
        for (auto const* name : {"queued", "sending", "acknowledged", "quarantined"})
            if (q.contains(name) && !json_integer_in(q[name], 0, max_json_integer))
                return std::string("queue.") + name + ": must be an integer from 0 to "
                    + std::to_string(max_json_integer);
    }
    return {};
}

void post_heartbeat(DbPool& pool, ApiLimits const& limits, httplib::Request const& req,
    httplib::Response& res, httplib::ContentReader const& reader) {
    // Read through a content reader, as for tickets, so that httplib never treats the body as a
    // form (it caps those at 8 KiB).
    ApiLimits small = limits;
    small.max_decoded_bytes = std::min(limits.max_decoded_bytes, max_heartbeat_bytes);
    auto raw = read_body(req, reader, small, res);
    if (!raw)
        return;
    auto kiosk = authenticate_request(pool, req, res);
    if (!kiosk)
        return;
    auto body = parse_body(*raw, res);
    if (!body)
        return;
    if (body->contains("kiosk_id")
        && (!(*body)["kiosk_id"].is_string() || (*body)["kiosk_id"] != *kiosk)) {
        send_error(res, 400, "bad_request", "kiosk_id: does not match the token's kiosk");
        return;
    }
    if (auto bad = heartbeat_number_error(*body); !bad.empty()) {
        send_error(res, 400, "bad_request", bad);
        return;
    }
    auto lease = pool.take();
    if (!lease)
        return send_internal(res, lease.error());
    if (auto r = store_heartbeat(lease->db(), *kiosk, *body, now()); !r)
        return send_internal(res, r.error());
    send_json(res, 200, json {{"kind", "heartbeat_ack"}, {"server_time", now()}});
}

// The preamble of the content endpoints: the token, then the newest published pack; otherwise
// answers (401, 404 no_content, 500/503) and returns nullopt.
std::optional<ContentRow> published_pack(
    DbPool& pool, httplib::Request const& req, httplib::Response& res) {
    if (!authenticate_request(pool, req, res))
        return std::nullopt;
    auto lease = pool.take();
    if (!lease) {
        send_internal(res, lease.error());
        return std::nullopt;
    }
    auto latest = latest_content(lease->db());
    if (!latest) {
        send_internal(res, latest.error());
        return std::nullopt;
    }
    if (!*latest)
        send_error(res, 404, "no_content", "no content pack has been published");
    return *latest;
}

void get_content_latest(DbPool& pool, httplib::Request const& req, httplib::Response& res) {
    auto latest = published_pack(pool, req, res);
    if (!latest)
        return;
    auto const& c = *latest;
    send_json(res, 200,
        json {{"kind", "content"}, {"version", c.version}, {"size", c.size}, {"sha256", c.sha256},
            {"minisig", c.signature}, {"published_at", c.published_at},
            {"url", "/api/v1/content/pack"}});
}

enum class RangeStatus { Whole, Part, Unsatisfiable };
struct ByteRange {
    RangeStatus status {RangeStatus::Whole};
    size_t first {0};
    size_t last {0}; // inclusive
};

// The Range header (RFC 9110 14.2) against a pack of size bytes. One range is served as 206; a
// list of ranges or an unreadable header gets the whole pack (a server may ignore Range), so no
// multipart answer is ever made; a range starting at or beyond the end is 416.
ByteRange single_range(std::string_view header, size_t size) {
    ByteRange r;
    if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string_view::npos)
        return r;
    std::string_view spec = header.substr(6);
    auto dash = spec.find('-');
    if (dash == std::string_view::npos)
        return r;
    auto from = spec.substr(0, dash);
    auto to = spec.substr(dash + 1);
    if (from.empty()) { // the last N bytes
        auto n = ksd::parse_int<size_t>(to);
        if (!n)
            return r;
        if (*n == 0 || size == 0)
            return {RangeStatus::Unsatisfiable, 0, 0};
        return {RangeStatus::Part, size - std::min(*n, size), size - 1};
    }
    auto first = ksd::parse_int<size_t>(from);
    auto last = to.empty() ? std::optional<size_t>(SIZE_MAX) : ksd::parse_int<size_t>(to);
    if (!first || !last || *last < *first)
        return r;
    if (*first >= size)
        return {RangeStatus::Unsatisfiable, 0, 0};
    return {RangeStatus::Part, *first, std::min(*last, size - 1)};
}

void get_content_pack(DbPool& pool, httplib::Request const& req, httplib::Response& res) {
    auto latest = published_pack(pool, req, res);
    if (!latest)
        return;
    auto const& c = *latest;
    std::string etag = "\"" + c.sha256 + "\"";
    res.set_header("ETag", etag);
    res.set_header("KSD-Content-Version", std::to_string(c.version));
    if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
    }
    // A Range for another pack than the one published now must not be answered with its bytes.
    if (req.has_header("If-Range") && req.get_header_value("If-Range") != etag) {
        send_error(res, 412, "precondition_failed",
            "the published pack changed; download it again from the start");
        return;
    }
    size_t const size = static_cast<size_t>(c.size);
    auto range = single_range(req.get_header_value("Range"), size);
    if (range.status == RangeStatus::Unsatisfiable) {
        res.set_header("Content-Range", "bytes */" + std::to_string(size));
        send_error(res, 416, "range_not_satisfiable",
            "the Range starts beyond the pack's " + std::to_string(size) + " bytes");
        return;
    }
    auto file = std::make_shared<std::ifstream>(c.path, std::ios::binary);
    if (!*file)
        return send_internal(res, make_error("cannot open published pack " + c.path));
    size_t first = 0;
    size_t length = size;
    switch (range.status) {
    case RangeStatus::Whole:
        res.status = 200;
        break;
    case RangeStatus::Part:
        first = range.first;
        length = range.last - range.first + 1;
        res.status = 206;
        res.set_header("Content-Range",
            "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/"
                + std::to_string(size));
        break;
    case RangeStatus::Unsatisfiable:
        return;
    }
    res.set_content_provider(length, "application/octet-stream",
        [file, first](size_t offset, size_t wanted, httplib::DataSink& sink) {
            char buf[64 * 1024];
            file->clear();
            file->seekg(static_cast<std::streamoff>(first + offset));
            size_t want = std::min(wanted, sizeof buf);
            file->read(buf, static_cast<std::streamsize>(want));
            auto got = file->gcount();
            if (got <= 0)
                return false;
            sink.write(buf, static_cast<size_t>(got));
            return true;
        });
}

} // namespace

bool is_api_path(std::string const& path) {
    // /t is the public status page (issue 11, web/pages_status.cpp): a person's browser too.
    return !path.starts_with("/staff") && path != "/t" && !path.starts_with("/t/");
}

void install_api(httplib::Server& server, DbPool& pool, ApiLimits const& limits) {
    server.set_payload_max_length(limits.max_body_bytes);
    // The protocol's header on the API only; the staff pages (/staff/) set their own headers.
    server.set_post_routing_handler([](httplib::Request const& req, httplib::Response& res) {
        if (!is_api_path(req.path))
            return;
        res.set_header("KSD-Protocol", std::to_string(protocol_version));
        res.set_header("Cache-Control", "no-store");
    });
    // Statuses httplib sets by itself (413 before the handler, 404, 415) get our error body too.
    server.set_error_handler(httplib::Server::HandlerWithResponse([](httplib::Request const& req,
                                                                      httplib::Response& res) {
        if (!res.body.empty() || res.content_length_ > 0)
            return httplib::Server::HandlerResponse::Unhandled;
        if (!is_api_path(req.path) && res.status != 304) {
            // A person's browser: a calm page, not JSON.
            res.set_content(web_error_page(res.status), "text/html; charset=utf-8");
            return httplib::Server::HandlerResponse::Handled;
        }
        switch (res.status) {
        case 413:
            send_error(res, 413, "payload_too_large", "the body is larger than the limit");
            break;
        case 415:
            send_error(res, 415, "unsupported_media_type", "Content-Encoding must be gzip or none");
            break;
        case 404:
            send_error(res, 404, "not_found", "no such endpoint");
            break;
        case 304:
            return httplib::Server::HandlerResponse::Unhandled;
        default:
            send_error(res, res.status, "http_error", "HTTP status " + std::to_string(res.status));
        }
        return httplib::Server::HandlerResponse::Handled;
    }));
    server.set_exception_handler(
        [](httplib::Request const& req, httplib::Response& res, std::exception_ptr ep) {
            std::string what = "unknown exception";
            try {
                std::rethrow_exception(std::move(ep));
            } catch (std::exception const& e) {
                what = e.what();
            } catch (...) { }
            if (!is_api_path(req.path)) {
                log::error("staff", req.method + " " + req.path + ": " + what);
                res.status = 500;
                res.set_content(web_error_page(500), "text/html; charset=utf-8");
                return;
            }
            send_internal(res, make_error(what));
        });

    server.Get("/api/v1/health", [](httplib::Request const&, httplib::Response& res) {
        send_json(res, 200, json {{"kind", "health"}, {"server_time", now()}});
    });
    server.Post("/api/v1/tickets",
        [&pool, &limits](httplib::Request const& req, httplib::Response& res,
            httplib::ContentReader const& reader) {
            post_tickets(pool, limits, req, res, reader);
        });
    server.Post("/api/v1/skm",
        [&pool, &limits](httplib::Request const& req, httplib::Response& res,
            httplib::ContentReader const& reader) { post_skm(pool, limits, req, res, reader); });
    server.Get(
        "/api/v1/updates", [&pool, &limits](httplib::Request const& req, httplib::Response& res) {
            get_updates(pool, limits, req, res);
        });
    server.Post("/api/v1/heartbeat",
        [&pool, &limits](httplib::Request const& req, httplib::Response& res,
            httplib::ContentReader const& reader) {
            post_heartbeat(pool, limits, req, res, reader);
        });
    server.Get(
        "/api/v1/content/latest", [&pool](httplib::Request const& req, httplib::Response& res) {
            get_content_latest(pool, req, res);
        });
    server.Get(
        "/api/v1/content/pack", [&pool](httplib::Request const& req, httplib::Response& res) {
            get_content_pack(pool, req, res);
        });
}

} // namespace ksd::server
