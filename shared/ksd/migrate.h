// Schema migrations by PRAGMA user_version: step N takes a database from version N-1 to N.
// Each step runs in its own transaction, so an interrupted upgrade resumes where it stopped.
#pragma once

#include "ksd/db.h"

#include <span>
#include <string>
#include <string_view>

namespace ksd {

struct Migration {
    int to_version;
    std::string_view sql;
};

// Brings db up to the last step's version. Steps must be numbered 1, 2, 3, ... in order.
// A database newer than the last step (written by a newer program) is refused, never touched.
Result<void> migrate(Db& db, std::span<Migration const> steps);
// Highest version the steps reach.
int latest_version(std::span<Migration const> steps);
// What every runner checks first (this one and ksd-server's, which runs on two engines): the
// steps are numbered 1, 2, 3, ...; a database at `current`, newer than the last step, is refused.
Result<void> check_migration(
    std::span<Migration const> steps, std::string const& path, int current);

} // namespace ksd
