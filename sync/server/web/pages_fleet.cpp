// The fleet's pages: the kiosks worst first (state in words, last heartbeat, queue, content
// version against the latest published, free disk, last error), a kiosk's 7-day charts, and for
// admins enrolment (token shown once with the config lines and a QR code) and revocation.
#include "web/site.h"

#include "fleet_enrol.h"
#include "fleet_health.h"
#include "fleet_svg.h"
#include "store_fleet.h"
#include "web/format.h"

#include "json_int.h"

#include <cmath>
#include <optional>

namespace ksd::server::web {

namespace {

constexpr int64_t chart_days = 7;
// Less free disk than this stands out (a pack and a month of tickets need far less).
constexpr int64_t low_disk_bytes = int64_t {1} << 30;

Zone zone_of(Page const& p) {
    return p.config.zone;
}

HealthThresholds thresholds_of(Page const& p) {
    HealthThresholds t;
    t.screen_dead_after_s = p.config.screen_dead_after_s;
    return t;
}

std::optional<int64_t> hb_int(nlohmann::json const& hb, char const* key) {
    if (!hb.is_object() || !hb.contains(key)
        || !json_integer_in(hb[key], -max_json_integer, max_json_integer))
        return std::nullopt;
    return hb[key].get<int64_t>();
}

std::string hb_text(nlohmann::json const& hb, char const* key) {
    if (!hb.is_object() || !hb.contains(key) || !hb[key].is_string())
        return {};
    return hb[key].get<std::string>();
}

char const* badge_of(KioskState s) {
    switch (s) {
    case KioskState::Offline:
    case KioskState::ScreenDead:
        return "badge-bad";
    case KioskState::ClockUntrusted:
        return "badge-warn";
    case KioskState::Online:
        return "badge-ok";
    case KioskState::NeverSeen:
    case KioskState::ScreenAsleep:
    case KioskState::Revoked:
        return "badge-other";
    }
    return "badge-other";
}

std::string state_words(Page const& p, KioskHealth const& h) {
    switch (h.state) {
    case KioskState::Offline:
        return p.t("fleet_state_offline") + " " + p.time(h.since);
    case KioskState::ScreenDead:
        return h.since ? p.t("fleet_state_screen_dead") + " " + p.time(h.since)
                       : p.t("fleet_state_screen_never");
    case KioskState::NeverSeen:
        return p.t("fleet_state_never_seen");
    case KioskState::ClockUntrusted:
        return p.t("fleet_state_clock_untrusted");
    case KioskState::Online:
        return p.t("fleet_state_online");
    case KioskState::ScreenAsleep:
        return p.t("fleet_state_screen_asleep");
    case KioskState::Revoked:
        return p.t("fleet_state_revoked") + " " + p.time(h.since);
    }
    return {};
}

// One kiosk as the table and the detail page show it.
nlohmann::json kiosk_json(
    Page const& p, FleetRow const& r, KioskHealth const& h, std::optional<int64_t> latest_content) {
    auto const& hb = r.kiosk.heartbeat;
    // Every key present: a missing one would be looked up in the page's data by mustache.
    nlohmann::json k {{"queue", ""}, {"queue_waiting", false}, {"quarantined", ""},
        {"oldest_unsent", ""}, {"content", ""}, {"content_current", false}, {"content_old", false},
        {"content_none", false}, {"content_latest", ""}, {"disk", ""}, {"disk_low", false}};
    k["id"] = r.kiosk.id;
    k["name"] = r.name.empty() ? r.kiosk.id : r.name;
    k["location"] = r.location;
    k["state"] = state_code(h.state);
    k["state_words"] = state_words(p, h);
    k["badge"] = badge_of(h.state);
    k["clock_flag"] = h.clock_untrusted && h.state != KioskState::ClockUntrusted;
    k["seen"] = r.kiosk.last_heartbeat_at != 0;
    k["last_heartbeat"] = p.time(r.kiosk.last_heartbeat_at);
    k["last_heartbeat_ago"] = format_ago(r.kiosk.last_heartbeat_at, p.now, p.lang);
    k["enrolled"] = p.date(r.kiosk.created_at);
    k["revoked"] = r.kiosk.revoked_at != 0;
    if (auto q
        = hb.is_object() && hb.contains("queue") ? hb_int(hb["queue"], "queued") : std::nullopt) {
        int64_t sending = hb_int(hb["queue"], "sending").value_or(0);
        k["queue"] = std::to_string(*q + sending);
        k["queue_waiting"] = *q + sending > 0;
        if (auto bad = hb_int(hb["queue"], "quarantined"); bad && *bad > 0)
            k["quarantined"] = std::to_string(*bad);
    }
    if (auto age = hb_int(hb, "oldest_unsent_age_s"); age && *age > 0)
        k["oldest_unsent"] = format_ago(r.kiosk.last_heartbeat_at - *age, p.now, p.lang);
    if (auto v = hb_int(hb, "content_version"); v && *v > 0) {
        k["content"] = std::to_string(*v);
        if (latest_content) {
            k["content_current"] = *v >= *latest_content;
            k["content_old"] = *v < *latest_content;
        }
    } else if (r.kiosk.last_heartbeat_at != 0) {
        k["content_none"] = true;
    }
    if (latest_content)
        k["content_latest"] = std::to_string(*latest_content);
    k["app"] = hb_text(hb, "app_version");
    if (auto disk = hb_int(hb, "disk_free_bytes")) {
        k["disk"] = format_bytes(*disk, p.lang);
        k["disk_low"] = *disk < low_disk_bytes;
    }
    k["last_error"] = hb_text(hb, "last_error");
    k["config_error"] = hb_text(hb, "config_error");
    k["warning"] = hb_text(hb, "warning");
    return k;
}

Result<std::optional<int64_t>> latest_version(Conn& db) {
    TRY_RESULT(auto latest, latest_content(db));
    if (!latest)
        return std::optional<int64_t> {};
    return std::optional<int64_t> {latest->version};
}

KioskHealth health_of(FleetRow const& r, int64_t now, HealthThresholds const& t) {
    return classify_kiosk(
        {r.kiosk.created_at, r.kiosk.last_heartbeat_at, r.kiosk.revoked_at, &r.kiosk.heartbeat},
        now, t);
}

void list_page(Page& p, std::string const& error) {
    auto rows = list_fleet(p.db);
    if (!rows)
        return p.fail(rows.error());
    auto latest = latest_version(p.db);
    if (!latest)
        return p.fail(latest.error());
    struct Entry {
        FleetRow const* row;
        KioskHealth health;
        std::string key;
    };
    std::vector<Entry> entries;
    auto const limits = thresholds_of(p);
    for (auto const& r : *rows)
        entries.push_back({&r, health_of(r, p.now, limits), r.name.empty() ? r.kiosk.id : r.name});
    sort_worst_first(
        entries, [](Entry const& e) -> KioskHealth const& { return e.health; },
        [](Entry const& e) -> std::string const& { return e.key; });
    nlohmann::json list = nlohmann::json::array();
    int need_visit = 0, online = 0;
    for (auto const& e : entries) {
        list.push_back(kiosk_json(p, *e.row, e.health, *latest));
        need_visit
            += e.health.state == KioskState::Offline || e.health.state == KioskState::ScreenDead;
        online += e.health.state == KioskState::Online
            || e.health.state == KioskState::ClockUntrusted
            || e.health.state == KioskState::ScreenAsleep;
    }
    nlohmann::json d;
    d["kiosks"] = list;
    d["empty"] = list.empty();
    d["count_all"] = std::to_string(list.size());
    d["count_visit"] = std::to_string(need_visit);
    d["count_online"] = std::to_string(online);
    d["latest"] = *latest ? std::to_string(**latest) : std::string();
    d["error"] = error;
    d["form_name"] = p.param("name");
    d["form_location"] = p.param("location");
    std::string done = p.param("done");
    d["done"] = done == "revoked" ? p.t("fleet_done_revoked") : "";
    // htmx refreshes the counts and the table every minute (the page works without it).
    if (p.param("part") == "table")
        return p.fragment("_fleet_table", d);
    if (!error.empty())
        p.res.status = 400;
    p.render("fleet_list", d, p.t("fleet_title"));
}

// Midnights of the office's zone within [from, to], labelled "30 Nov".
std::vector<Tick> day_ticks(Page const& p, int64_t from, int64_t to) {
    std::vector<Tick> ticks;
    Zone z = zone_of(p);
    int64_t offset = int64_t {z.utc_offset_minutes} * 60;
    for (int64_t day = local_day(from, z) + 1; day * 86400 - offset <= to; ++day) {
        int64_t at = day * 86400 - offset;
        std::string label = p.date(at);
        // "30 Nov 2026" -> "30 Nov": the year is the same for the whole week.
        if (auto sp = label.rfind(' '); sp != std::string::npos)
            label.resize(sp);
        ticks.push_back({at, label});
    }
    return ticks;
}

void detail_page(Page& p, FleetRow const& r) {
    auto latest = latest_version(p.db);
    if (!latest)
        return p.fail(latest.error());
    auto const limits = thresholds_of(p);
    int64_t from = p.now - chart_days * 86400;
    auto history = heartbeat_history(p.db, r.kiosk.id, from, p.now);
    if (!history)
        return p.fail(history.error());
    std::vector<ChartPoint> queue, disk;
    std::vector<int64_t> times;
    for (auto const& s : *history) {
        times.push_back(s.at);
        if (s.queue_depth)
            queue.push_back({s.at, double(*s.queue_depth)});
        if (s.disk_free_bytes)
            disk.push_back({s.at, double(*s.disk_free_bytes)});
    }
    ChartSpec spec;
    spec.from = from;
    spec.to = p.now;
    spec.gap_s = limits.offline_after_s;
    spec.ticks = day_ticks(p, from, p.now);
    spec.title = p.t("fleet_chart_queue");
    spec.y_label = [](double v) { return std::to_string(std::llround(v)); };
    std::string queue_svg = line_chart_svg(queue, spec);
    spec.title = p.t("fleet_chart_disk");
    spec.keep = KeepInBucket::Min;
    Lang lang = p.lang;
    spec.y_label = [lang](double v) { return format_bytes(int64_t(v), lang); };
    std::string disk_svg = line_chart_svg(disk, spec);
    spec.title = p.t("fleet_chart_online");
    spec.height = 70;
    std::string online_svg
        = periods_svg(online_periods(times, limits.offline_after_s, from, p.now), spec);

    nlohmann::json d;
    d["kiosk"] = kiosk_json(p, r, health_of(r, p.now, limits), *latest);
    d["chart_queue"] = queue_svg;
    d["chart_disk"] = disk_svg;
    d["chart_online"] = online_svg;
    d["heartbeats"] = std::to_string(history->size());
    d["no_history"] = history->empty();
    std::string done = p.param("done");
    d["done"] = done == "place" ? p.t("fleet_done_place") : "";
    p.render("fleet_kiosk", d, (r.name.empty() ? r.kiosk.id : r.name));
}

template <typename F>
void with_kiosk(Page& p, F f) {
    auto row = find_fleet_kiosk(p.db, p.req.matches[1].str());
    if (!row)
        return p.fail(row.error());
    if (!*row)
        return p.fail(404, p.t("fleet_not_found"));
    f(**row);
}

// The URL a kiosk reaches this server at: the configured public one, else the address the
// admin's browser used (plain HTTP on a LAN or loopback).
std::string server_url(Page const& p) {
    if (!p.config.public_url.empty())
        return p.config.public_url;
    return "http://" + p.req.get_header_value("Host");
}

} // namespace

void install_fleet_pages(Site& site) {
    site.get("/staff/kiosks", Permission::Read, [](Page& p) { list_page(p, ""); });

    site.get(R"(/staff/kiosks/([A-Za-z0-9_-]{1,64}))", Permission::Read,
        [](Page& p) { with_kiosk(p, [&](FleetRow const& r) { detail_page(p, r); }); });

    // Enrolment: the token appears in this answer only (never in a URL, never stored).
    site.post("/staff/kiosks", Permission::Admin, [](Page& p) {
        std::string name = p.param("name"), location = p.param("location");
        if (auto bad = check_kiosk_place(name, location); !bad.empty())
            return list_page(p,
                bad.rfind("location", 0) == 0 ? p.t("fleet_bad_location") : p.t("fleet_bad_name"));
        auto enrolled = enrol_kiosk(p.db, name, location, p.now);
        if (!enrolled)
            return p.fail(enrolled.error());
        p.audit("kiosk_enrol", enrolled->id, name + (location.empty() ? "" : " · " + location));
        std::string lines = kiosk_config_lines(enrolled->id, enrolled->token, server_url(p));
        auto qr = qr_code_svg(lines, 280, p.t("fleet_qr_title"));
        nlohmann::json d;
        d["id"] = enrolled->id;
        d["name"] = name;
        d["location"] = location;
        d["token"] = enrolled->token;
        d["lines"] = lines;
        d["qr"] = qr ? *qr : std::string();
        d["sync_config_path"] = sync_config_path;
        p.res.set_header("Cache-Control", "no-store");
        p.render("fleet_enrolled", d, p.t("fleet_enrolled_title"));
    });

    // Revocation: a confirmation page (GET changes nothing), then the POST.
    site.get(R"(/staff/kiosks/([A-Za-z0-9_-]{1,64})/revoke)", Permission::Admin, [](Page& p) {
        with_kiosk(p, [&](FleetRow const& r) {
            nlohmann::json d;
            d["kiosk"] = {{"id", r.kiosk.id}, {"name", r.name.empty() ? r.kiosk.id : r.name},
                {"location", r.location}, {"revoked", r.kiosk.revoked_at != 0}};
            p.render("fleet_revoke", d, p.t("fleet_revoke_title"));
        });
    });
    site.post(R"(/staff/kiosks/([A-Za-z0-9_-]{1,64})/revoke)", Permission::Admin, [](Page& p) {
        with_kiosk(p, [&](FleetRow const& r) {
            if (r.kiosk.revoked_at != 0)
                return p.redirect("/staff/kiosks/" + r.kiosk.id);
            if (auto done = revoke_kiosk(p.db, r.kiosk.id, p.now); !done)
                return p.fail(done.error());
            p.audit("kiosk_revoke", r.kiosk.id, r.name);
            p.redirect("/staff/kiosks?done=revoked");
        });
    });

    site.post(R"(/staff/kiosks/([A-Za-z0-9_-]{1,64})/place)", Permission::Admin, [](Page& p) {
        with_kiosk(p, [&](FleetRow const& r) {
            std::string name = p.param("name"), location = p.param("location");
            if (auto bad = check_kiosk_place(name, location); !bad.empty())
                return p.fail(400,
                    bad.rfind("location", 0) == 0 ? p.t("fleet_bad_location")
                                                  : p.t("fleet_bad_name"));
            if (auto done = set_kiosk_place(p.db, r.kiosk.id, name, location); !done)
                return p.fail(done.error());
            p.audit("kiosk_place", r.kiosk.id, name + (location.empty() ? "" : " · " + location));
            p.redirect("/staff/kiosks/" + r.kiosk.id + "?done=place");
        });
    });
}

} // namespace ksd::server::web
