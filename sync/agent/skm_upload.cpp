// The survey responses' upload; see skm_upload.h.
#include "skm_upload.h"

#include "backoff.h"
#include "upload_common.h"

#include "ksd/log.h"
#include "ksd/skm.h"
#include "ksd/taxonomy.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <vector>

namespace ksd::sync {

using nlohmann::json;

namespace {

constexpr char const* component = "sync";

enum class Fate { Acknowledged, Quarantined, Retry };

struct Verdict {
    Fate fate {Fate::Retry};
    std::string reason;
};

std::string field_text(json const& item, char const* key) {
    auto it = item.find(key);
    return it != item.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Each sent response's fate from the answer: only this server's own skm_results count.
std::vector<Verdict> judge(std::vector<SkmResponse> const& sent,
    Result<HttpResponse> const& response, int64_t now, std::optional<int64_t>& retry_after) {
    std::vector<Verdict> out(sent.size());
    if (!response.ok()) {
        for (auto& v : out)
            v.reason = response.error().message;
        return out;
    }
    HttpResponse const& r = response.value();
    auto answer = own_answer(r);
    bool const results_ok = answer && (r.status == 200 || r.status == 207)
        && answer->value("kind", json()) == "skm_results" && answer->contains("results")
        && (*answer)["results"].is_array();
    if (!results_ok) {
        if (r.status == 429 || r.status == 503)
            retry_after = parse_retry_after(r.header("retry-after"), now);
        std::string const why = describe_failure(r, answer);
        for (auto& v : out)
            v.reason = why;
        return out;
    }
    std::map<std::string, json const*> by_id;
    for (auto const& item : (*answer)["results"])
        if (item.is_object() && !field_text(item, "id").empty())
            by_id[field_text(item, "id")] = &item;
    for (size_t i = 0; i < sent.size(); ++i) {
        auto it = by_id.find(sent[i].id);
        if (it == by_id.end()) {
            out[i].reason = "no result for this survey response in the server's answer";
            continue;
        }
        std::string const result = field_text(*it->second, "result");
        if (result == "created" || result == "duplicate") {
            out[i].fate = Fate::Acknowledged;
            out[i].reason = result;
        } else if (result == "conflict" || result == "invalid") {
            out[i].fate = Fate::Quarantined;
            std::string const why = field_text(*it->second, "reason");
            out[i].reason = result + ": " + (why.empty() ? "no reason given" : why);
        } else {
            out[i].reason = "unknown result '" + result + "'";
        }
    }
    return out;
}

// Records the fates in one transaction, then deletes what the server acknowledged. A crash in
// between leaves acknowledged rows, deleted at the next pass; a crash before the commit sends
// them again, and the server answers duplicate.
Result<void> record(Db& db, std::vector<SkmResponse> const& sent,
    std::vector<Verdict> const& verdicts, int64_t now, std::optional<int64_t> retry_after,
    std::function<double()> const& unit_random, PassReport& report) {
    {
        TRY_RESULT(auto tx, Transaction::begin(db));
        for (size_t i = 0; i < sent.size(); ++i) {
            SkmResponse const& r = sent[i];
            Verdict const& v = verdicts[i];
            switch (v.fate) {
            case Fate::Acknowledged:
                TRY_VOID(mark_skm_acknowledged(db, r.id));
                ++report.skm_acknowledged;
                break;
            case Fate::Quarantined:
                TRY_VOID(quarantine_skm_response(db, r.id, v.reason));
                ++report.skm_quarantined;
                log::warn(component, "survey response " + r.id + " quarantined: " + v.reason);
                break;
            case Fate::Retry: {
                int64_t const delay
                    = retry_after ? *retry_after : backoff_delay(r.attempts + 1, unit_random());
                TRY_VOID(retry_skm_response(db, r.id, v.reason, now + delay));
                ++report.skm_retry_later;
                report.last_error = v.reason;
                log::warn(component,
                    "survey response " + r.id + " not delivered (attempt "
                        + std::to_string(r.attempts + 1) + "), retry in " + std::to_string(delay)
                        + " s: " + v.reason);
                break;
            }
            }
        }
        auto committed = tx.commit();
        if (!committed.ok())
            return Error {
                "cannot record the survey upload's results: " + committed.error().message};
    }
    TRY_RESULT(int deleted, delete_acknowledged_skm_responses(db));
    if (deleted > 0)
        log::info(component,
            std::to_string(deleted) + " survey response(s) delivered and deleted from the device");
    return {};
}

struct Item {
    SkmResponse response;
    std::string json;
};

// Sends one batch; a batch the server refuses whole for its content is halved until the
// response refused alone is found and quarantined (the others flow).
Result<void> send(Db& db, HttpClient& http, SyncSettings const& settings, int64_t now,
    std::function<double()> const& unit_random, std::vector<Item> const& batch,
    PassReport& report) {
    std::string joined;
    std::vector<SkmResponse> sent;
    for (auto const& it : batch) {
        joined += (joined.empty() ? "" : ",") + it.json;
        sent.push_back(it.response);
    }
    TRY_RESULT(auto body, gzip("{\"responses\":[" + joined + "]}"));
    auto headers = auth_headers(settings);
    headers.push_back("Content-Type: application/json");
    headers.push_back("Content-Encoding: gzip");
    log::info(component, "sending " + std::to_string(sent.size()) + " survey response(s)");
    auto response = http.request("POST", settings.server_url + "/api/v1/skm", headers, body);
    if (response.ok()) {
        if (auto why = refused_whole(*response)) {
            if (batch.size() == 1) {
                std::vector<Verdict> v(1);
                v[0].fate = Fate::Quarantined;
                v[0].reason = "refused: " + *why;
                return record(db, sent, v, now, std::nullopt, unit_random, report);
            }
            auto mid = batch.begin() + static_cast<std::ptrdiff_t>(batch.size() / 2);
            TRY_VOID(send(db, http, settings, now, unit_random,
                std::vector<Item>(batch.begin(), mid), report));
            return send(
                db, http, settings, now, unit_random, std::vector<Item>(mid, batch.end()), report);
        }
        if (response->status == 401) {
            report.unauthorized = true;
            report.last_error = describe_failure(*response, own_answer(*response));
        }
        if (kiosk_mismatch(*response)) {
            report.config_error
                = "configuration error: " + describe_failure(*response, own_answer(*response))
                + " (the survey responses stay queued)";
            report.last_error = report.config_error;
        }
        if (auto answer = own_answer(*response))
            remember(db, *answer, boot_now(settings));
    }
    std::optional<int64_t> retry_after;
    auto verdicts = judge(sent, response, now, retry_after);
    if (retry_after)
        report.retry_after = retry_after;
    return record(db, sent, verdicts, now, retry_after, unit_random, report);
}

} // namespace

Result<void> upload_skm(Db& db, HttpClient& http, SyncSettings const& settings, int64_t now,
    std::function<double()> const& unit_random, PassReport& report) {
    // Left from a pass that stopped between recording and deleting.
    TRY_VOID(delete_acknowledged_skm_responses(db));
    std::string const kiosk = token_kiosk(settings.token);
    TRY_RESULT(auto due,
        due_skm_responses(
            db, now, settings.batch_limit, settings.ignore_schedule, absurd_future_s));
    std::vector<Item> sendable;
    std::vector<SkmResponse> unsendable;
    std::string foreign;
    for (auto& r : due) {
        // Made under another device.id than the token's: a configuration error, as for tickets;
        // they wait, never quarantined.
        if (r.kiosk_id != kiosk) {
            foreign = r.kiosk_id;
            continue;
        }
        try {
            std::string text = skm_record_json(r).dump();
            sendable.push_back(Item {std::move(r), std::move(text)});
        } catch (json::exception const&) {
            unsendable.push_back(std::move(r));
        }
    }
    if (!foreign.empty() && report.config_error.empty()) {
        report.config_error = "configuration error: survey responses were made with device.id '"
            + foreign + "' but the token is kiosk '" + kiosk
            + "'; they stay queued until the two agree (see the tickets' message)";
        report.last_error = report.config_error;
    }
    if (!unsendable.empty()) {
        std::vector<Verdict> bad(unsendable.size());
        for (auto& v : bad) {
            v.fate = Fate::Quarantined;
            v.reason = "invalid: not valid UTF-8 on the device";
        }
        TRY_VOID(record(db, unsendable, bad, now, std::nullopt, unit_random, report));
    }
    if (sendable.empty())
        return {};
    report.more_due = report.more_due || static_cast<int>(due.size()) >= settings.batch_limit;
    report.skm_sent += static_cast<int>(sendable.size());
    return send(db, http, settings, now, unit_random, sendable, report);
}

Result<std::string> format_skm_status(Db& db) {
    TRY_RESULT(auto c, skm_queue_counts(db));
    std::string out = "survey_waiting " + std::to_string(c.queued + c.quarantined) + "\n";
    out += "survey_quarantined " + std::to_string(c.quarantined) + "\n";
    TRY_RESULT(auto waiting, unacknowledged_skm_responses(db, 1000));
    for (auto const& r : waiting)
        if (r.state == DeliveryState::Quarantined
            || (r.state == DeliveryState::Queued && !r.last_error.empty()))
            out += "  survey " + r.id + ": " + r.last_error + "\n";
    return out;
}

} // namespace ksd::sync
