// Heartbeat, content downloads and the daemon loop; see agent.h.
#include "agent.h"

#include "backoff.h"

#include "ksd/clock.h"
#include "ksd/content_pack.h"
#include "ksd/device_db.h"
#include "ksd/disk.h"
#include "ksd/files.h"
#include "ksd/log.h"
#include "ksd/minisign.h"
#include "ksd/number.h"
#include "ksd/pack_import.h"
#include "ksd/skm.h"
#include "ksd/tickets.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sys/stat.h>
#include <thread>
#include <time.h>
#include <unistd.h>

namespace ksd::sync {

using nlohmann::json;

namespace {

constexpr char const* component = "sync";

int64_t wall_now() {
    return static_cast<int64_t>(std::time(nullptr));
}

std::optional<json> own_answer(HttpResponse const& r, char const* kind) {
    if (r.header("ksd-protocol") != "1")
        return std::nullopt;
    json j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("protocol") || j["protocol"] != 1)
        return std::nullopt;
    if (kind && (!j.contains("kind") || j["kind"] != kind))
        return std::nullopt;
    return j;
}

std::string error_code(HttpResponse const& r) {
    auto j = own_answer(r, nullptr);
    if (!j || !j->contains("error") || !(*j)["error"].is_object())
        return {};
    auto const& e = (*j)["error"];
    return e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
}

std::vector<std::string> auth_headers(SyncSettings const& s) {
    return {"Authorization: Bearer " + s.token, "Accept: application/json"};
}

int64_t boot_uptime_s() {
    timespec ts {};
    if (::clock_gettime(CLOCK_BOOTTIME, &ts) != 0)
        return 0;
    return static_cast<int64_t>(ts.tv_sec);
}

int64_t file_size(std::string const& path) {
    struct stat st { };
    return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : -1;
}

std::string sha256_hex(std::string const& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f)
        return {};
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    std::vector<char> buf(256 * 1024);
    while (f) {
        f.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto n = f.gcount();
        if (n > 0)
            crypto_hash_sha256_update(
                &st, reinterpret_cast<unsigned char const*>(buf.data()), static_cast<size_t>(n));
    }
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

void remove_partial(std::string const& partial) {
    std::remove(partial.c_str());
    std::remove((partial + ".minisig").c_str());
}

} // namespace

int64_t installed_content_version(std::string const& pack_path, std::string const& key_path) {
    if (pack_path.empty() || key_path.empty() || !file_exists(pack_path))
        return 0;
    auto key = minisign::load_public_key(key_path);
    if (!key)
        return 0;
    auto pack = ContentPack::open(pack_path, *key);
    return pack ? pack->meta().content_version : 0;
}

Result<void> send_heartbeat(Db& db, HttpClient& http, AgentSettings const& settings,
    std::string const& last_error, int64_t now) {
    TRY_RESULT(auto counts, queue_counts(db));
    std::string const& token = settings.sync.token;
    json body {{"kiosk_id", token.substr(0, token.find('.'))},
        {"app_version", settings.app_version},
        {"content_version",
            installed_content_version(settings.pack_path, settings.public_key_path)},
        {"queue",
            {{"queued", counts.queued}, {"sending", counts.sending},
                {"acknowledged", counts.acknowledged}, {"quarantined", counts.quarantined}}},
        {"oldest_unsent_age_s",
            counts.oldest_unsent_created_at ? now - counts.oldest_unsent_created_at : 0},
        {"last_error", last_error}, {"uptime_s", boot_uptime_s()},
        {"clock_trusted", ksd::clock_synchronised()}, {"sent_at", now}};
    if (auto space = disk_space(dirname_of(settings.db_path)); space.ok())
        body["disk_free_bytes"] = space->free_bytes;
    // What staff must fix on the kiosk, for the server's `kiosk list` (PROTOCOL.md).
    for (auto const* key : {config_error_key, warning_key}) {
        auto v = get_state(db, key);
        if (v.ok() && v->has_value() && !(*v)->empty())
            body[key == config_error_key ? "config_error" : "warning"] = **v;
    }
    if (auto frame = get_state(db, "kiosk.last_frame_at"); frame.ok() && frame->has_value()) {
        if (auto at = ksd::parse_int<int64_t>(**frame))
            body["last_frame_at"] = *at;
    }
    // The kiosk app's mark while its screen is dark by the office hours ("" while lit): the
    // server then shows "layar tidur", not "layar mati", for the frames it does not draw.
    if (auto asleep = get_state(db, screen_asleep_key); asleep.ok() && asleep->has_value()) {
        if (auto at = ksd::parse_int<int64_t>(**asleep))
            body["screen_asleep_at"] = *at;
    }
    auto headers = auth_headers(settings.sync);
    headers.push_back("Content-Type: application/json");
    TRY_RESULT(auto r,
        http.request("POST", settings.sync.server_url + "/api/v1/heartbeat", headers,
            body.dump(-1, ' ', false, json::error_handler_t::replace)));
    if (r.status != 200 || !own_answer(r, "heartbeat_ack"))
        return Error {"heartbeat: HTTP " + std::to_string(r.status) + " "
            + (error_code(r).empty() ? "not acknowledged" : error_code(r))};
    return {};
}

ContentReport update_content(Db& db, HttpClient& http, AgentSettings const& settings) {
    ContentReport report;
    if (settings.pack_path.empty() || settings.public_key_path.empty())
        return report;
    auto fail = [&](ContentOutcome o, std::string message) {
        report.outcome = o;
        report.message = std::move(message);
        if (o == ContentOutcome::Refused || o == ContentOutcome::Failed)
            log::warn(component, "content: " + report.message);
        else
            log::debug(component, "content: " + report.message);
        return report;
    };
    auto key = minisign::load_public_key(settings.public_key_path);
    if (!key)
        return fail(ContentOutcome::Failed, key.error().message);
    auto const headers = auth_headers(settings.sync);
    auto latest = http.request("GET", settings.sync.server_url + "/api/v1/content/latest", headers);
    if (!latest)
        return fail(ContentOutcome::Failed, latest.error().message);
    if (latest->status == 404 && error_code(*latest) == "no_content")
        return fail(ContentOutcome::NoneOnServer, "no pack published");
    auto meta = own_answer(*latest, "content");
    if (latest->status != 200 || !meta || !(*meta)["version"].is_number_integer()
        || !(*meta)["size"].is_number_integer() || !(*meta)["sha256"].is_string()
        || !(*meta)["minisig"].is_string())
        return fail(ContentOutcome::Failed,
            "content/latest: HTTP " + std::to_string(latest->status) + " unexpected answer");
    int64_t version = (*meta)["version"].get<int64_t>();
    int64_t size = (*meta)["size"].get<int64_t>();
    std::string sha = (*meta)["sha256"].get<std::string>();
    report.version = version;
    int64_t current = installed_content_version(settings.pack_path, settings.public_key_path);
    if (version <= current)
        return fail(ContentOutcome::UpToDate,
            "pack " + std::to_string(current) + " is up to date (server has "
                + std::to_string(version) + ")");
    auto refused = get_state(db, refused_sha_key);
    if (refused.ok() && refused->value_or("") == sha)
        return fail(ContentOutcome::Refused,
            "pack " + std::to_string(version) + " was refused before; not downloaded again");

    std::string const partial = settings.pack_path + ".download";
    auto stored = get_state(db, download_sha_key);
    int64_t have = file_size(partial);
    if (have < 0 || !stored.ok() || stored->value_or("") != sha || have > size) {
        remove_partial(partial);
        have = 0;
        if (auto r = set_state(db, download_sha_key, sha); !r)
            return fail(ContentOutcome::Failed, r.error().message);
    }
    std::string const url = settings.sync.server_url + "/api/v1/content/pack";
    for (int attempt = 0; attempt < 2 && have < size; ++attempt) {
        auto h = headers;
        if (have > 0) {
            h.push_back("Range: bytes=" + std::to_string(have) + "-");
            h.push_back("If-Range: \"" + sha + "\"");
            log::info(component,
                "content: resuming the download of pack " + std::to_string(version) + " at "
                    + std::to_string(have) + " of " + std::to_string(size) + " bytes");
        } else {
            log::info(component,
                "content: downloading pack " + std::to_string(version) + " (" + std::to_string(size)
                    + " bytes)");
        }
        auto r = http.download(url, h, partial);
        if (!r) // the partial file stays for the next try
            return fail(ContentOutcome::Failed, r.error().message);
        if (r->status == 412) {
            log::info(component, "content: the published pack changed; downloading from the start");
            remove_partial(partial);
            have = 0;
            continue;
        }
        if (r->status == 206 && have > 0
            && r->header("content-range").rfind("bytes " + std::to_string(have) + "-", 0) != 0) {
            remove_partial(partial);
            return fail(ContentOutcome::Failed,
                "content: unexpected Content-Range '" + r->header("content-range") + "'");
        }
        if (r->status != 200 && r->status != 206)
            return fail(ContentOutcome::Failed, "content/pack: HTTP " + std::to_string(r->status));
        have = file_size(partial);
    }
    if (have != size || sha256_hex(partial) != sha) {
        remove_partial(partial);
        return fail(ContentOutcome::Failed,
            "downloaded pack " + std::to_string(version) + " does not match its size or SHA-256; "
                + "it is downloaded again next time");
    }
    if (auto r = write_file_atomic(partial + ".minisig", (*meta)["minisig"].get<std::string>());
        !r) {
        remove_partial(partial);
        return fail(ContentOutcome::Failed, r.error().message);
    }
    auto imported = import_pack(partial, settings.pack_path, *key, current);
    remove_partial(partial);
    (void)set_state(db, download_sha_key, "");
    if (!imported) {
        (void)set_state(db, refused_sha_key, sha);
        return fail(ContentOutcome::Refused,
            "pack " + std::to_string(version) + " " + imported.error().message);
    }
    report.outcome = ContentOutcome::Installed;
    report.message = "pack " + std::to_string(imported->content_version) + " installed";
    log::info(component,
        "content: pack " + std::to_string(imported->content_version) + " installed at "
            + settings.pack_path);
    return report;
}

namespace {

void log_pass(PassReport const& r) {
    log::info(component,
        "pass done: sent " + std::to_string(r.sent) + ", acknowledged "
            + std::to_string(r.acknowledged) + ", quarantined " + std::to_string(r.quarantined)
            + ", retry later " + std::to_string(r.retry_later) + ", updates applied "
            + std::to_string(r.updates_applied));
}

void heartbeat(Db& db, HttpClient& http, AgentSettings const& settings, std::string const& err) {
    if (auto r = send_heartbeat(db, http, settings, err, wall_now()); !r)
        log::warn(component, r.error().message);
    else
        log::debug(component, "heartbeat sent");
}

// The kiosk's newest ticket, to tell a queued ticket from other commits.
int64_t newest_sequence(Db& db) {
    auto st = db.prepare("SELECT coalesce(max(sequence), 0) FROM tickets");
    if (!st)
        return 0;
    auto row = st->step();
    return row.ok() && *row ? st->column_int64(0) : 0;
}

int64_t data_version(Db& db) {
    auto st = db.prepare("PRAGMA data_version");
    if (!st)
        return 0;
    auto row = st->step();
    return row.ok() && *row ? st->column_int64(0) : 0;
}

} // namespace

int run_once(Db& db, HttpClient& http, AgentSettings const& settings,
    std::function<double()> const& unit_random) {
    auto report = run_sync_pass(db, http, settings.sync, wall_now(), unit_random);
    if (!report.ok()) {
        log::error(component, report.error().message);
        return 1;
    }
    log_pass(*report);
    if (!report->unauthorized) {
        update_content(db, http, settings);
        heartbeat(db, http, settings, report->last_error);
    }
    if (!report->config_error.empty())
        return 3;
    return report->failed() ? 2 : 0;
}

int run_daemon(Db& db, HttpClient& http, AgentSettings const& settings,
    std::atomic<bool> const& stop, std::function<double()> const& unit_random) {
    using clock = std::chrono::steady_clock;
    using std::chrono::seconds;
    auto now = clock::now();
    auto next_pass = now;
    auto next_heartbeat = now;
    auto next_content = now;
    int failures = 0;
    std::string last_error;
    int64_t seen_version = data_version(db);
    int64_t seen_sequence = newest_sequence(db);
    // Survey responses are deleted once delivered, so no number only grows: a count of those
    // waiting that went up means one was saved.
    auto surveys_waiting = [&db] {
        auto n = skm_responses_waiting(db);
        return n.ok() ? *n : 0;
    };
    int seen_surveys = surveys_waiting();
    SyncSettings sync = settings.sync;
    sync.ignore_schedule = true; // the monotonic deadlines below decide
    log::info(component, "daemon started");
    while (!stop.load()) {
        now = clock::now();
        if (now >= next_pass) {
            auto report = run_sync_pass(db, http, sync, wall_now(), unit_random);
            int64_t delay = settings.idle_poll_s;
            std::string why;
            if (!report.ok()) {
                ++failures;
                last_error = report.error().message;
                delay = backoff_delay(failures, unit_random());
                why = "local error: " + last_error;
            } else if (report->failed()) {
                ++failures;
                last_error = report->last_error;
                delay = report->retry_after ? *report->retry_after
                                            : backoff_delay(failures, unit_random());
                why = report->retry_after ? "Retry-After" : "backoff";
            } else {
                failures = 0;
                last_error.clear();
                delay = report->more_due ? 0 : settings.idle_poll_s;
                why = report->more_due ? "more tickets waiting" : "idle";
            }
            delay = std::min(delay, backoff_cap_s);
            if (report.ok())
                log_pass(*report);
            log::info(component,
                "next pass in " + std::to_string(delay) + " s (" + why
                    + (failures ? ", failure " + std::to_string(failures) : std::string()) + ")");
            next_pass = clock::now() + seconds(delay);
            if (report.ok() && report->changed())
                next_heartbeat = clock::now();
        }
        if (!stop.load() && clock::now() >= next_content) {
            auto c = update_content(db, http, settings);
            next_content = clock::now() + seconds(settings.content_check_s);
            if (c.outcome == ContentOutcome::Installed)
                next_heartbeat = clock::now();
        }
        if (!stop.load() && clock::now() >= next_heartbeat) {
            heartbeat(db, http, settings, last_error);
            next_heartbeat = clock::now() + seconds(settings.heartbeat_s);
        }
        // Sleeps in short steps, looking for tickets the kiosk queued meanwhile.
        while (!stop.load() && clock::now() < next_pass && clock::now() < next_heartbeat
            && clock::now() < next_content) {
            std::this_thread::sleep_for(std::chrono::milliseconds(500));
            int64_t v = data_version(db);
            if (v == seen_version)
                continue;
            seen_version = v;
            int64_t seq = newest_sequence(db);
            if (seq > seen_sequence) {
                seen_sequence = seq;
                log::info(component, "a ticket was queued: trying now");
                next_pass = clock::now();
            }
            int surveys = surveys_waiting();
            if (surveys > seen_surveys) {
                log::info(component, "survey answers were saved: trying now");
                next_pass = clock::now();
            }
            seen_surveys = surveys;
        }
    }
    log::info(component, "stopping");
    return 0;
}

} // namespace ksd::sync
