// Queue export by USB: the sealed export, the authenticated acknowledgement, and the device
// steps around them; see queue_export.h and sync/PROTOCOL.md ("Queue export by USB").
#include "ksd/queue_export.h"

#include "ksd/date.h"
#include "ksd/device_db.h"
#include "ksd/files.h"
#include "ksd/skm.h"
#include "ksd/taxonomy.h"
#include "ksd/tickets.h"

#include <nlohmann/json.hpp>
#include <sodium.h>
#include <zlib.h>

#include <cctype>
#include <limits>
#include <map>

namespace ksd {

using nlohmann::json;

namespace {

unsigned char const* bytes_of(std::string_view s) {
    return reinterpret_cast<unsigned char const*>(s.data());
}

void put_u32(std::string& out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xff);
}

void put_u64(std::string& out, uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out += static_cast<char>((v >> (8 * i)) & 0xff);
}

uint64_t get_le(std::string_view s, size_t at, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i)
        v = (v << 8) | static_cast<unsigned char>(s[at + size_t(i)]);
    return v;
}

Key32 kdf_subkey(Key32 const& master, uint64_t id) {
    static_assert(crypto_kdf_KEYBYTES == 32);
    Key32 k {};
    crypto_kdf_derive_from_key(k.data(), k.size(), id, "ksdusbq1", master.data());
    return k;
}

// The MAC's input: the kiosk id's length (u32), the kiosk id, the payload; lengths first so that
// no other split of the same bytes gives the same MAC.
std::string export_mac_input(std::string_view kiosk_id, std::string_view payload) {
    std::string in;
    put_u32(in, static_cast<uint32_t>(kiosk_id.size()));
    in += kiosk_id;
    in += payload;
    return in;
}

// JSON of 10,000 requests shrinks to about a fifth: the file fits the dashboard's upload limit.
std::string deflate_text(std::string_view text) {
    uLongf size = compressBound(static_cast<uLong>(text.size()));
    std::string out(size, '\0');
    if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, bytes_of(text),
            static_cast<uLong>(text.size()), 6)
        != Z_OK)
        return {}; // only on out of memory; an empty payload is refused on import
    out.resize(size);
    return out;
}

} // namespace

json ticket_upload_json(Ticket const& t, BootClock const& boot_now) {
    json j {{"id", t.id}, {"code", t.code}, {"kiosk_id", t.kiosk_id}, {"created_at", t.created_at},
        {"clock_trusted", t.clock_trusted}, {"sequence", t.sequence},
        {"category", t.input.category}, {"topic", t.input.topic}, {"sector", t.input.sector},
        {"name", t.input.name}, {"phone", t.input.phone}, {"email", t.input.email},
        {"organisation", t.input.organisation}, {"question", t.input.question},
        {"lang", std::string(lang_code(t.input.lang))},
        {"consent_version", t.input.consent_version}, {"phone_check", t.phone_check},
        {"email_check", t.email_check},
        {"email_replies", t.input.email_replies == ReplyByEmail::Yes}};
    if (int64_t age = boot_seconds_between(t.saved_boot, boot_now); age >= 0)
        j["age_s"] = age;
    return j;
}

std::string usb_file_stamp(int64_t unix_seconds) {
    int64_t const days = unix_seconds >= 0 ? unix_seconds / 86400 : 0;
    int64_t const secs = unix_seconds >= 0 ? unix_seconds % 86400 : 0;
    Date const d = Date::from_days(days);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d%02d%02d-%02d%02d%02d", d.year, d.month, d.day,
        int(secs / 3600), int(secs / 60 % 60), int(secs % 60));
    return buf;
}

Key32 sync_token_hash(std::string_view token) {
    Key32 h {};
    crypto_generichash(h.data(), h.size(), bytes_of(token), token.size(), nullptr, 0);
    return h;
}

Key32 usb_kiosk_key(Key32 const& token_hash) {
    static constexpr std::string_view label = "ksd queue export v1";
    Key32 k {};
    crypto_generichash(
        k.data(), k.size(), bytes_of(label), label.size(), token_hash.data(), token_hash.size());
    return k;
}

Key32 usb_export_mac_key(Key32 const& kiosk_key) {
    return kdf_subkey(kiosk_key, 1);
}

Key32 usb_ack_mac_key(Key32 const& kiosk_key) {
    return kdf_subkey(kiosk_key, 2);
}

std::string key_hex(Key32 const& k) {
    char buf[2 * 32 + 1];
    sodium_bin2hex(buf, sizeof buf, k.data(), k.size());
    return buf;
}

Result<Key32> parse_key_hex(std::string_view text, std::string_view what) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
        text.remove_suffix(1);
    Key32 k {};
    size_t len = 0;
    char const* end = nullptr;
    if (text.size() != 64
        || sodium_hex2bin(k.data(), k.size(), text.data(), text.size(), nullptr, &len, &end) != 0
        || len != 32)
        return make_error(std::string(what) + ": expected 64 hex digits, got '"
            + std::string(text.substr(0, 80)) + "'");
    return k;
}

BoxKeyPair generate_box_keypair() {
    BoxKeyPair p;
    crypto_box_keypair(p.public_key.data(), p.secret_key.data());
    return p;
}

std::string seal_queue_export(std::string_view kiosk_id, std::string_view payload,
    Key32 const& export_mac_key, Key32 const& server_public_key) {
    std::string const mac_in = export_mac_input(kiosk_id, payload);
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, bytes_of(mac_in), mac_in.size(), export_mac_key.data());
    // Inside: u32 length of the kiosk id, the kiosk id, the payload, the 32-byte MAC.
    std::string plain = mac_in;
    plain.append(reinterpret_cast<char const*>(mac), sizeof mac);
    std::string sealed(plain.size() + crypto_box_SEALBYTES, '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(sealed.data()), bytes_of(plain), plain.size(),
        server_public_key.data());
    sodium_memzero(plain.data(), plain.size());
    std::string out(export_magic);
    put_u64(out, sealed.size());
    out += sealed;
    return out;
}

Result<OpenedExport> open_queue_export(std::string_view file, BoxKeyPair const& server) {
    size_t const head = export_magic.size() + 8;
    if (file.size() < export_magic.size() || file.substr(0, export_magic.size()) != export_magic)
        return make_error("not a queue export of Anjungan KSD (it does not start with "
            + std::string(export_magic) + ")");
    if (file.size() < head)
        return make_error("the export is truncated: " + std::to_string(file.size())
            + " bytes, not even its header (the stick was pulled while writing?)");
    uint64_t const sealed_size = get_le(file, export_magic.size(), 8);
    uint64_t const have = file.size() - head;
    if (sealed_size > max_export_bytes)
        return make_error("the export says it holds " + std::to_string(sealed_size)
            + " bytes, more than the limit: damaged");
    if (have < sealed_size)
        return make_error("the export is truncated: " + std::to_string(have) + " of "
            + std::to_string(sealed_size)
            + " bytes (the stick was pulled while writing?); export again on the kiosk");
    if (have > sealed_size)
        return make_error("the export has " + std::to_string(have - sealed_size)
            + " bytes more than it says: damaged or altered");
    if (sealed_size < crypto_box_SEALBYTES + 4 + crypto_auth_BYTES)
        return make_error("the export is too short to hold anything: damaged");
    std::string_view const sealed = file.substr(head);
    std::string plain(sealed.size() - crypto_box_SEALBYTES, '\0');
    if (crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()), bytes_of(sealed),
            sealed.size(), server.public_key.data(), server.secret_key.data())
        != 0)
        return make_error("the export cannot be opened with this server's key: it was altered or "
                          "damaged, or sealed for another server (check the kiosk's "
                          "usb.server_public_key against `ksd-server keys`)");
    uint64_t const id_len = get_le(plain, 0, 4);
    if (id_len > 200 || 4 + id_len + crypto_auth_BYTES > plain.size())
        return make_error("the export's inside is malformed (kiosk id length)");
    OpenedExport o;
    o.kiosk_id = plain.substr(4, id_len);
    size_t const payload_end = plain.size() - crypto_auth_BYTES;
    o.payload = plain.substr(4 + id_len, payload_end - 4 - id_len);
    o.mac = plain.substr(payload_end);
    sodium_memzero(plain.data(), plain.size());
    return o;
}

bool verify_export_mac(OpenedExport const& o, Key32 const& export_mac_key) {
    if (o.mac.size() != crypto_auth_BYTES)
        return false;
    std::string const in = export_mac_input(o.kiosk_id, o.payload);
    return crypto_auth_verify(bytes_of(o.mac), bytes_of(in), in.size(), export_mac_key.data()) == 0;
}

Result<std::string> payload_json(OpenedExport const& o) {
    z_stream z {};
    if (inflateInit(&z) != Z_OK)
        return make_error("cannot start zlib");
    z.next_in = const_cast<Bytef*>(bytes_of(o.payload));
    z.avail_in = static_cast<uInt>(o.payload.size());
    std::string out;
    std::vector<char> buf(64 * 1024);
    int rc = Z_OK;
    while (rc == Z_OK) {
        z.next_out = reinterpret_cast<Bytef*>(buf.data());
        z.avail_out = static_cast<uInt>(buf.size());
        rc = inflate(&z, Z_NO_FLUSH);
        out.append(buf.data(), buf.size() - z.avail_out);
        if (out.size() > max_export_bytes) {
            inflateEnd(&z);
            return make_error("the export's payload decompresses to more than the limit");
        }
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END)
        return make_error("the export's payload cannot be decompressed: damaged");
    return out;
}

std::string build_ack_file(std::string_view json_text, Key32 const& ack_mac_key) {
    std::string out(ack_magic);
    put_u64(out, json_text.size());
    out += json_text;
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, bytes_of(out), out.size(), ack_mac_key.data());
    out.append(reinterpret_cast<char const*>(mac), sizeof mac);
    return out;
}

Result<std::string> open_ack_file(std::string_view file, Key32 const& ack_mac_key) {
    size_t const head = ack_magic.size() + 8;
    if (file.size() < ack_magic.size() || file.substr(0, ack_magic.size()) != ack_magic)
        return make_error("not an acknowledgement file of Anjungan KSD (it does not start with "
            + std::string(ack_magic) + ")");
    if (file.size() < head + crypto_auth_BYTES)
        return make_error("the acknowledgement file is truncated: copy it again from the server");
    uint64_t const len = get_le(file, ack_magic.size(), 8);
    uint64_t const have = file.size() - head - crypto_auth_BYTES;
    if (len > have)
        return make_error("the acknowledgement file is truncated: copy it again from the server");
    if (len < have)
        return make_error("the acknowledgement file is longer than it says: damaged or altered");
    size_t const body_end = head + len;
    if (crypto_auth_verify(bytes_of(file.substr(body_end)), bytes_of(file.substr(0, body_end)),
            body_end, ack_mac_key.data())
        != 0)
        return make_error("the acknowledgement file is not from the server for this kiosk: it "
                          "was altered, forged, or made for another kiosk; nothing was applied");
    return std::string(file.substr(head, len));
}

std::string format_usb_keys(UsbKeys const& k) {
    return k.kiosk_id + " " + key_hex(k.server_public_key) + " " + key_hex(k.kiosk_key);
}

Result<UsbKeys> load_usb_keys(Db& db) {
    TRY_RESULT(auto stored, get_state(db, usb_keys_key));
    if (!stored || stored->empty())
        return make_error("USB export is not set up: ksd-sync has not stored the keys yet (set "
                          "usb.server_public_key in ksd-sync's config, with its token, and "
                          "restart ksd-sync)");
    std::string const& v = *stored;
    auto a = v.find(' ');
    auto b = a == std::string::npos ? a : v.find(' ', a + 1);
    if (b == std::string::npos)
        return make_error("USB export keys in the device database are malformed");
    UsbKeys k;
    k.kiosk_id = v.substr(0, a);
    TRY_RESULT(k.server_public_key, parse_key_hex(v.substr(a + 1, b - a - 1), "server key"));
    TRY_RESULT(k.kiosk_key, parse_key_hex(v.substr(b + 1), "kiosk key"));
    return k;
}

Result<std::string> build_export_payload(Db& db, std::string const& kiosk_id, WallClock now,
    BootClock const& boot, int* count, int* survey_count) {
    TRY_RESULT(auto st,
        db.prepare("SELECT id FROM tickets WHERE state IN ('queued', 'sending', 'quarantined') "
                   "ORDER BY sequence"));
    std::vector<std::string> ids;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        ids.push_back(st.column_text(0));
    }
    json tickets = json::array();
    for (auto const& id : ids) {
        TRY_RESULT(auto t, find_ticket_by_id(db, id));
        if (t)
            tickets.push_back(ticket_upload_json(*t, boot));
    }
    if (count)
        *count = static_cast<int>(tickets.size());
    // Survey answers hold nothing personal and are few (one per visitor who answers); all of
    // them go, quarantined ones too, as requests do: the server's answer decides again.
    TRY_RESULT(auto responses, unacknowledged_skm_responses(db, std::numeric_limits<int>::max()));
    json surveys = json::array();
    for (auto const& r : responses)
        if (r.kiosk_id == kiosk_id)
            surveys.push_back(skm_record_json(r));
    if (survey_count)
        *survey_count = static_cast<int>(surveys.size());
    json payload {{"format", "ksd-queue-export"}, {"version", 1}, {"kiosk_id", kiosk_id},
        {"export_id", generate_uuid_v4()}, {"exported_at", now.unix_seconds},
        {"clock_trusted", now.trusted}, {"tickets", std::move(tickets)},
        {"surveys", std::move(surveys)}};
    return payload.dump();
}

Result<ExportWritten> write_queue_export(
    Db& db, UsbKeys const& keys, std::string const& dir, WallClock now, BootClock const& boot) {
    int count = 0;
    int surveys = 0;
    TRY_RESULT(
        std::string payload, build_export_payload(db, keys.kiosk_id, now, boot, &count, &surveys));
    std::string const file = seal_queue_export(keys.kiosk_id, deflate_text(payload),
        usb_export_mac_key(keys.kiosk_key), keys.server_public_key);
    sodium_memzero(payload.data(), payload.size());
    std::string path = dir;
    if (!path.empty() && path.back() != '/')
        path += '/';
    path += "ksd-antrean-" + keys.kiosk_id + "-" + usb_file_stamp(now.unix_seconds)
        + export_extension;
    if (auto w = write_file_atomic(path, file); !w.ok())
        return w.error().context("cannot write the export to " + dir);
    return ExportWritten {path, count, surveys, static_cast<int64_t>(file.size())};
}

namespace {

std::string text_of(json const& o, char const* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t int_of(json const& o, char const* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

bool bool_of(json const& o, char const* key) {
    auto it = o.find(key);
    return it != o.end() && it->is_boolean() && it->get<bool>();
}

} // namespace

Result<AckApplied> apply_queue_ack(Db& db, UsbKeys const& keys, std::string_view file) {
    TRY_RESULT(std::string text, open_ack_file(file, usb_ack_mac_key(keys.kiosk_key)));
    json ack = json::parse(text, nullptr, false);
    if (ack.is_discarded() || !ack.is_object() || text_of(ack, "format") != "ksd-queue-ack"
        || !ack.contains("results") || !ack["results"].is_array())
        return make_error("the acknowledgement file's inside is malformed");
    if (text_of(ack, "kiosk_id") != keys.kiosk_id)
        return make_error("the acknowledgement file is for kiosk '" + text_of(ack, "kiosk_id")
            + "', this is kiosk '" + keys.kiosk_id + "'; nothing was applied");
    int64_t const server_time = int_of(ack, "server_time");
    AckApplied out;
    TRY_RESULT(auto tx, Transaction::begin(db));
    TRY_RESULT(auto state, db.prepare("SELECT state FROM tickets WHERE id = ?1"));
    // As the sync pass records an acknowledgement (sync_pass.cpp, record).
    TRY_RESULT(auto ack_st,
        db.prepare("UPDATE tickets SET state = 'acknowledged', acknowledged_at = ?1, "
                   "server_status = coalesce(nullif(?2, ''), server_status), last_error = '' "
                   "WHERE id = ?3 AND state IN ('queued', 'sending', 'quarantined')"));
    TRY_RESULT(auto dates,
        db.prepare("UPDATE tickets SET server_received_at = ?1, server_made_at = ?2, "
                   "server_made_at_estimated = ?3 WHERE id = ?4 AND server_received_at = 0"));
    TRY_RESULT(auto quarantine,
        db.prepare("UPDATE tickets SET state = 'quarantined', attempts = attempts + 1, "
                   "last_error = ?1, quarantine_seen_at = 0 WHERE id = ?2 "
                   "AND state IN ('queued', 'sending')"));
    for (auto const& r : ack["results"]) {
        std::string const id = text_of(r, "id");
        std::string const result = text_of(r, "result");
        state.reset();
        state.bind(1, id);
        TRY_RESULT(bool found, state.step());
        if (!found) {
            ++out.unknown;
            continue;
        }
        std::string const before = state.column_text(0);
        if (result == "created" || result == "duplicate") {
            if (before == "acknowledged") {
                ++out.already;
                continue;
            }
            ack_st.bind_all(server_time, text_of(r, "status"), id);
            TRY_VOID(ack_st.run());
            dates.bind_all(int_of(r, "received_at"), int_of(r, "made_at"),
                bool_of(r, "made_at_estimated") ? 1 : 0, id);
            TRY_VOID(dates.run());
            ++out.acknowledged;
        } else if (result == "conflict" || result == "invalid") {
            if (before == "acknowledged" || before == "quarantined") {
                ++out.already;
                continue;
            }
            quarantine.bind_all(result + ": " + text_of(r, "reason"), id);
            TRY_VOID(quarantine.run());
            ++out.quarantined;
        } else {
            ++out.unknown;
        }
    }
    // Survey answers (absent in acknowledgements of servers before them): as the agent's upload
    // records them (skm_upload.cpp), stored ones deleted, refused ones quarantined.
    if (auto it = ack.find("survey_results"); it != ack.end() && it->is_array()) {
        TRY_RESULT(auto survey_state, db.prepare("SELECT state FROM skm_responses WHERE id = ?1"));
        TRY_RESULT(auto survey_done,
            db.prepare("UPDATE skm_responses SET state = 'acknowledged', last_error = '' "
                       "WHERE id = ?1 AND state <> 'acknowledged'"));
        for (auto const& r : *it) {
            std::string const id = text_of(r, "id");
            std::string const result = text_of(r, "result");
            survey_state.reset();
            survey_state.bind(1, id);
            TRY_RESULT(bool found, survey_state.step());
            if (!found)
                continue; // delivered and deleted before: nothing left to do
            std::string const before = survey_state.column_text(0);
            if (result == "created" || result == "duplicate") {
                survey_done.bind(1, id);
                TRY_VOID(survey_done.run());
                ++out.surveys;
            } else if ((result == "conflict" || result == "invalid") && before != "quarantined") {
                TRY_VOID(quarantine_skm_response(db, id, result + ": " + text_of(r, "reason")));
                ++out.surveys_quarantined;
            }
        }
        TRY_RESULT(int deleted, delete_acknowledged_skm_responses(db));
        (void)deleted;
    }
    if (auto c = tx.commit(); !c.ok())
        return c.error().context("cannot record the acknowledgement");
    return out;
}

} // namespace ksd
