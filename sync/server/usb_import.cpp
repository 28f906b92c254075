// The server's side of the queue export by USB; see usb_import.h.
#include "usb_import.h"

#include "api.h"
#include "store.h"
#include "store_skm.h"

#include "ksd/date.h"
#include "ksd/files.h"
#include "ksd/log.h"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace ksd::server {

using nlohmann::json;

namespace {

// The secret key written only for the server's user (0600), durably: temporary file, fsync,
// rename, directory fsync.
Result<void> write_secret_file(std::string const& path, std::string const& text) {
    std::string const tmp = temp_path_beside(path);
    TempFileGuard guard(tmp);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return make_error("cannot create " + tmp + ": " + std::strerror(errno));
    bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size())
        && ::fsync(fd) == 0;
    int const err = errno;
    ::close(fd);
    if (!ok)
        return make_error("cannot write " + tmp + ": " + std::strerror(err));
    TRY_VOID(rename_durable(tmp, path));
    guard.release();
    return {};
}

struct KioskKey {
    Key32 token_hash {};
    int64_t revoked_at {0};
};

Result<std::optional<KioskKey>> kiosk_key(Conn& db, std::string const& id) {
    TRY_RESULT(auto st, db.prepare("SELECT token_hash, revoked_at FROM kiosks WHERE id = ?1"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<KioskKey> {};
    std::string const h = st.column_blob(0);
    KioskKey k;
    if (h.size() != k.token_hash.size())
        return make_error("kiosk " + id + ": stored token hash has an unexpected size");
    std::memcpy(k.token_hash.data(), h.data(), h.size());
    k.revoked_at = st.column_int64(1);
    return std::optional<KioskKey> {k};
}

std::string text_of(json const& o, char const* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

std::string default_usb_key_path(std::string const& db_path) {
    return db_path + ".usb-key";
}

Result<BoxKeyPair> load_usb_keypair(std::string const& path) {
    if (!file_exists(path))
        return make_error("no USB export key at " + path
            + ": run `ksd-server keys` once (it makes one and prints the public key for the "
              "kiosks' usb.server_public_key)");
    TRY_RESULT(std::string text, read_file(path, 4096));
    BoxKeyPair p;
    TRY_RESULT(p.secret_key, parse_key_hex(text, path));
    crypto_scalarmult_base(p.public_key.data(), p.secret_key.data());
    sodium_memzero(text.data(), text.size());
    return p;
}

Result<UsbKeyPair> load_or_create_usb_keypair(std::string const& path) {
    if (file_exists(path)) {
        TRY_RESULT(auto keys, load_usb_keypair(path));
        return UsbKeyPair {keys, KeyFile::Existed};
    }
    BoxKeyPair const p = generate_box_keypair();
    if (auto w = write_secret_file(path, key_hex(p.secret_key) + "\n"); !w.ok())
        return w.error().context("cannot make the USB export key");
    log::info("server", "made the USB export key " + path);
    return UsbKeyPair {p, KeyFile::Created};
}

Result<UsbImport> import_queue_export(
    Conn& db, std::string_view file, BoxKeyPair const& server, int64_t now, SlaRules const& sla) {
    TRY_RESULT(OpenedExport opened, open_queue_export(file, server));
    std::string const& kiosk = opened.kiosk_id;
    TRY_RESULT(auto key, kiosk_key(db, kiosk));
    if (!key)
        return make_error("the export is from kiosk '" + kiosk
            + "', which this server does not know (enrolled on another server?); nothing was "
              "imported");
    if (key->revoked_at != 0)
        return make_error("the export is from kiosk '" + kiosk
            + "', whose token is revoked on this server; nothing was imported");
    Key32 const kiosk_usb = usb_kiosk_key(key->token_hash);
    if (!verify_export_mac(opened, usb_export_mac_key(kiosk_usb)))
        return make_error("the export names kiosk '" + kiosk
            + "' but is not sealed with its key: forged, or made before the kiosk got a new "
              "token (export again); nothing was imported");
    TRY_RESULT(std::string text, payload_json(opened));
    json payload = json::parse(text, nullptr, false);
    if (payload.is_discarded() || !payload.is_object()
        || text_of(payload, "format") != "ksd-queue-export" || !payload.contains("tickets")
        || !payload["tickets"].is_array())
        return make_error("the export's payload is malformed (no ksd-queue-export with tickets)");
    if (!payload.contains("version") || payload["version"] != 1)
        return make_error("the export is of a newer format version than this server reads");
    if (text_of(payload, "kiosk_id") != kiosk)
        return make_error("the export's payload names another kiosk than its seal");
    json const& tickets = payload["tickets"];
    for (auto const& t : tickets)
        if (auto other = names_other_kiosk(t, kiosk))
            return make_error("the export of kiosk '" + kiosk + "' holds requests of kiosk '"
                + *other + "' (its device.id and token disagree); nothing was imported");
    json const surveys = payload.contains("surveys") && payload["surveys"].is_array()
        ? payload["surveys"]
        : json::array();
    for (auto const& r : surveys)
        if (auto other = names_other_kiosk(r, kiosk))
            return make_error("the export of kiosk '" + kiosk + "' holds survey answers of kiosk '"
                + *other + "'; nothing was imported");
    TRY_RESULT(auto results, ingest_upload(db, kiosk, tickets, now, sla));
    // Stored after the requests, in a transaction of their own: a failure here leaves the
    // requests stored and the import, run again, answers them as duplicates.
    TRY_RESULT(auto survey_results, check_and_ingest_skm(db, surveys, kiosk, now));
    UsbImport out;
    out.kiosk_id = kiosk;
    out.export_id = text_of(payload, "export_id");
    if (auto it = payload.find("exported_at"); it != payload.end() && it->is_number_integer())
        out.exported_at = it->get<int64_t>();
    out.requests = static_cast<int>(results.size());
    json list = json::array();
    for (auto const& r : results) {
        if (r.result == "created")
            ++out.created;
        else if (r.result == "duplicate")
            ++out.duplicate;
        else if (r.result == "conflict")
            ++out.conflict;
        else
            ++out.invalid;
        list.push_back(ingest_result_json(r));
    }
    json survey_list = json::array();
    out.surveys = static_cast<int>(survey_results.size());
    for (auto const& r : survey_results) {
        if (r.result == "created")
            ++out.surveys_created;
        else if (r.result == "duplicate")
            ++out.surveys_duplicate;
        else
            ++out.surveys_refused;
        survey_list.push_back(skm_result_json(r));
    }
    json ack {{"format", "ksd-queue-ack"}, {"version", 1}, {"kiosk_id", kiosk},
        {"export_id", out.export_id}, {"server_time", now}, {"results", std::move(list)},
        {"survey_results", std::move(survey_list)}};
    out.ack = build_ack_file(ack.dump(), usb_ack_mac_key(kiosk_usb));
    out.ack_name = "ksd-tanda-terima-" + kiosk + "-" + usb_file_stamp(now) + ack_extension;
    log::info("server", "USB import: " + describe_import(out));
    return out;
}

std::string describe_import(UsbImport const& r) {
    return "kiosk " + r.kiosk_id + ": " + std::to_string(r.requests) + " requests ("
        + std::to_string(r.created) + " new, " + std::to_string(r.duplicate) + " already stored, "
        + std::to_string(r.conflict) + " conflicts, " + std::to_string(r.invalid) + " invalid)"
        + (r.surveys == 0 ? std::string()
                          : "; " + std::to_string(r.surveys) + " survey answers ("
                    + std::to_string(r.surveys_created) + " new, "
                    + std::to_string(r.surveys_duplicate) + " already stored, "
                    + std::to_string(r.surveys_refused) + " refused)");
}

} // namespace ksd::server
