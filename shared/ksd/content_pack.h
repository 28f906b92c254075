// Reading a content pack: one SQLite file built by `ksd-content build`, opened read-only after
// its minisign signature has been checked against the configured public key. Everything the
// kiosk shows comes through this class; it never writes.
#pragma once

#include "ksd/date.h"
#include "ksd/db.h"
#include "ksd/minisign.h"
#include "ksd/result.h"
#include "ksd/taxonomy.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ksd {

// Format 2 adds the agreements' monitoring (pack_schema_monitoring_sql). The builder writes
// format 1 when no agreement has any, so kiosks that read only format 1 keep taking the packs of
// an office that does not use monitoring; this reader takes both.
inline constexpr int pack_format_version = 2;
inline constexpr int pack_format_version_min = 1;

struct PackMeta {
    int format_version {0};
    int64_t content_version {0}; // grows with every build; kiosks take only newer packs
    int64_t build_time {0}; // Unix seconds
    std::string source_hash; // SHA-256 (hex) over the source files
    bool demo {false}; // show "DATA CONTOH / DEMO DATA"
    bool monitoring {false}; // agreements carry implementation states (format 2)
};

struct Localized {
    std::string id;
    std::string en;
    std::string const& get(Lang l) const { return l == Lang::Id ? id : en; }
};

struct Institution {
    Localized name;
    Localized parent;
    std::string address;
    std::string logo; // asset name, may be empty
};

struct Section {
    std::string id;
    std::string kind; // pages | register | potential | faq | contacts
    std::string icon;
    Localized title;
};

struct Highlight {
    Localized text;
    std::string page; // may be empty
};

struct PageLink {
    std::string label;
    std::string url; // ready to encode in a QR code (https://wa.me/628...?text=...)
};

struct PageSummary {
    std::string id;
    std::string section;
    int order {0};
    std::string title;
    std::string summary;
};

struct Page {
    std::string id;
    std::string section;
    int order {0};
    std::string title;
    std::string summary;
    std::string markdown; // parse with ksd/markdown.h
    std::vector<PageLink> links;
};

struct Agreement {
    int64_t id {0};
    std::string number;
    std::string kind; // code: KSDD ...
    std::string doc_type; // code: KB ...
    std::string partner;
    std::string subject;
    std::string sector; // code
    std::string scope;
    Date signed_on;
    Date start;
    Date end;
    std::string agency;
    std::string notes;
    // Monitoring and evaluation (monev); empty when the register has none for this agreement.
    std::optional<ImplementationState> implementation;
    std::optional<Date> evaluated_on; // the last evaluation
    std::string evaluation; // its summary
    std::string responsible_unit; // perangkat daerah penanggung jawab
    AgreementStatus status(Date today) const { return agreement_status(start, end, today); }
};

struct AgreementFilter {
    std::optional<std::string> kind;
    std::optional<std::string> sector;
    std::optional<AgreementStatus> status;
    std::optional<ImplementationState> implementation;
    std::string query; // free text, as typed; empty = all
    Date today; // for the status filter
    int limit {200};
    int offset {0};
};

struct Potential {
    std::string id;
    std::string sector;
    std::string title;
    std::string summary;
    std::string markdown;
    std::string location;
};

struct Contact {
    std::string id;
    std::string name;
    std::string role;
    std::string phone;
    std::string whatsapp; // +628...
    std::string whatsapp_url; // https://wa.me/628...?text=... (empty without whatsapp)
    std::string email;
    std::string address;
    std::string hours;
    std::string url;
};

struct FaqEntry {
    std::string id;
    std::string question;
    std::string answer_markdown;
};

enum class HitKind { Page, Agreement, Potential, Faq };

struct SearchHit {
    HitKind kind;
    std::string ref; // page id, agreement id (decimal), potential id or faq id
    std::string title;
    std::string snippet; // matched terms between snippet_open and snippet_close
    double rank {0}; // bm25: lower is better
};
inline constexpr char snippet_open = '\x02';
// Matches scored per ranking tier (see ContentPack::search).
inline constexpr int search_rank_candidates = 400;
inline constexpr char snippet_close = '\x03';

class ContentPack {
public:
    // Verifies path against path.minisig with key, then opens the very file that was verified
    // (checked by inode), read-only and immutable. Checks the format version and the tables.
    static Result<ContentPack> open(std::string const& path, minisign::PublicKey const& key);
    // For tools that inspect a freshly built, not yet signed pack. The kiosk never uses this.
    static Result<ContentPack> open_unverified(std::string const& path);

    PackMeta const& meta() const { return m_meta; }
    Institution const& institution() const { return m_institution; }
    std::vector<Section> const& sections() const { return m_sections; }
    std::vector<Highlight> const& highlights() const { return m_highlights; }
    std::string const& path() const { return m_db.path(); }

    Result<std::vector<PageSummary>> pages_in_section(std::string const& section, Lang) const;
    Result<Page> page(std::string const& id, Lang) const;
    Result<std::vector<Agreement>> agreements(AgreementFilter const&) const;
    Result<int64_t> count_agreements(AgreementFilter const&) const;
    Result<Agreement> agreement(int64_t id) const;
    Result<std::vector<Potential>> potential(Lang) const;
    Result<std::vector<Contact>> contacts(Lang) const;
    Result<std::vector<FaqEntry>> faq(Lang) const;
    // Image bytes by name ("images/logo.png").
    Result<std::string> asset(std::string const& name) const;
    // Full-text search over pages, agreements, potential and FAQ: case- and
    // diacritic-insensitive, every word (of two letters or more) a prefix; title matches first,
    // each group ranked by bm25 among at most search_rank_candidates matches.
    Result<std::vector<SearchHit>> search(std::string_view query, Lang, int limit = 20) const;

private:
    explicit ContentPack(Db db)
        : m_db(std::move(db)) { }
    Result<void> load_header();
    mutable Db m_db;
    PackMeta m_meta;
    Institution m_institution;
    std::vector<Section> m_sections;
    std::vector<Highlight> m_highlights;
};

// Turns what a visitor typed into an FTS5 query: every word quoted and made a prefix
// ("perj kerja" -> "perj"* "kerja"*); single letters are dropped. Returns empty when nothing
// searchable remains.
std::string fts_query_from_input(std::string_view input);

} // namespace ksd
