// Templates and UI strings of the staff dashboard: mustache (kainjow, which escapes & < > " ' in
// every {{x}}) over the embedded files; strings/*.tsv give each UI text in both languages.
#pragma once

#include "ksd/result.h"
#include "ksd/taxonomy.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace ksd::server::web {

// Renders templates/<name>.mustache with data. Templates whose names start with "_" are
// available to all as partials ({{> _pager}}). An unknown template or a syntax error is an error.
Result<std::string> render_template(std::string_view name, nlohmann::json const& data);

// The UI string key in lang; the key itself (visible, so a missing one is noticed) when unknown.
std::string const& ui_string(std::string_view key, Lang lang);
// All strings of lang as one JSON object, for templates ({{t.inbox_title}}).
nlohmann::json const& ui_strings(Lang lang);
// Problems found in the strings files (a line without three columns, a key twice).
std::vector<std::string> const& ui_string_problems();

} // namespace ksd::server::web
