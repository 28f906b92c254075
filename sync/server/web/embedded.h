// The staff dashboard's files (templates/, strings/, static/ under sync/server/web), compiled into
// ksd-server by cmake/embed.cmake so that the binary needs no data directory.
#pragma once

#include <span>
#include <string_view>

namespace ksd::server::web {

struct EmbeddedFile {
    std::string_view name; // relative to sync/server/web, e.g. "templates/layout.mustache"
    std::string_view data;
};
std::span<EmbeddedFile const> embedded_files();
// The file's bytes, or nullopt-like empty data with found=false.
EmbeddedFile const* find_embedded(std::string_view name);

} // namespace ksd::server::web
