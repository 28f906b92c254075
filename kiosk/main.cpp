// ksd-kiosk: the full-screen touch app. Also renders screenshots, runs scripted visits and
// frame benchmarks without a display. Run with --help for the modes.
#include "app/memory_content.h"
#include "app/pack_content.h"
#include "app/script.h"
#include "ksd/clock.h"
#include "ksd/config.h"
#include "ksd/files.h"
#include "ksd/log.h"
#include "ksd/main_guard.h"
#include "ksd/number.h"
#include "ksd/office_hours.h"
#include "ksd/process.h"
#include "ksd/speech.h"
#include "ksd/staff_pin.h"
#include "ksd/technician_config.h"
#include "ksd/ticket_qr.h"
#include "ksd/version.h"
#include "platform/sdl_audio.h"
#include "platform/service_notify.h"
#include "shell/display_loop.h"
#include "shell/offscreen.h"
#include "shell/technician_display.h"
#include "shell/technician_render.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#ifndef KSD_VERSION
#define KSD_VERSION "dev"
#endif
#ifndef KSD_DEMO_PACK
#define KSD_DEMO_PACK ""
#endif
#ifndef KSD_DEMO_KEY
#define KSD_DEMO_KEY ""
#endif

using namespace kiosk;

namespace {

char const* usage = R"(Usage: ksd-kiosk [--config FILE] [--technician-config FILE]   run the kiosk
       ksd-kiosk --screenshot OUT.png --screen NAME --size WxH [--lang id|en] [--large-text]
                 [--high-contrast]
       ksd-kiosk --script FILE [--size WxH] [--out-dir DIR]   run a scripted visit (virtual clock)
       ksd-kiosk --bench-frames N --screen NAME --size WxH     print per-frame times (JSON lines)
         [--bench-import[-inline] PACK --out-dir DIR]     while PACK is imported (staff screen)
       ksd-kiosk --first-frame-exit [--config FILE]            exit after presenting the first frame
       ksd-kiosk --print-config                               print the config file with defaults
       ksd-kiosk --hash-pin < PIN                             print the hash for staff.pin_hash
Config:  --config FILE (e.g. /etc/ksd/kiosk.toml; none: a developer's window, built-in defaults)
         --technician-config FILE (default /boot/firmware/ksd.toml; missing is fine): its keys
         win over --config's; a bad value in either shows the technician's page (exit 78 in
         the offscreen modes and with --first-frame-exit)
Tickets: --device-db PATH   the device database (offscreen modes keep tickets in memory without it)
Content: --pack PATH [--key PUB | --no-verify]   (--no-verify: unsigned development packs only)
         --sample                                 the built-in fixed sample (tests, golden images)
         otherwise the config's pack, or without a config the build's signed demo pack
Screens: )";

ksd::ConfigSchema schema() {
    ksd::ConfigSchema s;
    s.string("content.pack", "/var/lib/ksd/content/ksd.pack", "The signed content pack to show.");
    s.string("content.public_key", "/etc/ksd/content.pub",
        "minisign public key that must have signed the pack.");
    s.integer("screen.width", 0, 0, 8192, "Window width; 0 takes the display's size.");
    s.integer("screen.height", 0, 0, 8192, "Window height; 0 takes the display's size.");
    s.boolean("screen.fullscreen", true, "Full screen (the Pi); false opens a window (a desktop).");
    s.choice("screen.rotation", "0", {"0", "90", "180", "270"},
        "Clockwise rotation of the picture; touch follows.");
    s.string("screen.video_driver", "",
        "SDL video driver (kmsdrm on the Pi, x11/wayland on a desktop); empty: SDL's choice.");
    s.integer("screen.drm_device_index", -1, -1, 9,
        "Which /dev/dri/cardN kmsdrm uses; -1: SDL's choice (a Pi 5 may need 1, and it can change "
        "between boots).");
    s.string("screen.diagonal_inches", "",
        "The panel's diagonal in inches, e.g. \"10.1\": text is sized so body capitals are 4 mm "
        "tall. Empty: assumed from the resolution (7\" up to 1024 px, 10.1\" up to 1280, 15.6\" up "
        "to 1440, else 21.5\").");
    s.check("screen.diagonal_inches", ksd::check_diagonal_inches);
    s.choice("ui.language", "id", {"id", "en"}, "Language a visit starts in.");
    s.integer("idle.seconds", 60, 10, 3600,
        "Quiet seconds before \"Masih di sana?\" (was ui.idle_seconds).");
    s.integer("idle.countdown_seconds", 15, 3, 120,
        "Seconds of countdown before returning to the attract screen (was "
        "ui.idle_countdown_seconds).");
    s.integer("idle.done_seconds", 180, 10, 3600,
        "Quiet seconds before \"Masih di sana?\" on the screen with the ticket code, so there is "
        "time to write it down, photograph it or scan its QR code.");
    s.string("ticket.status_url", "",
        "The public status page for a ticket, with {code} where the code goes, e.g. "
        "https://ksd.example.go.id/t/{code}: the ticket's QR code (screen and receipt) opens it. "
        "Empty: the QR code holds a WhatsApp message with the code to the office's WhatsApp "
        "number (the first contact with one in the content pack), or else the bare code.");
    s.string("contact.institution", "",
        "The office visitors can turn to, e.g. \"Bagian Kerja Sama, Setda Kabupaten Contoh\": "
        "shown with the keys below on the \"being updated\" screen (no usable content pack, "
        "so none of its contacts) and when requests cannot be taken.");
    s.string("contact.phone", "", "The office's phone number, e.g. \"(0768) 21000\".");
    s.string("contact.address", "", "The office's address.");
    s.string("contact.hours", "",
        "Office hours in words, e.g. \"Senin-Kamis 07.30-16.00, Jumat 07.30-11.30\".");
    s.string("time.timezone", "Asia/Jakarta",
        "The office's time zone (ksd.toml's time.timezone wins): the clock, dates and receipts "
        "(\"Asia/Jakarta\" WIB, \"Asia/Makassar\" WITA, \"Asia/Jayapura\" WIT).");
    s.string("fonts.dir", sdl::default_font_dir, "Directory holding the OpenSans-*.ttf files.");
    s.choice("log.level", "info", {"debug", "info", "warn", "error"}, "Log level.");
    s.string("device.id", "kiosk-dev",
        "This kiosk's id, as registered on the server (ksd-server kiosk add ID).");
    s.string("device.db", "/var/lib/ksd/device.db",
        "The device database: consultation tickets and device state (shared with ksd-sync).");
    s.string("printer.device", "",
        "ESC/POS receipt printer device, e.g. /dev/usb/lp0; empty: no printer, no receipt button.");
    s.integer(
        "printer.columns", 32, 24, 64, "Characters per line: 32 on 58 mm paper, 48 on 80 mm.");
    s.string("staff.pin_hash", "",
        "Argon2id hash of the staff PIN, made by `ksd-kiosk --hash-pin`; empty: no staff mode.");
    s.string("staff.usb_dirs", "/media",
        "Comma-separated directories where USB sticks are mounted (searched for *.pack).");
    s.boolean("speech.enabled", true,
        "The read-aloud button on articles, FAQ answers, agreement details and the request's "
        "steps; it shows only when a sound device and espeak-ng are there.");
    s.integer("speech.rate", 140, ksd::speech_min_rate, ksd::speech_max_rate,
        "Read-aloud speed in words per minute (espeak-ng -s; its own default, 175, is fast).");
    s.integer("speech.volume", 100, 0, ksd::speech_max_volume,
        "Read-aloud loudness, 0..200 (espeak-ng -a); 100 is espeak-ng's normal.");
    s.string(
        "speech.program", ksd::espeak_program, "The espeak-ng program (a name in PATH or a path).");
    s.integer("privacy.retention_days", 30, 1, 365,
        "Days after the server's acknowledgement before a ticket's personal data is purged.");
    s.string("power.office_hours", "",
        "When the lobby is open, e.g. \"mon-thu 07:30-16:00, fri 07:30-11:30\" (days mon..sun or "
        "sen..min, local time); outside them the screen is switched off and a touch wakes it. "
        "Empty: always on. Never off while the clock is not synchronised (NTP).");
    s.integer("power.wake_minutes", 5, 1, 60,
        "Minutes a touch lights the screen outside office hours (counted from the last touch).");
    // Reported with its line like any bad value (ksd.toml's screen.office_hours has the same
    // check).
    s.check("power.office_hours", [](std::string const& text) {
        auto hours = ksd::parse_office_hours(text);
        return hours.ok() ? std::string {} : hours.error().message;
    });
    return s;
}

struct Args {
    std::string config;
    std::string technician_config {ksd::technician_config_path};
    std::string screenshot;
    std::string screen {"home"};
    std::string script;
    std::string out_dir {"."};
    std::string pack;
    std::string key;
    std::string device_db;
    std::optional<ui::Size> size;
    std::optional<ksd::Lang> lang;
    bool no_verify {false};
    bool sample {false};
    bool large_text {false};
    bool high_contrast {false};
    bool first_frame_exit {false};
    bool print_config {false};
    bool hash_pin {false};
    int bench_frames {0};
    // --bench-import: a pack imported (into --out-dir) while the frames are drawn, on the worker
    // or, with --bench-import-inline, inside the first frame as before issue 13.
    std::string bench_import;
    EffectWait bench_import_wait {EffectWait::Background};
};

std::optional<ui::Size> parse_size(std::string const& s) {
    int w = 0, h = 0;
    char x = 0;
    std::istringstream in(s);
    if (!(in >> w >> x >> h) || (x != 'x' && x != 'X') || w < 100 || h < 100 || w > 8192
        || h > 8192)
        return std::nullopt;
    return ui::Size {w, h};
}

ksd::Result<Args> parse_args(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> ksd::Result<std::string> {
            if (i + 1 >= argc)
                return ksd::make_error(arg + " needs a value");
            return std::string(argv[++i]);
        };
        if (arg == "--help" || arg == "-h") {
            std::printf("%s", usage);
            for (auto const& n : screen_names())
                std::printf("%s ", n.c_str());
            std::printf("\n");
            std::exit(0);
        } else if (arg == "--version") {
            std::printf("%s\n", ksd::version_line("ksd-kiosk").c_str());
            std::exit(0);
        } else if (arg == "--config") {
            TRY_RESULT(a.config, value());
        } else if (arg == "--technician-config") {
            TRY_RESULT(a.technician_config, value());
        } else if (arg == "--screenshot") {
            TRY_RESULT(a.screenshot, value());
        } else if (arg == "--screen") {
            TRY_RESULT(a.screen, value());
        } else if (arg == "--script") {
            TRY_RESULT(a.script, value());
        } else if (arg == "--out-dir") {
            TRY_RESULT(a.out_dir, value());
        } else if (arg == "--pack") {
            TRY_RESULT(a.pack, value());
        } else if (arg == "--key") {
            TRY_RESULT(a.key, value());
        } else if (arg == "--device-db") {
            TRY_RESULT(a.device_db, value());
        } else if (arg == "--hash-pin") {
            a.hash_pin = true;
        } else if (arg == "--size") {
            TRY_RESULT(auto v, value());
            a.size = parse_size(v);
            if (!a.size)
                return ksd::make_error("--size wants WxH, e.g. 800x480");
        } else if (arg == "--lang") {
            TRY_RESULT(auto v, value());
            a.lang = ksd::parse_lang(v);
            if (!a.lang)
                return ksd::make_error("--lang wants id or en");
        } else if (arg == "--bench-frames") {
            TRY_RESULT(auto v, value());
            a.bench_frames = ksd::parse_int<int>(v).value_or(0);
            if (a.bench_frames <= 0)
                return ksd::make_error("--bench-frames wants a positive count");
        } else if (arg == "--bench-import" || arg == "--bench-import-inline") {
            TRY_RESULT(a.bench_import, value());
            a.bench_import_wait
                = arg == "--bench-import" ? EffectWait::Background : EffectWait::Settle;
        } else if (arg == "--no-verify") {
            a.no_verify = true;
        } else if (arg == "--sample") {
            a.sample = true;
        } else if (arg == "--large-text") {
            a.large_text = true;
        } else if (arg == "--high-contrast") {
            a.high_contrast = true;
        } else if (arg == "--first-frame-exit") {
            a.first_frame_exit = true;
        } else if (arg == "--print-config") {
            a.print_config = true;
        } else {
            return ksd::make_error("unknown option " + arg + " (see --help)");
        }
    }
    return a;
}

std::vector<std::string> split_list(std::string const& s) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos <= s.size()) {
        size_t comma = s.find(',', pos);
        std::string item
            = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        while (!item.empty() && item.front() == ' ')
            item.erase(0, 1);
        while (!item.empty() && item.back() == ' ')
            item.pop_back();
        if (!item.empty())
            out.push_back(item);
        if (comma == std::string::npos)
            break;
        pos = comma + 1;
    }
    return out;
}

// The office's zone from its name, at `now`, as the C library reads its zoneinfo file (an unknown
// name reads as UTC, so it is logged). Indonesia has no summer time: one offset serves the run.
ksd::Zone office_zone(std::string const& name, std::time_t now) {
    char const* had = std::getenv("TZ");
    std::string const saved = had ? had : "";
    setenv("TZ", (":" + name).c_str(), 1);
    tzset();
    std::tm tm {};
    localtime_r(&now, &tm);
    if (had)
        setenv("TZ", saved.c_str(), 1);
    else
        unsetenv("TZ");
    tzset();
    return ksd::Zone {int(tm.tm_gmtoff / 60)};
}

DeskConfig desk_config(ksd::Config const& cfg, Args const& args, std::string const& pack_path,
    std::string const& key_path) {
    DeskConfig d;
    d.db_path = args.device_db.empty() ? cfg.get_string("device.db") : args.device_db;
    d.kiosk_id = cfg.get_string("device.id");
    d.printer_device = cfg.get_string("printer.device");
    d.printer_columns = int(cfg.get_int("printer.columns"));
    d.pin_hash = cfg.get_string("staff.pin_hash");
    d.usb_dirs = split_list(cfg.get_string("staff.usb_dirs"));
    d.pack_path = pack_path;
    d.public_key_path = key_path;
    d.retention_seconds = cfg.get_int("privacy.retention_days") * 86400;
    d.zone = office_zone(cfg.get_string("time.timezone"), std::time(nullptr));
    return d;
}

int hash_pin_command() {
    std::string pin;
    std::getline(std::cin, pin);
    while (!pin.empty() && (pin.back() == '\r' || pin.back() == ' '))
        pin.pop_back();
    auto hash = ksd::hash_staff_pin(pin);
    if (!hash.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", hash.error().message.c_str());
        return 2;
    }
    std::printf("%s\n", hash->c_str());
    return 0;
}

// The read-aloud's sound (issue 14): none when turned off, without espeak-ng or without a sound
// device; then no screen shows the speaker button, and the log says why.
void set_up_speech(App& app, ksd::Config const& cfg) {
    if (!cfg.get_bool("speech.enabled")) {
        ksd::log::info("kiosk", "read-aloud: off (speech.enabled = false)");
        return;
    }
    std::string const& program = cfg.get_string("speech.program");
    if (!ksd::program_in_path(program)) {
        ksd::log::warn("kiosk", "read-aloud: no button: " + program + " is not installed");
        return;
    }
    auto speaker = sdl::SdlSpeaker::open();
    if (!speaker.ok()) {
        ksd::log::warn("kiosk", "read-aloud: no button: " + speaker.error().message);
        return;
    }
    app.set_speaker(speaker.release_value(),
        {int(cfg.get_int("speech.rate")), int(cfg.get_int("speech.volume"))}, program);
}

AppOptions app_options(ksd::Config const& cfg, Args const& args) {
    AppOptions o;
    o.default_lang = args.lang.value_or(*ksd::parse_lang(cfg.get_string("ui.language")));
    o.idle_timeout_ms = cfg.get_int("idle.seconds") * 1000;
    o.idle_countdown_ms = cfg.get_int("idle.countdown_seconds") * 1000;
    o.idle_done_ms = cfg.get_int("idle.done_seconds") * 1000;
    o.status_url = cfg.get_string("ticket.status_url");
    o.retention_days = int(cfg.get_int("privacy.retention_days"));
    o.office = {cfg.get_string("contact.institution"), cfg.get_string("contact.phone"),
        cfg.get_string("contact.address"), cfg.get_string("contact.hours")};
    o.zone = office_zone(cfg.get_string("time.timezone"), std::time(nullptr));
    ksd::log::info("kiosk", "time zone " + cfg.get_string("time.timezone") + ": " + o.zone.label());
    // Checked by the schema: "" or a number in range.
    o.panel_diagonal_inches
        = float(ksd::parse_double(cfg.get_string("screen.diagonal_inches")).value_or(0.0));
    return o;
}

// The content for the offscreen modes, in the order the usage text gives.
std::unique_ptr<Content> offscreen_content(
    Args const& args, ksd::Config const& cfg, bool have_config) {
    if (args.sample)
        return make_sample_content();
    std::string pack = args.pack, key = args.key;
    if (pack.empty() && have_config) {
        pack = cfg.get_string("content.pack");
        key = cfg.get_string("content.public_key");
    }
    if (pack.empty()) {
        pack = KSD_DEMO_PACK;
        if (key.empty())
            key = KSD_DEMO_KEY;
    }
    if (key.empty() && !args.no_verify)
        key = cfg.get_string("content.public_key");
    auto opened = open_pack(pack, key, args.no_verify ? Verify::None : Verify::Signature);
    if (!opened.ok()) {
        ksd::log::warn("kiosk", "content pack not usable (" + opened.error().message + ")");
        return nullptr;
    }
    return opened.release_value();
}

int run_offscreen(Args const& args, ksd::Config const& cfg, bool have_config) {
    ui::Size size = args.size.value_or(ui::Size {1280, 800});
    auto content = offscreen_content(args, cfg, have_config);
    if (!content && args.screen != "unavailable" && args.script.empty())
        ksd::log::warn("kiosk", "no content: showing the \"being updated\" screen");
    auto made = shell::Offscreen::create(
        size, std::move(content), app_options(cfg, args), cfg.get_string("fonts.dir"));
    if (!made.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", made.error().message.c_str());
        return 1;
    }
    auto& off = *made.value();
    Host& host = off.host();
    off.app().set_clock_trusted(true); // the fixed clock of scripts and screenshots
    // Only with --device-db: a screenshot or a script must never add its fictional visitor to
    // the real queue that a config file points to.
    if (!args.device_db.empty())
        off.app().set_desk(make_device_desk(desk_config(
            cfg, args, cfg.get_string("content.pack"), cfg.get_string("content.public_key"))));
    host.advance(0, fixed_unix_time);
    if (args.large_text)
        off.app().apply(act::ToggleTextSize {});
    if (args.high_contrast)
        off.app().apply(act::ToggleContrast {});

    if (!args.script.empty()) {
        auto text = ksd::read_file(args.script);
        if (!text.ok()) {
            std::fprintf(stderr, "ksd-kiosk: %s\n", text.error().message.c_str());
            return 1;
        }
        ScriptHooks hooks;
        hooks.screenshot = [&](std::string const& file) {
            std::string path = file.starts_with("/") ? file : args.out_dir + "/" + file;
            return off.canvas().save_png(path);
        };
        hooks.trace = [](int line, std::string const& t) {
            ksd::log::debug("script", std::to_string(line) + ": " + t);
        };
        hooks.code = [](std::string const& code) {
            std::printf("ticket code on screen: %s\n", code.c_str());
            std::fflush(stdout);
        };
        auto r = run_script(host, text.value(), hooks, 0, fixed_unix_time);
        if (!r.ok()) {
            std::fprintf(stderr, "ksd-kiosk: %s\n", r.error().message.c_str());
            return 1;
        }
        std::printf("script passed: %s\n", args.script.c_str());
        return 0;
    }

    if (auto r = navigate_to(host, args.screen); !r.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", r.error().message.c_str());
        return 1;
    }
    if (args.bench_frames > 0) {
        // Each frame is a full drawing pass plus the software rasterisation, as on the Pi.
        // CPU time besides wall time: on a shared machine the wall time of a frame also
        // counts the time the kiosk waited for a core.
        auto cpu_now = [] {
            timespec ts {};
            ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
            return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
        };
        bool const importing = !args.bench_import.empty();
        if (importing) {
            // Imported into --out-dir with the key of the pack shown, the database beside it.
            DeskConfig d = desk_config(cfg, args, args.out_dir + "/imported.pack",
                args.key.empty() ? std::string(KSD_DEMO_KEY) : args.key);
            d.db_path = args.out_dir + "/device.db";
            off.app().set_desk(make_device_desk(d));
            off.app().set_effect_wait(args.bench_import_wait);
        }
        // With an import: the frames go on (at least N) until it is done, as the display loop
        // turns: the App's tick (taking the worker's progress and result), then the drawing.
        for (int i = 0;
             i < args.bench_frames || (importing && (i < 2 || off.app().state().staff.importing));
             ++i) {
            double c0 = cpu_now();
            auto t0 = std::chrono::steady_clock::now();
            if (importing) {
                if (i == 1) // after the first frame, which makes the text textures
                    off.app().apply(act::StaffImport {args.bench_import});
                host.advance(i * 16, fixed_unix_time + i * 16 / 1000);
                host.mark_dirty();
            }
            host.draw();
            auto t1 = std::chrono::steady_clock::now();
            double cpu_ms = cpu_now() - c0;
            double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
            std::printf(
                "{\"frame\":%d,\"screen\":\"%s\",\"width\":%d,\"height\":%d,\"ms\":%.4f,"
                "\"cpu_ms\":%.4f,\"text_textures\":%zu,\"pictures\":%zu,\"importing\":%s}\n",
                i, args.screen.c_str(), size.w, size.h, ms, cpu_ms,
                off.renderer().text_cache_size(), off.renderer().picture_cache_size(),
                off.app().state().staff.importing ? "true" : "false");
        }
        return 0;
    }
    if (auto r = off.screenshot(args.screenshot); !r.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", r.error().message.c_str());
        return 1;
    }
    return 0;
}

int64_t unix_now() {
    return int64_t(std::time(nullptr));
}

int run_display(Args const& args, ksd::Config const& cfg, bool have_config) {
    sdl::PanelOptions options;
    options.video_driver = cfg.get_string("screen.video_driver");
    options.drm_device_index = int(cfg.get_int("screen.drm_device_index"));
    options.size = {int(cfg.get_int("screen.width")), int(cfg.get_int("screen.height"))};
    options.fullscreen = cfg.get_bool("screen.fullscreen");
    if (!have_config) {
        // A developer's run without a config file: a window, not the Pi's full screen.
        options.fullscreen = false;
        options.size.w = options.size.w ? options.size.w : 1280;
        options.size.h = options.size.h ? options.size.h : 800;
    }
    if (args.size)
        options.size = *args.size;
    std::string const& rot = cfg.get_string("screen.rotation"); // the schema's choices only
    options.rotation = rot == "90" ? ui::Rotation::R90
        : rot == "180"             ? ui::Rotation::R180
        : rot == "270"             ? ui::Rotation::R270
                                   : ui::Rotation::R0;
    auto opened = sdl::SdlPanel::open(options);
    if (!opened.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", opened.error().message.c_str());
        return 1;
    }
    sdl::SdlPanel& screen = *opened.value();
    ksd::log::info("kiosk", "renderer " + screen.describe());
    sdl::TtfGuard ttf;
    if (!ttf.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", ttf.error().c_str());
        return 1;
    }
    auto fonts = sdl::Fonts::open(cfg.get_string("fonts.dir"));
    if (!fonts.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", fonts.error().message.c_str());
        return 1;
    }

    std::string pack_path = args.pack.empty() ? cfg.get_string("content.pack") : args.pack;
    std::string key_path = args.key.empty() ? cfg.get_string("content.public_key") : args.key;
    if (!have_config && args.pack.empty() && std::string_view(KSD_DEMO_PACK).size() > 0) {
        pack_path = KSD_DEMO_PACK;
        key_path = args.key.empty() ? std::string(KSD_DEMO_KEY) : args.key;
    }
    Verify verify = args.no_verify ? Verify::None : Verify::Signature;
    // The App starts without content; the watcher takes the pack at the first attract tick,
    // and every newer one after that.
    App app(app_options(cfg, args), nullptr);
    app.set_pack_loader(pack_watcher(pack_path, key_path, verify));
    DeskConfig desk = desk_config(cfg, args, pack_path, key_path);
    if (args.device_db.empty() && !have_config) {
        // A developer's run without a config: tickets in the temporary directory, never in the
        // working tree (and never in /var/lib/ksd, which a desktop does not have).
        std::error_code ec;
        auto tmp = std::filesystem::temp_directory_path(ec);
        desk.db_path = (ec ? std::filesystem::path("/tmp") : tmp) / "ksd-dev-device.db";
    }
    ksd::log::info("kiosk", "device database " + desk.db_path);
    app.set_desk(make_device_desk(desk));
    set_up_speech(app, cfg);
    app.set_showable([&fonts](char32_t c) { return fonts.value().can_show(c); });
    sdl::SdlRenderer renderer(screen.renderer(), fonts.value(),
        [&app](std::string const& name) -> std::optional<std::string> {
            if (!app.content())
                return std::nullopt;
            auto r = app.content()->asset(name);
            return r.ok() ? std::optional<std::string>(r.release_value()) : std::nullopt;
        });
    Host host(app, renderer, fonts.value(), screen.logical());
    // Checked at start (main), so the parse cannot fail here.
    PowerPolicy policy {ksd::parse_office_hours(cfg.get_string("power.office_hours")).value(),
        cfg.get_int("power.wake_minutes") * 60'000};
    auto panel = sdl::DisplayPower::for_window(screen.window());
    if (!policy.hours.always_open)
        ksd::log::info("kiosk",
            "office hours \"" + cfg.get_string("power.office_hours")
                + "\": outside them the screen sleeps (" + panel.describe() + ")");
    // Under systemd (Type=notify, WatchdogSec=): a loop that stops turning is restarted.
    auto service = sdl::ServiceNotifier::from_environment();
    shell::DisplayLoop loop(host, renderer, screen, panel, service, std::move(policy),
        args.first_frame_exit ? shell::FirstFrame::Exit : shell::FirstFrame::KeepRunning);
    // The first pack is taken before the first frame (settled: there is no screen to freeze
    // yet, and "being updated" must not flash at every start); from then on the screen goes on
    // while the worker saves, prints, checks the PIN, imports or verifies a newer pack.
    app.set_clock_trusted(ksd::clock_synchronised()); // as each turn sets it, for the purge
    host.advance(sdl::SdlPanel::ticks_ms(), unix_now());
    app.set_effect_wait(EffectWait::Background);
    while (loop.running()) {
        int64_t unix = unix_now();
        ClockTrust trust = ksd::clock_synchronised() ? ClockTrust::Trusted : ClockTrust::Untrusted;
        sdl::LoopWait wait = loop.turn({sdl::SdlPanel::ticks_ms(), unix, local_time(unix, trust)});
        if (loop.running())
            sdl::wait_for_events(wait);
    }
    service.stopping();
    return 0;
}

std::vector<std::string> split_list_lines(std::string const& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// A config error: the technician's page, never a black screen. cfg holds the safe values (the
// defaults, or what loaded without error), so the screen opens as it would otherwise.
int show_technician_page(
    Args const& args, ksd::Config const& cfg, bool have_config, std::string const& problems) {
    for (auto const& line : split_list_lines(problems))
        ksd::log::error("kiosk", line);
    TechnicianPage page {ksd::split_config_problems(problems)};
    if (!args.script.empty() || args.bench_frames > 0)
        return ksd::exit_config_error;
    if (!args.screenshot.empty()) {
        auto image = shell::render_technician_page(
            args.size.value_or(ui::Size {1280, 800}), page, cfg.get_string("fonts.dir"));
        if (!image.ok()) {
            std::fprintf(stderr, "ksd-kiosk: %s\n", image.error().message.c_str());
            return 1;
        }
        if (auto r = sdl::save_rgb_png(*image, args.screenshot); !r.ok()) {
            std::fprintf(stderr, "ksd-kiosk: %s\n", r.error().message.c_str());
            return 1;
        }
        return ksd::exit_config_error;
    }
    shell::TechnicianDisplay d;
    d.video_driver = cfg.get_string("screen.video_driver");
    d.drm_device_index = int(cfg.get_int("screen.drm_device_index"));
    d.width = int(cfg.get_int("screen.width"));
    d.height = int(cfg.get_int("screen.height"));
    d.fullscreen = have_config && cfg.get_bool("screen.fullscreen");
    if (!have_config && (d.width == 0 || d.height == 0)) {
        d.width = 1280; // a developer's window, as in run_display
        d.height = 800;
    }
    if (args.size) {
        d.width = args.size->w;
        d.height = args.size->h;
    }
    auto const& rot = cfg.get_string("screen.rotation");
    d.rotation_degrees = rot == "90" ? 90 : rot == "180" ? 180 : rot == "270" ? 270 : 0;
    d.font_dir = cfg.get_string("fonts.dir");
    return shell::run_technician_display(d, page,
        args.first_frame_exit ? shell::AfterFirstFrame::Exit : shell::AfterFirstFrame::KeepShowing);
}

} // namespace

// Everything of main but the last-resort catch (ksd::guarded_main).
static int run(int argc, char** argv) {
    auto args_r = parse_args(argc, argv);
    if (!args_r.ok()) {
        std::fprintf(stderr, "ksd-kiosk: %s\n", args_r.error().message.c_str());
        return 2;
    }
    Args args = args_r.release_value();
    auto s = schema();
    if (args.hash_pin)
        return hash_pin_command();
    if (args.print_config) {
        std::printf("%s", s.documented_defaults("ksd-kiosk").c_str());
        return 0;
    }
    ksd::Config cfg(s);
    bool have_config = !args.config.empty();
    // Every problem of both files, one "FILE:LINE: key 'NAME': what" line each: a bad value
    // shows the technician's page instead of a black screen (or an exit systemd would repeat).
    std::string problems;
    auto add_problems
        = [&](std::string const& m) { problems += (problems.empty() ? "" : "\n") + m; };
    if (have_config) {
        auto loaded = ksd::load_config(args.config, s);
        if (!loaded.ok())
            add_problems(loaded.error().message);
        else
            cfg = loaded.release_value();
    }
    auto const tech_schema = ksd::technician_schema();
    auto tech = ksd::load_technician_config(args.technician_config, tech_schema);
    std::string tech_note;
    if (!tech.ok()) {
        add_problems(tech.error().message);
    } else if (tech->file == ksd::TechnicianFile::Missing) {
        tech_note = "no technician's file " + args.technician_config
            + " (fine: " + (have_config ? args.config : std::string("the defaults")) + " alone)";
    } else {
        ksd::merge_into_kiosk(tech->config, s, cfg);
        tech_note = "technician's file " + args.technician_config + " read";
    }
    // What the schema's types cannot say: the status page template must be usable.
    if (auto problem = ksd::status_url_problem(cfg.get_string("ticket.status_url"));
        !problem.empty())
        add_problems(args.config + ":"
            + std::to_string(cfg.line_of("ticket.status_url").value_or(0))
            + ": key 'ticket.status_url': " + problem);
    ksd::log::set_level_from_name(cfg.get_string("log.level"));
    if (char const* env = std::getenv("KSD_LOG_LEVEL"))
        ksd::log::set_level_from_name(env);
    if (!tech_note.empty())
        ksd::log::info("kiosk", tech_note);
    if (!problems.empty())
        return show_technician_page(args, cfg, have_config, problems);
    if (!args.screenshot.empty() || !args.script.empty() || args.bench_frames > 0)
        return run_offscreen(args, cfg, have_config);
    return run_display(args, cfg, have_config);
}

int main(int argc, char** argv) {
    return ksd::guarded_main("ksd-kiosk", [&] { return run(argc, argv); });
}
