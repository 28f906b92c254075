// The fleet's storage: names, locations and heartbeat history; see store_fleet.h. The tables are
// made by migration 7 in store.cpp.
#include "store_fleet.h"

#include "json_int.h"

#include "ksd/utf8.h"

namespace ksd::server {

namespace {

std::optional<int64_t> integer_field(nlohmann::json const& j, char const* key) {
    if (!j.is_object() || !j.contains(key))
        return std::nullopt;
    auto const& v = j[key];
    if (!json_integer_in(v, -max_json_integer, max_json_integer))
        return std::nullopt;
    return v.get<int64_t>();
}

std::string text_field(nlohmann::json const& j, char const* key, size_t max) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string())
        return {};
    std::string s = j[key].get<std::string>();
    if (s.size() > max) {
        s.resize(max);
        // Never leave half a character.
        while (!s.empty() && !utf8::is_valid(s))
            s.pop_back();
    }
    return s;
}

void bind_optional(Stmt& st, int index, std::optional<int64_t> v) {
    if (v)
        st.bind(index, *v);
    else
        st.bind_null(index);
}

std::optional<int64_t> column_optional(Stmt& st, int col) {
    if (st.column_is_null(col))
        return std::nullopt;
    return st.column_int64(col);
}

std::string trim(std::string const& s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

constexpr char const* fleet_columns
    = "id, created_at, last_heartbeat_at, heartbeat, revoked_at, name, location";

FleetRow read_fleet_row(Stmt& st) {
    FleetRow r;
    r.kiosk.id = st.column_text(0);
    r.kiosk.created_at = st.column_int64(1);
    r.kiosk.last_heartbeat_at = st.column_int64(2);
    r.kiosk.heartbeat = nlohmann::json::parse(st.column_text(3), nullptr, false);
    r.kiosk.revoked_at = st.column_int64(4);
    r.name = st.column_text(5);
    r.location = st.column_text(6);
    return r;
}

} // namespace

Result<void> record_heartbeat(Conn& db, std::string const& kiosk_id, nlohmann::json const& body,
    int64_t now, HeartbeatRetention const& keep) {
    std::optional<int64_t> depth;
    if (body.is_object() && body.contains("queue") && body["queue"].is_object()) {
        auto queued = integer_field(body["queue"], "queued");
        auto sending = integer_field(body["queue"], "sending");
        if (queued || sending)
            depth = queued.value_or(0) + sending.value_or(0);
    }
    std::optional<int64_t> trusted;
    if (body.is_object() && body.contains("clock_trusted") && body["clock_trusted"].is_boolean())
        trusted = body["clock_trusted"].get<bool>() ? 1 : 0;
    TRY_RESULT(auto insert,
        db.prepare(
            "INSERT INTO kiosk_heartbeats(kiosk_id, at, queue_depth, oldest_unsent_age_s, "
            "disk_free_bytes, last_frame_at, sent_at, clock_trusted, content_version, "
            "app_version, last_error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
    insert.bind(1, kiosk_id).bind(2, now);
    bind_optional(insert, 3, depth);
    bind_optional(insert, 4, integer_field(body, "oldest_unsent_age_s"));
    bind_optional(insert, 5, integer_field(body, "disk_free_bytes"));
    bind_optional(insert, 6, integer_field(body, "last_frame_at"));
    bind_optional(insert, 7, integer_field(body, "sent_at"));
    bind_optional(insert, 8, trusted);
    bind_optional(insert, 9, integer_field(body, "content_version"));
    // The whole body is at most 64 KiB; the history keeps short texts.
    insert.bind(10, text_field(body, "app_version", 64));
    insert.bind(11, text_field(body, "last_error", 500));
    TRY_VOID(insert.run());
    // Pruned as it goes (a kiosk sending too often loses its oldest rows first).
    TRY_RESULT(auto old, db.prepare("DELETE FROM kiosk_heartbeats WHERE at < ?1"));
    old.bind(1, now - keep.keep_s);
    TRY_VOID(old.run());
    TRY_RESULT(auto excess,
        db.prepare("DELETE FROM kiosk_heartbeats WHERE kiosk_id = ?1 AND at <= (SELECT at FROM "
                   "kiosk_heartbeats WHERE kiosk_id = ?1 ORDER BY at DESC LIMIT 1 OFFSET ?2)"));
    excess.bind_all(kiosk_id, keep.max_rows_per_kiosk);
    return excess.run();
}

Result<std::vector<HeartbeatSample>> heartbeat_history(
    Conn& db, std::string const& kiosk_id, int64_t from, int64_t to) {
    TRY_RESULT(auto st,
        db.prepare("SELECT at, queue_depth, oldest_unsent_age_s, disk_free_bytes, last_frame_at, "
                   "sent_at, clock_trusted, content_version, app_version, last_error FROM "
                   "kiosk_heartbeats WHERE kiosk_id = ?1 AND at BETWEEN ?2 AND ?3 "
                   "ORDER BY at, rowid"));
    st.bind_all(kiosk_id, from, to);
    std::vector<HeartbeatSample> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        HeartbeatSample s;
        s.at = st.column_int64(0);
        s.queue_depth = column_optional(st, 1);
        s.oldest_unsent_age_s = column_optional(st, 2);
        s.disk_free_bytes = column_optional(st, 3);
        s.last_frame_at = column_optional(st, 4);
        s.sent_at = column_optional(st, 5);
        if (auto t = column_optional(st, 6))
            s.clock_trusted = *t != 0;
        s.content_version = column_optional(st, 7);
        s.app_version = st.column_text(8);
        s.last_error = st.column_text(9);
        out.push_back(std::move(s));
    }
    return out;
}

Result<std::vector<FleetRow>> list_fleet(Conn& db) {
    TRY_RESULT(
        auto st, db.prepare(std::string("SELECT ") + fleet_columns + " FROM kiosks ORDER BY id"));
    std::vector<FleetRow> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_fleet_row(st));
    }
    return out;
}

Result<std::optional<FleetRow>> find_fleet_kiosk(Conn& db, std::string const& id) {
    TRY_RESULT(
        auto st, db.prepare(std::string("SELECT ") + fleet_columns + " FROM kiosks WHERE id = ?1"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<FleetRow> {};
    return std::optional<FleetRow> {read_fleet_row(st)};
}

std::string kiosk_id_from_name(std::string const& name) {
    std::string id;
    bool dash = false;
    for (char c : name) {
        auto u = static_cast<unsigned char>(c);
        bool keep = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9');
        if (u >= 'A' && u <= 'Z') {
            c = static_cast<char>(u - 'A' + 'a');
            keep = true;
        }
        if (keep) {
            if (dash && !id.empty())
                id += '-';
            id += c;
            dash = false;
        } else {
            dash = true;
        }
        if (id.size() >= 40)
            break;
    }
    while (!id.empty() && id.back() == '-')
        id.pop_back();
    return id.empty() ? std::string("kiosk") : id;
}

std::string check_kiosk_place(std::string const& name, std::string const& location) {
    struct Field {
        char const* what;
        std::string const& text;
        size_t max;
        bool required;
    };
    for (Field const& f : {Field {"name", name, max_kiosk_name_bytes, true},
             Field {"location", location, max_kiosk_location_bytes, false}}) {
        if (!utf8::is_valid(f.text))
            return std::string(f.what) + ": not valid UTF-8";
        if (f.required && trim(f.text).empty())
            return std::string(f.what) + ": must not be empty";
        if (f.text.size() > f.max)
            return std::string(f.what) + ": longer than " + std::to_string(f.max) + " bytes";
        for (char c : f.text)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                return std::string(f.what) + ": contains a control character";
    }
    return {};
}

Result<Enrolment> enrol_kiosk(
    Conn& db, std::string const& name_in, std::string const& location_in, int64_t now) {
    std::string name = trim(name_in);
    std::string location = trim(location_in);
    if (auto bad = check_kiosk_place(name, location); !bad.empty())
        return make_error(bad);
    std::string base = kiosk_id_from_name(name);
    TRY_RESULT(auto tx, Tx::begin(db, TransactionKind::Immediate));
    TRY_RESULT(auto taken, db.prepare("SELECT 1 FROM kiosks WHERE id = ?1"));
    std::string id;
    for (int n = 1; n <= 1000 && id.empty(); ++n) {
        std::string candidate = n == 1 ? base : base + "-" + std::to_string(n);
        taken.bind(1, candidate);
        TRY_RESULT(bool exists, taken.step());
        taken.reset();
        if (!exists)
            id = candidate;
    }
    if (id.empty())
        return make_error("no free kiosk id for the name " + name + ": choose another name");
    TRY_RESULT(auto token, add_kiosk(db, id, now));
    TRY_RESULT(auto place, db.prepare("UPDATE kiosks SET name = ?2, location = ?3 WHERE id = ?1"));
    place.bind_all(id, name, location);
    TRY_VOID(place.run());
    TRY_VOID(tx.commit());
    return Enrolment {id, token};
}

Result<void> set_kiosk_place(
    Conn& db, std::string const& id, std::string const& name_in, std::string const& location_in) {
    std::string name = trim(name_in);
    std::string location = trim(location_in);
    if (auto bad = check_kiosk_place(name, location); !bad.empty())
        return make_error(bad);
    TRY_RESULT(auto st, db.prepare("UPDATE kiosks SET name = ?2, location = ?3 WHERE id = ?1"));
    st.bind_all(id, name, location);
    TRY_VOID(st.run());
    if (db.changes() != 1)
        return make_error("no kiosk " + id);
    return {};
}

} // namespace ksd::server
