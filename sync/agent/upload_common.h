// What the ticket upload (sync_pass.cpp) and the survey upload (skm_upload.cpp) share: telling
// this server's own answer from anything else on the way, and the request's pieces. Defined in
// sync_pass.cpp; the rules are PROTOCOL.md's "Common rules".
#pragma once

#include "http_client.h"
#include "sync_pass.h"

#include "ksd/clock.h"
#include "ksd/db.h"
#include "ksd/result.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd::sync {

// The boot clock now, or an unknown one when the settings have no boot clock.
BootClock boot_now(SyncSettings const&);
// An exact non-negative integer field of an answer.
std::optional<int64_t> time_field(nlohmann::json const& object, char const* key);
// Records the answer's server_time with the boot clock (for server_now).
void remember(Db&, nlohmann::json const& answer, BootClock const& boot);
Result<std::string> gzip(std::string const& data);
// The server's own answer (KSD-Protocol header, JSON object with protocol 1), else nullopt.
std::optional<nlohmann::json> own_answer(HttpResponse const&);
// "HTTP 502 not the KSD server's answer (...)", "HTTP 400 bad_request: ...".
std::string describe_failure(HttpResponse const&, std::optional<nlohmann::json> const& answer);
std::vector<std::string> auth_headers(SyncSettings const&);
// The error code of the server's own error answer, or "".
std::string own_error_code(std::optional<nlohmann::json> const& answer);
// The KSD server itself refused the whole request for its content (400 malformed/bad shape, 413
// too large): the reason, else nullopt (a proxy's 400 or 413 is retried, never this).
std::optional<std::string> refused_whole(HttpResponse const&);
// 403 kiosk_mismatch from this server: device.id and the token disagree.
bool kiosk_mismatch(HttpResponse const&);

} // namespace ksd::sync
