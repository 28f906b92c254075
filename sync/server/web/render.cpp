// Mustache over embedded templates, and the UI strings table (see render.h).
#include "web/render.h"

#include "web/embedded.h"

// GCC 12 at -O2 sees a possible null dereference inside kainjow's header (its data variant);
// the header is Debian's, not ours, so its warning is silenced here only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <kainjow/mustache.hpp>

#include <map>
#include <mutex>

namespace ksd::server::web {

namespace mst = kainjow::mustache;

namespace {

mst::data to_data(nlohmann::json const& j) {
    switch (j.type()) {
    case nlohmann::json::value_t::object: {
        mst::data d {mst::data::type::object};
        for (auto const& [k, v] : j.items())
            d.set(k, to_data(v));
        return d;
    }
    case nlohmann::json::value_t::array: {
        mst::data d {mst::data::type::list};
        for (auto const& v : j)
            d.push_back(to_data(v));
        return d;
    }
    case nlohmann::json::value_t::string:
        // An empty text is false, so that {{#error}}...{{/error}} shows only a real message
        // ({{x}} of false renders nothing, as of "").
        if (j.get_ref<std::string const&>().empty())
            return mst::data {false};
        return mst::data {j.get_ref<std::string const&>()};
    case nlohmann::json::value_t::boolean:
        return mst::data {j.get<bool>()};
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
        return mst::data {j.dump()};
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
    case nlohmann::json::value_t::binary:
        return mst::data {false};
    }
    return mst::data {false};
}

struct Strings {
    std::map<std::string, std::pair<std::string, std::string>, std::less<>> table;
    nlohmann::json id = nlohmann::json::object();
    nlohmann::json en = nlohmann::json::object();
    std::vector<std::string> problems;
};

Strings load_strings() {
    Strings s;
    for (auto const& f : embedded_files()) {
        if (!f.name.starts_with("strings/") || !f.name.ends_with(".tsv"))
            continue;
        size_t line_no = 0;
        size_t at = 0;
        while (at < f.data.size()) {
            size_t end = f.data.find('\n', at);
            if (end == std::string_view::npos)
                end = f.data.size();
            std::string_view line = f.data.substr(at, end - at);
            at = end + 1;
            ++line_no;
            if (!line.empty() && line.back() == '\r')
                line.remove_suffix(1);
            if (line.empty() || line[0] == '#')
                continue;
            auto t1 = line.find('\t');
            auto t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
            std::string where = std::string(f.name) + ":" + std::to_string(line_no);
            if (t2 == std::string_view::npos || line.find('\t', t2 + 1) != std::string_view::npos) {
                s.problems.push_back(where + ": expected key<TAB>Indonesian<TAB>English");
                continue;
            }
            std::string key(line.substr(0, t1));
            if (s.table.count(key)) {
                s.problems.push_back(where + ": key " + key + " given twice");
                continue;
            }
            std::string id(line.substr(t1 + 1, t2 - t1 - 1));
            std::string en(line.substr(t2 + 1));
            s.id[key] = id;
            s.en[key] = en;
            s.table.emplace(key, std::make_pair(std::move(id), std::move(en)));
        }
    }
    return s;
}

Strings const& strings() {
    static Strings const s = load_strings();
    return s;
}

std::string_view template_text(std::string_view name, bool& found) {
    std::string path = "templates/" + std::string(name) + ".mustache";
    auto const* f = find_embedded(path);
    found = f != nullptr;
    return f ? f->data : std::string_view {};
}

} // namespace

EmbeddedFile const* find_embedded(std::string_view name) {
    for (auto const& f : embedded_files())
        if (f.name == name)
            return &f;
    return nullptr;
}

Result<std::string> render_template(std::string_view name, nlohmann::json const& data) {
    bool found = false;
    auto text = template_text(name, found);
    if (!found)
        return make_error("no template " + std::string(name));
    mst::mustache tmpl {std::string(text)};
    if (!tmpl.is_valid())
        return make_error("template " + std::string(name) + ": " + tmpl.error_message());
    mst::data root = to_data(data);
    if (!root.is_object())
        return make_error("template data must be an object");
    for (auto const& f : embedded_files()) {
        if (!f.name.starts_with("templates/_") || !f.name.ends_with(".mustache"))
            continue;
        std::string partial_name(f.name.substr(10, f.name.size() - 10 - 9));
        std::string body(f.data);
        root.set(partial_name, mst::partial {[body] { return body; }});
    }
    std::string out = tmpl.render(root);
    if (!tmpl.is_valid())
        return make_error("template " + std::string(name) + ": " + tmpl.error_message());
    return out;
}

std::string const& ui_string(std::string_view key, Lang lang) {
    auto const& s = strings();
    auto it = s.table.find(key);
    if (it == s.table.end()) {
        static std::mutex m;
        static std::map<std::string, std::string, std::less<>> missing;
        std::lock_guard lock(m);
        return missing.emplace(std::string(key), std::string(key)).first->second;
    }
    return lang == Lang::Id ? it->second.first : it->second.second;
}

nlohmann::json const& ui_strings(Lang lang) {
    return lang == Lang::Id ? strings().id : strings().en;
}

std::vector<std::string> const& ui_string_problems() {
    return strings().problems;
}

} // namespace ksd::server::web

#pragma GCC diagnostic pop
