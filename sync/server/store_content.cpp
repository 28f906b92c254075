// SQL of the content sources kept on the server; see store_content.h.
#include "store_content.h"

namespace ksd::server {

namespace {

constexpr int64_t draft_set = 0;

// Stores bytes once under their SHA-256; returns the hash.
Result<std::string> put_blob(Conn& db, std::string_view bytes) {
    std::string sha = sha256_hex(bytes);
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO content_blobs(sha256, size, data) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT(sha256) DO NOTHING"));
    st.bind(1, sha).bind(2, static_cast<int64_t>(bytes.size())).bind_blob(3, bytes);
    TRY_VOID(st.run());
    return sha;
}

// Blobs no set refers to any more (a replaced draft file, a removed snapshot).
Result<void> drop_unused_blobs(Conn& db) {
    return db.exec("DELETE FROM content_blobs WHERE NOT EXISTS (SELECT 1 FROM "
                   "content_source_files f WHERE f.sha256 = content_blobs.sha256)");
}

Result<void> put_file(Conn& db, int64_t set, std::string const& path, std::string_view bytes,
    std::string const& by, int64_t now) {
    TRY_RESULT(auto sha, put_blob(db, bytes));
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO content_source_files(set_id, path, sha256, updated_at, "
                   "updated_by) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(set_id, path) DO UPDATE "
                   "SET sha256 = excluded.sha256, updated_at = excluded.updated_at, "
                   "updated_by = excluded.updated_by WHERE content_source_files.sha256 != "
                   "excluded.sha256"));
    st.bind_all(set, path, sha, now, by);
    return st.run();
}

Result<void> clear_set(Conn& db, int64_t set) {
    TRY_RESULT(auto st, db.prepare("DELETE FROM content_source_files WHERE set_id = ?1"));
    st.bind(1, set);
    return st.run();
}

Result<void> put_set(Conn& db, int64_t set, std::vector<SourceFile> const& files,
    std::string const& by, int64_t now) {
    TRY_VOID(clear_set(db, set));
    for (auto const& f : files)
        TRY_VOID(put_file(db, set, f.path, f.bytes, by, now));
    return drop_unused_blobs(db);
}

Result<std::vector<SourceFile>> read_set(Conn& db, int64_t set) {
    TRY_RESULT(auto st,
        db.prepare("SELECT f.path, b.data FROM content_source_files f JOIN content_blobs b ON "
                   "b.sha256 = f.sha256 WHERE f.set_id = ?1 ORDER BY f.path"));
    st.bind(1, set);
    std::vector<SourceFile> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_blob(1)});
    }
    return out;
}

constexpr char const* publication_select
    = "SELECT p.version, p.published_at, p.size, p.sha256, c.published_by, c.signing, "
      "coalesce(c.restored_from, 0), EXISTS (SELECT 1 FROM content_source_files f WHERE "
      "f.set_id = p.version) FROM content_packs p LEFT JOIN content_publications c ON "
      "c.version = p.version ";

Publication read_publication(Stmt& st) {
    Publication p;
    p.version = st.column_int64(0);
    p.published_at = st.column_int64(1);
    p.size = st.column_int64(2);
    p.sha256 = st.column_text(3);
    p.published_by = st.column_optional_text(4).value_or("");
    if (auto s = st.column_optional_text(5))
        p.signing = parse_signing(*s);
    p.restored_from = st.column_int64(6);
    p.has_sources = st.column_int64(7) != 0;
    return p;
}

} // namespace

std::string_view signing_code(Signing s) {
    switch (s) {
    case Signing::ServerKey:
        return "server-key";
    case Signing::Offline:
        return "offline";
    case Signing::External:
        return "external";
    }
    return "external";
}

std::optional<Signing> parse_signing(std::string_view s) {
    for (auto v : {Signing::ServerKey, Signing::Offline, Signing::External})
        if (signing_code(v) == s)
            return v;
    return std::nullopt;
}

Result<std::vector<SourceInfo>> list_draft(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare("SELECT f.path, b.size, f.sha256, f.updated_at, f.updated_by FROM "
                   "content_source_files f JOIN content_blobs b ON b.sha256 = f.sha256 WHERE "
                   "f.set_id = 0 ORDER BY f.path"));
    std::vector<SourceInfo> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_int64(1), st.column_text(2), st.column_int64(3),
            st.column_text(4)});
    }
    return out;
}

Result<std::vector<SourceFile>> read_draft(Conn& db) {
    return read_set(db, draft_set);
}

Result<std::optional<std::string>> read_draft_file(Conn& db, std::string const& path) {
    TRY_RESULT(auto st,
        db.prepare("SELECT b.data FROM content_source_files f JOIN content_blobs b ON b.sha256 = "
                   "f.sha256 WHERE f.set_id = 0 AND f.path = ?1"));
    st.bind(1, path);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<std::string> {};
    return std::optional<std::string> {st.column_blob(0)};
}

Result<void> put_draft_file(
    Conn& db, std::string const& path, std::string_view bytes, std::string const& by, int64_t now) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_VOID(put_file(db, draft_set, path, bytes, by, now));
    TRY_VOID(drop_unused_blobs(db));
    return tx.commit();
}

Result<void> remove_draft_file(Conn& db, std::string const& path) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_RESULT(
        auto st, db.prepare("DELETE FROM content_source_files WHERE set_id = 0 AND path = ?1"));
    st.bind(1, path);
    TRY_VOID(st.run());
    TRY_VOID(drop_unused_blobs(db));
    return tx.commit();
}

Result<void> replace_draft(
    Conn& db, std::vector<SourceFile> const& files, std::string const& by, int64_t now) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_VOID(put_set(db, draft_set, files, by, now));
    return tx.commit();
}

Result<std::vector<SourceFile>> read_snapshot(Conn& db, int64_t version) {
    if (version <= 0)
        return make_error("no content version " + std::to_string(version));
    return read_set(db, version);
}

Result<void> save_snapshot(Conn& db, int64_t version, std::vector<SourceFile> const& files,
    std::string const& by, int64_t now) {
    if (version <= 0)
        return make_error("a snapshot needs a content version above 0");
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_VOID(put_set(db, version, files, by, now));
    return tx.commit();
}

Result<void> remove_snapshot(Conn& db, int64_t version) {
    if (version <= 0)
        return make_error("no content version " + std::to_string(version));
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_VOID(clear_set(db, version));
    TRY_VOID(drop_unused_blobs(db));
    return tx.commit();
}

Result<void> record_publication(Conn& db, ContentRow const& row, PublicationRecord const& rec,
    std::vector<SourceFile> const* sources, int64_t now) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_VOID(add_content(db, row));
    TRY_RESULT(auto st,
        db.prepare("INSERT INTO content_publications(version, published_by, signing, "
                   "restored_from) VALUES (?1, ?2, ?3, ?4)"));
    st.bind_all(
        row.version, rec.published_by, std::string(signing_code(rec.signing)), rec.restored_from);
    TRY_VOID(st.run());
    if (sources)
        TRY_VOID(put_set(db, row.version, *sources, rec.published_by, now));
    return tx.commit();
}

Result<std::vector<Publication>> list_publications(Conn& db) {
    TRY_RESULT(auto st, db.prepare(std::string(publication_select) + "ORDER BY p.version DESC"));
    std::vector<Publication> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_publication(st));
    }
    return out;
}

Result<std::optional<Publication>> find_publication(Conn& db, int64_t version) {
    TRY_RESULT(auto st, db.prepare(std::string(publication_select) + "WHERE p.version = ?1"));
    st.bind(1, version);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<Publication> {};
    return std::optional<Publication> {read_publication(st)};
}

Result<std::optional<PendingPack>> pending_pack(Conn& db) {
    TRY_RESULT(auto st,
        db.prepare("SELECT version, path, size, sha256, created_at, created_by, restored_from "
                   "FROM content_pending WHERE id = 1"));
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<PendingPack> {};
    return std::optional<PendingPack> {
        PendingPack {st.column_int64(0), st.column_text(1), st.column_int64(2), st.column_text(3),
            st.column_int64(4), st.column_text(5), st.column_int64(6)}};
}

Result<std::optional<PendingPack>> set_pending_pack(Conn& db, PendingPack const& p) {
    TRY_RESULT(auto tx, Tx::begin(db));
    TRY_RESULT(auto before, pending_pack(db));
    TRY_RESULT(auto st,
        db.prepare(
            "INSERT INTO content_pending(id, version, path, size, sha256, created_at, "
            "created_by, restored_from) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7) "
            "ON CONFLICT(id) DO UPDATE SET version = excluded.version, path = excluded.path, "
            "size = excluded.size, sha256 = excluded.sha256, created_at = "
            "excluded.created_at, created_by = excluded.created_by, restored_from = "
            "excluded.restored_from"));
    st.bind_all(p.version, p.path, p.size, p.sha256, p.created_at, p.created_by, p.restored_from);
    TRY_VOID(st.run());
    TRY_VOID(tx.commit());
    return before;
}

Result<void> clear_pending_pack(Conn& db) {
    return db.exec("DELETE FROM content_pending");
}

} // namespace ksd::server
