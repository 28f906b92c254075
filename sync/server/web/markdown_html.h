// The staff's preview of a page: the Markdown model the kiosk lays out (ksd/markdown.h) written
// as HTML by our own renderer, every text escaped. Links are shown as text with their target,
// never as <a href> (so no javascript: URL can run); images as their name and description.
#pragma once

#include "web/format.h" // html_escape

#include <string>
#include <string_view>

namespace ksd::server::web {

// The HTML of a Markdown text (a fragment: headings, paragraphs, lists, tables, ...).
std::string markdown_preview_html(std::string_view markdown);

} // namespace ksd::server::web
