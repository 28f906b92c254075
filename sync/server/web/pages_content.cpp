// Content pages under /staff/content: the draft against the published version and the kiosks'
// versions, the register (spreadsheet upload, one agreement by form), pages and TOML files
// edited as text with a Markdown preview, "Periksa", "Terbitkan" (server key or offline
// signature), the history with restore. Logic and storage: content_service.h, store_content.h.
#include "web/site.h"

#include "content_service.h"
#include "store.h"
#include "store_content.h"
#include "store_monev.h"
#include "web/markdown_html.h"

#include "ksd/date.h"
#include "ksd/files.h"
#include "ksd/number.h"
#include "ksd/utf8.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace ksd::server::web {

namespace {

ContentSettings settings_of(Page const& p) {
    return ContentSettings {p.config.content_dir, p.config.public_key, p.config.secret_key};
}

std::string trim_copy(std::string const& s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos)
        return "";
    return s.substr(a, s.find_last_not_of(" \t\r\n") - a + 1);
}

std::string lang_text(Page const& p, std::string const& en, std::string const& id) {
    return p.lang == Lang::Id ? id : en;
}

bool editable_text_path(std::string const& path) {
    return is_source_path(path) && path != "agreements.csv" && path.rfind("images/", 0) != 0;
}

// Where staff fix a problem in a file.
std::string fix_href(Diagnostic const& d) {
    if (d.file == "agreements.csv")
        return d.line ? "/staff/content/register#line-" + std::to_string(d.line)
                      : "/staff/content/register";
    if (editable_text_path(d.file))
        return "/staff/content/file?path=" + d.file
            + (d.line ? "#line-" + std::to_string(d.line) : std::string());
    return "";
}

nlohmann::json problem_json(Page const& p, Diagnostic const& d) {
    return {{"file", d.file}, {"line", d.line ? std::to_string(d.line) : ""}, {"field", d.field},
        {"text", d.text(p.lang)}, {"href", fix_href(d)}};
}

nlohmann::json problems_json(Page const& p, std::vector<Diagnostic> const& list) {
    nlohmann::json out = nlohmann::json::array();
    for (auto const& d : list)
        out.push_back(problem_json(p, d));
    return out;
}

std::string signing_words(Page const& p, std::optional<Signing> s) {
    if (!s)
        return p.t("content_signing_unknown");
    switch (*s) {
    case Signing::ServerKey:
        return p.t("content_signing_server_key");
    case Signing::Offline:
        return p.t("content_signing_offline");
    case Signing::External:
        return p.t("content_signing_external");
    }
    return p.t("content_signing_unknown");
}

std::string who(Page const& p, std::string const& name) {
    return name == "cli" ? p.t("content_cli") : name;
}

// ---- overview ----

void overview(Page& p, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json d = std::move(extra);
    auto draft = list_draft(p.db);
    if (!draft.ok())
        return p.fail(draft.error());
    int64_t changed_at = 0;
    std::string changed_by;
    nlohmann::json pages = nlohmann::json::array();
    std::set<std::string> page_ids;
    for (auto const& f : *draft) {
        if (f.updated_at > changed_at) {
            changed_at = f.updated_at;
            changed_by = f.updated_by;
        }
        if (f.path.rfind("pages/", 0) == 0 && f.path.size() > 12)
            page_ids.insert(f.path.substr(6, f.path.size() - 12));
    }
    // One line per page with both languages (a missing one is named by Periksa).
    for (auto const& id : page_ids)
        pages.push_back({{"id", id}, {"path_id", "pages/" + id + ".id.md"},
            {"path_en", "pages/" + id + ".en.md"}});
    d["draft_files"] = draft->size();
    d["draft_empty"] = draft->empty();
    d["draft_changed"] = changed_at ? p.time(changed_at) : "";
    d["draft_by"] = who(p, changed_by);
    d["pages"] = pages;
    nlohmann::json others = nlohmann::json::array();
    for (auto [path, key] : {std::pair {"faq.toml", "content_file_faq"},
             std::pair {"contacts.toml", "content_file_contacts"},
             std::pair {"potential.toml", "content_file_potential"},
             std::pair {"site.toml", "content_file_site"}})
        others.push_back({{"path", path}, {"name", p.t(key)}});
    d["other_files"] = others;

    auto history = list_publications(p.db);
    if (!history.ok())
        return p.fail(history.error());
    nlohmann::json rows = nlohmann::json::array();
    for (auto const& h : *history)
        rows.push_back({{"version", std::to_string(h.version)}, {"when", p.time(h.published_at)},
            {"by", h.published_by.empty() ? "-" : who(p, h.published_by)},
            {"signing", signing_words(p, h.signing)},
            {"restored_from", h.restored_from ? std::to_string(h.restored_from) : ""},
            {"restorable", h.has_sources}});
    d["history"] = rows;
    d["has_history"] = !rows.empty();
    int64_t latest = history->empty() ? 0 : history->front().version;
    if (latest) {
        auto const& h = history->front();
        d["published"] = {{"version", std::to_string(h.version)}, {"when", p.time(h.published_at)},
            {"by", h.published_by.empty() ? "-" : who(p, h.published_by)}};
        // The draft against the sources of the published version, file by file.
        auto snap = read_snapshot(p.db, latest);
        auto files = read_draft(p.db);
        if (snap.ok() && files.ok() && !snap->empty()) {
            bool same = snap->size() == files->size();
            for (size_t i = 0; same && i < files->size(); ++i)
                same = (*snap)[i].path == (*files)[i].path && (*snap)[i].bytes == (*files)[i].bytes;
            d["draft_same"] = same;
            d["draft_differs"] = !same;
        }
    }

    auto kiosks = list_kiosks(p.db);
    if (!kiosks.ok())
        return p.fail(kiosks.error());
    nlohmann::json ks = nlohmann::json::array();
    for (auto const& k : *kiosks) {
        if (k.revoked_at)
            continue;
        int64_t v = 0;
        if (k.heartbeat.is_object() && k.heartbeat.contains("content_version")
            && k.heartbeat["content_version"].is_number_integer())
            v = k.heartbeat["content_version"].get<int64_t>();
        ks.push_back({{"id", k.id}, {"version", v ? std::to_string(v) : ""},
            {"latest", v && v >= latest}, {"older", v && v < latest}, {"unknown", v == 0},
            {"seen", k.last_heartbeat_at ? p.time(k.last_heartbeat_at) : ""}});
    }
    d["kiosks"] = ks;
    d["has_kiosks"] = !ks.empty();
    d["has_secret_key"] = !p.config.secret_key.empty();
    auto pending = pending_pack(p.db);
    if (!pending.ok())
        return p.fail(pending.error());
    if (*pending)
        d["pending"] = {{"version", std::to_string((*pending)->version)},
            {"when", p.time((*pending)->created_at)}, {"by", who(p, (*pending)->created_by)},
            {"restored_from",
                (*pending)->restored_from ? std::to_string((*pending)->restored_from) : ""}};
    std::string done = p.param("done");
    if (done == "published")
        d["done"] = p.t("content_published_done") + " " + p.param("version");
    if (!d.contains("problems"))
        d["problems"] = nlohmann::json::array();
    if (d.contains("error"))
        p.res.status = 400;
    p.render("content", d, p.t("content_title"));
}

void show_failure(Page& p, ContentFailure const& f) {
    nlohmann::json d;
    d["error"] = f.text(p.lang);
    d["problems"] = problems_json(p, f.problems);
    overview(p, d);
}

// ---- register ----

nlohmann::json picker(std::span<Term const> terms, std::string const& selected, Lang lang) {
    nlohmann::json out = nlohmann::json::array();
    Term const* chosen = nullptr;
    for (auto const& t : terms)
        if (selected == t.code || selected == t.name_id)
            chosen = &t;
    for (auto const& t : terms) {
        std::string label = std::string(t.name(lang));
        if (label != t.code)
            label = std::string(t.code) + " - " + label;
        out.push_back({{"code", std::string(t.code)}, {"name", label}, {"selected", &t == chosen}});
    }
    return out;
}

std::string term_name(Term const* t, std::string const& raw, Lang lang) {
    return t ? std::string(t->name(lang)) : raw;
}

void register_page(Page& p, nlohmann::json d = nlohmann::json::object()) {
    auto rows = list_agreements(p.db);
    auto checked = check_draft(p.db, settings_of(p));
    std::map<size_t, std::vector<Diagnostic>> by_line;
    std::vector<Diagnostic> other;
    if (checked.ok())
        for (auto const& e : checked->errors)
            if (e.file == "agreements.csv")
                by_line[e.line].push_back(e);
    nlohmann::json table = nlohmann::json::array();
    std::set<size_t> shown;
    size_t bad_rows = 0;
    if (rows.ok()) {
        for (auto const& r : *rows) {
            auto const& f = r.fields;
            nlohmann::json problems = nlohmann::json::array();
            if (auto it = by_line.find(r.line); it != by_line.end()) {
                problems = problems_json(p, it->second);
                shown.insert(r.line);
                ++bad_rows;
            }
            table.push_back({{"line", r.line}, {"nomor", f.nomor},
                {"jenis", term_name(find_kind(f.jenis), f.jenis, p.lang)},
                {"dokumen", term_name(find_document_type(f.dokumen), f.dokumen, p.lang)},
                {"mitra", f.mitra}, {"perihal", f.perihal},
                {"bidang", term_name(find_sector(f.bidang), f.bidang, p.lang)},
                {"berakhir", f.berakhir}, {"problems", problems},
                {"has_problems", !problems.empty()}});
        }
    } else {
        d["error"] = rows.failure().text(p.lang);
    }
    for (auto const& [line, list] : by_line)
        if (!shown.count(line))
            other.insert(other.end(), list.begin(), list.end());
    if (!checked.ok())
        d["error"] = checked.failure().text(p.lang);
    d["rows"] = table;
    d["row_count"] = table.size();
    d["bad_rows"] = bad_rows;
    d["has_bad_rows"] = bad_rows > 0;
    d["all_ok"] = checked.ok() && bad_rows == 0 && other.empty() && !table.empty();
    d["other_problems"] = problems_json(p, other);
    d["has_other_problems"] = !other.empty();
    if (!d.contains("upload_problems"))
        d["upload_problems"] = nlohmann::json::array();
    if (p.param("done") == "saved")
        d["done"] = p.t("content_agreement_saved");
    if (d.contains("error") && p.res.status == 200)
        p.res.status = 400;
    p.render("content_register", d, p.t("content_register_title"));
}

void agreement_form(Page& p, AgreementFields const& a, std::string const& original,
    std::vector<FieldProblem> const& problems) {
    nlohmann::json d;
    d["original"] = original;
    d["is_new"] = original.empty();
    d["kinds"] = picker(agreement_kinds(), a.jenis, p.lang);
    d["doc_types"] = picker(document_types(), a.dokumen, p.lang);
    d["sectors"] = picker(sectors(), a.bidang, p.lang);
    std::map<std::string, std::string> errors;
    for (auto const& pr : problems)
        errors[pr.field] += (errors[pr.field].empty() ? "" : " ") + lang_text(p, pr.en, pr.id);
    nlohmann::json fields = nlohmann::json::object();
    std::pair<char const*, std::string const*> const cols[] {{"nomor", &a.nomor},
        {"mitra", &a.mitra}, {"perihal", &a.perihal}, {"ruang_lingkup", &a.ruang_lingkup},
        {"tanggal_ttd", &a.tanggal_ttd}, {"mulai", &a.mulai}, {"berakhir", &a.berakhir},
        {"pelaksana", &a.pelaksana}, {"keterangan", &a.keterangan}};
    for (auto const& [name, value] : cols)
        d["v_" + std::string(name)] = *value;
    // A date input shows only YYYY-MM-DD: a register's 14/03/2026 is shown in that form.
    for (char const* c : {"tanggal_ttd", "mulai", "berakhir"})
        if (auto date = parse_date(d["v_" + std::string(c)].get<std::string>()))
            d["v_" + std::string(c)] = date->iso();
    for (char const* c : {"nomor", "jenis", "dokumen", "mitra", "perihal", "bidang",
             "ruang_lingkup", "tanggal_ttd", "mulai", "berakhir", "pelaksana", "keterangan"})
        d["e_" + std::string(c)] = errors.count(c) ? errors[c] : "";
    d["has_errors"] = !problems.empty();
    if (!problems.empty())
        p.res.status = 400;
    p.render("content_agreement", d,
        original.empty() ? p.t("content_agreement_new") : p.t("content_agreement_edit"));
}

// ---- files ----

void file_page(Page& p, std::string const& path, std::string const& text, bool exists,
    nlohmann::json d = nlohmann::json::object()) {
    d["path"] = path;
    d["text"] = text;
    d["missing"] = !exists;
    bool markdown = path.size() > 3 && path.substr(path.size() - 3) == ".md";
    if (markdown) {
        // The page's body after its "+++" header, as the kiosk lays it out.
        std::string body = text;
        if (body.rfind("+++", 0) == 0) {
            size_t close = body.find("\n+++", 3);
            size_t start
                = close == std::string::npos ? std::string::npos : body.find('\n', close + 1);
            body = start == std::string::npos ? "" : body.substr(start + 1);
        }
        d["preview"] = markdown_preview_html(body);
        d["markdown"] = true;
    }
    auto checked = check_draft(p.db, settings_of(p));
    std::vector<Diagnostic> mine;
    if (checked.ok())
        for (auto const& e : checked->errors)
            if (e.file == path)
                mine.push_back(e);
    d["problems"] = problems_json(p, mine);
    d["has_problems"] = !mine.empty();
    if (p.param("done") == "saved")
        d["done"] = p.t("content_file_saved");
    if (d.contains("error"))
        p.res.status = 400;
    p.render("content_file", d, p.t("content_file_title") + " " + path);
}

std::string new_page_text(std::string const& id, std::string const& section, Lang lang) {
    return "+++\nid = \"" + id + "\"\nsection = \"" + section + "\"\norder = 99\ntitle = \""
        + (lang == Lang::Id ? "Judul halaman" : "Page title") + "\"\nsummary = \""
        + (lang == Lang::Id ? "Ringkasan satu baris." : "A one-line summary.") + "\"\n+++\n\n"
        + (lang == Lang::Id ? "Tulis isi halaman di sini.\n" : "Write the page here.\n");
}

} // namespace

void install_content_pages(Site& site) {
    site.get("/staff/content", Permission::Read, [](Page& p) { overview(p); });

    site.get("/staff/content/check", Permission::Read, [](Page& p) {
        auto r = check_draft(p.db, settings_of(p));
        if (!r.ok())
            return show_failure(p, r.failure());
        nlohmann::json d;
        d["problems"] = problems_json(p, r->errors);
        d["count"] = r->errors.size();
        d["ok"] = r->ok();
        p.render("content_check", d, p.t("content_check_title"));
    });

    site.post("/staff/content/publish", Permission::EditContent, [](Page& p) {
        if (p.param("confirm") != "yes") {
            nlohmann::json d;
            d["error"] = p.t("content_publish_need_confirm");
            return overview(p, d);
        }
        auto r = publish_draft(p.db, settings_of(p), p.user.name, p.now);
        if (!r.ok()) {
            p.audit("content_publish_failed", "", r.failure().en);
            return show_failure(p, r.failure());
        }
        p.audit("content_publish", std::to_string(r->version),
            "sha256 " + r->sha256 + ", " + std::to_string(r->size) + " bytes");
        p.redirect("/staff/content?done=published&version=" + std::to_string(r->version));
    });

    site.post("/staff/content/unsigned", Permission::EditContent, [](Page& p) {
        auto r = prepare_unsigned(p.db, settings_of(p), p.user.name, p.now);
        if (!r.ok())
            return show_failure(p, r.failure());
        p.audit("content_unsigned", std::to_string(r->version), "sha256 " + r->sha256);
        p.redirect("/staff/content#offline");
    });

    site.get("/staff/content/unsigned.pack", Permission::EditContent, [](Page& p) {
        auto pending = pending_pack(p.db);
        if (!pending.ok())
            return p.fail(pending.error());
        if (!*pending)
            return p.fail(404, p.t("content_offline_none"));
        auto bytes = ksd::read_file((*pending)->path);
        if (!bytes.ok())
            return p.fail(bytes.error());
        p.res.set_header("Content-Disposition",
            "attachment; filename=\"ksd-" + std::to_string((*pending)->version) + ".pack\"");
        p.res.set_content(bytes.release_value(), "application/octet-stream");
    });

    site.post("/staff/content/signature", Permission::EditContent, [](Page& p) {
        std::string sig = p.param("minisig");
        auto r = publish_with_signature(p.db, settings_of(p), sig, p.user.name, p.now);
        if (!r.ok()) {
            p.audit("content_publish_failed", "", r.failure().en);
            return show_failure(p, r.failure());
        }
        p.audit("content_signature", std::to_string(r->version), "sha256 " + r->sha256);
        p.redirect("/staff/content?done=published&version=" + std::to_string(r->version));
    });

    site.post(R"(/staff/content/restore/([0-9]{1,18}))", Permission::EditContent, [](Page& p) {
        int64_t version = ksd::parse_int<int64_t>(p.req.matches[1].str()).value_or(0);
        if (p.config.secret_key.empty()) {
            // An office signing offline: the old sources become the pack waiting to be signed.
            auto r = prepare_unsigned(p.db, settings_of(p), p.user.name, p.now, version);
            if (!r.ok())
                return show_failure(p, r.failure());
            p.audit("content_unsigned", std::to_string(r->version),
                "restore of " + std::to_string(version));
            return p.redirect("/staff/content#offline");
        }
        auto r = restore_version(p.db, settings_of(p), version, p.user.name, p.now);
        if (!r.ok()) {
            p.audit("content_publish_failed", std::to_string(version), r.failure().en);
            return show_failure(p, r.failure());
        }
        p.audit(
            "content_restore", std::to_string(r->version), "sources of " + std::to_string(version));
        p.redirect("/staff/content?done=published&version=" + std::to_string(r->version));
    });

    site.get("/staff/content/register", Permission::Read, [](Page& p) { register_page(p); });

    site.post("/staff/content/register/upload", Permission::EditContent, [](Page& p) {
        if (!p.req.is_multipart_form_data() || !p.req.has_file("file")
            || p.req.get_file_value("file").content.empty()) {
            nlohmann::json d;
            d["error"] = p.t("content_register_no_file");
            return register_page(p, d);
        }
        auto const& file = p.req.get_file_value("file");
        auto r = upload_register(p.db, file.content, p.user.name, p.now);
        if (!r.ok()) {
            nlohmann::json d;
            d["error"] = r.failure().text(p.lang);
            d["upload_problems"] = problems_json(p, r.failure().problems);
            return register_page(p, d);
        }
        std::string how = std::string(spreadsheet::encoding_name(r->encoding)) + ", "
            + (r->separator == ';'         ? "titik koma"
                    : r->separator == '\t' ? "tab"
                                           : "koma");
        p.audit(
            "content_register_upload", file.filename, std::to_string(r->rows) + " rows, " + how);
        nlohmann::json d;
        d["done"] = p.t("content_register_uploaded") + " " + std::to_string(r->rows) + " "
            + p.t("content_register_rows") + " (" + how + ")";
        register_page(p, d);
    });

    site.get("/staff/content/register/agreement", Permission::Read, [](Page& p) {
        std::string nomor = p.param("nomor");
        if (nomor.empty())
            return agreement_form(p, AgreementFields {}, "", {});
        auto rows = list_agreements(p.db);
        if (!rows.ok())
            return p.fail(400, rows.failure().text(p.lang));
        for (auto const& r : *rows)
            if (r.fields.nomor == nomor)
                return agreement_form(p, r.fields, nomor, {});
        p.fail(404, p.t("content_agreement_not_found"));
    });

    site.post("/staff/content/register/agreement", Permission::EditContent, [](Page& p) {
        AgreementFields a {p.param("nomor"), p.param("jenis"), p.param("dokumen"), p.param("mitra"),
            p.param("perihal"), p.param("bidang"), p.param("ruang_lingkup"), p.param("tanggal_ttd"),
            p.param("mulai"), p.param("berakhir"), p.param("pelaksana"), p.param("keterangan")};
        std::string original = p.param("original");
        for (auto const* v :
            {&a.nomor, &a.mitra, &a.perihal, &a.ruang_lingkup, &a.pelaksana, &a.keterangan})
            if (!utf8::is_valid(*v) || v->size() > 8192)
                return agreement_form(p, a, original,
                    {{"nomor", "a field is not valid text", "ada isian yang bukan teks yang sah"}});
        auto r = save_agreement(p.db, a, original, p.user.name, p.now);
        if (!r.ok())
            return p.fail(400, r.failure().text(p.lang));
        if (!r->empty())
            return agreement_form(p, a, original, *r);
        // Issue 14: the evaluations' history follows a changed number.
        if (!original.empty() && trim_copy(original) != trim_copy(a.nomor))
            if (auto moved = rename_evaluations(p.db, trim_copy(original), trim_copy(a.nomor));
                !moved)
                return p.fail(moved.error());
        p.audit("content_agreement_save", a.nomor, original.empty() ? "added" : "edited");
        p.redirect("/staff/content/register?done=saved");
    });

    site.get("/staff/content/file", Permission::Read, [](Page& p) {
        std::string path = p.param("path");
        if (!editable_text_path(path))
            return p.fail(404, p.t("content_file_not_editable"));
        auto text = read_draft_file(p.db, path);
        if (!text.ok())
            return p.fail(text.error());
        file_page(p, path, text->value_or(""), text->has_value());
    });

    site.post("/staff/content/file", Permission::EditContent, [](Page& p) {
        std::string path = p.param("path");
        std::string text = p.param("text");
        if (!editable_text_path(path))
            return p.fail(404, p.t("content_file_not_editable"));
        nlohmann::json d;
        if (!utf8::is_valid(text))
            d["error"] = p.t("content_file_bad_utf8");
        else if (text.size() > (4u << 20))
            d["error"] = p.t("content_file_too_big");
        if (d.contains("error") || p.param("action") == "preview")
            return file_page(p, path, text, true, d);
        // Browsers send CRLF from a textarea: the sources keep the LF the files had.
        std::string lf;
        lf.reserve(text.size());
        for (size_t i = 0; i < text.size(); ++i)
            if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n'))
                lf += text[i];
        if (auto r = put_draft_file(p.db, path, lf, p.user.name, p.now); !r.ok())
            return p.fail(r.error());
        p.audit("content_file_save", path, std::to_string(lf.size()) + " bytes");
        p.redirect("/staff/content/file?path=" + path + "&done=saved");
    });

    site.post("/staff/content/page", Permission::EditContent, [](Page& p) {
        std::string id = p.param("id");
        std::string section = p.param("section");
        if (!is_source_path("pages/" + id + ".id.md")) {
            nlohmann::json d;
            d["error"] = p.t("content_page_bad_id");
            return overview(p, d);
        }
        auto existing = read_draft_file(p.db, "pages/" + id + ".id.md");
        if (!existing.ok())
            return p.fail(existing.error());
        if (*existing) {
            nlohmann::json d;
            d["error"] = p.t("content_page_exists");
            return overview(p, d);
        }
        if (section.empty() || !is_source_path("pages/" + section + ".id.md"))
            section = "tentang";
        for (Lang l : {Lang::Id, Lang::En})
            if (auto r
                = put_draft_file(p.db, "pages/" + id + "." + std::string(lang_code(l)) + ".md",
                    new_page_text(id, section, l), p.user.name, p.now);
                !r.ok())
                return p.fail(r.error());
        p.audit("content_page_create", id, section);
        p.redirect("/staff/content/file?path=pages/" + id + ".id.md");
    });
}

} // namespace ksd::server::web
