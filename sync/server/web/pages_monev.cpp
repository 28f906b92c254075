// Issue 14, monitoring and evaluation of agreements (monev) under /staff/content/monev: the
// office's to-do list, and one agreement's evaluations with the form that records a new one
// (editors). Logic: monev.h; storage: store_monev.h.
#include "web/site.h"

#include "monev.h"

#include "ksd/utf8.h"

#include <algorithm>

namespace ksd::server::web {

namespace {

std::string date_words(Page const& p, Date d) {
    return format_date_long(d, p.lang == Lang::En);
}

std::string state_words(Page const& p, std::optional<ImplementationState> s) {
    return s ? std::string(implementation_name(*s, p.lang)) : "";
}

nlohmann::json items_json(Page const& p, std::vector<TodoItem> const& items) {
    nlohmann::json out = nlohmann::json::array();
    for (auto const& i : items)
        out.push_back({{"nomor", i.fields.nomor}, {"href", monev_agreement_path(i.fields.nomor)},
            {"mitra", i.fields.mitra}, {"perihal", i.fields.perihal},
            {"berakhir", date_words(p, i.end)}, {"days_left", i.days_left},
            {"last", i.last_evaluated ? date_words(p, *i.last_evaluated) : ""},
            {"state", state_words(p, i.state)}});
    return out;
}

void todo_page(Page& p) {
    Date today = date_in(p.now, p.config.zone);
    auto todo = load_monev_todo(p.db, today);
    if (!todo.ok())
        return p.fail(400, todo.failure().text(p.lang));
    nlohmann::json d;
    d["today"] = date_words(p, today);
    d["ending_90"] = items_json(p, todo->ending_90);
    d["ending_180"] = items_json(p, todo->ending_180);
    d["not_evaluated"] = items_json(p, todo->not_evaluated);
    d["count"] = todo->size();
    p.render("monev", d, p.t("monev_title"));
}

nlohmann::json state_options(Page const& p, std::string const& selected) {
    nlohmann::json out = nlohmann::json::array();
    auto chosen = parse_implementation_state(selected);
    for (auto st : implementation_states)
        out.push_back({{"code", std::string(implementation_code(st))},
            {"name", std::string(implementation_name(st, p.lang))},
            {"selected", chosen && *chosen == st}});
    return out;
}

void agreement_page(Page& p, std::string const& nomor, EvaluationInput const* form,
    std::vector<FieldProblem> const& problems) {
    auto rows = list_agreements(p.db);
    if (!rows.ok())
        return p.fail(400, rows.failure().text(p.lang));
    auto row = std::find_if(
        rows->begin(), rows->end(), [&](AgreementRow const& r) { return r.fields.nomor == nomor; });
    if (row == rows->end())
        return p.fail(404, p.t("content_agreement_not_found"));
    auto history = evaluations_of(p.db, nomor);
    if (!history)
        return p.fail(history.error());
    auto const& f = row->fields;
    auto const& m = row->monitoring;
    nlohmann::json d;
    d["nomor"] = f.nomor;
    d["mitra"] = f.mitra;
    d["perihal"] = f.perihal;
    d["pelaksana"] = f.pelaksana;
    auto end = parse_date(f.berakhir);
    d["berakhir"] = end ? date_words(p, *end) : f.berakhir;
    nlohmann::json list = nlohmann::json::array();
    for (auto const& e : *history)
        list.push_back({{"date", date_words(p, e.evaluated_on)},
            {"state", std::string(implementation_name(e.state, p.lang))},
            {"state_code", std::string(implementation_code(e.state))}, {"summary", e.summary},
            {"unit", e.unit}, {"by", e.recorded_by}, {"at", p.time(e.recorded_at)}});
    d["history"] = list;
    d["has_history"] = !list.empty();
    // The register's own (an uploaded spreadsheet's) evaluation when the history has none.
    if (list.empty() && !m.tanggal_evaluasi.empty()) {
        auto on = parse_date(m.tanggal_evaluasi);
        d["register_eval"] = {{"date", on ? date_words(p, *on) : m.tanggal_evaluasi},
            {"state", state_words(p, parse_implementation_state(m.status_pelaksanaan))},
            {"summary", m.ringkasan_evaluasi}, {"unit", m.penanggung_jawab}};
    }
    // The form starts from the last evaluation's state and unit (or the implementing agency).
    EvaluationInput v;
    if (form) {
        v = *form;
    } else {
        v.tanggal = date_in(p.now, p.config.zone).iso();
        if (!history->empty()) {
            v.status = std::string(implementation_code(history->front().state));
            v.penanggung_jawab = history->front().unit;
        } else {
            v.status = m.status_pelaksanaan;
            v.penanggung_jawab = m.penanggung_jawab.empty() ? f.pelaksana : m.penanggung_jawab;
        }
    }
    d["v_tanggal"] = v.tanggal;
    d["v_ringkasan"] = v.ringkasan;
    d["v_unit"] = v.penanggung_jawab;
    d["states"] = state_options(p, v.status);
    for (auto const& pr : problems)
        d["e_" + pr.field] = p.lang == Lang::Id ? pr.id : pr.en;
    d["has_errors"] = !problems.empty();
    if (p.param("done") == "saved")
        d["done"] = p.t("monev_saved");
    if (!problems.empty())
        p.res.status = 400;
    p.render("monev_agreement", d, p.t("monev_agreement_title") + " " + f.nomor);
}

} // namespace

void install_monev_pages(Site& site) {
    site.get("/staff/content/monev", Permission::Read, [](Page& p) { todo_page(p); });
    site.get("/staff/content/monev/agreement", Permission::Read,
        [](Page& p) { agreement_page(p, p.param("nomor"), nullptr, {}); });
    site.post("/staff/content/monev/agreement", Permission::EditContent, [](Page& p) {
        EvaluationInput in {p.param("nomor"), p.param("tanggal"), p.param("status"),
            p.param("ringkasan"), p.param("penanggung_jawab")};
        for (auto const* v : {&in.nomor, &in.ringkasan, &in.penanggung_jawab})
            if (!utf8::is_valid(*v) || v->size() > 8192)
                return agreement_page(p, in.nomor, &in,
                    {{"ringkasan", "a field is not valid text",
                        "ada isian yang bukan teks yang sah"}});
        auto r = record_evaluation(p.db, in, p.user.name, date_in(p.now, p.config.zone), p.now);
        if (!r.ok())
            return p.fail(400, r.failure().text(p.lang));
        if (!r->empty())
            return agreement_page(p, in.nomor, &in, *r);
        p.audit("monev_evaluation", in.nomor, in.tanggal + " " + in.status);
        p.redirect(monev_agreement_path(in.nomor) + "&done=saved");
    });
}

} // namespace ksd::server::web
