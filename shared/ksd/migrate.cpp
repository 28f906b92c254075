// Migration runner; see migrate.h.
#include "ksd/migrate.h"

#include <string>

namespace ksd {

int latest_version(std::span<Migration const> steps) {
    return steps.empty() ? 0 : steps.back().to_version;
}

Result<void> check_migration(
    std::span<Migration const> steps, std::string const& path, int current) {
    for (size_t i = 0; i < steps.size(); ++i) {
        if (steps[i].to_version != static_cast<int>(i) + 1)
            return Error {"migration steps must be numbered 1, 2, 3...: step " + std::to_string(i)
                + " says " + std::to_string(steps[i].to_version)};
    }
    int const latest = latest_version(steps);
    if (current > latest)
        return Error {path + " has schema version " + std::to_string(current)
            + ", newer than this program knows (" + std::to_string(latest)
            + "); refusing to touch it"};
    return {};
}

Result<void> migrate(Db& db, std::span<Migration const> steps) {
    TRY_RESULT(int current, db.user_version());
    TRY_VOID(check_migration(steps, db.path(), current));
    for (auto const& step : steps) {
        if (step.to_version <= current)
            continue;
        TRY_RESULT(auto tx, Transaction::begin(db));
        auto r = db.exec(step.sql);
        if (!r.ok())
            return Error {"migration to schema version " + std::to_string(step.to_version)
                + " failed: " + r.error().message};
        TRY_VOID(db.exec("PRAGMA user_version = " + std::to_string(step.to_version)));
        TRY_VOID(tx.commit());
    }
    return {};
}

} // namespace ksd
