// Issue 14: the dashboard's import of a kiosk's queue export from a USB stick (/staff/usb-import)
// and the download of the acknowledgement file staff carry back to the kiosk.
#include "web/site.h"

#include "usb_import.h"

#include "ksd/files.h"
#include "ksd/log.h"

#include <regex>
#include <sys/stat.h>

namespace ksd::server::web {

namespace {

// Acknowledgements are kept as files beside the database (or in data_dir), so staff can
// download one again; importing the export again makes it anew.
std::string ack_dir(WebConfig const& c) {
    return c.files_base + ".usb-acks";
}

void import_page(Page& p, nlohmann::json d) {
    if (d.contains("error") && !d["error"].get<std::string>().empty())
        p.res.status = 400;
    p.render("usb_import", std::move(d), p.t("usb_title"));
}

SlaRules sla_of(WebConfig const& c) {
    SlaRules sla;
    sla.working_days = c.sla_days;
    sla.utc_offset_minutes = c.zone.utc_offset_minutes;
    if (auto h = parse_holidays(c.holidays); h.ok())
        sla.holidays = h.release_value();
    return sla;
}

void import_post(Page& p) {
    nlohmann::json d;
    if (!p.req.is_multipart_form_data() || !p.req.has_file("file")
        || p.req.get_file_value("file").content.empty()) {
        d["error"] = p.t("usb_no_file");
        return import_page(p, d);
    }
    auto keys = load_usb_keypair(p.config.usb_key);
    if (!keys) {
        d["error"] = p.t("usb_no_key");
        return import_page(p, d);
    }
    auto const& file = p.req.get_file_value("file");
    auto imported = import_queue_export(p.db, file.content, *keys, p.now, sla_of(p.config));
    if (!imported) {
        if (is_busy(imported.error()))
            return p.fail(imported.error());
        log::warn(
            "server", "USB import by " + p.user.name + " refused: " + imported.error().message);
        d["error"] = imported.error().message;
        return import_page(p, d);
    }
    ::mkdir(ack_dir(p.config).c_str(), 0700);
    if (auto w = write_file_atomic(ack_dir(p.config) + "/" + imported->ack_name, imported->ack);
        !w.ok())
        return p.fail(w.error().context("the requests are stored, but the acknowledgement cannot "
                                        "be kept; import the file again"));
    p.audit("usb_import", imported->kiosk_id, describe_import(*imported));
    d["done"] = true;
    d["kiosk"] = imported->kiosk_id;
    d["exported_at"] = p.time(imported->exported_at);
    d["requests"] = imported->requests;
    d["created"] = imported->created;
    d["duplicate"] = imported->duplicate;
    d["conflict"] = imported->conflict;
    d["invalid"] = imported->invalid;
    d["surveys"] = imported->surveys;
    d["surveys_created"] = imported->surveys_created;
    d["ack_name"] = imported->ack_name;
    import_page(p, d);
}

} // namespace

void install_usb_pages(Site& site) {
    site.get("/staff/usb-import", Permission::Respond,
        [](Page& p) { import_page(p, nlohmann::json::object()); });
    site.post("/staff/usb-import", Permission::Respond, import_post);
    site.get(
        R"(/staff/usb-import/ack/(ksd-tanda-terima-[A-Za-z0-9_-]{1,64}-[0-9]{8}-[0-9]{6}\.ksda))",
        Permission::Respond, [](Page& p) {
            std::string const name = p.req.matches[1].str();
            auto bytes = read_file(ack_dir(p.config) + "/" + name, 64u << 20);
            if (!bytes)
                return p.fail(404, p.t("usb_ack_missing"));
            p.res.set_header("Content-Disposition", "attachment; filename=\"" + name + "\"");
            p.res.set_header("Cache-Control", "no-store");
            p.res.set_content(*bytes, "application/octet-stream");
        });
}

} // namespace ksd::server::web
