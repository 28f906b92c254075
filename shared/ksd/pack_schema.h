// The content pack's SQLite schema, shared by the builder (which creates it) and the reader
// (which checks it). Bump pack_format_version in content_pack.h when this changes.
#pragma once

#include <cstdint>

namespace ksd {

inline constexpr char const* pack_schema_sql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE sections(ord INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    icon TEXT NOT NULL, title_id TEXT NOT NULL, title_en TEXT NOT NULL);
CREATE TABLE highlights(ord INTEGER PRIMARY KEY, text_id TEXT NOT NULL, text_en TEXT NOT NULL,
    page TEXT NOT NULL);
CREATE TABLE pages(id TEXT NOT NULL, lang TEXT NOT NULL, section TEXT NOT NULL,
    ord INTEGER NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, markdown TEXT NOT NULL,
    PRIMARY KEY(id, lang)) WITHOUT ROWID;
CREATE INDEX pages_by_section ON pages(section, lang, ord);
CREATE TABLE page_links(page TEXT NOT NULL, lang TEXT NOT NULL, ord INTEGER NOT NULL,
    label TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY(page, lang, ord)) WITHOUT ROWID;
CREATE TABLE agreements(id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
    doc_type TEXT NOT NULL, partner TEXT NOT NULL, subject TEXT NOT NULL, sector TEXT NOT NULL,
    scope TEXT NOT NULL, signed_on TEXT NOT NULL, start_date TEXT NOT NULL,
    end_date TEXT NOT NULL, agency TEXT NOT NULL, notes TEXT NOT NULL);
CREATE INDEX agreements_by_end ON agreements(end_date);
CREATE TABLE potential(id TEXT NOT NULL, lang TEXT NOT NULL, ord INTEGER NOT NULL,
    sector TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, markdown TEXT NOT NULL,
    location TEXT NOT NULL, PRIMARY KEY(id, lang)) WITHOUT ROWID;
CREATE TABLE contacts(id TEXT NOT NULL, lang TEXT NOT NULL, ord INTEGER NOT NULL,
    name TEXT NOT NULL, role TEXT NOT NULL, phone TEXT NOT NULL, whatsapp TEXT NOT NULL,
    whatsapp_url TEXT NOT NULL, email TEXT NOT NULL, address TEXT NOT NULL, hours TEXT NOT NULL,
    url TEXT NOT NULL, PRIMARY KEY(id, lang)) WITHOUT ROWID;
CREATE TABLE faq(id TEXT NOT NULL, lang TEXT NOT NULL, ord INTEGER NOT NULL,
    question TEXT NOT NULL, answer TEXT NOT NULL, PRIMARY KEY(id, lang)) WITHOUT ROWID;
CREATE TABLE assets(name TEXT PRIMARY KEY, mime TEXT NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
-- One row per searchable thing and language; agreements have lang '*' (their text is
-- Indonesian; kind and sector names of both languages are added to the body). Rowids are laid
-- out by language (see search_rowid_*), so that a language's documents are one rowid range:
-- FTS5 filters rowid ranges inside the index, while filtering on a column would read the
-- stored row of every match.
-- remove_diacritics 2 folds case and accents; prefix indexes make "perj"* fast.
CREATE VIRTUAL TABLE search USING fts5(title, body, kind UNINDEXED, ref UNINDEXED,
    lang UNINDEXED, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');
)sql";

// Format 2: the agreements' monitoring, one row per agreement that has any (state may be ""
// when only the responsible unit is known). A format 1 pack has exactly pack_schema_sql.
inline constexpr char const* pack_schema_monitoring_sql = R"sql(
CREATE TABLE agreement_monitoring(agreement INTEGER PRIMARY KEY, state TEXT NOT NULL,
    evaluated_on TEXT NOT NULL, summary TEXT NOT NULL, unit TEXT NOT NULL);
)sql";

// Rowid ranges of the search table: Indonesian documents, then agreements (both languages),
// then English documents. Bahasa Indonesia searches [id_first, en_first), English ones
// [agreement_first, en_last].
inline constexpr int64_t search_rowid_id_first = 1;
inline constexpr int64_t search_rowid_agreement_first = 1'000'000;
inline constexpr int64_t search_rowid_en_first = 2'000'000;
inline constexpr int64_t search_rowid_en_last = 2'999'999;

} // namespace ksd
