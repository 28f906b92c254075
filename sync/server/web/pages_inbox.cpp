// The inbox (issue 10): GET /staff/requests, newest first with its filters, counts of new and
// overdue requests, keyset pager; a fragment polled for new requests (and the tab title); the
// CSV export of the same filter, streamed from the database in batches.
#include "web/site.h"

#include "inbox_csv.h"
#include "inbox_query.h"
#include "store.h"
#include "store_inbox.h"
#include "store_staff.h"
#include "web/format.h"

#include "ksd/log.h"
#include "ksd/request_options.h"

#include <map>
#include <memory>

namespace ksd::server::web {

namespace {

constexpr int page_rows = 50;

template <typename Terms>
nlohmann::json options(Terms const& terms, std::string const& selected, Lang lang) {
    nlohmann::json out = nlohmann::json::array();
    for (auto const& t : terms)
        out.push_back({{"value", std::string(t.code)}, {"name", std::string(t.name(lang))},
            {"selected", t.code == selected}});
    return out;
}

std::string problem_key(InboxProblem p) {
    switch (p) {
    case InboxProblem::BadFrom:
        return "inbox_bad_from";
    case InboxProblem::BadTo:
        return "inbox_bad_to";
    case InboxProblem::BadStatus:
        return "inbox_bad_status";
    case InboxProblem::BadCursor:
        return "inbox_bad_cursor";
    case InboxProblem::TooLong:
        return "inbox_too_long";
    }
    return "inbox_bad_cursor";
}

InboxQuery read_query(Page const& p) {
    return parse_inbox_query([&p](std::string const& k) { return p.param(k); }, p.user.id,
        p.config.zone.utc_offset_minutes, ticket_states());
}

// "(3) Permohonan": the tab shows how many requests are new.
std::string title_of(Page const& p, InboxCounts const& c) {
    return c.fresh > 0 ? "(" + std::to_string(c.fresh) + ") " + p.t("inbox_title")
                       : p.t("inbox_title");
}

nlohmann::json counts_json(InboxCounts const& c) {
    return {{"fresh", c.fresh}, {"overdue", c.overdue}, {"late", c.overdue > 0},
        {"fresh_url", "/staff/requests?" + query_string({{"status", ticket_states().front()}})},
        {"overdue_url", "/staff/requests?overdue=1"}};
}

// Everything the inbox page and its results fragment show.
Result<nlohmann::json> inbox_data(Page& p, InboxQuery const& q) {
    TRY_RESULT(auto counts, inbox_counts(p.db, p.now));
    TRY_RESULT(auto page, inbox_page(p.db, q.filter, p.now, page_rows, q.cursor, q.direction));
    TRY_RESULT(auto users, list_users(p.db));
    std::map<int64_t, std::string> names;
    for (auto const& u : users)
        names[u.id] = u.full_name.empty() ? u.name : u.full_name;
    Zone const zone = p.config.zone;
    nlohmann::json rows = nlohmann::json::array();
    for (auto const& r : page.rows) {
        bool late = r.overdue(p.now);
        std::string assigned;
        if (r.assigned_to)
            assigned = names.count(*r.assigned_to) ? names[*r.assigned_to]
                                                   : "#" + std::to_string(*r.assigned_to);
        rows.push_back({{"url", "/staff/requests/" + r.id}, {"code", r.code},
            {"received", format_short_time(r.received_at, p.now, p.lang, zone)},
            {"received_full", p.time(r.received_at)}, {"kiosk", r.kiosk_id},
            {"topic", term_word(request_topics, r.topic, p.lang)},
            {"category", term_word(visitor_categories, r.category, p.lang)},
            {"sector", r.sector.empty() ? std::string() : term_word(sectors(), r.sector, p.lang)},
            {"name", r.name}, {"organisation", r.organisation},
            {"snippet", question_snippet(r.question)}, {"status", r.status},
            {"badge", status_badge(r.status)}, {"overdue", late},
            {"due", r.first_reply_at == 0 && r.due_at > 0 ? p.time(r.due_at) : std::string()},
            {"assigned", assigned}});
    }
    auto with = [&](std::vector<std::pair<std::string, std::string>> extra) {
        auto all = q.kept;
        all.insert(all.end(), extra.begin(), extra.end());
        std::string qs = query_string(all);
        return qs.empty() ? std::string("/staff/requests") : "/staff/requests?" + qs;
    };
    nlohmann::json d;
    d["rows"] = rows;
    d["counts"] = counts_json(counts);
    d["page_title"] = title_of(p, counts);
    d["filtered"] = !q.kept.empty();
    d["first_page"] = !q.cursor;
    d["self_url"] = with({});
    if (page.older)
        d["older_url"] = with({{"older", encode_cursor(*page.older)}});
    if (page.newer)
        d["newer_url"] = with({{"newer", encode_cursor(*page.newer)}});
    if (q.cursor)
        d["newest_url"] = with({});
    d["export_semicolon"] = "/staff/requests/export.csv?" + query_string([&] {
        auto all = q.kept;
        all.emplace_back("sep", "semicolon");
        return all;
    }());
    d["export_comma"] = "/staff/requests/export.csv?" + query_string([&] {
        auto all = q.kept;
        all.emplace_back("sep", "comma");
        return all;
    }());
    nlohmann::json problems = nlohmann::json::array();
    for (auto pr : q.problems)
        problems.push_back(p.t(problem_key(pr)));
    d["problems"] = problems;
    // The filter form as it was sent.
    std::string status = q.filter.status;
    nlohmann::json statuses = nlohmann::json::array();
    for (auto const& s : ticket_states())
        statuses.push_back({{"value", s}, {"name", s}, {"selected", s == status}});
    d["f"] = {{"statuses", statuses}, {"topics", options(request_topics, q.filter.topic, p.lang)},
        {"categories", options(visitor_categories, q.filter.category, p.lang)},
        {"sectors", options(sectors(), q.filter.sector, p.lang)}, {"kiosk", q.filter.kiosk_id},
        {"from", p.param("from")}, {"to", p.param("to")},
        {"overdue", q.filter.overdue == OverdueFilter::Only},
        {"mine", q.filter.assigned_to.has_value()}, {"q", q.filter.words},
        // The less used filters stay folded away unless one of them is in use.
        {"more",
            !q.filter.category.empty() || !q.filter.sector.empty() || !q.filter.kiosk_id.empty()
                || q.filter.received_from.has_value() || q.filter.received_before.has_value()}};
    return d;
}

// The export: a shared state the content provider reads one batch from per call, each with its
// own lease of a connection (the handler's lease is returned before the body is sent).
struct Export {
    InboxFilter filter;
    InboxCsvOptions options;
    int64_t now {0};
    std::optional<InboxCursor> cursor;
    bool head_sent {false};
};

} // namespace

void install_inbox_pages(Site& site) {
    site.get("/staff/requests", Permission::Read, [](Page& p) {
        InboxQuery q = read_query(p);
        auto d = inbox_data(p, q);
        if (!d)
            return p.fail(d.error());
        // A poll of the results (htmx, every 20 s on the first page): the table alone, with the
        // tab's title.
        if (p.req.get_header_value("HX-Target") == "inbox-results") {
            (*d)["poll_title"] = (*d)["page_title"].get<std::string>() + " · Anjungan KSD";
            return p.fragment("_inbox_results", *d);
        }
        std::string title = (*d)["page_title"];
        p.render("inbox", *d, title);
    });

    site.get("/staff/requests/count", Permission::Read, [](Page& p) {
        auto counts = inbox_counts(p.db, p.now);
        if (!counts)
            return p.fail(counts.error());
        nlohmann::json d;
        d["counts"] = counts_json(*counts);
        d["poll_title"] = title_of(p, *counts) + " · Anjungan KSD";
        p.fragment("_inbox_counts", d);
    });

    site.get("/staff/requests/export.csv", Permission::Read, [&site](Page& p) {
        InboxQuery q = read_query(p);
        auto sep = parse_csv_separator(p.param("sep"));
        if (!sep)
            return p.fail(400, p.t("inbox_bad_separator"));
        if (!q.problems.empty())
            return p.fail(400, p.t(problem_key(q.problems.front())));
        auto state = std::make_shared<Export>();
        state->filter = q.filter;
        state->options = InboxCsvOptions {*sep,
            p.can(Permission::SeeContacts) ? ContactView::Full : ContactView::Masked, p.lang,
            p.config.zone.utc_offset_minutes};
        state->now = p.now;
        p.audit("requests_export", "requests",
            query_string(q.kept) + (q.kept.empty() ? "" : "&") + "sep=" + p.param("sep"));
        Date today = local_date(p.now, p.config.zone.utc_offset_minutes);
        p.res.set_header(
            "Content-Disposition", "attachment; filename=\"permohonan-" + today.iso() + ".csv\"");
        DbPool* pool = &site.pool();
        p.res.set_chunked_content_provider(
            "text/csv; charset=utf-8", [state, pool](size_t, httplib::DataSink& sink) {
                std::string chunk;
                if (!state->head_sent) {
                    chunk = inbox_csv_head(state->options);
                    state->head_sent = true;
                }
                auto lease = pool->take();
                if (!lease) {
                    log::error("staff", "export: " + lease.error().message);
                    return false;
                }
                auto page = inbox_page(lease->db(), state->filter, state->now, 500, state->cursor,
                    PageDirection::Older);
                if (!page) {
                    // The body has begun: the client sees a cut download, never a partial file
                    // passed off as whole (no final chunk is sent).
                    log::error("staff", "export: " + page.error().message);
                    return false;
                }
                for (auto const& r : page->rows)
                    chunk += inbox_csv_line(r, state->options, state->now);
                if (!chunk.empty() && !sink.write(chunk.data(), chunk.size()))
                    return false;
                state->cursor = page->older;
                if (!state->cursor)
                    sink.done();
                return true;
            });
    });
}

} // namespace ksd::server::web
