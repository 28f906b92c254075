// ksd-content: the staff's tool to build, check, sign, verify, inspect and search content packs.
// Exit status: 0 success, 1 content or signature problems, 2 wrong usage.
#include "ksd/content_build.h"
#include "ksd/content_pack.h"
#include "ksd/files.h"
#include "ksd/main_guard.h"
#include "ksd/minisign.h"
#include "ksd/number.h"
#include "ksd/version.h"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <iostream>
#include <string>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <vector>

using namespace ksd;

namespace {

constexpr char const* usage = R"(Usage: ksd-content COMMAND ...

  build SRC -o PACK [--content-version N]
        Check the sources in SRC and build the content pack PACK. All problems are listed
        (file:line: problem); nothing is written unless there are none.
        The content version defaults to the build time (YYYYMMDDhhmmss, UTC); SOURCE_DATE_EPOCH
        sets the build time for reproducible builds.
  check SRC
        Check the sources only.
  sign PACK -s SECRET_KEY [-t TRUSTED_COMMENT]
        Write PACK.minisig. A password-protected key reads its password from KSD_SIGN_PASSWORD
        or asks on the terminal. Keys from `minisign -G` work, as does `minisign -Sm PACK`.
  verify PACK -p PUBLIC_KEY [-x SIGNATURE]
        Check PACK against PACK.minisig (or SIGNATURE).
  info PACK
        Show the pack's versions, demo flag and contents.
  search PACK QUERY [--lang id|en] [--limit N]
        Search as the kiosk does and print the ranked hits.
  keygen -p PUBLIC_KEY -s SECRET_KEY
        Make a key pair without a password (for tests and demos; for real use prefer
        `minisign -G`, which protects the secret key with a password).

Options: --help, --version
)";

int fail_usage(std::string const& message) {
    std::cerr << "ksd-content: " << message << "\n(see ksd-content --help)\n";
    return 2;
}

struct Args {
    std::vector<std::string> positional;
    std::vector<std::pair<std::string, std::string>> options;
    std::string error;

    std::string get(std::string const& name) const {
        for (auto const& [k, v] : options)
            if (k == name)
                return v;
        return {};
    }
    bool has(std::string const& name) const {
        for (auto const& [k, v] : options)
            if (k == name)
                return true;
        return false;
    }
};

Args parse_args(int argc, char** argv, int first, std::vector<std::string> const& with_value) {
    Args a;
    for (int i = first; i < argc; ++i) {
        std::string s = argv[i];
        bool takes = false;
        for (auto const& w : with_value)
            takes = takes || w == s;
        if (takes) {
            if (i + 1 >= argc) {
                a.error = "option " + s + " needs a value";
                return a;
            }
            a.options.push_back({s, argv[++i]});
        } else if (s.size() > 1 && s[0] == '-') {
            a.error = "unknown option " + s;
            return a;
        } else {
            a.positional.push_back(s);
        }
    }
    return a;
}

int64_t build_time() {
    if (char const* sde = std::getenv("SOURCE_DATE_EPOCH")) {
        if (auto v = ksd::parse_int<int64_t>(sde))
            return *v;
    }
    return static_cast<int64_t>(std::time(nullptr));
}

void print_stats(BuildStats const& s) {
    std::cout << "pages: " << s.pages << " (each in Bahasa Indonesia and English)\n"
              << "agreements: " << s.agreements << "\n"
              << "potential: " << s.potential << "\n"
              << "contacts: " << s.contacts << "\n"
              << "faq: " << s.faq << "\n"
              << "images: " << s.assets << "\n"
              << "demo: " << (s.demo ? "yes (screens show DATA CONTOH / DEMO DATA)" : "no") << "\n";
}

int print_errors(std::vector<Diagnostic> const& errors) {
    for (auto const& e : errors)
        std::cerr << e.format() << "\n";
    std::cerr << errors.size() << (errors.size() == 1 ? " problem" : " problems")
              << " found; no pack was written.\n";
    return 1;
}

int cmd_build(Args const& a) {
    if (a.positional.size() != 1 || a.get("-o").empty())
        return fail_usage("build needs SRC and -o PACK");
    BuildOptions o;
    o.source_dir = a.positional[0];
    o.output_path = a.get("-o");
    o.now = build_time();
    if (a.has("--content-version")) {
        std::string v = a.get("--content-version");
        auto n = ksd::parse_int<int64_t>(v);
        if (!n || *n <= 0)
            return fail_usage("--content-version needs a positive whole number");
        o.content_version = *n;
    }
    auto r = build_content_pack(o);
    if (!r.ok())
        return print_errors(r.errors);
    std::cout << "built " << o.output_path << ": content version " << r.stats.content_version
              << "\n";
    print_stats(r.stats);
    std::cout << "next: ksd-content sign " << o.output_path << " -s YOUR_SECRET_KEY\n";
    return 0;
}

int cmd_check(Args const& a) {
    if (a.positional.size() != 1)
        return fail_usage("check needs SRC");
    auto r = check_content_sources(a.positional[0]);
    if (!r.ok()) {
        for (auto const& e : r.errors)
            std::cerr << e.format() << "\n";
        std::cerr << r.errors.size() << (r.errors.size() == 1 ? " problem" : " problems")
                  << " found.\n";
        return 1;
    }
    std::cout << "no problems found\n";
    print_stats(r.stats);
    return 0;
}

Result<std::string> ask_password() {
    if (char const* env = std::getenv("KSD_SIGN_PASSWORD"))
        return std::string(env);
    if (!::isatty(0))
        return Error {"the secret key has a password: set KSD_SIGN_PASSWORD or run on a terminal"};
    std::cerr << "Password for the secret key: " << std::flush;
    termios old {};
    tcgetattr(0, &old);
    termios quiet = old;
    quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
    tcsetattr(0, TCSANOW, &quiet);
    std::string pw;
    std::getline(std::cin, pw);
    tcsetattr(0, TCSANOW, &old);
    std::cerr << "\n";
    return pw;
}

int cmd_sign(Args const& a) {
    if (a.positional.size() != 1 || a.get("-s").empty())
        return fail_usage("sign needs PACK and -s SECRET_KEY");
    std::string const& pack_path = a.positional[0];
    // Signing something that is not a readable pack would only fail later on a kiosk.
    auto pack = ContentPack::open_unverified(pack_path);
    if (!pack.ok()) {
        std::cerr << "ksd-content: " << pack.error().message << "\n";
        return 1;
    }
    auto key = minisign::load_secret_key(a.get("-s"), ask_password);
    if (!key.ok()) {
        std::cerr << "ksd-content: " << key.error().message << "\n";
        return 1;
    }
    auto bytes = read_file(pack_path, 1u << 30);
    if (!bytes.ok()) {
        std::cerr << "ksd-content: " << bytes.error().message << "\n";
        return 1;
    }
    std::string trusted = a.has("-t")
        ? a.get("-t")
        : "timestamp:" + std::to_string(build_time()) + "\tfile:" + basename_of(pack_path)
            + "\tcontent_version:" + std::to_string(pack->meta().content_version);
    auto sig = minisign::sign(*bytes, *key, trusted);
    if (!sig.ok()) {
        std::cerr << "ksd-content: " << sig.error().message << "\n";
        return 1;
    }
    auto w = write_file_atomic(pack_path + ".minisig", *sig);
    if (!w.ok()) {
        std::cerr << "ksd-content: " << w.error().message << "\n";
        return 1;
    }
    std::cout << "wrote " << pack_path << ".minisig\n";
    return 0;
}

int cmd_verify(Args const& a) {
    if (a.positional.size() != 1 || a.get("-p").empty())
        return fail_usage("verify needs PACK and -p PUBLIC_KEY");
    auto key = minisign::load_public_key(a.get("-p"));
    if (!key.ok()) {
        std::cerr << "ksd-content: " << key.error().message << "\n";
        return 1;
    }
    auto v = minisign::verify_file(a.positional[0], *key, a.get("-x"));
    if (!v.ok()) {
        std::cerr << "ksd-content: " << a.positional[0]
                  << ": signature NOT valid: " << v.error().message << "\n";
        return 1;
    }
    std::cout << "signature valid (key " << key->key_id_hex()
              << ")\ntrusted comment: " << v->trusted_comment << "\n";
    return 0;
}

int cmd_info(Args const& a) {
    if (a.positional.size() != 1)
        return fail_usage("info needs PACK");
    auto pack = ContentPack::open_unverified(a.positional[0]);
    if (!pack.ok()) {
        std::cerr << "ksd-content: " << pack.error().message << "\n";
        return 1;
    }
    auto const& m = pack->meta();
    std::time_t bt = static_cast<std::time_t>(m.build_time);
    char when[64];
    std::tm utc {};
    gmtime_r(&bt, &utc);
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", &utc);
    std::cout << "file: " << a.positional[0] << "\n"
              << "format version: " << m.format_version << "\n"
              << "content version: " << m.content_version << "\n"
              << "built: " << when << "\n"
              << "source hash: " << m.source_hash << "\n"
              << "demo: " << (m.demo ? "yes" : "no") << "\n"
              << "institution: " << pack->institution().name.id << "\n"
              << "signature: "
              << (file_exists(a.positional[0] + ".minisig") ? "present (check with verify)"
                                                            : "none")
              << "\n"
              << "sections:";
    for (auto const& s : pack->sections())
        std::cout << " " << s.id;
    AgreementFilter all;
    std::cout << "\nagreements: "
              << (pack->count_agreements(all).ok() ? pack->count_agreements(all).value() : 0)
              << "\n";
    return 0;
}

int cmd_search(Args const& a) {
    if (a.positional.size() != 2)
        return fail_usage("search needs PACK and QUERY");
    Lang lang = Lang::Id;
    if (a.has("--lang")) {
        auto l = parse_lang(a.get("--lang"));
        if (!l)
            return fail_usage("--lang is id or en");
        lang = *l;
    }
    int limit = 20;
    if (a.has("--limit"))
        limit = ksd::parse_int<int>(a.get("--limit")).value_or(0);
    if (limit <= 0 || limit > 1000)
        return fail_usage("--limit is a number from 1 to 1000");
    auto pack = ContentPack::open_unverified(a.positional[0]);
    if (!pack.ok()) {
        std::cerr << "ksd-content: " << pack.error().message << "\n";
        return 1;
    }
    auto hits = pack->search(a.positional[1], lang, limit);
    if (!hits.ok()) {
        std::cerr << "ksd-content: search failed: " << hits.error().message << "\n";
        return 1;
    }
    if (hits->empty()) {
        std::cout << "no results\n";
        return 0;
    }
    int n = 1;
    for (auto const& h : *hits) {
        char const* kind = h.kind == HitKind::Page ? "page"
            : h.kind == HitKind::Agreement         ? "agreement"
            : h.kind == HitKind::Potential         ? "potential"
                                                   : "faq";
        std::string snippet;
        for (char c : h.snippet)
            snippet += c == snippet_open ? "["
                : c == snippet_close     ? "]"
                                         : std::string(1, c == '\n' ? ' ' : c);
        char rank[32];
        std::snprintf(rank, sizeof rank, "%.3f", h.rank);
        std::cout << n++ << ". [" << kind << " " << h.ref << "] " << h.title << "  (rank " << rank
                  << ")\n   " << snippet << "\n";
    }
    return 0;
}

int cmd_keygen(Args const& a) {
    if (a.get("-p").empty() || a.get("-s").empty())
        return fail_usage("keygen needs -p PUBLIC_KEY and -s SECRET_KEY");
    if (file_exists(a.get("-s")))
        return fail_usage(a.get("-s") + " exists; not overwriting a secret key");
    auto pair = minisign::generate_key_pair();
    auto w = write_file_atomic(a.get("-p"), pair.public_key_file);
    if (w.ok())
        w = write_file_atomic(a.get("-s"), pair.secret_key_file);
    if (!w.ok()) {
        std::cerr << "ksd-content: " << w.error().message << "\n";
        return 1;
    }
    ::chmod(a.get("-s").c_str(), 0600);
    std::cout << "wrote " << a.get("-p") << " and " << a.get("-s")
              << " (no password: keep it off shared machines)\n";
    return 0;
}

int run(int argc, char** argv) {
    if (argc < 2)
        return fail_usage("no command");
    std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        std::cout << usage;
        return 0;
    }
    if (cmd == "--version") {
        std::cout << ksd::version_line("ksd-content") << "\ncontent pack format "
                  << pack_format_version << "\n";
        return 0;
    }
    Args a = parse_args(
        argc, argv, 2, {"-o", "-s", "-p", "-t", "-x", "--lang", "--limit", "--content-version"});
    if (!a.error.empty())
        return fail_usage(a.error);
    if (cmd == "build")
        return cmd_build(a);
    if (cmd == "check")
        return cmd_check(a);
    if (cmd == "sign")
        return cmd_sign(a);
    if (cmd == "verify")
        return cmd_verify(a);
    if (cmd == "info")
        return cmd_info(a);
    if (cmd == "search")
        return cmd_search(a);
    if (cmd == "keygen")
        return cmd_keygen(a);
    return fail_usage("unknown command '" + cmd + "'");
}

} // namespace

// What the code cannot turn into a message of its own (out of memory, a library's exception)
// still ends in one line and exit status 70 (EX_SOFTWARE), not in std::terminate's abort.
int main(int argc, char** argv) {
    return ksd::guarded_main("ksd-content", [&] { return run(argc, argv); });
}
