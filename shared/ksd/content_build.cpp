// The content builder: read every source file, validate it into an in-memory model collecting
// all problems, then (only when there are none) write the SQLite pack into a temporary file and
// rename it into place.
#include "ksd/content_build.h"

#include "ksd/content_pack.h"
#include "ksd/csv.h"
#include "ksd/db.h"
#include "ksd/files.h"
#include "ksd/image_header.h"
#include "ksd/markdown.h"
#include "ksd/pack_schema.h"
#include "ksd/spreadsheet.h"
#include "ksd/taxonomy.h"
#include "ksd/ticket_qr.h"
#include "ksd/utf8.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sodium.h>
#include <toml++/toml.h>

namespace fs = std::filesystem;

namespace ksd {

std::string Diagnostic::format() const {
    return line ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
}

std::string Diagnostic::text(Lang lang) const {
    switch (lang) {
    case Lang::Id:
        return message_id.empty() ? message : message_id;
    case Lang::En:
        return message;
    }
    return message;
}

int64_t version_from_time(int64_t t) {
    Date d = Date::from_days(t >= 0 ? t / 86400 : (t - 86399) / 86400);
    int64_t secs = t - d.days() * 86400;
    return ((static_cast<int64_t>(d.year) * 100 + d.month) * 100 + d.day) * 1000000
        + (secs / 3600) * 10000 + (secs / 60 % 60) * 100 + secs % 60;
}

std::optional<int64_t> time_from_version(int64_t version) {
    if (version < 19700101000000 || version > 99991231235959)
        return std::nullopt;
    int64_t hms = version % 1000000, ymd = version / 1000000;
    int h = int(hms / 10000), mi = int(hms / 100 % 100), s = int(hms % 100);
    int y = int(ymd / 10000), mo = int(ymd / 100 % 100), d = int(ymd % 100);
    if (h > 23 || mi > 59 || s > 59 || !is_valid_date(y, mo, d))
        return std::nullopt;
    return Date {y, mo, d}.days() * 86400 + h * 3600 + mi * 60 + s;
}

namespace {

constexpr size_t max_text_file = 4u << 20;
constexpr size_t max_image_file = 2u << 20;
constexpr size_t max_agreements = 100000;

// Longest text per kind of field, in characters (content/FORMAT.md lists them). A title is a
// line or two on a 800x480 screen, not 20,000 characters: the kiosk lays out what it is given.
namespace limit {
constexpr size_t code = 64; // ids, kinds, icons, sectors, page references
constexpr size_t title = 200; // titles, names, labels, partners, agencies
constexpr size_t line = 500; // summaries, highlights, questions, roles, hours, addresses
constexpr size_t contact = 254; // phone and WhatsApp numbers, e-mail addresses
constexpr size_t url = 2000;
constexpr size_t markdown = 50000; // Markdown bodies inside TOML (answers, potential)
constexpr size_t evaluation = 2000; // an agreement's last evaluation (ringkasan_evaluasi)
} // namespace limit

struct Diags {
    std::vector<Diagnostic> list;
    // Every problem in English (ksd-content, logs) and in Bahasa Indonesia (the staff's web
    // pages); field names the agreements.csv column or TOML key when there is one.
    void add(std::string const& file, size_t line, std::string en, std::string id,
        std::string field = {}) {
        list.push_back({file, line, std::move(en), std::move(id), std::move(field)});
    }
};

bool valid_id(std::string_view id) {
    if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-')
        return false;
    return std::all_of(id.begin(), id.end(),
        [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string trim(std::string_view s) {
    while (!s.empty()
        && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (
        !s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return std::string(s);
}

std::string lower(std::string s) {
    for (auto& c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

size_t line_of(toml::node const& n) {
    return n.source().begin.line;
}

// A reference from content to something that must exist (page, section, image), checked once
// everything is loaded.
struct Reference {
    std::string file;
    size_t line;
    std::string target; // "page:x", "section:x", "images/y.png", "https://..."
};

// Reads the keys of one TOML table, reporting wrong types, missing keys and, at the end,
// keys nobody asked for (usually typos).
class Fields {
public:
    Fields(toml::table const& table, std::string file, size_t line, Diags& diags)
        : m_table(table)
        , m_file(std::move(file))
        , m_line(line)
        , m_diags(diags) { }

    std::optional<std::string> text(std::string const& key, bool required, size_t max_chars) {
        m_used.insert(key);
        auto const* node = m_table.get(key);
        if (!node) {
            if (required)
                m_diags.add(m_file, m_line, "missing '" + key + "'", "'" + key + "' belum diisi",
                    m_prefix + key);
            return std::nullopt;
        }
        auto const* s = node->as_string();
        if (!s) {
            m_diags.add(m_file, line_of(*node), "'" + key + "' must be text in quotes",
                "'" + key + "' harus berupa teks di antara tanda kutip", m_prefix + key);
            return std::nullopt;
        }
        std::string v = trim(s->get());
        if (v.empty() && required) {
            m_diags.add(m_file, line_of(*node), "'" + key + "' is empty", "'" + key + "' kosong",
                m_prefix + key);
            return std::nullopt;
        }
        if (!within_limit(m_prefix + key, v, max_chars, line_of(*node)))
            return std::nullopt;
        return v;
    }

    // key.id and key.en; a missing language is a missing translation.
    std::optional<Localized> localized(std::string const& key, bool required, size_t max_chars) {
        m_used.insert(key);
        auto const* node = m_table.get(key);
        if (!node) {
            if (required)
                m_diags.add(m_file, m_line, "missing '" + key + ".id' and '" + key + ".en'",
                    "'" + key + ".id' dan '" + key + ".en' belum diisi", key);
            return std::nullopt;
        }
        auto const* t = node->as_table();
        if (!t) {
            m_diags.add(m_file, line_of(*node),
                "'" + key + "' must have two texts: '" + key + ".id' (Bahasa Indonesia) and '" + key
                    + ".en' (English)",
                "'" + key + "' harus berisi dua teks: '" + key + ".id' (Bahasa Indonesia) dan '"
                    + key + ".en' (Inggris)",
                key);
            return std::nullopt;
        }
        Fields sub(*t, m_file, line_of(*node), m_diags);
        sub.m_prefix = key + ".";
        Localized out;
        bool ok = true;
        for (auto [lang, name, dest] :
            {std::tuple {"id", "Indonesian", &out.id}, std::tuple {"en", "English", &out.en}}) {
            sub.m_used.insert(lang);
            auto const* v = t->get(lang);
            if (!v) {
                m_diags.add(m_file, line_of(*node),
                    std::string("missing translation: no ") + name + " text '" + key + "." + lang
                        + "'",
                    std::string("terjemahan belum ada: teks ")
                        + (std::string_view(lang) == "id" ? "Bahasa Indonesia" : "bahasa Inggris")
                        + " '" + key + "." + lang + "' tidak ada",
                    key + "." + lang);
                ok = false;
                continue;
            }
            auto const* s = v->as_string();
            if (!s || trim(s->get()).empty()) {
                m_diags.add(m_file, line_of(*v),
                    "'" + key + "." + lang + "' must be non-empty text in quotes",
                    "'" + key + "." + lang
                        + "' harus berupa teks yang tidak kosong di antara tanda kutip",
                    key + "." + lang);
                ok = false;
                continue;
            }
            *dest = trim(s->get());
            if (!within_limit(key + "." + lang, *dest, max_chars, line_of(*v)))
                ok = false;
        }
        sub.finish();
        if (!ok)
            return std::nullopt;
        return out;
    }

    std::optional<int64_t> integer(std::string const& key, bool required) {
        m_used.insert(key);
        auto const* node = m_table.get(key);
        if (!node) {
            if (required)
                m_diags.add(m_file, m_line, "missing '" + key + "'", "'" + key + "' belum diisi",
                    m_prefix + key);
            return std::nullopt;
        }
        auto const* i = node->as_integer();
        if (!i) {
            m_diags.add(m_file, line_of(*node), "'" + key + "' must be a whole number",
                "'" + key + "' harus berupa bilangan bulat", m_prefix + key);
            return std::nullopt;
        }
        return i->get();
    }

    std::optional<bool> boolean(std::string const& key) {
        m_used.insert(key);
        auto const* node = m_table.get(key);
        if (!node)
            return std::nullopt;
        auto const* b = node->as_boolean();
        if (!b) {
            m_diags.add(m_file, line_of(*node), "'" + key + "' must be true or false",
                "'" + key + "' harus true atau false", m_prefix + key);
            return std::nullopt;
        }
        return b->get();
    }

    toml::array const* array(std::string const& key) {
        m_used.insert(key);
        auto const* node = m_table.get(key);
        if (!node)
            return nullptr;
        auto const* a = node->as_array();
        if (!a)
            m_diags.add(m_file, line_of(*node),
                "'" + key + "' must be a list of [[" + key + "]] entries",
                "'" + key + "' harus berupa daftar entri [[" + key + "]]", key);
        return a;
    }

    toml::table const* table(std::string const& key, bool required) {
        m_used.insert(key);
        auto const* node = m_table.get(key);
        if (!node) {
            if (required)
                m_diags.add(
                    m_file, m_line, "missing [" + key + "]", "bagian [" + key + "] tidak ada", key);
            return nullptr;
        }
        auto const* t = node->as_table();
        if (!t)
            m_diags.add(m_file, line_of(*node), "'" + key + "' must be a table [" + key + "]",
                "'" + key + "' harus berupa tabel [" + key + "]", key);
        return t;
    }

    void finish() {
        for (auto const& [k, v] : m_table) {
            std::string key(k.str());
            if (!m_used.count(key))
                m_diags.add(m_file, line_of(v), "unknown key '" + m_prefix + key + "'",
                    "kunci '" + m_prefix + key + "' tidak dikenal (salah ketik?)", m_prefix + key);
        }
    }

    std::string const& file() const { return m_file; }
    size_t line() const { return m_line; }

private:
    bool within_limit(std::string const& key, std::string const& v, size_t max_chars, size_t line) {
        size_t n = utf8::length(v);
        if (n <= max_chars)
            return true;
        m_diags.add(m_file, line,
            "'" + key + "' has " + std::to_string(n) + " characters, more than the limit of "
                + std::to_string(max_chars),
            "'" + key + "' berisi " + std::to_string(n) + " karakter, melebihi batas "
                + std::to_string(max_chars),
            key);
        return false;
    }

    toml::table const& m_table;
    std::string m_file;
    size_t m_line;
    Diags& m_diags;
    std::set<std::string> m_used;
    std::string m_prefix;
};

// ---- the model ----

struct SectionSrc {
    std::string id, kind, icon;
    Localized title;
};

struct PageLinkSrc {
    std::string label;
    std::string url;
};

struct PageSrc {
    std::string id, section, title, summary, markdown, file;
    int64_t order {0};
    std::vector<PageLinkSrc> links;
};

struct AgreementSrc {
    size_t line;
    std::string number, kind, doc_type, partner, subject, sector, scope, agency, notes;
    Date signed_on, start, end;
    // Monitoring (optional columns): nullopt/empty when the register has none.
    std::optional<ImplementationState> implementation;
    std::optional<Date> evaluated_on;
    std::string evaluation, responsible_unit;
    bool has_monitoring() const {
        return implementation || evaluated_on || !evaluation.empty() || !responsible_unit.empty();
    }
};

struct PotentialSrc {
    std::string id, sector, location;
    Localized title, summary, body;
};

struct ContactSrc {
    std::string id, phone, whatsapp, email, address, url;
    Localized name, role, hours, whatsapp_text;
};

struct FaqSrc {
    std::string id;
    Localized question, answer;
};

struct Model {
    bool demo {false};
    Localized institution_name, institution_parent;
    std::string address, logo;
    std::vector<SectionSrc> sections;
    std::vector<Highlight> highlights;
    size_t highlights_line {0};
    std::vector<std::pair<size_t, std::string>> highlight_pages; // line, page id
    std::map<std::string, std::map<std::string, PageSrc>> pages; // id -> lang -> page
    std::vector<AgreementSrc> agreements;
    std::vector<PotentialSrc> potential;
    std::vector<ContactSrc> contacts;
    std::vector<FaqSrc> faq;
    std::map<std::string, std::string> assets; // name -> bytes
    std::vector<Reference> references;
    std::vector<std::pair<std::string, std::string>> sources; // relative path, bytes (for the hash)
};

class Loader {
public:
    Loader(std::string dir, Diags& diags)
        : m_dir(std::move(dir))
        , m_diags(diags) { }

    Model load() {
        load_images();
        load_site();
        load_pages();
        load_agreements();
        load_potential();
        load_contacts();
        load_faq();
        check_references();
        return std::move(m_model);
    }

private:
    // How a source file is written: by hand as UTF-8 (pages, TOML), or saved by a spreadsheet,
    // whose "CSV" may be semicolon-separated Windows-1252 (Excel set to Indonesian).
    enum class Written { ByHand, BySpreadsheet };

    // Reads a text file: size cap, UTF-8 check. Records it for the source hash. A spreadsheet's
    // file is first read as the staff's upload page reads it (ksd/spreadsheet.h): whatever its
    // encoding and separator, it goes on as comma-separated UTF-8.
    std::optional<std::string> read_text(
        std::string const& rel, bool required, Written written = Written::ByHand) {
        std::string path = m_dir + "/" + rel;
        if (!file_exists(path)) {
            if (required)
                m_diags.add(rel, 0, "file is missing", "berkas tidak ada");
            return std::nullopt;
        }
        auto r = read_file(path, max_text_file);
        if (!r.ok()) {
            m_diags.add(
                rel, 0, r.error().message, "berkas tidak dapat dibaca: " + r.error().message);
            return std::nullopt;
        }
        std::string text = r.release_value();
        switch (written) {
        case Written::ByHand:
            break;
        case Written::BySpreadsheet: {
            // Stored comma-separated (a pack's sources go back to the server's drafts as they
            // are). A file that cannot be converted is only decoded: the register's own reading
            // then names every problem, not just the first.
            auto converted = spreadsheet::to_comma_utf8(text);
            text = converted.problems.empty() ? std::move(converted.csv)
                                              : spreadsheet::decode_text(text).text;
            break;
        }
        }
        if (auto bad = utf8::first_invalid(text)) {
            m_diags.add(rel, utf8::line_of_offset(text, *bad),
                "invalid UTF-8 at byte " + std::to_string(*bad) + " (save the file as UTF-8)",
                "bukan UTF-8 yang sah pada bita ke-" + std::to_string(*bad)
                    + " (simpan berkas sebagai UTF-8)");
            return std::nullopt;
        }
        m_model.sources.push_back({rel, text});
        return text;
    }

    std::optional<toml::table> parse_toml(
        std::string const& rel, std::string const& text, size_t line_offset = 0) {
        try {
            return toml::parse(text, rel);
        } catch (toml::parse_error const& e) {
            m_diags.add(rel, e.source().begin.line + line_offset,
                "not valid TOML: " + std::string(e.description()),
                "penulisan TOML tidak sah: " + std::string(e.description()));
            return std::nullopt;
        }
    }

    void check_markdown(std::string const& rel, size_t first_line, std::string const& markdown) {
        auto doc = md::parse(markdown);
        for (auto const& link : doc.links)
            m_model.references.push_back(
                {rel, first_line + (link.line ? link.line - 1 : 0), link.href});
    }

    void load_images() {
        std::string dir = m_dir + "/images";
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            return;
        std::vector<fs::path> files;
        for (auto const& e : fs::directory_iterator(dir, ec))
            files.push_back(e.path());
        std::sort(files.begin(), files.end());
        for (auto const& p : files) {
            std::string rel = "images/" + p.filename().string();
            if (fs::is_symlink(p, ec) || !fs::is_regular_file(p, ec)) {
                m_diags.add(rel, 0,
                    "not a regular file (links and folders are not allowed in images/)",
                    "bukan berkas biasa (tautan dan folder tidak boleh ada di images/)");
                continue;
            }
            std::string ext = lower(p.extension().string());
            if (ext != ".png" && ext != ".jpg" && ext != ".jpeg") {
                m_diags.add(rel, 0, "only .png and .jpg images are supported",
                    "hanya gambar .png dan .jpg yang didukung");
                continue;
            }
            auto r = read_file(p.string(), max_image_file);
            if (!r.ok()) {
                m_diags.add(
                    rel, 0, r.error().message, "berkas tidak dapat dibaca: " + r.error().message);
                continue;
            }
            std::string bytes = r.release_value();
            ImageFormat want = ext == ".png" ? ImageFormat::Png : ImageFormat::Jpeg;
            auto header = read_image_header(bytes);
            if (!header.ok() || header->format != want) {
                m_diags.add(rel, 0,
                    std::string("the file is not a ") + image_format_name(want) + " image"
                        + (header.ok() ? "" : " (" + header.error().message + ")"),
                    std::string("berkas ini bukan gambar ") + image_format_name(want)
                        + (header.ok() ? "" : " (" + header.error().message + ")"));
                continue;
            }
            // The size from the header, before anything decodes it: the kiosk would need
            // width x height x 4 bytes of memory for it.
            if (auto checked = check_image(bytes); !checked.ok()) {
                m_diags.add(rel, 0, checked.error().message + "; make it smaller",
                    "gambar terlalu besar (" + checked.error().message + "); perkecil gambarnya");
                m_refused_images.insert(rel); // named once, not again as a broken link
                continue;
            }
            m_model.sources.push_back({rel, bytes});
            m_model.assets[rel] = std::move(bytes);
        }
    }

    void load_site() {
        std::string const rel = "site.toml";
        auto text = read_text(rel, true);
        if (!text)
            return;
        auto table = parse_toml(rel, *text);
        if (!table)
            return;
        Fields f(*table, rel, 1, m_diags);
        m_model.demo = f.boolean("demo").value_or(false);
        if (auto const* inst = f.table("institution", true)) {
            Fields i(*inst, rel, line_of(*inst), m_diags);
            if (auto v = i.localized("name", true, limit::title))
                m_model.institution_name = *v;
            if (auto v = i.localized("parent", true, limit::title))
                m_model.institution_parent = *v;
            m_model.address = i.text("address", true, limit::line).value_or("");
            if (auto logo = i.text("logo", false, limit::title)) {
                m_model.logo = *logo;
                m_model.references.push_back({rel, line_of(*inst), *logo});
            }
            i.finish();
        }
        static std::set<std::string> const kinds {
            "pages", "register", "potential", "faq", "contacts"};
        static std::set<std::string> const icons {
            "info", "steps", "register", "potential", "documents", "faq", "contacts"};
        std::set<std::string> seen;
        if (auto const* sections = f.array("sections")) {
            for (auto const& node : *sections) {
                auto const* t = node.as_table();
                if (!t) {
                    m_diags.add(rel, line_of(node), "each [[sections]] entry must be a table",
                        "setiap entri [[sections]] harus berupa tabel");
                    continue;
                }
                Fields s(*t, rel, line_of(node), m_diags);
                SectionSrc sec;
                sec.id = s.text("id", true, limit::code).value_or("");
                sec.kind = s.text("kind", true, limit::code).value_or("");
                sec.icon = s.text("icon", true, limit::code).value_or("");
                auto title = s.localized("title", true, limit::title);
                s.finish();
                if (!sec.id.empty() && !valid_id(sec.id))
                    m_diags.add(rel, line_of(node),
                        "section id '" + sec.id + "' must use lower-case letters, digits and '-'",
                        "id bagian '" + sec.id + "' hanya boleh berisi huruf kecil, angka dan '-'",
                        "id");
                if (!sec.id.empty() && !seen.insert(sec.id).second)
                    m_diags.add(rel, line_of(node), "duplicate section id '" + sec.id + "'",
                        "id bagian '" + sec.id + "' dipakai dua kali", "id");
                if (!sec.kind.empty() && !kinds.count(sec.kind))
                    m_diags.add(rel, line_of(node),
                        "unknown section kind '" + sec.kind
                            + "' (expected pages, register, potential, faq or contacts)",
                        "jenis bagian '" + sec.kind
                            + "' tidak dikenal (pilih pages, register, potential, faq atau "
                              "contacts)",
                        "kind");
                if (!sec.icon.empty() && !icons.count(sec.icon))
                    m_diags.add(rel, line_of(node),
                        "unknown icon '" + sec.icon
                            + "' (expected info, steps, register, potential, documents, faq or "
                              "contacts)",
                        "ikon '" + sec.icon
                            + "' tidak dikenal (pilih info, steps, register, potential, "
                              "documents, faq atau contacts)",
                        "icon");
                if (title)
                    sec.title = *title;
                m_model.sections.push_back(std::move(sec));
            }
        }
        if (m_model.sections.empty())
            m_diags.add(rel, 1, "no [[sections]]: the home screen would be empty",
                "tidak ada [[sections]]: layar beranda akan kosong");
        if (auto const* hl = f.array("highlights")) {
            for (auto const& node : *hl) {
                auto const* t = node.as_table();
                if (!t) {
                    m_diags.add(rel, line_of(node), "each [[highlights]] entry must be a table",
                        "setiap entri [[highlights]] harus berupa tabel");
                    continue;
                }
                Fields h(*t, rel, line_of(node), m_diags);
                Highlight out;
                if (auto v = h.localized("text", true, limit::line))
                    out.text = *v;
                out.page = h.text("page", false, limit::code).value_or("");
                h.finish();
                if (!out.page.empty())
                    m_model.references.push_back({rel, line_of(node), "page:" + out.page});
                m_model.highlights.push_back(std::move(out));
            }
        }
        f.finish();
    }

    void load_pages() {
        std::string dir = m_dir + "/pages";
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            m_diags.add("pages", 0, "folder is missing", "folder tidak ada");
            return;
        }
        std::vector<std::string> names;
        for (auto const& e : fs::directory_iterator(dir, ec))
            names.push_back(e.path().filename().string());
        std::sort(names.begin(), names.end());
        for (auto const& name : names) {
            std::string rel = "pages/" + name;
            if (name.size() < 7 || name.substr(name.size() - 3) != ".md"
                || (name.substr(name.size() - 6, 3) != ".id"
                    && name.substr(name.size() - 6, 3) != ".en")) {
                m_diags.add(rel, 0,
                    "a page file is named ID.id.md (Bahasa Indonesia) or ID.en.md (English)",
                    "nama berkas halaman harus ID.id.md (Bahasa Indonesia) atau ID.en.md "
                    "(Inggris)");
                continue;
            }
            std::string stem = name.substr(0, name.size() - 6);
            std::string lang = name.substr(name.size() - 5, 2);
            if (!valid_id(stem)) {
                m_diags.add(rel, 0,
                    "page id '" + stem + "' must use lower-case letters, digits and '-'",
                    "id halaman '" + stem + "' hanya boleh berisi huruf kecil, angka dan '-'");
                continue;
            }
            auto text = read_text(rel, true);
            if (!text)
                continue;
            load_page(rel, stem, lang, *text);
        }
        // Translations must be complete and agree.
        for (auto const& [id, langs] : m_model.pages) {
            for (auto const* lang : {"id", "en"}) {
                if (!langs.count(lang)) {
                    auto const& other = langs.begin()->second;
                    m_diags.add(other.file, 0,
                        std::string("missing translation: no pages/") + id + "." + lang + ".md",
                        std::string("terjemahan belum ada: pages/") + id + "." + lang
                            + ".md tidak ada");
                }
            }
            if (langs.size() == 2) {
                auto const& a = langs.at("id");
                auto const& b = langs.at("en");
                if (a.section != b.section || a.order != b.order)
                    m_diags.add(b.file, 1, "section and order must be the same as in " + a.file,
                        "section dan order harus sama dengan di " + a.file);
                if (a.links.size() != b.links.size())
                    m_diags.add(b.file, 1,
                        "has " + std::to_string(b.links.size()) + " [[links]] but " + a.file
                            + " has " + std::to_string(a.links.size()),
                        "berisi " + std::to_string(b.links.size()) + " [[links]], sedangkan "
                            + a.file + " berisi " + std::to_string(a.links.size()));
            }
        }
    }

    void load_page(std::string const& rel, std::string const& stem, std::string const& lang,
        std::string const& text) {
        // Front matter: "+++" line, TOML, "+++" line.
        if (text.rfind("+++", 0) != 0) {
            m_diags.add(rel, 1,
                "a page starts with a '+++' line, then its TOML header, then another '+++' line",
                "halaman diawali baris '+++', lalu kepala TOML-nya, lalu satu baris '+++' lagi");
            return;
        }
        size_t header_start = text.find('\n');
        size_t close = text.find("\n+++", header_start == std::string::npos ? 0 : header_start);
        if (header_start == std::string::npos || close == std::string::npos) {
            m_diags.add(rel, 1, "the page header is not closed by a '+++' line",
                "kepala halaman tidak ditutup dengan baris '+++'");
            return;
        }
        std::string header = text.substr(header_start + 1, close - header_start);
        size_t body_start = text.find('\n', close + 1);
        std::string body = body_start == std::string::npos ? "" : text.substr(body_start + 1);
        size_t body_line = utf8::line_of_offset(
            text, body_start == std::string::npos ? text.size() : body_start + 1);
        auto table = parse_toml(rel, header, 1);
        if (!table)
            return;
        // toml++ counts lines from the header's first line; shift to file lines.
        Fields f(*table, rel, 1, m_diags);
        PageSrc p;
        p.file = rel;
        p.id = f.text("id", true, limit::code).value_or("");
        p.section = f.text("section", true, limit::code).value_or("");
        p.order = f.integer("order", true).value_or(0);
        p.title = f.text("title", true, limit::title).value_or("");
        p.summary = f.text("summary", false, limit::line).value_or("");
        if (auto const* links = f.array("links")) {
            for (auto const& node : *links) {
                size_t line = line_of(node) + 1;
                auto const* t = node.as_table();
                if (!t) {
                    m_diags.add(rel, line, "each [[links]] entry must be a table",
                        "setiap entri [[links]] harus berupa tabel");
                    continue;
                }
                Fields l(*t, rel, line, m_diags);
                PageLinkSrc link;
                link.label = l.text("label", true, limit::title).value_or("");
                auto wa = l.text("whatsapp", false, limit::contact);
                auto wa_text = l.text("text", false, limit::line);
                auto url = l.text("url", false, limit::url);
                l.finish();
                if (wa && url)
                    m_diags.add(rel, line, "a link has either 'whatsapp' or 'url', not both",
                        "tautan berisi 'whatsapp' atau 'url', tidak keduanya");
                else if (wa)
                    link.url = whatsapp_url(rel, line, *wa, wa_text.value_or(""));
                else if (url) {
                    if (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0)
                        m_diags.add(rel, line, "link url must start with https:// or http://",
                            "url tautan harus diawali https:// atau http://", "url");
                    link.url = *url;
                } else
                    m_diags.add(rel, line, "a link needs 'whatsapp' or 'url'",
                        "tautan memerlukan 'whatsapp' atau 'url'");
                p.links.push_back(std::move(link));
            }
        }
        f.finish();
        if (!p.id.empty() && p.id != stem)
            m_diags.add(rel, 2, "id '" + p.id + "' must be the file name's id '" + stem + "'",
                "id '" + p.id + "' harus sama dengan id pada nama berkas '" + stem + "'", "id");
        p.id = stem;
        p.markdown = body;
        check_markdown(rel, body_line, body);
        m_page_sections.push_back({rel, p.section});
        auto& slot = m_model.pages[stem];
        slot[lang] = std::move(p);
    }

    std::string whatsapp_url(
        std::string const& rel, size_t line, std::string const& number, std::string const& text) {
        auto url = whatsapp_link(number, text);
        if (!url)
            m_diags.add(rel, line,
                "whatsapp number '" + number
                    + "' must be in international form, e.g. +6281200000000",
                "nomor WhatsApp '" + number
                    + "' harus dalam bentuk internasional, misalnya +6281200000000",
                "whatsapp");
        return url.value_or("");
    }

    void load_agreements() {
        std::string const rel = "agreements.csv";
        auto text = read_text(rel, true, Written::BySpreadsheet);
        if (!text)
            return;
        char const sep = spreadsheet::detect_separator(*text);
        auto table = csv::parse(*text, sep);
        for (auto const& p : table.problems)
            m_diags.add(rel, p.line, p.message, p.message_id);
        if (table.records.empty()) {
            m_diags.add(rel, 1, "no header row", "baris judul kolom tidak ada");
            return;
        }
        static std::vector<std::string> const columns {"nomor", "jenis", "dokumen", "mitra",
            "perihal", "bidang", "ruang_lingkup", "tanggal_ttd", "mulai", "berakhir", "pelaksana",
            "keterangan"};
        // Monitoring and evaluation (monev): a register without these columns still builds.
        static std::vector<std::string> const optional_columns {
            "status_pelaksanaan", "tanggal_evaluasi", "ringkasan_evaluasi", "penanggung_jawab"};
        std::map<std::string, size_t> index;
        auto const& header = table.records[0];
        for (size_t i = 0; i < header.fields.size(); ++i) {
            std::string name = lower(trim(header.fields[i]));
            if (std::find(columns.begin(), columns.end(), name) == columns.end()
                && std::find(optional_columns.begin(), optional_columns.end(), name)
                    == optional_columns.end())
                m_diags.add(rel, header.line, "unknown column '" + header.fields[i] + "'",
                    "kolom '" + header.fields[i] + "' tidak dikenal", header.fields[i]);
            else if (!index.emplace(name, i).second)
                m_diags.add(rel, header.line, "column '" + name + "' appears twice",
                    "kolom '" + name + "' muncul dua kali", name);
        }
        bool header_ok = true;
        for (auto const& c : columns) {
            if (!index.count(c)) {
                m_diags.add(rel, header.line, "missing column '" + c + "'",
                    "kolom '" + c + "' tidak ada", c);
                header_ok = false;
            }
        }
        if (!header_ok)
            return;
        if (table.records.size() - 1 > max_agreements) {
            m_diags.add(rel, 0, "more than " + std::to_string(max_agreements) + " agreements",
                "lebih dari " + std::to_string(max_agreements) + " kesepakatan");
            return;
        }
        // Where the trailing optional columns begin (the header's size when none trails).
        size_t base = header.fields.size();
        while (base > 0
            && std::find(optional_columns.begin(), optional_columns.end(),
                   lower(trim(header.fields[base - 1])))
                != optional_columns.end())
            --base;
        std::map<std::string, size_t> numbers;
        for (size_t r = 1; r < table.records.size(); ++r) {
            auto const& rec = table.records[r];
            // A row may end where the trailing optional (monitoring) columns begin: rows written
            // before those columns were added to the header.
            bool const short_ok = base < header.fields.size() && rec.fields.size() == base;
            if (rec.fields.size() != header.fields.size() && !short_ok) {
                m_diags.add(rel, rec.line,
                    "row has " + std::to_string(rec.fields.size()) + " fields, the header has "
                        + std::to_string(base)
                        + (base < header.fields.size() ? " (" + std::to_string(header.fields.size())
                                    + " with the optional monitoring columns)"
                                                       : std::string())
                        + (sep == ';' ? " (a semicolon inside a value needs quotes)"
                                      : " (a comma inside a value needs quotes)"),
                    "baris ini berisi " + std::to_string(rec.fields.size())
                        + " kolom, baris judul berisi " + std::to_string(base)
                        + (base < header.fields.size() ? " (" + std::to_string(header.fields.size())
                                    + " dengan kolom monev yang opsional)"
                                                       : std::string())
                        + (sep == ';' ? " (titik koma di dalam isian perlu diapit tanda kutip)"
                                      : " (koma di dalam isian perlu diapit tanda kutip)"));
                continue;
            }
            auto get = [&](std::string const& c) {
                auto it = index.find(c);
                return it == index.end() || it->second >= rec.fields.size()
                    ? std::string()
                    : trim(rec.fields[it->second]);
            };
            AgreementSrc a;
            a.line = rec.line;
            bool ok = true;
            auto required = [&](std::string const& c, std::string& dest) {
                dest = get(c);
                if (dest.empty()) {
                    m_diags.add(rel, rec.line, "column '" + c + "' is empty",
                        "kolom '" + c + "' kosong", c);
                    ok = false;
                }
            };
            required("nomor", a.number);
            required("mitra", a.partner);
            required("perihal", a.subject);
            required("pelaksana", a.agency);
            // Shown as list titles; scope and notes have the CSV reader's limit per field.
            for (auto [c, max_chars] :
                {std::pair {"nomor", limit::title}, std::pair {"mitra", limit::title},
                    std::pair {"perihal", limit::line}, std::pair {"pelaksana", limit::title}}) {
                size_t n = utf8::length(get(c));
                if (n > max_chars) {
                    m_diags.add(rel, rec.line,
                        "column '" + std::string(c) + "' has " + std::to_string(n)
                            + " characters, more than the limit of " + std::to_string(max_chars),
                        "kolom '" + std::string(c) + "' berisi " + std::to_string(n)
                            + " karakter, melebihi batas " + std::to_string(max_chars),
                        c);
                    ok = false;
                }
            }
            a.scope = get("ruang_lingkup");
            a.notes = get("keterangan");
            std::string kind = get("jenis");
            if (auto const* t = find_kind(kind))
                a.kind = std::string(t->code);
            else {
                m_diags.add(rel, rec.line,
                    "unknown kind (jenis) '" + kind
                        + "': expected KSDD, KSDPK, Sinergi, KSDPL or KSDLL",
                    "jenis kerja sama '" + kind
                        + "' tidak dikenal: pilih KSDD, KSDPK, Sinergi, KSDPL atau KSDLL",
                    "jenis");
                ok = false;
            }
            std::string doc = get("dokumen");
            if (auto const* t = find_document_type(doc))
                a.doc_type = std::string(t->code);
            else {
                m_diags.add(rel, rec.line,
                    "unknown document type (dokumen) '" + doc + "': expected KB, PKS, NK or MoU",
                    "jenis dokumen '" + doc + "' tidak dikenal: pilih KB, PKS, NK atau MoU",
                    "dokumen");
                ok = false;
            }
            if (a.doc_type == "MoU" && !a.kind.empty() && a.kind != "KSDPL" && a.kind != "KSDLL") {
                m_diags.add(rel, rec.line,
                    "an MoU is only used with foreign partners (KSDPL, KSDLL), not " + a.kind,
                    "MoU hanya dipakai dengan mitra luar negeri (KSDPL, KSDLL), bukan " + a.kind,
                    "dokumen");
                ok = false;
            }
            if (a.doc_type == "NK" && !a.kind.empty() && a.kind != "Sinergi") {
                m_diags.add(rel, rec.line,
                    "a Nota Kesepakatan (NK) is only used for Sinergi, not " + a.kind,
                    "Nota Kesepakatan (NK) hanya dipakai untuk Sinergi, bukan " + a.kind,
                    "dokumen");
                ok = false;
            }
            std::string sector = get("bidang");
            if (auto const* t = find_sector(sector))
                a.sector = std::string(t->code);
            else {
                m_diags.add(rel, rec.line,
                    "unknown sector (bidang) '" + sector
                        + "': use one of the 32 codes in content/FORMAT.md",
                    "bidang '" + sector
                        + "' tidak dikenal: pakai salah satu dari 32 bidang urusan pemerintahan",
                    "bidang");
                ok = false;
            }
            auto date = [&](std::string const& c, Date& dest) {
                std::string v = get(c);
                if (auto d = parse_date(v))
                    dest = *d;
                else {
                    m_diags.add(rel, rec.line,
                        "column '" + c + "': '" + v
                            + "' is not a valid date (YYYY-MM-DD or DD/MM/YYYY)",
                        "kolom '" + c + "': '" + v
                            + "' bukan tanggal yang sah (TTTT-BB-HH atau HH/BB/TTTT)",
                        c);
                    ok = false;
                }
            };
            date("tanggal_ttd", a.signed_on);
            date("mulai", a.start);
            date("berakhir", a.end);
            ok = load_monitoring(rel, rec.line, get, a) && ok;
            if (ok && a.end < a.start) {
                m_diags.add(rel, rec.line,
                    "end date " + a.end.iso() + " is before the start date " + a.start.iso(),
                    "tanggal berakhir " + a.end.iso() + " sebelum tanggal mulai " + a.start.iso(),
                    "berakhir");
                ok = false;
            }
            if (ok && a.signed_on > a.end) {
                m_diags.add(rel, rec.line,
                    "signed on " + a.signed_on.iso() + ", after its end date " + a.end.iso(),
                    "ditandatangani " + a.signed_on.iso() + ", sesudah tanggal berakhirnya "
                        + a.end.iso(),
                    "tanggal_ttd");
                ok = false;
            }
            if (!a.number.empty()) {
                auto [it, fresh] = numbers.emplace(a.number, rec.line);
                if (!fresh) {
                    m_diags.add(rel, rec.line,
                        "duplicate number '" + a.number + "' (first on line "
                            + std::to_string(it->second) + ")",
                        "nomor '" + a.number + "' dipakai dua kali (pertama di baris "
                            + std::to_string(it->second) + ")",
                        "nomor");
                    ok = false;
                }
            }
            if (ok)
                m_model.agreements.push_back(std::move(a));
        }
    }

    // The optional monitoring columns of one row; false (with a message naming the row and the
    // column) on a bad value.
    template <typename Get>
    bool load_monitoring(std::string const& rel, size_t line, Get const& get, AgreementSrc& a) {
        bool ok = true;
        std::string state = get("status_pelaksanaan");
        if (!state.empty()) {
            a.implementation = parse_implementation_state(state);
            if (!a.implementation) {
                m_diags.add(rel, line,
                    "column 'status_pelaksanaan': unknown implementation state '" + state
                        + "': expected Belum dilaksanakan, Berjalan, Selesai or Terkendala "
                          "(or not_started, ongoing, done, hindered)",
                    "kolom 'status_pelaksanaan': status pelaksanaan '" + state
                        + "' tidak dikenal: pilih Belum dilaksanakan, Berjalan, Selesai atau "
                          "Terkendala",
                    "status_pelaksanaan");
                ok = false;
            }
        }
        std::string when = get("tanggal_evaluasi");
        if (!when.empty()) {
            a.evaluated_on = parse_date(when);
            if (!a.evaluated_on) {
                m_diags.add(rel, line,
                    "column 'tanggal_evaluasi': '" + when
                        + "' is not a valid date (YYYY-MM-DD or DD/MM/YYYY)",
                    "kolom 'tanggal_evaluasi': '" + when
                        + "' bukan tanggal yang sah (TTTT-BB-HH atau HH/BB/TTTT)",
                    "tanggal_evaluasi");
                ok = false;
            }
        }
        a.evaluation = get("ringkasan_evaluasi");
        a.responsible_unit = get("penanggung_jawab");
        for (auto [c, max_chars] : {std::pair {"ringkasan_evaluasi", limit::evaluation},
                 std::pair {"penanggung_jawab", limit::title}}) {
            size_t n = utf8::length(get(c));
            if (n > max_chars) {
                m_diags.add(rel, line,
                    "column '" + std::string(c) + "' has " + std::to_string(n)
                        + " characters, more than the limit of " + std::to_string(max_chars),
                    "kolom '" + std::string(c) + "' berisi " + std::to_string(n)
                        + " karakter, melebihi batas " + std::to_string(max_chars),
                    c);
                ok = false;
            }
        }
        if (!a.evaluation.empty() && when.empty()) {
            m_diags.add(rel, line,
                "column 'tanggal_evaluasi' is empty: an evaluation summary needs its date",
                "kolom 'tanggal_evaluasi' kosong: ringkasan evaluasi perlu tanggalnya",
                "tanggal_evaluasi");
            ok = false;
        }
        return ok;
    }

    // Iterates the [[name]] tables of a TOML file.
    template <typename F>
    void each_entry(std::string const& rel, std::string const& name, bool required, F&& fn) {
        auto text = read_text(rel, required);
        if (!text)
            return;
        auto table = parse_toml(rel, *text);
        if (!table)
            return;
        Fields top(*table, rel, 1, m_diags);
        std::set<std::string> ids;
        if (auto const* arr = top.array(name)) {
            for (auto const& node : *arr) {
                auto const* t = node.as_table();
                if (!t) {
                    m_diags.add(rel, line_of(node), "each [[" + name + "]] entry must be a table",
                        "setiap entri [[" + name + "]] harus berupa tabel");
                    continue;
                }
                Fields f(*t, rel, line_of(node), m_diags);
                std::string id = f.text("id", true, limit::code).value_or("");
                if (!id.empty() && !valid_id(id))
                    m_diags.add(rel, line_of(node),
                        "id '" + id + "' must use lower-case letters, digits and '-'",
                        "id '" + id + "' hanya boleh berisi huruf kecil, angka dan '-'", "id");
                else if (!id.empty() && !ids.insert(id).second)
                    m_diags.add(rel, line_of(node), "duplicate id '" + id + "'",
                        "id '" + id + "' dipakai dua kali", "id");
                fn(f, id);
                f.finish();
            }
        } else if (required) {
            m_diags.add(rel, 1, "no [[" + name + "]] entries", "tidak ada entri [[" + name + "]]");
        }
        top.finish();
    }

    void load_potential() {
        each_entry("potential.toml", "potential", false, [&](Fields& f, std::string const& id) {
            PotentialSrc p;
            p.id = id;
            std::string sector = f.text("sector", true, limit::code).value_or("");
            if (auto const* t = find_sector(sector))
                p.sector = std::string(t->code);
            else if (!sector.empty())
                m_diags.add(f.file(), f.line(), "unknown sector '" + sector + "'",
                    "bidang '" + sector + "' tidak dikenal", "sector");
            p.title = f.localized("title", true, limit::title).value_or(Localized {});
            p.summary = f.localized("summary", true, limit::line).value_or(Localized {});
            p.body = f.localized("body", true, limit::markdown).value_or(Localized {});
            p.location = f.text("location", false, limit::line).value_or("");
            check_markdown(f.file(), f.line(), p.body.id);
            check_markdown(f.file(), f.line(), p.body.en);
            m_model.potential.push_back(std::move(p));
        });
    }

    void load_contacts() {
        each_entry("contacts.toml", "contacts", true, [&](Fields& f, std::string const& id) {
            ContactSrc c;
            c.id = id;
            c.name = f.localized("name", true, limit::title).value_or(Localized {});
            c.role = f.localized("role", false, limit::line).value_or(Localized {});
            c.hours = f.localized("hours", false, limit::line).value_or(Localized {});
            c.whatsapp_text
                = f.localized("whatsapp_text", false, limit::line).value_or(Localized {});
            c.phone = f.text("phone", false, limit::contact).value_or("");
            c.whatsapp = f.text("whatsapp", false, limit::contact).value_or("");
            c.email = f.text("email", false, limit::contact).value_or("");
            c.address = f.text("address", false, limit::line).value_or("");
            c.url = f.text("url", false, limit::url).value_or("");
            if (!c.whatsapp.empty())
                (void)whatsapp_url(f.file(), f.line(), c.whatsapp, "");
            if (!c.email.empty()
                && (c.email.find('@') == std::string::npos
                    || c.email.find(' ') != std::string::npos))
                m_diags.add(f.file(), f.line(), "email '" + c.email + "' is not an e-mail address",
                    "email '" + c.email + "' bukan alamat e-mail", "email");
            if (!c.url.empty() && c.url.rfind("https://", 0) != 0 && c.url.rfind("http://", 0) != 0)
                m_diags.add(f.file(), f.line(), "url must start with https:// or http://",
                    "url harus diawali https:// atau http://", "url");
            if (c.phone.empty() && c.whatsapp.empty() && c.email.empty() && c.address.empty()
                && c.url.empty())
                m_diags.add(f.file(), f.line(),
                    "a contact needs at least one of phone, whatsapp, email, address, url",
                    "kontak memerlukan sedikitnya satu dari phone, whatsapp, email, address, url");
            m_model.contacts.push_back(std::move(c));
        });
    }

    void load_faq() {
        each_entry("faq.toml", "faq", true, [&](Fields& f, std::string const& id) {
            FaqSrc q;
            q.id = id;
            q.question = f.localized("question", true, limit::line).value_or(Localized {});
            q.answer = f.localized("answer", true, limit::markdown).value_or(Localized {});
            check_markdown(f.file(), f.line(), q.answer.id);
            check_markdown(f.file(), f.line(), q.answer.en);
            m_model.faq.push_back(std::move(q));
        });
    }

    void check_references() {
        std::map<std::string, std::string> section_kinds;
        for (auto const& s : m_model.sections)
            section_kinds[s.id] = s.kind;
        for (auto const& [rel, section] : m_page_sections) {
            if (section.empty())
                continue;
            auto it = section_kinds.find(section);
            if (it == section_kinds.end())
                m_diags.add(rel, 1, "section '" + section + "' is not in site.toml",
                    "bagian '" + section + "' tidak ada di site.toml", "section");
            else if (it->second != "pages")
                m_diags.add(rel, 1,
                    "section '" + section + "' is of kind '" + it->second + "', not 'pages'",
                    "bagian '" + section + "' berjenis '" + it->second + "', bukan 'pages'",
                    "section");
        }
        for (auto const& ref : m_model.references) {
            auto const& t = ref.target;
            if (t.rfind("page:", 0) == 0) {
                if (!m_model.pages.count(t.substr(5)))
                    m_diags.add(ref.file, ref.line, "broken link: no page '" + t.substr(5) + "'",
                        "tautan rusak: halaman '" + t.substr(5) + "' tidak ada");
            } else if (t.rfind("section:", 0) == 0) {
                if (!section_kinds.count(t.substr(8)))
                    m_diags.add(ref.file, ref.line, "broken link: no section '" + t.substr(8) + "'",
                        "tautan rusak: bagian '" + t.substr(8) + "' tidak ada");
            } else if (t.rfind("images/", 0) == 0) {
                if (!m_model.assets.count(t) && !m_refused_images.count(t))
                    m_diags.add(ref.file, ref.line, "broken link: no image '" + t + "'",
                        "tautan rusak: gambar '" + t + "' tidak ada");
            } else if (t.rfind("https://", 0) != 0 && t.rfind("http://", 0) != 0
                && t.rfind("mailto:", 0) != 0 && t.rfind("tel:", 0) != 0) {
                m_diags.add(ref.file, ref.line,
                    "link '" + t
                        + "' is neither page:ID, section:ID, images/NAME nor a web address",
                    "tautan '" + t + "' bukan page:ID, section:ID, images/NAME, maupun alamat web");
            }
        }
    }

    std::string m_dir;
    Diags& m_diags;
    Model m_model;
    std::vector<std::pair<std::string, std::string>> m_page_sections;
    std::set<std::string> m_refused_images;
};

std::string source_hash(Model& m) {
    std::sort(m.sources.begin(), m.sources.end());
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    for (auto const& [path, bytes] : m.sources) {
        std::string head = path + '\0' + std::to_string(bytes.size()) + '\0';
        crypto_hash_sha256_update(
            &st, reinterpret_cast<unsigned char const*>(head.data()), head.size());
        crypto_hash_sha256_update(
            &st, reinterpret_cast<unsigned char const*>(bytes.data()), bytes.size());
    }
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

Result<void> write_pack(
    Model const& m, std::string const& path, BuildStats const& stats, int64_t now) {
    TRY_RESULT(Db db, Db::open(path, OpenMode::ReadWriteCreate, Durability::Normal));
    // A pack is one self-contained file: no WAL beside it.
    TRY_VOID(db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"));
    TRY_VOID(db.exec(pack_schema_sql));
    // Format 1 without any monitoring, so that kiosks reading only format 1 still take the pack.
    bool const monitoring = std::any_of(m.agreements.begin(), m.agreements.end(),
        [](AgreementSrc const& a) { return a.has_monitoring(); });
    if (monitoring)
        TRY_VOID(db.exec(pack_schema_monitoring_sql));
    TRY_RESULT(auto tx, Transaction::begin(db));

    TRY_RESULT(auto meta, db.prepare("INSERT INTO meta(key, value) VALUES(?, ?)"));
    std::vector<std::pair<std::string, std::string>> kv {
        {"format_version", std::to_string(monitoring ? pack_format_version : 1)},
        {"content_version", std::to_string(stats.content_version)},
        {"build_time", std::to_string(now)},
        {"source_hash", stats.source_hash},
        {"demo", m.demo ? "1" : "0"},
        {"institution.name.id", m.institution_name.id},
        {"institution.name.en", m.institution_name.en},
        {"institution.parent.id", m.institution_parent.id},
        {"institution.parent.en", m.institution_parent.en},
        {"institution.address", m.address},
        {"institution.logo", m.logo},
    };
    for (auto const& [k, v] : kv)
        TRY_VOID(meta.bind_all(k, v).run());

    TRY_RESULT(auto sec, db.prepare("INSERT INTO sections VALUES(?, ?, ?, ?, ?, ?)"));
    int ord = 0;
    for (auto const& s : m.sections)
        TRY_VOID(sec.bind_all(ord++, s.id, s.kind, s.icon, s.title.id, s.title.en).run());
    TRY_RESULT(auto hl, db.prepare("INSERT INTO highlights VALUES(?, ?, ?, ?)"));
    ord = 0;
    for (auto const& h : m.highlights)
        TRY_VOID(hl.bind_all(ord++, h.text.id, h.text.en, h.page).run());

    TRY_RESULT(auto search,
        db.prepare(
            "INSERT INTO search(title, body, kind, ref, lang, rowid) VALUES(?, ?, ?, ?, ?, ?)"));
    int64_t next_id_doc = search_rowid_id_first;
    int64_t next_en_doc = search_rowid_en_first;
    auto doc_rowid
        = [&](std::string const& lang) { return lang == "id" ? next_id_doc++ : next_en_doc++; };
    TRY_RESULT(auto page, db.prepare("INSERT INTO pages VALUES(?, ?, ?, ?, ?, ?, ?)"));
    TRY_RESULT(auto link, db.prepare("INSERT INTO page_links VALUES(?, ?, ?, ?, ?)"));
    for (auto const& [id, langs] : m.pages) {
        for (auto const& [lang, p] : langs) {
            TRY_VOID(
                page.bind_all(id, lang, p.section, p.order, p.title, p.summary, p.markdown).run());
            int lo = 0;
            for (auto const& l : p.links)
                TRY_VOID(link.bind_all(id, lang, lo++, l.label, l.url).run());
            std::string body = p.summary + "\n" + md::plain_text(md::parse(p.markdown));
            TRY_VOID(search.bind_all(p.title, body, "page", id, lang, doc_rowid(lang)).run());
        }
    }

    TRY_RESULT(auto ag,
        db.prepare("INSERT INTO agreements VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    std::optional<Statement> mon;
    if (monitoring) {
        TRY_RESULT(auto st, db.prepare("INSERT INTO agreement_monitoring VALUES(?, ?, ?, ?, ?)"));
        mon.emplace(std::move(st));
    }
    // Ids follow the register's own order, newest first, so that id order is a useful order.
    std::vector<AgreementSrc const*> sorted;
    for (auto const& a : m.agreements)
        sorted.push_back(&a);
    std::stable_sort(sorted.begin(), sorted.end(), [](auto const* x, auto const* y) {
        return x->signed_on != y->signed_on ? x->signed_on > y->signed_on : x->number < y->number;
    });
    int64_t aid = 1;
    for (auto const* ap : sorted) {
        auto const& a = *ap;
        TRY_VOID(ag.bind_all(aid, a.number, a.kind, a.doc_type, a.partner, a.subject, a.sector,
                       a.scope, a.signed_on.iso(), a.start.iso(), a.end.iso(), a.agency, a.notes)
                     .run());
        if (mon && a.has_monitoring())
            TRY_VOID(mon->bind_all(aid,
                            a.implementation ? std::string(implementation_code(*a.implementation))
                                             : std::string(),
                            a.evaluated_on ? a.evaluated_on->iso() : std::string(), a.evaluation,
                            a.responsible_unit)
                         .run());
        auto const* kind = find_kind(a.kind);
        auto const* doc = find_document_type(a.doc_type);
        auto const* sector = find_sector(a.sector);
        std::string body = a.partner + "\n" + a.number + "\n" + a.scope + "\n" + a.agency + "\n"
            + a.notes + "\n" + a.kind + " " + std::string(kind->name_id) + " "
            + std::string(kind->name_en) + "\n" + std::string(doc->name_id) + " "
            + std::string(doc->name_en) + "\n" + std::string(sector->name_id) + " "
            + std::string(sector->name_en);
        TRY_VOID(search
                     .bind_all(a.subject, body, "agreement", std::to_string(aid), "*",
                         search_rowid_agreement_first + aid)
                     .run());
        ++aid;
    }

    TRY_RESULT(auto pot, db.prepare("INSERT INTO potential VALUES(?, ?, ?, ?, ?, ?, ?, ?)"));
    ord = 0;
    for (auto const& p : m.potential) {
        for (Lang l : {Lang::Id, Lang::En}) {
            std::string lang(lang_code(l));
            TRY_VOID(pot.bind_all(p.id, lang, ord, p.sector, p.title.get(l), p.summary.get(l),
                            p.body.get(l), p.location)
                         .run());
            std::string body = p.summary.get(l) + "\n" + md::plain_text(md::parse(p.body.get(l)))
                + "\n" + p.location;
            TRY_VOID(search.bind_all(p.title.get(l), body, "potential", p.id, lang, doc_rowid(lang))
                         .run());
        }
        ++ord;
    }

    TRY_RESULT(
        auto con, db.prepare("INSERT INTO contacts VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    ord = 0;
    for (auto const& c : m.contacts) {
        for (Lang l : {Lang::Id, Lang::En}) {
            // The number was checked when the sources were read.
            std::string wa_url = c.whatsapp.empty()
                ? ""
                : whatsapp_link(c.whatsapp, c.whatsapp_text.get(l)).value_or("");
            TRY_VOID(
                con.bind_all(c.id, std::string(lang_code(l)), ord, c.name.get(l), c.role.get(l),
                       c.phone, c.whatsapp, wa_url, c.email, c.address, c.hours.get(l), c.url)
                    .run());
        }
        ++ord;
    }

    TRY_RESULT(auto faq, db.prepare("INSERT INTO faq VALUES(?, ?, ?, ?, ?)"));
    ord = 0;
    for (auto const& q : m.faq) {
        for (Lang l : {Lang::Id, Lang::En}) {
            std::string lang(lang_code(l));
            TRY_VOID(faq.bind_all(q.id, lang, ord, q.question.get(l), q.answer.get(l)).run());
            TRY_VOID(search
                         .bind_all(q.question.get(l), md::plain_text(md::parse(q.answer.get(l))),
                             "faq", q.id, lang, doc_rowid(lang))
                         .run());
        }
        ++ord;
    }

    TRY_RESULT(auto asset, db.prepare("INSERT INTO assets VALUES(?, ?, ?)"));
    for (auto const& [name, bytes] : m.assets) {
        bool png = name.size() > 4 && lower(name.substr(name.size() - 4)) == ".png";
        asset.bind(1, name).bind(2, png ? "image/png" : "image/jpeg").bind_blob(3, bytes);
        TRY_VOID(asset.run());
    }
    TRY_VOID(db.exec("INSERT INTO search(search) VALUES('optimize')"));
    TRY_VOID(tx.commit());
    TRY_VOID(db.exec("VACUUM"));
    return {};
}

BuildResult validate(std::string const& source_dir, Model& model) {
    BuildResult result;
    Diags diags;
    std::error_code ec;
    if (!fs::is_directory(source_dir, ec)) {
        result.errors.push_back({source_dir, 0, "is not a folder", "bukan folder", {}});
        return result;
    }
    Loader loader(source_dir, diags);
    model = loader.load();
    result.errors = std::move(diags.list);
    result.stats.pages = static_cast<int>(model.pages.size());
    result.stats.agreements = static_cast<int>(model.agreements.size());
    result.stats.potential = static_cast<int>(model.potential.size());
    result.stats.contacts = static_cast<int>(model.contacts.size());
    result.stats.faq = static_cast<int>(model.faq.size());
    result.stats.assets = static_cast<int>(model.assets.size());
    result.stats.demo = model.demo;
    return result;
}

} // namespace

BuildResult check_content_sources(std::string const& source_dir) {
    Model model;
    return validate(source_dir, model);
}

BuildResult build_content_pack(BuildOptions const& options) {
    Model model;
    BuildResult result = validate(options.source_dir, model);
    if (!result.ok())
        return result;
    if (sodium_init() < 0) {
        result.errors.push_back({options.output_path, 0, "libsodium failed to initialise",
            "libsodium gagal dimulai", {}});
        return result;
    }
    result.stats.source_hash = source_hash(model);
    result.stats.content_version = options.content_version.value_or(version_from_time(options.now));
    std::string tmp = temp_path_beside(options.output_path);
    TempFileGuard guard(tmp);
    auto written = write_pack(model, tmp, result.stats, options.now);
    if (written.ok())
        written = fsync_path(tmp);
    if (written.ok())
        written = rename_durable(tmp, options.output_path);
    if (!written.ok()) {
        result.errors.push_back(
            {options.output_path, 0, "cannot write the pack: " + written.error().message,
                "paket tidak dapat ditulis: " + written.error().message, {}});
        return result;
    }
    guard.release();
    return result;
}

} // namespace ksd
