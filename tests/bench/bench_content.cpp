// Content benchmarks: a generated register of 10,000 agreements and 1,000 pages (each in two
// languages) is built with the real ksd-content binary; then search latency over fixed queries.
#include "bench.h"
#include "ksd/content_pack.h"
#include "ksd/taxonomy.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ksd::bench {

namespace {

std::vector<std::string> const words {"kelapa", "sawit", "perikanan", "pelabuhan", "pendidikan",
    "kesehatan", "jalan", "jembatan", "pariwisata", "mangrove", "gambut", "pelatihan", "petani",
    "nelayan", "koperasi", "investasi", "perjanjian", "kesepakatan", "pengelolaan", "pemberdayaan",
    "masyarakat", "desa", "sungai", "pesisir", "air", "bersih", "sampah", "energi", "surya",
    "beasiswa", "rumah", "sakit", "rujukan", "pasar", "ekspor", "kopra", "sabut", "tempurung",
    "bibit", "riset", "universitas", "data", "statistik"};

std::string sentence(std::mt19937& rng, int n) {
    std::string s;
    for (int i = 0; i < n; ++i) {
        if (i)
            s += ' ';
        s += words[rng() % words.size()];
    }
    return s;
}

// Writes a source tree: the project's site, FAQ, contacts and potential, plus generated pages
// and agreements.
void generate(std::string const& dir, int agreements, int pages) {
    std::string src = std::string(KSD_SOURCE_DIR) + "/content";
    fs::create_directories(dir + "/pages");
    for (auto const* f : {"site.toml", "faq.toml", "contacts.toml", "potential.toml"})
        fs::copy_file(src + "/" + f, dir + "/" + f);
    for (auto const& e : fs::directory_iterator(src + "/pages"))
        fs::copy_file(e.path(), dir + "/pages/" + e.path().filename().string());
    std::mt19937 rng(42);
    for (int p = 0; p < pages; ++p) {
        for (auto const* lang : {"id", "en"}) {
            std::ofstream out(dir + "/pages/gen-" + std::to_string(p) + "." + lang + ".md");
            out << "+++\nid = \"gen-" << p << "\"\nsection = \"dokumen\"\norder = " << 100 + p
                << "\ntitle = \"Halaman " << p << " " << sentence(rng, 3) << "\"\nsummary = \""
                << sentence(rng, 8) << "\"\n+++\n\n";
            for (int para = 0; para < 6; ++para)
                out << "## " << sentence(rng, 3) << "\n\n"
                    << sentence(rng, 60) << "\n\n- " << sentence(rng, 6) << "\n- "
                    << sentence(rng, 6) << "\n\n";
        }
    }
    std::ofstream csv(dir + "/agreements.csv");
    csv << "nomor,jenis,dokumen,mitra,perihal,bidang,ruang_lingkup,tanggal_ttd,mulai,berakhir,"
           "pelaksana,keterangan\n";
    auto kinds = agreement_kinds();
    auto sectors_list = sectors();
    for (int a = 0; a < agreements; ++a) {
        auto const& kind = kinds[rng() % kinds.size()];
        std::string doc = kind.code == "Sinergi" ? "NK" : (a % 3 ? "PKS" : "KB");
        int year = 2018 + static_cast<int>(rng() % 9);
        int month = 1 + static_cast<int>(rng() % 12);
        char start[16], end[16];
        std::snprintf(start, sizeof start, "%04d-%02d-01", year, month);
        std::snprintf(
            end, sizeof end, "%04d-%02d-28", year + 1 + static_cast<int>(rng() % 4), month);
        csv << "DEMO/GEN/" << a << "," << kind.code << "," << doc << ",Mitra Contoh " << a
            << " (fiktif)," << sentence(rng, 5) << ","
            << sectors_list[rng() % sectors_list.size()].code << ",\"" << sentence(rng, 12) << ", "
            << sentence(rng, 6) << "\"," << start << "," << start << "," << end << ",Dinas "
            << sentence(rng, 1) << ",DATA CONTOH\n";
    }
}

} // namespace

void run_content_benchmarks(Options const& options, Report& report) {
    int const agreements = options.smoke ? 50 : 10000;
    int const pages = options.smoke ? 10 : 1000;
    std::string dir
        = (fs::temp_directory_path() / ("ksd-bench-" + std::to_string(::getpid()))).string();
    fs::remove_all(dir);
    generate(dir + "/src", agreements, pages);
    std::string pack = dir + "/bench.pack";

    auto t0 = std::chrono::steady_clock::now();
    std::string cmd
        = std::string(KSD_CONTENT_BIN) + " build '" + dir + "/src' -o '" + pack + "' >/dev/null";
    int rc = std::system(cmd.c_str());
    double build_ms = ms_since(t0);
    if (rc != 0) {
        std::cerr << "ksd-bench: building the generated content failed: " << cmd << "\n";
        std::exit(1);
    }
    std::string label
        = std::to_string(agreements) + " agreements, " + std::to_string(pages) + " pages";
    report.add(
        {"content", "build (" + label + ")", build_ms / 1000.0, "s", "< 10 s", build_ms < 10000});
    report.add({"content", "pack size",
        static_cast<double>(fs::file_size(pack)) / (1024.0 * 1024.0), "MiB", "", std::nullopt});

    t0 = std::chrono::steady_clock::now();
    auto opened = ContentPack::open_unverified(pack);
    double open_ms = ms_since(t0);
    if (!opened.ok()) {
        std::cerr << "ksd-bench: " << opened.error().message << "\n";
        std::exit(1);
    }
    report.add({"content", "open pack", open_ms, "ms", "", std::nullopt});
    auto& p = opened.value();

    // What visitors type: whole words, prefixes while typing, two-word phrases, rare and common.
    std::vector<std::string> const queries {"kelapa", "k", "ke", "kel", "kela", "perj",
        "perjanjian", "sawit nelayan", "pendidikan", "kesehatan rujukan", "pel", "pelabuhan sungai",
        "mangrove", "gambut", "univ", "desa", "pariwisata pesisir", "KELAPA", "Kélapa",
        "data statistik", "mitra contoh 42", "dinas", "energi surya", "kopra ekspor"};
    int const rounds = options.smoke ? 2 : 30;
    std::vector<double> search_ms;
    std::vector<double> register_ms;
    for (int r = 0; r < rounds; ++r) {
        for (auto const& q : queries) {
            auto s0 = std::chrono::steady_clock::now();
            auto hits = p.search(q, r % 2 ? Lang::En : Lang::Id, 20);
            search_ms.push_back(ms_since(s0));
            if (!hits.ok()) {
                std::cerr << "ksd-bench: search failed: " << hits.error().message << "\n";
                std::exit(1);
            }
            AgreementFilter f;
            f.query = q;
            f.today = Date {2026, 11, 23};
            f.limit = 50;
            auto r0 = std::chrono::steady_clock::now();
            auto list = p.agreements(f);
            register_ms.push_back(ms_since(r0));
            if (!list.ok()) {
                std::cerr << "ksd-bench: register query failed: " << list.error().message << "\n";
                std::exit(1);
            }
        }
    }
    double p99 = percentile(search_ms, 99);
    report.add({"content", "search p50 (" + std::to_string(queries.size()) + " queries)",
        percentile(search_ms, 50), "ms", "", std::nullopt});
    report.add({"content", "search p99", p99, "ms", "< 5 ms", p99 < 5.0});
    report.add({"content", "register query as you type p50", percentile(register_ms, 50), "ms", "",
        std::nullopt});
    report.add({"content", "register query as you type p99", percentile(register_ms, 99), "ms", "",
        std::nullopt});
    if (std::getenv("KSD_BENCH_KEEP"))
        std::cerr << "ksd-bench: kept " << dir << "\n";
    else
        fs::remove_all(dir);
}

} // namespace ksd::bench
