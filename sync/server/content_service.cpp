// Content on the server: import, check, build, sign, publish, restore; see content_service.h.
#include "content_service.h"

#include "ksd/content_pack.h"
#include "ksd/csv.h"
#include "ksd/date.h"
#include "ksd/files.h"
#include "ksd/log.h"
#include "ksd/minisign.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ksd::server {

namespace {

// One publication at a time in this process: two staff pressing "Terbitkan" together would
// otherwise pick the same version and move their packs onto the same file.
std::recursive_mutex publish_mutex;

ContentFailure failure(std::string en, std::string id) {
    return ContentFailure {std::move(en), std::move(id), {}};
}

ContentFailure failure(Error const& e, std::string const& en, std::string const& id) {
    return ContentFailure {en + ": " + e.message, id + ": " + e.message, {}};
}

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-')
        return false;
    return std::all_of(id.begin(), id.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

bool ends_with(std::string_view s, std::string_view tail) {
    return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// A scratch directory under content_dir, removed with everything in it when it goes.
class ScratchDir {
public:
    explicit ScratchDir(std::string const& content_dir) {
        static std::atomic<int> counter {0};
        m_path
            = content_dir + "/work-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    ScratchDir(ScratchDir const&) = delete;
    ScratchDir& operator=(ScratchDir const&) = delete;
    std::string const& path() const { return m_path; }

private:
    std::string m_path;
};

ContentResult<Done> ensure_dir(std::string const& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return failure("cannot create " + dir + ": " + ec.message(),
            "folder " + dir + " tidak dapat dibuat: " + ec.message());
    return Done {};
}

ContentResult<Done> write_sources(std::vector<SourceFile> const& files, std::string const& dir) {
    for (auto const& f : files) {
        std::string path = dir + "/" + f.path;
        std::error_code ec;
        fs::create_directories(dirname_of(path), ec);
        if (ec)
            return failure("cannot create " + dirname_of(path) + ": " + ec.message(),
                "folder " + dirname_of(path) + " tidak dapat dibuat: " + ec.message());
        if (auto w = write_file_atomic(path, f.bytes); !w.ok())
            return failure(w.error(), "cannot write the sources", "sumber tidak dapat ditulis");
    }
    return Done {};
}

ContentFailure build_failure(BuildResult const& r) {
    auto n = std::to_string(r.errors.size());
    return ContentFailure {n + (r.errors.size() == 1 ? " problem" : " problems")
            + " in the sources; nothing was published",
        n + " masalah pada sumber konten; tidak ada yang diterbitkan", r.errors};
}

// Builds files into a pack at pack_path with the given version.
ContentResult<BuildStats> build_files(std::vector<SourceFile> const& files,
    std::string const& content_dir, std::string const& pack_path, int64_t version, int64_t now) {
    ScratchDir scratch(content_dir);
    auto written = write_sources(files, scratch.path());
    if (!written.ok())
        return written.failure();
    BuildOptions options;
    options.source_dir = scratch.path();
    options.output_path = pack_path;
    options.now = now;
    options.content_version = version;
    BuildResult r = build_content_pack(options);
    if (!r.ok())
        return build_failure(r);
    return r.stats;
}

ContentResult<int64_t> next_version(Conn& db, int64_t now) {
    auto latest = latest_content(db);
    if (!latest.ok())
        return failure(latest.error(), "cannot read the published versions",
            "versi yang sudah terbit tidak dapat dibaca");
    int64_t v = version_from_time(now);
    if (*latest && (*latest)->version >= v)
        v = (*latest)->version + 1;
    auto pending = pending_pack(db);
    if (pending.ok() && *pending && (*pending)->version >= v)
        v = (*pending)->version + 1;
    return v;
}

// The server's secret key: a regular file of the server's user that nobody else can read.
ContentResult<minisign::SecretKey> load_server_key(std::string const& path) {
    if (path.empty())
        return failure("no secret_key in the server's configuration: sign offline instead "
                       "(download the unsigned pack, upload its .minisig)",
            "konfigurasi server tidak memuat secret_key: tandatangani secara luring (unduh "
            "paket yang belum ditandatangani, unggah berkas .minisig-nya)");
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return failure("the secret key file " + path + " cannot be read",
            "berkas kunci rahasia " + path + " tidak dapat dibaca");
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return failure("refused: the secret key file " + path
                + " can be read or changed by other users (mode " + mode + "); run: chmod 600 "
                + path,
            "ditolak: berkas kunci rahasia " + path
                + " dapat dibaca atau diubah pengguna lain (mode " + mode
                + "); jalankan: chmod 600 " + path);
    }
    if (st.st_uid != ::geteuid())
        return failure(
            "refused: the secret key file " + path + " belongs to another user than the server's",
            "ditolak: berkas kunci rahasia " + path
                + " milik pengguna lain, bukan pengguna server");
    auto key = minisign::load_secret_key(path, []() -> Result<std::string> {
        return make_error("the key is protected by a password, which the server cannot type: "
                          "use a key without one (minisign -G -W) or sign offline");
    });
    if (!key.ok())
        return failure(
            key.error(), "the secret key cannot be used", "kunci rahasia tidak dapat dipakai");
    return key.release_value();
}

ContentResult<minisign::PublicKey> load_public(ContentSettings const& s) {
    if (s.public_key.empty())
        return failure("no public_key in the server's configuration (the key the kiosks verify "
                       "packs with)",
            "konfigurasi server tidak memuat public_key (kunci yang dipakai anjungan untuk "
            "memeriksa paket)");
    auto key = minisign::load_public_key(s.public_key);
    if (!key.ok())
        return failure(
            key.error(), "the public key cannot be read", "kunci publik tidak dapat dibaca");
    return key.release_value();
}

// Builds files as the next version and signs it with the server's key; publishes it.
ContentResult<Published> build_sign_publish(Conn& db, ContentSettings const& s,
    std::vector<SourceFile> const& files, PublicationRecord const& rec, int64_t now) {
    auto secret = load_server_key(s.secret_key);
    if (!secret.ok())
        return secret.failure();
    auto pub = load_public(s);
    if (!pub.ok())
        return pub.failure();
    if (secret->key_id != pub->key_id)
        return failure("the server's secret key (" + s.secret_key
                + ") does not belong to the public key the kiosks use (" + s.public_key
                + ", key id " + pub->key_id_hex() + ")",
            "kunci rahasia server (" + s.secret_key
                + ") bukan pasangan kunci publik yang dipakai anjungan (" + s.public_key
                + ", id kunci " + pub->key_id_hex() + ")");
    if (auto d = ensure_dir(s.content_dir); !d.ok())
        return d.failure();
    auto version = next_version(db, now);
    if (!version.ok())
        return version.failure();
    std::string pack = s.content_dir + "/build-" + std::to_string(*version) + "-"
        + std::to_string(::getpid()) + ".pack";
    TempFileGuard pack_guard(pack);
    auto built = build_files(files, s.content_dir, pack, *version, now);
    if (!built.ok())
        return built.failure();
    auto bytes = read_file(pack);
    if (!bytes.ok())
        return failure(bytes.error(), "cannot read the built pack", "paket tidak dapat dibaca");
    auto sig = minisign::sign(*bytes, *secret,
        "timestamp:" + std::to_string(now) + "\tfile:ksd-" + std::to_string(*version) + ".pack",
        "signature from ksd-server");
    if (!sig.ok())
        return failure(sig.error(), "cannot sign the pack", "paket tidak dapat ditandatangani");
    return publish_signed_pack(db, s, pack, *sig, rec, &files, now);
}

} // namespace

std::string content_dir_for(std::string const& configured, std::string const& db_path) {
    return configured.empty() ? db_path + ".content" : configured;
}

bool is_source_path(std::string const& path) {
    static std::string const top[] {
        "site.toml", "agreements.csv", "potential.toml", "contacts.toml", "faq.toml"};
    for (auto const& t : top)
        if (path == t)
            return true;
    if (path.rfind("pages/", 0) == 0) {
        std::string name = path.substr(6);
        if (!ends_with(name, ".id.md") && !ends_with(name, ".en.md"))
            return false;
        return valid_id(name.substr(0, name.size() - 6));
    }
    if (path.rfind("images/", 0) == 0) {
        std::string name = path.substr(7);
        if (name.empty() || name.size() > 64 || name.find('/') != std::string::npos
            || name[0] == '.')
            return false;
        bool plain = std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.';
        });
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
            [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return plain
            && (ends_with(lower, ".png") || ends_with(lower, ".jpg") || ends_with(lower, ".jpeg"));
    }
    return false;
}

ContentResult<ImportReport> import_sources(
    Conn& db, std::string const& dir, std::string const& by, int64_t now) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return failure(dir + " is not a folder", dir + " bukan folder");
    ImportReport report;
    std::vector<SourceFile> files;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_directory(ec))
            continue;
        std::string rel = fs::relative(it->path(), dir, ec).generic_string();
        if (!is_source_path(rel) || it->is_symlink(ec) || !it->is_regular_file(ec)) {
            report.skipped.push_back(rel);
            continue;
        }
        auto bytes = read_file(it->path().string(), 8u << 20);
        if (!bytes.ok())
            return failure(bytes.error(), "cannot import " + rel, rel + " tidak dapat diimpor");
        files.push_back({rel, bytes.release_value()});
    }
    if (ec)
        return failure("cannot read " + dir + ": " + ec.message(),
            dir + " tidak dapat dibaca: " + ec.message());
    std::sort(files.begin(), files.end(),
        [](SourceFile const& a, SourceFile const& b) { return a.path < b.path; });
    std::sort(report.skipped.begin(), report.skipped.end());
    if (auto r = replace_draft(db, files, by, now); !r.ok())
        return failure(r.error(), "cannot store the draft", "draf tidak dapat disimpan");
    report.files = static_cast<int>(files.size());
    return report;
}

ContentResult<BuildResult> check_draft(Conn& db, ContentSettings const& s) {
    auto files = read_draft(db);
    if (!files.ok())
        return failure(files.error(), "cannot read the draft", "draf tidak dapat dibaca");
    if (auto d = ensure_dir(s.content_dir); !d.ok())
        return d.failure();
    ScratchDir scratch(s.content_dir);
    auto written = write_sources(*files, scratch.path());
    if (!written.ok())
        return written.failure();
    // An empty draft still has its folder, so the problems name the missing files.
    std::error_code ec;
    fs::create_directories(scratch.path(), ec);
    return check_content_sources(scratch.path());
}

ContentResult<Published> publish_signed_pack(Conn& db, ContentSettings const& s,
    std::string const& pack_path, std::string const& signature, PublicationRecord const& rec,
    std::vector<SourceFile> const* sources, int64_t now) {
    std::lock_guard lock(publish_mutex);
    auto key = load_public(s);
    if (!key.ok())
        return key.failure();
    if (auto d = ensure_dir(s.content_dir); !d.ok())
        return d.failure();
    // Verify a private copy, not the file given (it could change between check and copy).
    std::string incoming = s.content_dir + "/incoming-" + std::to_string(::getpid()) + ".pack";
    TempFileGuard pack_guard(incoming);
    TempFileGuard sig_guard(incoming + ".minisig");
    auto bytes = read_file(pack_path);
    if (!bytes.ok())
        return failure(bytes.error(), "cannot read the pack", "paket tidak dapat dibaca");
    if (auto w = write_file_atomic(incoming, *bytes); !w.ok())
        return failure(w.error(), "cannot copy the pack", "paket tidak dapat disalin");
    if (auto w = write_file_atomic(incoming + ".minisig", signature); !w.ok())
        return failure(w.error(), "cannot copy the signature", "tanda tangan tidak dapat disalin");
    int64_t version = 0;
    {
        auto opened = ContentPack::open(incoming, *key);
        if (!opened.ok())
            return failure(
                "refused: " + opened.error().message, "ditolak: " + opened.error().message);
        version = opened->meta().content_version;
    }
    auto latest = latest_content(db);
    if (!latest.ok())
        return failure(latest.error(), "cannot read the published versions",
            "versi yang sudah terbit tidak dapat dibaca");
    if (*latest && (*latest)->version >= version)
        return failure("refused: version " + std::to_string(version)
                + " is not newer than the published " + std::to_string((*latest)->version),
            "ditolak: versi " + std::to_string(version) + " tidak lebih baru daripada versi "
                + std::to_string((*latest)->version) + " yang sudah terbit");
    std::string final_path = s.content_dir + "/ksd-" + std::to_string(version) + ".pack";
    if (auto r = rename_durable(incoming + ".minisig", final_path + ".minisig"); !r.ok())
        return failure(r.error(), "cannot move the signature into place",
            "tanda tangan tidak dapat dipindahkan");
    if (auto r = rename_durable(incoming, final_path); !r.ok())
        return failure(
            r.error(), "cannot move the pack into place", "paket tidak dapat dipindahkan");
    ContentRow row {version, fs::absolute(final_path).string(), static_cast<int64_t>(bytes->size()),
        sha256_hex(*bytes), signature, now};
    if (auto r = record_publication(db, row, rec, sources, now); !r.ok())
        return failure(
            r.error(), "cannot record the publication", "penerbitan tidak dapat dicatat");
    log::info("content",
        "published content version " + std::to_string(version) + " by " + rec.published_by + " ("
            + std::string(signing_code(rec.signing)) + ")");
    return Published {version, row.size, row.sha256};
}

ContentResult<Published> publish_draft(
    Conn& db, ContentSettings const& s, std::string const& by, int64_t now) {
    std::lock_guard lock(publish_mutex);
    auto files = read_draft(db);
    if (!files.ok())
        return failure(files.error(), "cannot read the draft", "draf tidak dapat dibaca");
    return build_sign_publish(db, s, *files, PublicationRecord {by, Signing::ServerKey, 0}, now);
}

ContentResult<Published> restore_version(
    Conn& db, ContentSettings const& s, int64_t version, std::string const& by, int64_t now) {
    std::lock_guard lock(publish_mutex);
    auto files = read_snapshot(db, version);
    if (!files.ok())
        return failure(files.error(),
            "cannot read the sources of version " + std::to_string(version),
            "sumber versi " + std::to_string(version) + " tidak dapat dibaca");
    if (files->empty())
        return failure("the sources of version " + std::to_string(version) + " are not kept",
            "sumber versi " + std::to_string(version) + " tidak tersimpan");
    return build_sign_publish(
        db, s, *files, PublicationRecord {by, Signing::ServerKey, version}, now);
}

ContentResult<PendingPack> prepare_unsigned(
    Conn& db, ContentSettings const& s, std::string const& by, int64_t now, int64_t restore_from) {
    std::lock_guard lock(publish_mutex);
    auto files = restore_from ? read_snapshot(db, restore_from) : read_draft(db);
    if (!files.ok())
        return failure(files.error(), "cannot read the sources", "sumber tidak dapat dibaca");
    if (restore_from && files->empty())
        return failure("the sources of version " + std::to_string(restore_from) + " are not kept",
            "sumber versi " + std::to_string(restore_from) + " tidak tersimpan");
    if (auto d = ensure_dir(s.content_dir); !d.ok())
        return d.failure();
    auto version = next_version(db, now);
    if (!version.ok())
        return version.failure();
    std::string pack = s.content_dir + "/unsigned-" + std::to_string(*version) + ".pack";
    TempFileGuard guard(pack);
    auto built = build_files(*files, s.content_dir, pack, *version, now);
    if (!built.ok())
        return built.failure();
    auto bytes = read_file(pack);
    if (!bytes.ok())
        return failure(bytes.error(), "cannot read the built pack", "paket tidak dapat dibaca");
    if (auto r = save_snapshot(db, *version, *files, by, now); !r.ok())
        return failure(r.error(), "cannot keep the sources", "sumber tidak dapat disimpan");
    PendingPack p {*version, fs::absolute(pack).string(), static_cast<int64_t>(bytes->size()),
        sha256_hex(*bytes), now, by, restore_from};
    auto before = set_pending_pack(db, p);
    if (!before.ok())
        return failure(before.error(), "cannot record the unsigned pack",
            "paket yang belum ditandatangani tidak dapat dicatat");
    guard.release();
    if (*before && (*before)->version != p.version) {
        // The earlier unsigned pack is replaced: its file and sources go.
        std::error_code ec;
        fs::remove((*before)->path, ec);
        auto published = find_publication(db, (*before)->version);
        if (published.ok() && !*published)
            (void)remove_snapshot(db, (*before)->version);
    }
    return p;
}

ContentResult<Published> publish_with_signature(Conn& db, ContentSettings const& s,
    std::string const& signature, std::string const& by, int64_t now) {
    std::lock_guard lock(publish_mutex);
    auto pending = pending_pack(db);
    if (!pending.ok())
        return failure(pending.error(), "cannot read the unsigned pack",
            "paket yang belum ditandatangani tidak dapat dibaca");
    if (!*pending)
        return failure("no unsigned pack is waiting for a signature: make one first",
            "tidak ada paket yang menunggu tanda tangan: buat dulu paketnya");
    PendingPack p = **pending;
    auto key = load_public(s);
    if (!key.ok())
        return key.failure();
    auto bytes = read_file(p.path);
    if (!bytes.ok())
        return failure(bytes.error(), "cannot read the unsigned pack",
            "paket yang belum ditandatangani tidak dapat dibaca");
    if (sha256_hex(*bytes) != p.sha256)
        return failure("the unsigned pack changed on the server's disk since it was made: make "
                       "a new one",
            "paket yang belum ditandatangani berubah di disk server sejak dibuat: buat paket "
            "baru");
    // Checked here first for a clear message (publish_signed_pack checks again).
    if (auto v = minisign::verify(*bytes, signature, *key); !v.ok())
        return failure("refused: the signature does not verify with the public key the kiosks "
                       "use: "
                + v.error().message,
            "ditolak: tanda tangan tidak cocok dengan kunci publik yang dipakai anjungan: "
                + v.error().message);
    auto sources = read_snapshot(db, p.version);
    if (!sources.ok())
        return failure(sources.error(), "cannot read the sources", "sumber tidak dapat dibaca");
    // publish_signed_pack writes the snapshot again inside its transaction.
    auto published = publish_signed_pack(db, s, p.path, signature,
        PublicationRecord {by, Signing::Offline, p.restored_from}, &*sources, now);
    if (!published.ok())
        return published;
    (void)clear_pending_pack(db);
    std::error_code ec;
    fs::remove(p.path, ec);
    return published;
}

// ---- the register ----

namespace {

std::vector<std::string> const& register_columns() {
    static std::vector<std::string> const columns {"nomor", "jenis", "dokumen", "mitra", "perihal",
        "bidang", "ruang_lingkup", "tanggal_ttd", "mulai", "berakhir", "pelaksana", "keterangan"};
    return columns;
}

std::string* field_of(AgreementFields& a, std::string const& column) {
    std::pair<char const*, std::string*> const map[] {{"nomor", &a.nomor}, {"jenis", &a.jenis},
        {"dokumen", &a.dokumen}, {"mitra", &a.mitra}, {"perihal", &a.perihal},
        {"bidang", &a.bidang}, {"ruang_lingkup", &a.ruang_lingkup}, {"tanggal_ttd", &a.tanggal_ttd},
        {"mulai", &a.mulai}, {"berakhir", &a.berakhir}, {"pelaksana", &a.pelaksana},
        {"keterangan", &a.keterangan}};
    for (auto const& [name, ptr] : map)
        if (column == name)
            return ptr;
    return nullptr;
}

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(std::string const& s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos)
        return "";
    size_t b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

void append_cell(std::string& out, std::string const& f) {
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
        out += f;
        return;
    }
    out += '"';
    for (char c : f) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

std::string* monitoring_field_of(AgreementMonitoring& m, std::string const& column) {
    std::pair<char const*, std::string*> const map[] {{"status_pelaksanaan", &m.status_pelaksanaan},
        {"tanggal_evaluasi", &m.tanggal_evaluasi}, {"ringkasan_evaluasi", &m.ringkasan_evaluasi},
        {"penanggung_jawab", &m.penanggung_jawab}};
    for (auto const& [name, ptr] : map)
        if (column == name)
            return ptr;
    return nullptr;
}

std::vector<std::string> const& monitoring_columns() {
    static std::vector<std::string> const columns {
        "status_pelaksanaan", "tanggal_evaluasi", "ringkasan_evaluasi", "penanggung_jawab"};
    return columns;
}

std::optional<size_t> column_index(csv::Table const& table, std::string const& c) {
    if (table.records.empty())
        return std::nullopt;
    auto const& header = table.records[0].fields;
    auto it = std::find_if(
        header.begin(), header.end(), [&](std::string const& h) { return lower(trim(h)) == c; });
    if (it == header.end())
        return std::nullopt;
    return static_cast<size_t>(it - header.begin());
}

std::string csv_text_of(csv::Table const& table) {
    std::string out;
    for (auto const& rec : table.records) {
        for (size_t i = 0; i < rec.fields.size(); ++i) {
            if (i)
                out += ',';
            append_cell(out, rec.fields[i]);
        }
        out += '\n';
    }
    return out;
}

struct ParsedRegister {
    csv::Table table;
    std::vector<size_t> index; // column of each register column in the file
};

ContentResult<ParsedRegister> parse_register(std::string const& text) {
    ParsedRegister p;
    p.table = csv::parse(text);
    if (!p.table.problems.empty()) {
        auto const& pr = p.table.problems.front();
        return failure("agreements.csv line " + std::to_string(pr.line) + ": " + pr.message,
            "agreements.csv baris " + std::to_string(pr.line) + ": " + pr.message_id);
    }
    if (p.table.records.empty())
        return p;
    auto const& header = p.table.records[0].fields;
    for (auto const& c : register_columns()) {
        auto it = std::find_if(header.begin(), header.end(),
            [&](std::string const& h) { return lower(trim(h)) == c; });
        if (it == header.end())
            return failure("agreements.csv has no column '" + c + "': upload a corrected file",
                "agreements.csv tidak memiliki kolom '" + c + "': unggah berkas yang benar");
        p.index.push_back(static_cast<size_t>(it - header.begin()));
    }
    return p;
}

} // namespace

ContentResult<RegisterUpload> upload_register(
    Conn& db, std::string_view bytes, std::string const& by, int64_t now) {
    if (bytes.size() > (4u << 20))
        return failure("the file is larger than 4 MiB", "berkas lebih besar dari 4 MiB");
    auto converted = spreadsheet::to_comma_utf8(bytes);
    if (!converted.problems.empty()) {
        ContentFailure f = failure("the file cannot be read as a spreadsheet export (CSV)",
            "berkas tidak dapat dibaca sebagai ekspor lembar kerja (CSV)");
        for (auto const& p : converted.problems)
            f.problems.push_back({"agreements.csv", p.line, p.message, p.message_id, {}});
        return f;
    }
    if (converted.csv.find_first_not_of(" \t\r\n") == std::string::npos)
        return failure("the file is empty", "berkasnya kosong");
    size_t rows = csv::parse(converted.csv).records.size();
    if (auto r = put_draft_file(db, "agreements.csv", converted.csv, by, now); !r.ok())
        return failure(r.error(), "cannot store the register", "daftar tidak dapat disimpan");
    return RegisterUpload {converted.encoding, converted.separator, rows ? rows - 1 : 0};
}

ContentResult<std::vector<AgreementRow>> list_agreements(Conn& db) {
    auto text = read_draft_file(db, "agreements.csv");
    if (!text.ok())
        return failure(text.error(), "cannot read the register", "daftar tidak dapat dibaca");
    std::vector<AgreementRow> out;
    if (!*text)
        return out;
    auto parsed = parse_register(**text);
    if (!parsed.ok())
        return parsed.failure();
    auto const& recs = parsed->table.records;
    for (size_t r = 1; r < recs.size(); ++r) {
        AgreementRow row;
        row.line = recs[r].line;
        for (size_t c = 0; c < register_columns().size(); ++c) {
            size_t i = parsed->index[c];
            if (i < recs[r].fields.size())
                *field_of(row.fields, register_columns()[c]) = recs[r].fields[i];
        }
        for (auto const& c : monitoring_columns())
            if (auto i = column_index(parsed->table, c); i && *i < recs[r].fields.size())
                *monitoring_field_of(row.monitoring, c) = recs[r].fields[*i];
        out.push_back(std::move(row));
    }
    return out;
}

ContentResult<std::vector<FieldProblem>> save_agreement(Conn& db, AgreementFields const& in,
    std::string const& original_nomor, std::string const& by, int64_t now) {
    AgreementFields a = in;
    for (auto const& c : register_columns())
        *field_of(a, c) = trim(*field_of(a, c));
    std::vector<FieldProblem> problems;
    for (char const* c : {"nomor", "mitra", "perihal", "pelaksana"})
        if (field_of(a, c)->empty())
            problems.push_back(
                {c, std::string("'") + c + "' is empty", std::string("'") + c + "' wajib diisi"});
    if (auto const* k = find_kind(a.jenis))
        a.jenis = std::string(k->code);
    else
        problems.push_back({"jenis", "choose a kind of cooperation", "pilih jenis kerja sama"});
    if (auto const* d = find_document_type(a.dokumen))
        a.dokumen = std::string(d->code);
    else
        problems.push_back({"dokumen", "choose a document type", "pilih jenis dokumen"});
    if (auto const* sct = find_sector(a.bidang))
        a.bidang = std::string(sct->code);
    else
        problems.push_back({"bidang", "choose a sector", "pilih bidang"});
    for (char const* c : {"tanggal_ttd", "mulai", "berakhir"})
        if (!parse_date(*field_of(a, c)))
            problems.push_back({c, "not a date (YYYY-MM-DD)", "bukan tanggal (TTTT-BB-HH)"});
    auto text = read_draft_file(db, "agreements.csv");
    if (!text.ok())
        return failure(text.error(), "cannot read the register", "daftar tidak dapat dibaca");
    std::string csv_text = text->value_or("");
    if (csv_text.find_first_not_of(" \t\r\n") == std::string::npos) {
        csv_text.clear();
        for (size_t c = 0; c < register_columns().size(); ++c)
            csv_text += (c ? "," : "") + register_columns()[c];
        csv_text += "\n";
    }
    auto parsed = parse_register(csv_text);
    if (!parsed.ok())
        return parsed.failure();
    auto& recs = parsed->table.records;
    size_t target = 0; // 0: a new row
    for (size_t r = 1; r < recs.size(); ++r) {
        size_t i = parsed->index[0];
        std::string nomor = i < recs[r].fields.size() ? trim(recs[r].fields[i]) : "";
        if (!original_nomor.empty() && nomor == original_nomor)
            target = r;
        else if (!a.nomor.empty() && nomor == a.nomor)
            problems.push_back({"nomor", "another agreement has this number",
                "nomor ini sudah dipakai kesepakatan lain"});
    }
    if (!original_nomor.empty() && target == 0)
        problems.push_back(
            {"nomor", "the agreement " + original_nomor + " is no longer in the register",
                "kesepakatan " + original_nomor + " sudah tidak ada di daftar"});
    if (!problems.empty())
        return problems;
    std::vector<std::string> fields(recs[0].fields.size());
    if (target)
        fields = recs[target].fields;
    fields.resize(recs[0].fields.size());
    for (size_t c = 0; c < register_columns().size(); ++c)
        fields[parsed->index[c]] = *field_of(a, register_columns()[c]);
    if (target)
        recs[target].fields = fields;
    else
        recs.push_back({0, fields});
    std::string out;
    for (auto const& rec : recs) {
        for (size_t i = 0; i < rec.fields.size(); ++i) {
            if (i)
                out += ',';
            append_cell(out, rec.fields[i]);
        }
        out += '\n';
    }
    if (auto r = put_draft_file(db, "agreements.csv", out, by, now); !r.ok())
        return failure(r.error(), "cannot store the register", "daftar tidak dapat disimpan");
    return problems;
}

ContentResult<Done> set_agreement_monitoring(Conn& db, std::string const& nomor,
    AgreementMonitoring const& monitoring, std::string const& by, int64_t now) {
    auto text = read_draft_file(db, "agreements.csv");
    if (!text.ok())
        return failure(text.error(), "cannot read the register", "daftar tidak dapat dibaca");
    auto parsed = parse_register(text->value_or(""));
    if (!parsed.ok())
        return parsed.failure();
    auto& recs = parsed->table.records;
    size_t target = 0;
    for (size_t r = 1; r < recs.size() && !target; ++r) {
        size_t i = parsed->index[0];
        if (i < recs[r].fields.size() && trim(recs[r].fields[i]) == nomor)
            target = r;
    }
    if (!target)
        return failure("the agreement " + nomor + " is not in the register",
            "kesepakatan " + nomor + " tidak ada di daftar");
    for (auto const& c : monitoring_columns()) {
        auto i = column_index(parsed->table, c);
        if (!i) {
            // A new column: the header gets it, every row an empty cell.
            for (auto& rec : recs)
                rec.fields.resize(recs[0].fields.size());
            recs[0].fields.push_back(c);
            i = recs[0].fields.size() - 1;
        }
        recs[target].fields.resize(recs[0].fields.size());
        AgreementMonitoring copy = monitoring;
        recs[target].fields[*i] = *monitoring_field_of(copy, c);
    }
    for (auto& rec : recs)
        if (rec.fields.size() < recs[0].fields.size())
            rec.fields.resize(recs[0].fields.size());
    if (auto r = put_draft_file(db, "agreements.csv", csv_text_of(parsed->table), by, now); !r.ok())
        return failure(r.error(), "cannot store the register", "daftar tidak dapat disimpan");
    return Done {};
}

} // namespace ksd::server
