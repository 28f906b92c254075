// The sync protocol's HTTP side (sync/PROTOCOL.md): routes of /api/v1 on a cpp-httplib server,
// each answer with the KSD-Protocol header and a JSON body the kiosk recognises.
#pragma once

#include "sla.h"
#include "store.h"

#include "ksd/result.h"
#include "sql.h"

#include <httplib.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ksd::server {

inline constexpr int protocol_version = 1;
// Retry-After (seconds) of a 503 sent when the database stayed locked beyond the busy timeout.
inline constexpr int busy_retry_after_s = 5;

struct ApiLimits {
    size_t max_batch {500}; // tickets per POST /api/v1/tickets
    size_t max_body_bytes {1 << 20}; // on the wire (possibly gzip)
    size_t max_decoded_bytes {4 << 20}; // after gzip, against compression bombs
    int max_updates {500}; // changes per GET /api/v1/updates
    // Reply text per updates page: the page ends early (more: true) once its replies reach this,
    // well within the 8 MiB a kiosk accepts in one answer.
    size_t max_updates_bytes {2 << 20};
    // Not a limit, but set from the config with them: the service level that gives each new
    // request its due time at ingest.
    SlaRules sla;
};

// A few open connections shared by the server's worker threads.
class DbPool {
public:
    explicit DbPool(std::string path, int busy_timeout_ms = 10000)
        : m_path(std::move(path))
        , m_busy_timeout_ms(busy_timeout_ms) { }
    class Lease {
    public:
        Lease(DbPool& pool, std::unique_ptr<Conn> db)
            : m_pool(&pool)
            , m_db(std::move(db)) { }
        Lease(Lease&&) = default;
        ~Lease() {
            if (m_db)
                m_pool->give_back(std::move(m_db));
        }
        Conn& db() { return *m_db; }

    private:
        DbPool* m_pool;
        std::unique_ptr<Conn> m_db;
    };
    Result<Lease> take();

private:
    void give_back(std::unique_ptr<Conn>);
    std::string m_path;
    int m_busy_timeout_ms;
    std::mutex m_mutex;
    std::vector<std::unique_ptr<Conn>> m_free;
};

// The JSON body of an error answer: {"protocol": 1, "error": {"code": ..., "message": ...}}.
std::string error_body(std::string_view code, std::string_view message);

// Whether a path belongs to the sync API (everything but the staff dashboard under /staff).
bool is_api_path(std::string const& path);
// The staff dashboard's calm HTML error page (web/site.cpp); set by install_api's error handler.
std::string web_error_page(int status);

// The per-ticket results of an upload's tickets, in the order sent: each validated for kiosk
// (invalid ones answered alone), the valid ones stored with ingest in one transaction. The caller
// has already refused a list naming another kiosk (names_other_kiosk). The queue export's import
// (usb_import.h) stores through here too, so it gives the same results as a sync.
Result<std::vector<IngestResult>> ingest_upload(
    Conn&, std::string const& kiosk, nlohmann::json const& tickets, int64_t now, SlaRules const&);
// One result as the upload's answer and the USB acknowledgement carry it (PROTOCOL.md).
nlohmann::json ingest_result_json(IngestResult const&);

// Installs the routes on server. pool and limits must outlive it.
void install_api(httplib::Server& server, DbPool& pool, ApiLimits const& limits);

} // namespace ksd::server
