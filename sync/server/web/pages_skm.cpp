// The satisfaction survey's pages (issue 14): GET /staff/skm, the index per element and in total
// with its grade for a month, quarter or year and one kiosk or all, with a bar chart and the
// respondents' profile; GET /staff/skm/report, the yearly report laid out as the regulation's
// table for printing; and the CSV exports of the responses and of the index.
#include "web/site.h"

#include "skm_csv.h"
#include "skm_svg.h"
#include "store_skm.h"

#include "ksd/log.h"
#include "ksd/skm.h"

#include <cstdio>
#include <memory>

namespace ksd::server::web {

namespace {

std::string decimal(double v, int places, Lang lang) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", places, v);
    std::string out = buf;
    if (lang == Lang::Id)
        for (auto& c : out)
            if (c == '.')
                c = ',';
    return out;
}

std::string kind_code(SkmPeriodKind k) {
    switch (k) {
    case SkmPeriodKind::Month:
        return "month";
    case SkmPeriodKind::Quarter:
        return "quarter";
    case SkmPeriodKind::Year:
        return "year";
    }
    return "month";
}

// "November 2026", "Triwulan IV 2026" / "Q4 2026", "2026".
std::string period_label(SkmPeriod const& p, Lang lang) {
    static constexpr char const* roman[] = {"I", "II", "III", "IV"};
    switch (p.kind) {
    case SkmPeriodKind::Month: {
        std::string d = format_date_long(Date {p.year, p.part, 1}, lang == Lang::En);
        return d.substr(d.find(' ') + 1);
    }
    case SkmPeriodKind::Quarter:
        return lang == Lang::En
            ? "Q" + std::to_string(p.part) + " " + std::to_string(p.year)
            : std::string("Triwulan ") + roman[p.part - 1] + " " + std::to_string(p.year);
    case SkmPeriodKind::Year:
        return std::to_string(p.year);
    }
    return std::to_string(p.year);
}

std::string url_escape(std::string const& s) {
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::string query_of(SkmPeriod const& p, std::string const& kiosk) {
    return "period=" + kind_code(p.kind) + "&at=" + url_escape(p.key())
        + (kiosk.empty() ? std::string() : "&kiosk=" + url_escape(kiosk));
}

struct Selection {
    SkmPeriod period;
    std::string kiosk;
    SkmFilter filter() const { return {period.from, period.to, kiosk}; }
};

// The period and kiosk of the request; nullopt (after a 400 page) when the period is unreadable.
std::optional<Selection> read_selection(Page& p) {
    auto period = parse_skm_period(
        p.param("period"), p.param("at"), p.now, p.config.zone.utc_offset_minutes);
    if (!period) {
        p.fail(400, p.t("skm_bad_period"));
        return std::nullopt;
    }
    std::string kiosk = p.param("kiosk");
    if (!kiosk.empty() && !is_valid_kiosk_id(kiosk)) {
        p.fail(400, p.t("skm_bad_kiosk"));
        return std::nullopt;
    }
    return Selection {*period, kiosk};
}

// The index's rows and totals as the templates show them.
nlohmann::json index_json(SkmIndex const& x, Lang lang) {
    nlohmann::json rows = nlohmann::json::array();
    auto elements = skm_elements();
    for (size_t i = 0; i < elements.size(); ++i) {
        auto const& e = x.elements[i];
        rows.push_back({{"code", std::string(elements[i].code)},
            {"name", std::string(elements[i].name.in(lang))}, {"answered", e.answered},
            {"has", e.answered > 0}, {"nrr", decimal(e.nrr, 2, lang)},
            {"nrr4", decimal(e.nrr, 3, lang)}, {"weighted", decimal(e.weighted, 3, lang)},
            {"ikm", decimal(e.nrr * 25.0, 2, lang)},
            {"grade", std::string(1, skm_grade_letter(skm_grade_of(e.nrr * 25.0)))}});
    }
    SkmText words = skm_grade_words(x.grade);
    return {{"rows", rows}, {"empty", x.empty}, {"incomplete", !x.empty && !x.complete},
        {"respondents", x.respondents}, {"interval", decimal(x.interval, 3, lang)},
        {"ikm", decimal(x.ikm, 2, lang)}, {"grade", std::string(1, skm_grade_letter(x.grade))},
        {"grade_words", std::string(words.in(lang))},
        {"grade_class", "skm-grade-" + std::string(1, char(skm_grade_letter(x.grade) + 32))}};
}

// The respondents' profile: per field the count of each answer, "not given" last.
nlohmann::json profile_json(SkmProfile const& profile, Page const& p) {
    struct Field {
        char const* key;
        std::span<SkmChoice const> (*choices)();
        char const* title;
    };
    static constexpr Field fields[] = {{"gender", skm_genders, "skm_gender"},
        {"age_band", skm_age_bands, "skm_age"}, {"education", skm_educations, "skm_education"},
        {"occupation", skm_occupations, "skm_occupation"}};
    nlohmann::json out = nlohmann::json::array();
    for (auto const& f : fields) {
        auto found = profile.find(f.key);
        auto count = [&](std::string const& code) -> int64_t {
            if (found == profile.end())
                return 0;
            auto it = found->second.find(code);
            return it == found->second.end() ? 0 : it->second;
        };
        nlohmann::json items = nlohmann::json::array();
        for (auto const& c : f.choices())
            items.push_back({{"label", std::string(c.label.in(p.lang))},
                {"count", count(std::string(c.code))}});
        items.push_back({{"label", p.t("skm_not_given")}, {"count", count("")}});
        out.push_back({{"title", p.t(f.title)}, {"items", items}});
    }
    return out;
}

void index_page(Page& p) {
    auto sel = read_selection(p);
    if (!sel)
        return;
    int const offset = p.config.zone.utc_offset_minutes;
    auto tally = skm_tally(p.db, sel->filter());
    if (!tally)
        return p.fail(tally.error());
    auto profile = skm_profile(p.db, sel->filter());
    if (!profile)
        return p.fail(profile.error());
    auto kiosks = skm_kiosks(p.db);
    if (!kiosks)
        return p.fail(kiosks.error());
    SkmIndex const x = skm_index(*tally);
    nlohmann::json d;
    d["index"] = index_json(x, p.lang);
    d["period_label"] = period_label(sel->period, p.lang);
    d["at"] = sel->period.key();
    nlohmann::json kinds = nlohmann::json::array();
    for (auto k : {SkmPeriodKind::Month, SkmPeriodKind::Quarter, SkmPeriodKind::Year})
        kinds.push_back({{"value", kind_code(k)}, {"name", p.t("skm_period_" + kind_code(k))},
            {"selected", k == sel->period.kind}});
    d["kinds"] = kinds;
    nlohmann::json ks = nlohmann::json::array();
    for (auto const& k : *kiosks)
        ks.push_back({{"value", k}, {"selected", k == sel->kiosk}});
    d["kiosks"] = ks;
    d["kiosk"] = sel->kiosk;
    SkmPeriod const prev = skm_period_step(sel->period, -1, offset);
    SkmPeriod const next = skm_period_step(sel->period, 1, offset);
    d["prev_url"] = "/staff/skm?" + query_of(prev, sel->kiosk);
    d["prev_label"] = period_label(prev, p.lang);
    if (next.from <= p.now) {
        d["next_url"] = "/staff/skm?" + query_of(next, sel->kiosk);
        d["next_label"] = period_label(next, p.lang);
    }
    std::string const q = query_of(sel->period, sel->kiosk);
    d["csv_semicolon"] = "/staff/skm/responses.csv?" + q;
    d["csv_comma"] = "/staff/skm/responses.csv?" + q + "&sep=comma";
    d["index_csv"] = "/staff/skm/index.csv?" + q;
    d["report_url"] = "/staff/skm/report?year=" + std::to_string(sel->period.year)
        + (sel->kiosk.empty() ? std::string() : "&kiosk=" + url_escape(sel->kiosk));
    d["report_year"] = sel->period.year;
    d["chart"] = x.empty
        ? std::string()
        : skm_bars_svg(
            x, p.t("skm_chart_title") + " " + d["period_label"].get<std::string>(), p.lang);
    d["profile"] = profile_json(*profile, p);
    // All kiosks: each kiosk's own index beside the whole, to see where the grade comes from.
    if (sel->kiosk.empty()) {
        auto per_kiosk = skm_tally_by_kiosk(p.db, sel->filter());
        if (!per_kiosk)
            return p.fail(per_kiosk.error());
        nlohmann::json rows = nlohmann::json::array();
        for (auto const& [kiosk, sums] : *per_kiosk) {
            SkmIndex const k = skm_index(sums);
            rows.push_back({{"kiosk", kiosk}, {"respondents", k.respondents},
                {"ikm", decimal(k.ikm, 2, p.lang)},
                {"grade",
                    std::string(1, skm_grade_letter(k.grade)) + " · "
                        + std::string(skm_grade_words(k.grade).in(p.lang))},
                {"url", "/staff/skm?" + query_of(sel->period, kiosk)}});
        }
        if (rows.size() > 1) {
            d["per_kiosk"] = rows;
            d["has_per_kiosk"] = true;
        }
    }
    p.render("skm", d, p.t("skm_title"));
}

void report_page(Page& p) {
    std::string const year = p.param("year");
    auto period = parse_skm_period("year", year, p.now, p.config.zone.utc_offset_minutes);
    if (!period)
        return p.fail(400, p.t("skm_bad_period"));
    std::string const kiosk = p.param("kiosk");
    if (!kiosk.empty() && !is_valid_kiosk_id(kiosk))
        return p.fail(400, p.t("skm_bad_kiosk"));
    SkmFilter const f {period->from, period->to, kiosk};
    auto tally = skm_tally(p.db, f);
    if (!tally)
        return p.fail(tally.error());
    auto profile = skm_profile(p.db, f);
    if (!profile)
        return p.fail(profile.error());
    SkmIndex const x = skm_index(*tally);
    nlohmann::json d;
    d["bare"] = true;
    d["index"] = index_json(x, p.lang);
    d["year"] = period->year;
    d["kiosk"] = kiosk;
    d["printed"] = p.date(p.now);
    d["profile"] = profile_json(*profile, p);
    d["back_url"] = "/staff/skm?" + query_of(*period, kiosk);
    p.render("skm_report", d, p.t("skm_report_title") + " " + std::to_string(period->year));
}

// The CSV of one period's responses, streamed in pages (100,000 rows never sit in memory).
struct Export {
    SkmFilter filter;
    SkmCsvOptions options;
    int64_t after_at {-1};
    std::string after_id;
    bool head_sent {false};
};

} // namespace

void install_skm_pages(Site& site) {
    site.get("/staff/skm", Permission::Read, index_page);
    site.get("/staff/skm/report", Permission::Read, report_page);

    site.get("/staff/skm/index.csv", Permission::Read, [](Page& p) {
        auto sel = read_selection(p);
        if (!sel)
            return;
        auto sep = parse_csv_separator(p.param("sep"));
        if (!sep)
            return p.fail(400, p.t("inbox_bad_separator"));
        auto tally = skm_tally(p.db, sel->filter());
        if (!tally)
            return p.fail(tally.error());
        SkmCsvOptions const o {*sep, p.lang, p.config.zone.utc_offset_minutes};
        p.res.set_header(
            "Content-Disposition", "attachment; filename=\"ikm-" + sel->period.key() + ".csv\"");
        p.res.set_content(skm_index_csv(skm_index(*tally), o), "text/csv; charset=utf-8");
    });

    site.get("/staff/skm/responses.csv", Permission::Read, [&site](Page& p) {
        auto sel = read_selection(p);
        if (!sel)
            return;
        auto sep = parse_csv_separator(p.param("sep"));
        if (!sep)
            return p.fail(400, p.t("inbox_bad_separator"));
        auto state = std::make_shared<Export>();
        state->filter = sel->filter();
        state->options = SkmCsvOptions {*sep, p.lang, p.config.zone.utc_offset_minutes};
        p.audit("skm_export", "skm", query_of(sel->period, sel->kiosk));
        p.res.set_header(
            "Content-Disposition", "attachment; filename=\"skm-" + sel->period.key() + ".csv\"");
        DbPool* pool = &site.pool();
        p.res.set_chunked_content_provider(
            "text/csv; charset=utf-8", [state, pool](size_t, httplib::DataSink& sink) {
                std::string chunk;
                if (!state->head_sent) {
                    chunk = skm_csv_head(state->options);
                    state->head_sent = true;
                }
                auto lease = pool->take();
                if (!lease) {
                    log::error("staff", "skm export: " + lease.error().message);
                    return false;
                }
                // One page of rows after the last one written (keyset), so the provider can be
                // called again for the next.
                SkmFilter f = state->filter;
                int rows = 0;
                auto read = for_each_skm_row(
                    lease->db(), f,
                    [&](SkmRow const& r) {
                        chunk += skm_csv_line(r, state->options);
                        state->after_at = r.made_at;
                        state->after_id = r.id;
                        return ++rows < 1000;
                    },
                    state->after_at, state->after_id);
                if (!read) {
                    // The body has begun: the client sees a cut download, never a partial file
                    // passed off as whole (no final chunk is sent).
                    log::error("staff", "skm export: " + read.error().message);
                    return false;
                }
                if (!chunk.empty() && !sink.write(chunk.data(), chunk.size()))
                    return false;
                if (rows < 1000)
                    sink.done();
                return true;
            });
    });
}

} // namespace ksd::server::web
