// Issue 10: a request's detail page (what the visitor wrote, the history, and the forms to reply,
// change the status, write an internal note and assign) and the canned replies' page.
#include "web/site.h"

#include "store.h"
#include "store_events.h"
#include "store_outbox.h"
#include "store_staff.h"
#include "web/format.h"

#include "ksd/number.h"
#include "ksd/request_options.h"
#include "ksd/taxonomy.h"

#include <charconv>

namespace ksd::server::web {

namespace {

constexpr TicketStatus all_statuses[] = {TicketStatus::New, TicketStatus::InProgress,
    TicketStatus::WaitingForVisitor, TicketStatus::Done, TicketStatus::NotOurs};

// The key of a status in the strings and in its badge's class (badge-new ...).
std::string_view status_key(TicketStatus s) {
    switch (s) {
    case TicketStatus::New:
        return "new";
    case TicketStatus::InProgress:
        return "progress";
    case TicketStatus::WaitingForVisitor:
        return "wait";
    case TicketStatus::Done:
        return "done";
    case TicketStatus::NotOurs:
        return "other";
    }
    return "other";
}

// A stored status word in the page's language; a word from before issue 10 as it is.
std::string status_label(Page const& p, std::string const& word) {
    auto s = parse_status(word);
    return s ? p.t("detail_status_" + std::string(status_key(*s))) : word;
}

// A code from the kiosk in words; an unknown code (or an old ticket's word) as it is.
template <typename Options>
std::string words(Options const& options, std::string const& code, Lang lang) {
    for (auto const& t : options)
        if (t.code == code)
            return std::string(t.name(lang));
    return code;
}

std::string sector_words(std::string const& code, Lang lang) {
    if (code.empty())
        return "";
    auto const* t = find_sector(code);
    return t ? std::string(t->name(lang)) : code;
}

std::string author(Page const& p, std::string const& name, std::string const& role) {
    auto r = parse_role(role);
    std::string what = r ? std::string(role_name(*r, p.lang)) : p.t("detail_role_cli");
    return name + " (" + what + ")";
}

// What the forms had when a POST was refused, shown again with the error.
struct Draft {
    std::string error;
    std::string reply;
    std::string note;
    std::string reason;
    std::string status;
};

nlohmann::json history_json(Page const& p, std::vector<TicketEvent> const& events) {
    nlohmann::json out = nlohmann::json::array();
    for (auto const& e : events) {
        nlohmann::json h {{"at", p.time(e.at)}, {"who", author(p, e.user_name, e.author_role)},
            {"text", e.text}, {"id", e.id}};
        switch (e.kind) {
        case EventKind::Status:
            h["is_status"] = true;
            h["from"] = status_label(p, e.from_status);
            h["to"] = status_label(p, e.to_status);
            break;
        case EventKind::Reply:
            h["is_reply"] = true;
            break;
        case EventKind::Note:
            h["is_note"] = true;
            break;
        case EventKind::Assign:
            h["is_assign"] = true;
            h["nobody"] = e.assignee_id == 0;
            break;
        }
        out.push_back(std::move(h));
    }
    return out;
}

// Issue 11: one line per delivery (notify_worker.h): what, its state, tries, error, next try.
nlohmann::json deliveries_json(Page const& p, std::vector<OutboxItem> const& items) {
    nlohmann::json out = nlohmann::json::array();
    for (auto const& o : items) {
        // Not tried yet: nothing to tell, and the row of a channel that is not configured is
        // dropped by the sender before its first try (the store queues both channels).
        if (o.state == OutboxState::Pending && o.attempts == 0)
            continue;
        nlohmann::json j;
        j["what"] = p.t("notify_" + std::string(channel_word(o.channel)) + "_"
            + std::string(notify_event_word(o.event)));
        j["state"] = p.t("notify_state_" + std::string(outbox_state_word(o.state)));
        j["failed"] = o.state == OutboxState::Failed;
        j["attempts"] = o.attempts;
        j["error"] = o.last_error;
        switch (o.state) {
        case OutboxState::Pending:
            j["when"] = p.time(o.next_at);
            break;
        case OutboxState::Sent:
        case OutboxState::Failed:
            j["when"] = p.time(o.done_at);
            break;
        }
        out.push_back(std::move(j));
    }
    return out;
}

// Staff who may be given a request: active users whose role may respond.
Result<std::vector<UserRow>> responders(Conn& db) {
    TRY_RESULT(auto users, list_users(db));
    std::vector<UserRow> out;
    for (auto& u : users) {
        auto role = parse_role(u.role);
        if (u.disabled_at == 0 && role && allows(*role, Permission::Respond))
            out.push_back(std::move(u));
    }
    return out;
}

std::string display_name(UserRow const& u) {
    return u.full_name.empty() ? u.name : u.full_name;
}

void detail_page(Page& p, TicketRow const& t, Draft const& draft) {
    std::string const id = t.fields["id"].get<std::string>();
    auto events = history(p.db, id);
    if (!events)
        return p.fail(events.error());
    auto canned = list_canned(p.db);
    if (!canned)
        return p.fail(canned.error());
    auto staff = responders(p.db);
    if (!staff)
        return p.fail(staff.error());
    auto field = [&](char const* k) { return t.fields[k].get<std::string>(); };
    bool const contacts = p.can(Permission::SeeContacts);
    std::string const visitor_lang = field("lang");

    nlohmann::json d;
    d["id"] = id;
    d["code"] = field("code");
    d["question"] = field("question");
    d["name"] = field("name");
    d["organisation"] = field("organisation");
    d["phone"] = contacts ? field("phone") : mask_phone(field("phone"));
    d["email"] = contacts ? field("email") : mask_email(field("email"));
    d["masked"] = !contacts;
    d["visitor_lang"] = p.t(visitor_lang == "en" ? "detail_lang_en" : "detail_lang_id");
    d["category"] = words(visitor_categories, field("category"), p.lang);
    d["topic"] = words(request_topics, field("topic"), p.lang);
    d["sector"] = sector_words(field("sector"), p.lang);
    d["kiosk"] = field("kiosk_id");
    // When the request was made by the server's reckoning: an untrusted kiosk clock (1970) gives
    // received_at minus the age the kiosk reported, shown as an estimate (PROTOCOL.md).
    d["made"] = p.time(t.made_at);
    d["made_estimated"] = t.made_at_estimated;
    d["received"] = p.time(t.received_at);
    d["kiosk_time"] = p.time(t.fields["created_at"].get<int64_t>());
    d["clock_trusted"] = t.fields["clock_trusted"].get<bool>();
    d["first_reply"] = t.first_reply_at ? p.time(t.first_reply_at) : std::string();
    auto status = parse_status(t.status);
    d["status"] = status_label(p, t.status);
    d["status_badge"] = "badge-" + std::string(status ? status_key(*status) : "other");
    d["history"] = history_json(p, *events);
    // Issue 11: the e-mails and webhook calls about this request, failures with their error.
    auto deliveries = outbox_of_ticket(p.db, id);
    if (!deliveries)
        return p.fail(deliveries.error());
    d["deliveries"] = deliveries_json(p, *deliveries);
    d["has_deliveries"] = !d["deliveries"].empty();

    // The forms: only the moves the rule allows; the canned reply picked fills the reply.
    nlohmann::json moves = nlohmann::json::array();
    for (auto s : all_statuses)
        if (status && status_move(*status, s) == StatusMove::Allowed)
            moves.push_back({{"word", std::string(status_word(s))},
                {"label", p.t("detail_status_" + std::string(status_key(s)))},
                {"selected", draft.status == status_word(s)}});
    d["moves"] = moves;
    d["final"] = moves.empty();
    std::string reply = draft.reply;
    int64_t const picked = ksd::parse_int<int64_t>(p.param("canned")).value_or(0);
    nlohmann::json options = nlohmann::json::array();
    for (auto const& c : *canned) {
        bool const en = p.lang == Lang::En && !c.title_en.empty();
        options.push_back(
            {{"id", c.id}, {"title", en ? c.title_en : c.title_id}, {"selected", c.id == picked}});
        // The text in the visitor's language.
        if (c.id == picked && reply.empty())
            reply = visitor_lang == "en" && !c.text_en.empty() ? c.text_en : c.text_id;
    }
    d["canned"] = options;
    d["has_canned"] = !options.empty();
    d["reply_text"] = reply;
    d["note_text"] = draft.note;
    d["reason_text"] = draft.reason;
    nlohmann::json people = nlohmann::json::array();
    std::string assigned;
    for (auto const& u : *staff) {
        people.push_back(
            {{"id", u.id}, {"name", display_name(u)}, {"selected", u.id == t.assigned_to}});
        if (u.id == t.assigned_to)
            assigned = display_name(u);
    }
    if (t.assigned_to != 0 && assigned.empty()) {
        auto who = find_user_by_id(p.db, t.assigned_to);
        assigned = who && *who ? display_name(**who) : "#" + std::to_string(t.assigned_to);
    }
    d["staff"] = people;
    d["assigned"] = assigned;
    d["error"] = draft.error;
    std::string const done = p.param("done");
    if (done == "reply" || done == "status" || done == "note" || done == "assign")
        d["done"] = p.t("detail_done_" + done);
    if (!draft.error.empty())
        p.res.status = 400;
    p.render("detail", d, p.t("detail_title") + " " + field("code"));
}

// Runs f with the request the path names (its id), or answers 404.
template <typename F>
void with_ticket(Page& p, F f) {
    std::string const id = p.req.matches[1].str();
    if (!is_uuid(id))
        return p.fail(404, p.t("detail_not_found"));
    auto t = find_ticket(p.db, id);
    if (!t)
        return p.fail(t.error());
    if (!*t)
        return p.fail(404, p.t("detail_not_found"));
    f(**t);
}

std::string const id_route = R"(/staff/requests/([0-9a-f-]{36}))";

// A store refusal (bad input or a move the rule forbids) in the page's language, with the
// store's own words after it (they name the field or the statuses).
std::string refusal(Page const& p, std::string_view key, Error const& e) {
    return p.t(key) + " (" + e.message + ")";
}

void canned_page(Page& p, std::string const& error, CannedReply const& draft) {
    auto all = list_canned(p.db);
    if (!all)
        return p.fail(all.error());
    nlohmann::json rows = nlohmann::json::array();
    for (auto const& c : *all)
        rows.push_back({{"id", c.id}, {"title_id", c.title_id}, {"title_en", c.title_en},
            {"text_id", c.text_id}, {"text_en", c.text_en}, {"updated_at", p.time(c.updated_at)},
            {"updated_by", c.updated_by}});
    nlohmann::json d;
    d["items"] = rows;
    d["error"] = error;
    d["form"] = {{"title_id", draft.title_id}, {"title_en", draft.title_en},
        {"text_id", draft.text_id}, {"text_en", draft.text_en}};
    std::string const done = p.param("done");
    if (done == "added" || done == "saved" || done == "deleted")
        d["done"] = p.t("canned_done_" + done);
    if (!error.empty())
        p.res.status = 400;
    p.render("canned", d, p.t("canned_title"));
}

CannedReply canned_form(Page const& p) {
    CannedReply c;
    c.title_id = p.param("title_id");
    c.title_en = p.param("title_en");
    c.text_id = p.param("text_id");
    c.text_en = p.param("text_en");
    return c;
}

Actor actor_of(Page const& p) {
    return Actor {p.user.id, p.user.name, std::string(role_code(p.user.role))};
}

} // namespace

namespace {

// "#12", built by append: GCC 12 at -O2 reports a false -Wrestrict for "#" + std::to_string().
std::string number_ref(int64_t id) {
    std::string out = "#";
    out += std::to_string(id);
    return out;
}

} // namespace

void install_detail_pages(Site& site) {
    site.get(id_route, Permission::Read,
        [](Page& p) { with_ticket(p, [&](TicketRow const& t) { detail_page(p, t, {}); }); });

    site.post(id_route + "/reply", Permission::Respond, [](Page& p) {
        with_ticket(p, [&](TicketRow const& t) {
            std::string const id = t.fields["id"].get<std::string>();
            auto r = add_reply(p.db, id, p.param("text"), actor_of(p), p.now);
            if (!r) {
                Draft d;
                d.error = refusal(p, "detail_reply_refused", r.error());
                d.reply = p.param("text");
                return detail_page(p, t, d);
            }
            p.audit("reply", t.fields["code"].get<std::string>(), "reply #" + std::to_string(*r));
            p.redirect("/staff/requests/" + id + "?done=reply#history");
        });
    });

    site.post(id_route + "/status", Permission::Respond, [](Page& p) {
        with_ticket(p, [&](TicketRow const& t) {
            std::string const id = t.fields["id"].get<std::string>();
            Draft d;
            d.status = p.param("status");
            d.reason = p.param("reason");
            auto to = parse_status(d.status);
            if (!to) {
                d.error = p.t("detail_status_pick");
                return detail_page(p, t, d);
            }
            if (*to == TicketStatus::NotOurs
                && d.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
                d.error = p.t("detail_referral_needed");
                return detail_page(p, t, d);
            }
            if (auto r = set_status(p.db, id, *to, actor_of(p), d.reason, p.now); !r) {
                d.error = refusal(p, "detail_status_refused", r.error());
                return detail_page(p, t, d);
            }
            p.audit("status", t.fields["code"].get<std::string>(),
                t.status + " -> " + std::string(status_word(*to))
                    + (d.reason.empty() ? std::string() : ": " + d.reason));
            p.redirect("/staff/requests/" + id + "?done=status#history");
        });
    });

    site.post(id_route + "/note", Permission::Respond, [](Page& p) {
        with_ticket(p, [&](TicketRow const& t) {
            std::string const id = t.fields["id"].get<std::string>();
            auto r = add_note(p.db, id, p.param("text"), actor_of(p), p.now);
            if (!r) {
                Draft d;
                d.error = refusal(p, "detail_note_refused", r.error());
                d.note = p.param("text");
                return detail_page(p, t, d);
            }
            p.audit("note", t.fields["code"].get<std::string>(), "note #" + std::to_string(*r));
            p.redirect("/staff/requests/" + id + "?done=note#history");
        });
    });

    site.post(id_route + "/assign", Permission::Respond, [](Page& p) {
        with_ticket(p, [&](TicketRow const& t) {
            std::string const id = t.fields["id"].get<std::string>();
            int64_t const to = ksd::parse_int<int64_t>(p.param("user")).value_or(0);
            std::string name;
            if (to != 0) {
                auto staff = responders(p.db);
                if (!staff)
                    return p.fail(staff.error());
                for (auto const& u : *staff)
                    if (u.id == to)
                        name = display_name(u);
                if (name.empty())
                    return detail_page(p, t, Draft {p.t("detail_assign_bad"), {}, {}, {}, {}});
            }
            if (auto r = assign(p.db, id, to, name, actor_of(p), p.now); !r)
                return detail_page(
                    p, t, Draft {refusal(p, "detail_assign_refused", r.error()), {}, {}, {}, {}});
            p.audit("assign", t.fields["code"].get<std::string>(), to == 0 ? "-" : name);
            p.redirect("/staff/requests/" + id + "?done=assign#history");
        });
    });

    site.get("/staff/canned", Permission::EditContent, [](Page& p) { canned_page(p, "", {}); });

    site.post("/staff/canned", Permission::EditContent, [](Page& p) {
        auto c = canned_form(p);
        auto added = add_canned(p.db, c, actor_of(p), p.now);
        if (!added)
            return canned_page(p, refusal(p, "canned_refused", added.error()), c);
        p.audit("canned_add", c.title_id, number_ref(*added));
        p.redirect("/staff/canned?done=added");
    });

    site.post(R"(/staff/canned/([0-9]+))", Permission::EditContent, [](Page& p) {
        auto c = canned_form(p);
        c.id = ksd::parse_int<int64_t>(p.req.matches[1].str()).value_or(0);
        if (auto r = update_canned(p.db, c, actor_of(p), p.now); !r)
            return canned_page(p, refusal(p, "canned_refused", r.error()), {});
        p.audit("canned_edit", c.title_id, number_ref(c.id));
        p.redirect("/staff/canned?done=saved");
    });

    site.post(R"(/staff/canned/([0-9]+)/delete)", Permission::EditContent, [](Page& p) {
        int64_t const id = ksd::parse_int<int64_t>(p.req.matches[1].str()).value_or(0);
        auto c = find_canned(p.db, id);
        if (!c)
            return p.fail(c.error());
        if (!*c)
            return p.fail(404, p.t("canned_not_found"));
        if (auto r = delete_canned(p.db, id); !r)
            return p.fail(r.error());
        p.audit("canned_delete", (*c)->title_id, number_ref(id));
        p.redirect("/staff/canned?done=deleted");
    });
}

} // namespace ksd::server::web
