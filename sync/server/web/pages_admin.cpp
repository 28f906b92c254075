// Admin pages: users (add, change role, disable, reset password) and the audit log.
#include "web/site.h"

#include "store_staff.h"
#include "web/format.h"

#include "ksd/number.h"
#include "ksd/utf8.h"

#include <cctype>
#include <charconv>

namespace ksd::server::web {

namespace {

constexpr Role all_roles[] = {Role::Viewer, Role::Responder, Role::Editor, Role::Admin};

nlohmann::json roles_json(Page const& p, std::string const& selected) {
    nlohmann::json out = nlohmann::json::array();
    for (Role r : all_roles)
        out.push_back({{"code", std::string(role_code(r))},
            {"name", std::string(role_name(r, p.lang))}, {"selected", role_code(r) == selected}});
    return out;
}

void users_page(Page& p, std::string const& error, std::string const& done) {
    auto users = list_users(p.db);
    if (!users)
        return p.fail(users.error());
    nlohmann::json rows = nlohmann::json::array();
    for (auto const& u : *users) {
        auto role = parse_role(u.role).value_or(Role::Viewer);
        rows.push_back({{"id", u.id}, {"name", u.name},
            {"full_name", u.full_name.empty() ? u.name : u.full_name},
            {"role_name", std::string(role_name(role, p.lang))}, {"roles", roles_json(p, u.role)},
            {"disabled", u.disabled_at != 0}, {"disabled_at", p.time(u.disabled_at)},
            {"created_at", p.date(u.created_at)}, {"self", u.id == p.user.id}});
    }
    nlohmann::json d;
    d["users"] = rows;
    d["roles"] = roles_json(p, "responder");
    d["error"] = error;
    d["done"] = done;
    d["form_name"] = p.param("name");
    d["form_full_name"] = p.param("full_name");
    if (!error.empty())
        p.res.status = 400;
    p.render("users", d, p.t("users_title"));
}

// Runs f on the user named by the path's id, or shows "not found".
template <typename F>
void with_user(Page& p, F f) {
    auto user = find_user_by_id(p.db, ksd::parse_int<int64_t>(p.req.matches[1].str()).value_or(0));
    if (!user)
        return p.fail(user.error());
    if (!*user)
        return p.fail(404, p.t("users_not_found"));
    f(**user);
}

} // namespace

void install_admin_pages(Site& site) {
    site.get("/staff/users", Permission::Admin, [](Page& p) {
        std::string done = p.param("done");
        users_page(p, "",
            done == "added"          ? p.t("users_done_added")
                : done == "password" ? p.t("users_done_password")
                                     : "");
    });

    site.post("/staff/users", Permission::Admin, [](Page& p) {
        std::string name = p.param("name");
        std::string full_name = p.param("full_name");
        std::string password = p.param("password");
        auto role = parse_role(p.param("role"));
        bool name_ok = !name.empty() && name.size() <= 64;
        for (char c : name)
            name_ok = name_ok
                && (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-'
                    || c == '_');
        if (!name_ok)
            return users_page(p, p.t("users_bad_name"), "");
        if (!role)
            return users_page(p, p.t("users_bad_role"), "");
        if (full_name.size() > 200 || !utf8::is_valid(full_name))
            return users_page(p, p.t("users_bad_full_name"), "");
        if (auto weak = weak_password_reason(password, name, p.lang); !weak.empty())
            return users_page(p, weak, "");
        auto hash = hash_password(password);
        if (!hash)
            return p.fail(hash.error());
        UserRow u;
        u.name = name;
        u.full_name = full_name;
        u.role = std::string(role_code(*role));
        u.password_hash = *hash;
        u.created_at = p.now;
        auto added = add_user(p.db, u);
        if (!added)
            return users_page(p, p.t("users_name_taken"), "");
        p.audit("user_add", name, u.role);
        p.redirect("/staff/users?done=added");
    });

    site.post(R"(/staff/users/([0-9]+)/role)", Permission::Admin, [](Page& p) {
        with_user(p, [&](UserRow const& u) {
            auto role = parse_role(p.param("role"));
            if (!role)
                return users_page(p, p.t("users_bad_role"), "");
            if (u.id == p.user.id && *role != Role::Admin)
                return users_page(p, p.t("users_not_self"), "");
            if (auto r = set_user_role(p.db, u.id, std::string(role_code(*role))); !r)
                return p.fail(r.error());
            p.audit("user_role", u.name, u.role + " -> " + std::string(role_code(*role)));
            p.redirect("/staff/users");
        });
    });

    site.post(R"(/staff/users/([0-9]+)/(disable|enable))", Permission::Admin, [](Page& p) {
        with_user(p, [&](UserRow const& u) {
            bool disable = p.req.matches[2].str() == "disable";
            if (u.id == p.user.id && disable)
                return users_page(p, p.t("users_not_self"), "");
            if (auto r = set_user_disabled(p.db, u.id, disable ? p.now : 0); !r)
                return p.fail(r.error());
            p.audit(disable ? "user_disable" : "user_enable", u.name, "");
            p.redirect("/staff/users");
        });
    });

    site.post(R"(/staff/users/([0-9]+)/password)", Permission::Admin, [](Page& p) {
        with_user(p, [&](UserRow const& u) {
            std::string password = p.param("password");
            if (auto weak = weak_password_reason(password, u.name, p.lang); !weak.empty())
                return users_page(p, weak, "");
            auto hash = hash_password(password);
            if (!hash)
                return p.fail(hash.error());
            // Also ends the user's sessions: whoever knew the old password is out.
            if (auto r = set_user_password(p.db, u.id, *hash); !r)
                return p.fail(r.error());
            p.audit("user_password_reset", u.name, "");
            p.redirect("/staff/users?done=password");
        });
    });

    site.get("/staff/audit", Permission::Admin, [](Page& p) {
        AuditFilter f;
        f.user_name = p.param("user");
        f.action = p.param("action");
        Zone const zone = p.config.zone;
        if (auto from = parse_local_date(p.param("from"), zone); from >= 0)
            f.from = from;
        if (auto to = parse_local_date(p.param("to"), zone); to >= 0)
            f.to = to + 86400;
        f.before_id = ksd::parse_int<int64_t>(p.param("before")).value_or(0);
        f.limit = 100;
        auto entries = list_audit(p.db, f);
        if (!entries)
            return p.fail(entries.error());
        auto actions = audit_actions(p.db);
        if (!actions)
            return p.fail(actions.error());
        nlohmann::json rows = nlohmann::json::array();
        for (auto const& e : *entries)
            rows.push_back({{"at", p.time(e.at)}, {"user", e.user_name}, {"address", e.address},
                {"action", p.t("audit_action_" + e.action)}, {"action_code", e.action},
                {"target", e.target}, {"detail", e.detail}});
        nlohmann::json action_list = nlohmann::json::array();
        for (auto const& a : *actions)
            action_list.push_back(
                {{"code", a}, {"name", p.t("audit_action_" + a)}, {"selected", a == f.action}});
        nlohmann::json d;
        d["entries"] = rows;
        d["actions"] = action_list;
        d["filter_user"] = f.user_name;
        d["filter_from"] = p.param("from");
        d["filter_to"] = p.param("to");
        if (entries->size() == static_cast<size_t>(f.limit)) {
            std::string next = "/staff/audit?before=" + std::to_string(entries->back().id);
            for (char const* k : {"user", "action", "from", "to"})
                if (!p.param(k).empty())
                    next += std::string("&") + k + "="
                        + httplib::detail::encode_query_param(p.param(k));
            d["next_page"] = next;
        }
        p.render("audit", d, p.t("audit_title"));
    });
}

} // namespace ksd::server::web
