// Content on the server (issue 10): the draft imported, checked ("Periksa"), built, signed with
// the server's key and published ("Terbitkan"); the same publishing step for a pack built and
// signed elsewhere (`ksd-server content publish PACK`); a pack signed offline by an office;
// restoring an old version as a new, higher one; the register uploaded from a spreadsheet or
// edited one agreement at a time. No SQL here: store_content.h holds it.
#pragma once

#include "store_content.h"

#include "ksd/content_build.h"
#include "ksd/spreadsheet.h"
#include "ksd/taxonomy.h"
#include "sql.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ksd::server {

struct ContentSettings {
    std::string content_dir; // published packs, pending packs, build scratch space
    std::string public_key; // minisign public key file the kiosks verify with
    std::string secret_key; // minisign secret key file; "" when the office signs offline
};
// The configured content_dir or, when empty, DB path + ".content" (as the CLI always did).
std::string content_dir_for(std::string const& configured, std::string const& db_path);

// A failure meant for staff, in both languages; a failed build lists every problem.
struct ContentFailure {
    std::string en;
    std::string id;
    std::vector<Diagnostic> problems;
    std::string text(Lang l) const { return l == Lang::Id ? id : en; }
};

template <typename T>
class [[nodiscard]] ContentResult {
public:
    ContentResult(T value)
        : m_v(std::in_place_index<0>, std::move(value)) { }
    ContentResult(ContentFailure f)
        : m_v(std::in_place_index<1>, std::move(f)) { }
    bool ok() const { return m_v.index() == 0; }
    T& value() { return std::get<0>(m_v); }
    T const& value() const { return std::get<0>(m_v); }
    T* operator->() { return &value(); }
    T const* operator->() const { return &value(); }
    T& operator*() { return value(); }
    T const& operator*() const { return value(); }
    ContentFailure const& failure() const { return std::get<1>(m_v); }

private:
    std::variant<T, ContentFailure> m_v;
};
struct Done { };

// Whether a relative path is a content source the server keeps: site.toml, agreements.csv,
// potential.toml, contacts.toml, faq.toml, pages/ID.id.md, pages/ID.en.md, images/NAME.png|jpg.
bool is_source_path(std::string const& path);

struct ImportReport {
    int files {0};
    std::vector<std::string> skipped; // files in the folder that are not content sources
};
// Replaces the draft with the sources in dir (a checkout of content/, the first setup).
ContentResult<ImportReport> import_sources(
    Conn&, std::string const& dir, std::string const& by, int64_t now);

// "Periksa": the checks of `ksd-content build` on the draft (every problem, both languages).
ContentResult<BuildResult> check_draft(Conn&, ContentSettings const&);

struct Published {
    int64_t version {0};
    int64_t size {0};
    std::string sha256;
};
// Publishes a signed pack: verified against the public key (a private copy, so the file cannot
// change between check and publishing), newer than the latest, moved into content_dir and
// recorded with who published it, how it was signed and, when given, its sources. Used by the
// CLI's `content publish PACK` (External, "cli") and by every path below.
ContentResult<Published> publish_signed_pack(Conn&, ContentSettings const&,
    std::string const& pack_path, std::string const& signature, PublicationRecord const&,
    std::vector<SourceFile> const* sources, int64_t now);

// "Terbitkan": builds the draft as a version newer than the latest (the build time, or the
// latest + 1 when that is not newer), signs it with the server's secret key (refused when the
// key file can be read by other users, or does not belong to the public key), and publishes it.
ContentResult<Published> publish_draft(
    Conn&, ContentSettings const&, std::string const& by, int64_t now);
// Publishes the sources of an earlier version again as a new, higher version (server key).
ContentResult<Published> restore_version(
    Conn&, ContentSettings const&, int64_t version, std::string const& by, int64_t now);

// The office that keeps its key offline: the server builds the draft (or an old version's
// sources, restore_from) and keeps the unsigned pack; staff download it, sign it with
// `minisign -Sm`, and upload the .minisig, which is verified with the public key before the
// very same pack is published.
ContentResult<PendingPack> prepare_unsigned(
    Conn&, ContentSettings const&, std::string const& by, int64_t now, int64_t restore_from = 0);
ContentResult<Published> publish_with_signature(Conn&, ContentSettings const&,
    std::string const& signature, std::string const& by, int64_t now);

// ---- the register (agreements.csv in the draft) ----

struct RegisterUpload {
    spreadsheet::Encoding encoding {spreadsheet::Encoding::Utf8};
    char separator {','};
    size_t rows {0}; // records after the header
};
// Stores an uploaded spreadsheet export as the draft's agreements.csv (any of the accepted
// encodings and separators, converted). Rows are not judged here: "Periksa" names bad ones.
ContentResult<RegisterUpload> upload_register(
    Conn&, std::string_view bytes, std::string const& by, int64_t now);

// One agreement as the form shows it: the columns of agreements.csv.
struct AgreementFields {
    std::string nomor, jenis, dokumen, mitra, perihal, bidang, ruang_lingkup, tanggal_ttd, mulai,
        berakhir, pelaksana, keterangan;
};
// Issue 14: the optional monitoring columns, read when the file has them; save_agreement keeps
// them as they are (set_agreement_monitoring writes them).
struct AgreementMonitoring {
    std::string status_pelaksanaan, tanggal_evaluasi, ringkasan_evaluasi, penanggung_jawab;
};
struct AgreementRow {
    size_t line {0}; // in the draft's agreements.csv
    AgreementFields fields;
    AgreementMonitoring monitoring;
};
// The draft's agreements in file order (empty when there is no agreements.csv yet). A file
// whose header lacks a column cannot be edited row by row: a failure says which.
ContentResult<std::vector<AgreementRow>> list_agreements(Conn&);
// A problem with one field of the form, in both languages.
struct FieldProblem {
    std::string field; // the column
    std::string en, id;
};
// Adds an agreement (original_nomor empty) or replaces the one numbered original_nomor. The
// pickers' values (kind, document type, sector) and the dates are checked first; problems come
// back per field and nothing is stored. Other rows are kept as they were.
ContentResult<std::vector<FieldProblem>> save_agreement(Conn&, AgreementFields const&,
    std::string const& original_nomor, std::string const& by, int64_t now);

// Issue 14: writes the monitoring columns of the agreement numbered nomor (adding the columns to
// the header when the file has none yet). A failure when the agreement is not in the register.
ContentResult<Done> set_agreement_monitoring(Conn&, std::string const& nomor,
    AgreementMonitoring const& monitoring, std::string const& by, int64_t now);

} // namespace ksd::server
