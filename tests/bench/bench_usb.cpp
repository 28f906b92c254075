// Issue 14, queue export by USB: 10,000 queued requests written by the real `ksd-sync export`,
// imported by the real `ksd-server tickets import` (all new, then again: all duplicates), and the
// acknowledgement applied by `ksd-sync import-ack`. File sizes and wall times of each command.
#include "bench.h"
#include "test_support.h"

#include "ksd/device_db.h"
#include "ksd/tickets.h"

#include <ctime>
#include <filesystem>
#include <iostream>

namespace ksd::bench {

namespace {

using ksd::test::capture;
using ksd::test::TempDir;

std::string shq(std::string const& s) {
    return "'" + s + "'";
}

// A request with every text field filled as a visitor typically does. Names and questions are
// drawn from word lists (a fixed LCG), so the compressed size is not flattered by one repeated
// text.
TicketInput usb_visitor(int i) {
    static char const* const first[] = {"Siti", "Budi", "Agus", "Dewi", "Rina", "Joko", "Made",
        "Putu", "Yohanes", "Fitri", "Hendra", "Nur", "Wayan", "Maria", "Rizky", "Ayu"};
    static char const* const last[] = {"Aminah", "Santoso", "Wijaya", "Lestari", "Saputra",
        "Hidayat", "Siregar", "Nainggolan", "Pratama", "Kurniawan", "Rahmawati", "Sihombing"};
    static char const* const words[] = {"bagaimana", "alur", "kerja", "sama", "dengan", "daerah",
        "lain", "untuk", "pengelolaan", "pelabuhan", "objek", "wisata", "desa", "dokumen", "apa",
        "saja", "perlu", "disiapkan", "kapan", "jadwal", "rapat", "TKKSD", "anggaran", "jalan",
        "air", "bersih", "sekolah", "puskesmas", "pasar", "perjanjian", "berakhir", "perpanjangan",
        "tahun", "ini", "kami", "mohon", "informasi", "tentang", "bantuan", "irigasi", "sawah"};
    uint64_t r = 0x9E3779B97F4A7C15ull * uint64_t(i + 1);
    auto next = [&r](size_t n) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<size_t>((r >> 33) % n);
    };
    TicketInput in;
    in.category = "Masyarakat umum";
    in.topic = "Kerja sama daerah";
    in.sector = "Pariwisata";
    in.name = std::string(first[next(std::size(first))]) + " " + last[next(std::size(last))];
    in.phone = "+62812" + std::to_string(10000000 + next(89999999));
    in.email = "warga" + std::to_string(next(1000000)) + "@contoh.go.id";
    int const n_words = 12 + static_cast<int>(next(30));
    for (int w = 0; w < n_words; ++w)
        in.question += std::string(w ? " " : "") + words[next(std::size(words))];
    in.question += "?";
    in.consent_version = "2026-1";
    return in;
}

} // namespace

void run_usb_benchmarks(Options const& options, Report& report) {
    int const n = options.smoke ? 20 : 10000;
    std::string const server_bin = KSD_SERVER_BIN;
    std::string const sync_bin = KSD_SYNC_BIN;
    TempDir dir;
    std::string const device = dir / "device.db";
    std::string const server_db = dir / "server.db";
    std::string const stick = dir / "stick";
    std::filesystem::create_directories(stick);
    auto token_out
        = capture(server_bin + " --db " + shq(server_db) + " kiosk add kiosk-1 2>/dev/null");
    auto keys_out = capture(server_bin + " --db " + shq(server_db) + " keys 2>/dev/null");
    auto at = keys_out.text.find("server_public_key = \"");
    if (token_out.status != 0 || keys_out.status != 0 || at == std::string::npos) {
        std::cerr << "bench usb: cannot set up the server\n";
        return;
    }
    std::string const token = token_out.text.substr(0, token_out.text.find('\n'));
    ksd::test::spit(dir / "sync.toml",
        "[usb]\nserver_public_key = \"" + keys_out.text.substr(at + 21, 64) + "\"\n");
    {
        auto db = open_device_db(device);
        if (!db || !db->exec("PRAGMA synchronous = OFF").ok()) {
            std::cerr << "bench usb: cannot create the device database\n";
            return;
        }
        int64_t const now = static_cast<int64_t>(std::time(nullptr));
        for (int i = 0; i < n; ++i)
            if (!save_ticket(*db, usb_visitor(i), "kiosk-1", WallClock {now, true}).ok()) {
                std::cerr << "bench usb: cannot save a ticket\n";
                return;
            }
    }
    std::string const agent = sync_bin + " --config " + shq(dir / "sync.toml")
        + " --technician-config " + shq(dir / "none.toml") + " --db " + shq(device) + " --token "
        + shq(token) + " ";
    std::string const label = std::to_string(n) + " requests";

    auto start = std::chrono::steady_clock::now();
    auto exported = capture("KSD_LOG_LEVEL=warn " + agent + "export --to " + shq(stick));
    double const export_ms = ms_since(start);
    std::string const file = exported.text.substr(0, exported.text.find('\n'));
    if (exported.status != 0 || !std::filesystem::exists(file)) {
        std::cerr << "bench usb: export failed: " << exported.text << "\n";
        return;
    }
    double const size = static_cast<double>(std::filesystem::file_size(file));
    report.add({"usb", "export " + label + ": ksd-sync export", export_ms, "ms", "", {}});
    report.add({"usb", "export " + label + ": file size", size / 1024.0, "KiB", "", {}});
    report.add({"usb", "export: bytes per request", size / n, "B", "", {}});

    std::string const import = "KSD_LOG_LEVEL=warn " + server_bin + " --db " + shq(server_db)
        + " tickets import " + shq(file) + " --ack-out " + shq(dir / "ack.ksda");
    start = std::chrono::steady_clock::now();
    auto imported = capture(import);
    double const import_ms = ms_since(start);
    start = std::chrono::steady_clock::now();
    auto again = capture(import);
    double const again_ms = ms_since(start);
    if (imported.status != 0 || again.status != 0) {
        std::cerr << "bench usb: import failed: " << imported.text << again.text << "\n";
        return;
    }
    report.add({"usb", "import " + label + " (all new)", import_ms, "ms", "", {}});
    report.add({"usb", "import " + label + " again (duplicates)", again_ms, "ms", "", {}});
    report.add({"usb", "acknowledgement file size",
        static_cast<double>(std::filesystem::file_size(dir / "ack.ksda")) / 1024.0, "KiB", "", {}});

    start = std::chrono::steady_clock::now();
    auto applied = capture("KSD_LOG_LEVEL=warn " + agent + "import-ack " + shq(dir / "ack.ksda"));
    double const apply_ms = ms_since(start);
    if (applied.status != 0) {
        std::cerr << "bench usb: import-ack failed: " << applied.text << "\n";
        return;
    }
    report.add({"usb", "import-ack " + label, apply_ms, "ms", "", {}});
}

} // namespace ksd::bench
