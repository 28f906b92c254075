// The content sources kept on the server (issue 10): the draft staff edit in the dashboard and,
// per built content version, a snapshot of the sources it was built from; who published which
// version and how; the one pack waiting for an office's offline signature. All of the content
// area's SQL is here. Files are stored once by SHA-256, so a snapshot costs only its list.
#pragma once

#include "ksd/result.h"
#include "sql.h"
#include "store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ksd::server {

struct SourceFile {
    std::string path; // relative, as in content/: "site.toml", "pages/x.id.md", "images/y.png"
    std::string bytes;
};

struct SourceInfo {
    std::string path;
    int64_t size {0};
    std::string sha256;
    int64_t updated_at {0};
    std::string updated_by;
};

// How a published pack was signed.
enum class Signing {
    ServerKey, // built from the server's sources and signed with its secret key
    Offline, // built by the server, signed by an office with its own key, the signature uploaded
    External, // built and signed elsewhere, published with `ksd-server content publish PACK`
};
std::string_view signing_code(Signing); // "server-key", "offline", "external"
std::optional<Signing> parse_signing(std::string_view);

struct Publication {
    int64_t version {0};
    int64_t published_at {0};
    int64_t size {0};
    std::string sha256;
    std::string published_by; // a staff user's name, or "cli"
    std::optional<Signing> signing; // nullopt: published before the server kept this
    int64_t restored_from {0}; // the version whose sources were published again, 0 when none
    bool has_sources {false}; // a snapshot of its sources is kept (it can be restored)
};

// A pack the server built for an office to sign offline (one at a time).
struct PendingPack {
    int64_t version {0};
    std::string path;
    int64_t size {0};
    std::string sha256;
    int64_t created_at {0};
    std::string created_by;
    int64_t restored_from {0};
};

// ---- the draft ----
Result<std::vector<SourceInfo>> list_draft(Conn&);
Result<std::vector<SourceFile>> read_draft(Conn&);
Result<std::optional<std::string>> read_draft_file(Conn&, std::string const& path);
Result<void> put_draft_file(
    Conn&, std::string const& path, std::string_view bytes, std::string const& by, int64_t now);
Result<void> remove_draft_file(Conn&, std::string const& path);
// Replaces the whole draft in one transaction (import, restore into the draft).
Result<void> replace_draft(
    Conn&, std::vector<SourceFile> const&, std::string const& by, int64_t now);

// ---- snapshots (the sources of a built version) ----
Result<std::vector<SourceFile>> read_snapshot(Conn&, int64_t version);
Result<void> save_snapshot(
    Conn&, int64_t version, std::vector<SourceFile> const&, std::string const& by, int64_t now);
Result<void> remove_snapshot(Conn&, int64_t version);

// ---- publications ----
struct PublicationRecord {
    std::string published_by;
    Signing signing {Signing::External};
    int64_t restored_from {0};
};
// In one transaction: the pack's row in content_packs, who published it and how, and (when
// sources is given) the snapshot of the sources it was built from. content_publications has no
// foreign key to content_packs: the fault tests alter a pack's version behind the server's back
// (a tampered database), which a foreign key would refuse.
Result<void> record_publication(Conn&, ContentRow const&, PublicationRecord const&,
    std::vector<SourceFile> const* sources, int64_t now);
// Every published version, newest first.
Result<std::vector<Publication>> list_publications(Conn&);
Result<std::optional<Publication>> find_publication(Conn&, int64_t version);

// ---- the pack waiting for an offline signature ----
Result<std::optional<PendingPack>> pending_pack(Conn&);
// Replaces any earlier pending pack (returned, so its file and snapshot can be removed).
Result<std::optional<PendingPack>> set_pending_pack(Conn&, PendingPack const&);
Result<void> clear_pending_pack(Conn&);

} // namespace ksd::server
