// Configuration: one TOML file per program. Each program declares its keys (type, default,
// range, a sentence of documentation) in a ConfigSchema; loading checks every key and refuses a
// bad value with the file, line, key and what was expected. Unknown keys are refused too, since a
// misspelt key that silently falls back to its default is worse than an error.
#pragma once

#include "ksd/result.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace ksd {

enum class ConfigType { String, Integer, Boolean, Choice };

// What the types cannot say about a string value (a URL's scheme, a token's shape): returns
// what is wrong, in a sentence, or "" when the value is fine. Reported as
// "FILE:LINE: key 'NAME': <sentence>" like every other problem.
using StringCheck = std::function<std::string(std::string const&)>;

struct ConfigKey {
    std::string name; // dotted: "screen.width" is key width in table [screen]
    ConfigType type;
    std::variant<std::string, int64_t, bool> default_value;
    std::string doc;
    int64_t min {0};
    int64_t max {0};
    std::vector<std::string> choices;
    StringCheck check; // String keys only; empty: any string
};

class ConfigSchema {
public:
    ConfigSchema& string(std::string name, std::string default_value, std::string doc);
    ConfigSchema& integer(
        std::string name, int64_t default_value, int64_t min, int64_t max, std::string doc);
    ConfigSchema& boolean(std::string name, bool default_value, std::string doc);
    ConfigSchema& choice(std::string name, std::string default_value,
        std::vector<std::string> choices, std::string doc);

    // Adds a check to a declared String key (asserts that it is one).
    ConfigSchema& check(std::string_view name, StringCheck);

    ConfigKey const* find(std::string_view name) const;
    std::vector<ConfigKey> const& keys() const { return m_keys; }
    // A complete TOML file with every key at its default, each preceded by its documentation.
    std::string documented_defaults(std::string_view program) const;

private:
    std::vector<ConfigKey> m_keys;
};

class Config {
public:
    explicit Config(ConfigSchema const& schema);
    // Reading a key the schema does not declare is a programming error (asserts).
    std::string const& get_string(std::string_view name) const;
    int64_t get_int(std::string_view name) const;
    bool get_bool(std::string_view name) const;
    // For tests and command-line overrides; the value must have the key's type.
    void set(std::string_view name, std::variant<std::string, int64_t, bool> value);
    // The line of the file that set the key (parse_config records it); nullopt when the file
    // did not set it (set() leaves the record alone). Lets another file's keys win only where they
    // were written, and a later check name the line.
    std::optional<int> line_of(std::string_view name) const;
    void set_line(std::string_view name, int line);

private:
    std::map<std::string, std::variant<std::string, int64_t, bool>, std::less<>> m_values;
    std::map<std::string, int, std::less<>> m_lines;
};

// Where a message of parse_config points: "FILE:LINE: REST" split into its parts (FILE has no
// ':' in our paths; LINE is digits). nullopt for a message without a line.
struct MessageLocation {
    std::string_view file;
    int line {0};
    std::string_view rest; // after "LINE:" and one space
};
std::optional<MessageLocation> message_location(std::string_view message);

// Parses TOML text. source_name is used in messages ("kiosk.toml:12: ...").
// All problems are reported, one per line, not only the first.
// cross_check (optional) looks at several keys at once, on the values that were valid; it
// returns whole "SOURCE:LINE: key 'NAME': ..." lines, sorted in with the others.
using CrossCheck = std::function<std::vector<std::string>(Config const&)>;
Result<Config> parse_config(std::string_view text, std::string_view source_name,
    ConfigSchema const& schema, CrossCheck const& cross_check = {});
// Reads and parses a file. A missing file is an error naming the path.
Result<Config> load_config(std::string const& path, ConfigSchema const& schema);

} // namespace ksd
