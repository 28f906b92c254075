// TOML configuration checked against a schema; see config.h.
#include "ksd/config.h"

#include "ksd/files.h"
#include "ksd/number.h"

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <sstream>
#include <toml++/toml.h>

namespace ksd {

ConfigSchema& ConfigSchema::string(std::string name, std::string def, std::string doc) {
    m_keys.push_back(
        {std::move(name), ConfigType::String, std::move(def), std::move(doc), 0, 0, {}, {}});
    return *this;
}

ConfigSchema& ConfigSchema::integer(
    std::string name, int64_t def, int64_t min, int64_t max, std::string doc) {
    assert(def >= min && def <= max && "default outside its own range");
    m_keys.push_back({std::move(name), ConfigType::Integer, def, std::move(doc), min, max, {}, {}});
    return *this;
}

ConfigSchema& ConfigSchema::boolean(std::string name, bool def, std::string doc) {
    m_keys.push_back({std::move(name), ConfigType::Boolean, def, std::move(doc), 0, 0, {}, {}});
    return *this;
}

ConfigSchema& ConfigSchema::choice(
    std::string name, std::string def, std::vector<std::string> choices, std::string doc) {
    m_keys.push_back({std::move(name), ConfigType::Choice, std::move(def), std::move(doc), 0, 0,
        std::move(choices), {}});
    return *this;
}

ConfigSchema& ConfigSchema::check(std::string_view name, StringCheck check) {
    for (auto& k : m_keys)
        if (k.name == name) {
            assert(k.type == ConfigType::String && "checks are for string keys");
            k.check = std::move(check);
            return *this;
        }
    assert(false && "check for a key the schema does not declare");
    return *this;
}

ConfigKey const* ConfigSchema::find(std::string_view name) const {
    for (auto const& k : m_keys)
        if (k.name == name)
            return &k;
    return nullptr;
}

namespace {

std::string toml_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string value_as_toml(ConfigKey const& k) {
    switch (k.type) {
    case ConfigType::String:
    case ConfigType::Choice:
        return toml_quote(std::get<std::string>(k.default_value));
    case ConfigType::Integer:
        return std::to_string(std::get<int64_t>(k.default_value));
    case ConfigType::Boolean:
        return std::get<bool>(k.default_value) ? "true" : "false";
    }
    return "";
}

std::string expectation(ConfigKey const& k) {
    switch (k.type) {
    case ConfigType::String:
        return "a string";
    case ConfigType::Integer:
        return "a whole number from " + std::to_string(k.min) + " to " + std::to_string(k.max);
    case ConfigType::Boolean:
        return "true or false";
    case ConfigType::Choice: {
        std::string s = "one of";
        for (size_t i = 0; i < k.choices.size(); ++i)
            s += (i ? ", \"" : " \"") + k.choices[i] + "\"";
        return s;
    }
    }
    return "";
}

std::string describe(toml::node const& n) {
    std::ostringstream os;
    if (n.is_table())
        return "a table";
    if (n.is_array())
        return "an array";
    n.visit([&](auto const& v) { os << v; });
    return os.str();
}

void walk(toml::table const& table, std::string const& prefix, std::string_view source,
    ConfigSchema const& schema, Config& out, std::vector<std::string>& errors) {
    for (auto const& [key, node] : table) {
        std::string name
            = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        auto line = node.source().begin.line;
        std::string where
            = std::string(source) + ":" + std::to_string(line) + ": key '" + name + "': ";
        if (auto const* sub = node.as_table()) {
            // A table is fine when some declared key lives under it.
            bool known_prefix = false;
            for (auto const& k : schema.keys())
                if (k.name.rfind(name + ".", 0) == 0)
                    known_prefix = true;
            if (!known_prefix) {
                errors.push_back(where + "unknown table");
                continue;
            }
            walk(*sub, name, source, schema, out, errors);
            continue;
        }
        ConfigKey const* k = schema.find(name);
        if (!k) {
            errors.push_back(where + "unknown key");
            continue;
        }
        std::string bad = where + "expected " + expectation(*k) + ", got " + describe(node);
        switch (k->type) {
        case ConfigType::String:
            if (auto v = node.value<std::string>(); v && node.is_string()) {
                if (std::string problem = k->check ? k->check(*v) : ""; !problem.empty()) {
                    errors.push_back(where + problem);
                    break;
                }
                out.set(name, *v);
                out.set_line(name, int(line));
            } else {
                errors.push_back(bad);
            }
            break;
        case ConfigType::Choice: {
            auto v = node.value<std::string>();
            bool ok = v && node.is_string();
            if (ok) {
                ok = false;
                for (auto const& c : k->choices)
                    ok = ok || c == *v;
            }
            if (ok) {
                out.set(name, *v);
                out.set_line(name, int(line));
            } else {
                errors.push_back(bad);
            }
            break;
        }
        case ConfigType::Integer: {
            auto v = node.as_integer();
            if (v && v->get() >= k->min && v->get() <= k->max) {
                out.set(name, v->get());
                out.set_line(name, int(line));
            } else {
                errors.push_back(bad);
            }
            break;
        }
        case ConfigType::Boolean:
            if (auto v = node.as_boolean()) {
                out.set(name, v->get());
                out.set_line(name, int(line));
            } else {
                errors.push_back(bad);
            }
            break;
        }
    }
}

} // namespace

std::string ConfigSchema::documented_defaults(std::string_view program) const {
    std::string out = "# Configuration of " + std::string(program)
        + ". Every key is shown with its default value.\n";
    // Keys without a table first (TOML requires them before any [table]), then each table once
    // with all its keys, in the order tables first appear in the schema: a table opened twice
    // is invalid TOML, whatever order the keys were declared in.
    std::vector<std::string> tables {""};
    for (auto const& k : m_keys) {
        auto dot = k.name.rfind('.');
        std::string table = dot == std::string::npos ? "" : k.name.substr(0, dot);
        if (std::find(tables.begin(), tables.end(), table) == tables.end())
            tables.push_back(table);
    }
    for (auto const& table : tables) {
        if (!table.empty())
            out += "\n[" + table + "]\n";
        for (auto const& k : m_keys) {
            auto dot = k.name.rfind('.');
            if ((dot == std::string::npos ? "" : k.name.substr(0, dot)) != table)
                continue;
            std::string leaf = dot == std::string::npos ? k.name : k.name.substr(dot + 1);
            out += "\n# " + k.doc + " (" + expectation(k) + ")\n";
            out += leaf + " = " + value_as_toml(k) + "\n";
        }
    }
    return out;
}

Config::Config(ConfigSchema const& schema) {
    for (auto const& k : schema.keys())
        m_values[k.name] = k.default_value;
}

std::string const& Config::get_string(std::string_view name) const {
    auto it = m_values.find(name);
    assert(it != m_values.end() && "config key not declared in the schema");
    return std::get<std::string>(it->second);
}

int64_t Config::get_int(std::string_view name) const {
    auto it = m_values.find(name);
    assert(it != m_values.end() && "config key not declared in the schema");
    return std::get<int64_t>(it->second);
}

bool Config::get_bool(std::string_view name) const {
    auto it = m_values.find(name);
    assert(it != m_values.end() && "config key not declared in the schema");
    return std::get<bool>(it->second);
}

void Config::set(std::string_view name, std::variant<std::string, int64_t, bool> value) {
    auto it = m_values.find(name);
    assert(it != m_values.end() && "config key not declared in the schema");
    assert(it->second.index() == value.index() && "config value of the wrong type");
    it->second = std::move(value);
}

std::optional<int> Config::line_of(std::string_view name) const {
    auto it = m_lines.find(name);
    if (it == m_lines.end())
        return std::nullopt;
    return it->second;
}

void Config::set_line(std::string_view name, int line) {
    assert(m_values.count(name) == 1 && "config key not declared in the schema");
    m_lines[std::string(name)] = line;
}

std::optional<MessageLocation> message_location(std::string_view message) {
    auto c1 = message.find(':');
    auto c2 = c1 == std::string_view::npos ? c1 : message.find(':', c1 + 1);
    if (c2 == std::string_view::npos)
        return std::nullopt;
    auto line = parse_int<int>(message.substr(c1 + 1, c2 - c1 - 1));
    if (!line)
        return std::nullopt;
    std::string_view rest = message.substr(c2 + 1);
    if (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    return MessageLocation {message.substr(0, c1), *line, rest};
}

Result<Config> parse_config(std::string_view text, std::string_view source_name,
    ConfigSchema const& schema, CrossCheck const& cross_check) {
    Config config(schema);
    toml::table table;
    try {
        table = toml::parse(text, source_name);
    } catch (toml::parse_error const& e) {
        return Error {std::string(source_name) + ":" + std::to_string(e.source().begin.line)
            + ": not valid TOML: " + std::string(e.description())};
    }
    std::vector<std::string> errors;
    walk(table, "", source_name, schema, config, errors);
    // On what was valid, so a problem between two keys is reported with all the others.
    if (cross_check)
        for (auto& e : cross_check(config))
            errors.push_back(std::move(e));
    if (!errors.empty()) {
        // TOML tables are unordered; report in file order.
        std::stable_sort(
            errors.begin(), errors.end(), [](std::string const& a, std::string const& b) {
                // A message without a line sorts first.
                auto line = [](std::string_view s) {
                    auto at = message_location(s);
                    return at ? at->line : 0;
                };
                return line(a) < line(b);
            });
        std::string m;
        for (auto const& e : errors)
            m += (m.empty() ? "" : "\n") + e;
        return Error {m};
    }
    return config;
}

Result<Config> load_config(std::string const& path, ConfigSchema const& schema) {
    TRY_RESULT(std::string text, read_file(path));
    return parse_config(text, path, schema);
}

} // namespace ksd
