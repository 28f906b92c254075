// ksd-sync: the kiosk's sync agent. Without --once it runs as a daemon (see agent.h); `--once`
// runs one pass (upload due tickets, fetch updates, content check, heartbeat); `status` prints
// the queue; `requeue` releases quarantined tickets; `export --to DIR` writes the queue export for
// a USB stick and `import-ack FILE` applies the server's acknowledgement of one (issue 14). Exit
// status: 0 all done, 2 something left for a later retry, 3 a configuration error (device.id and
// token disagree), 78 (EX_CONFIG) a bad value in sync.toml or the technician's ksd.toml (systemd
// does not restart it: the file must be fixed first), 1 usage or local error.
#include "agent.h"
#include "http_client.h"
#include "sync_pass.h"

#include "ksd/clock.h"
#include "ksd/config.h"
#include "ksd/device_db.h"
#include "ksd/files.h"
#include "ksd/log.h"
#include "ksd/main_guard.h"
#include "ksd/number.h"
#include "ksd/queue_export.h"
#include "ksd/technician_config.h"
#include "ksd/tickets.h"
#include "ksd/version.h"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>

namespace {

constexpr char const* usage
    = "usage: ksd-sync [--config FILE] [--technician-config FILE] [--db DEVICE_DB] [--server URL]\n"
      "                [--token TOKEN | --token-file FILE] [--ca-file FILE] [--batch N]\n"
      "                [--pack PATH --public-key FILE] [--heartbeat-minutes N]\n"
      "                [--retention-days N] [--once]\n"
      "       ksd-sync [--config FILE] [--db DEVICE_DB] status\n"
      "       ksd-sync [--config FILE] [--db DEVICE_DB] requeue\n"
      "       ksd-sync [--config FILE] [--db DEVICE_DB] export --to DIR\n"
      "       ksd-sync [--config FILE] [--db DEVICE_DB] import-ack FILE\n"
      "       ksd-sync --print-config | --version\n"
      "Without --once it runs until SIGTERM or SIGINT. --technician-config (default\n"
      "/boot/firmware/ksd.toml, a missing file is fine): its [server] url, token and ca_file win\n"
      "over --config's; command-line options win over both. A bad value exits 78.\n";

ksd::ConfigSchema schema() {
    ksd::ConfigSchema s;
    s.string("db", "/var/lib/ksd/device.db", "The kiosk's device database (shared with ksd-kiosk).")
        .string("server.url", "", "The central server, e.g. https://ksd.example.go.id.")
        .string("server.token_file", "/etc/ksd/sync-token",
            "File holding this kiosk's token (KIOSK_ID.SECRET), from `ksd-server kiosk add`.")
        .string("server.ca_file", "", "CA bundle for the server's TLS certificate (empty: system).")
        .integer("sync.batch_size", 100, 1, 500, "Most tickets in one upload (server max_batch).")
        .integer("sync.heartbeat_minutes", 5, 1, 1440, "Minutes between heartbeats.")
        .integer("sync.idle_poll_minutes", 5, 1, 1440,
            "Minutes between passes when nothing is queued (staff replies come back then).")
        .string("content.pack_path", "",
            "The kiosk's content pack; newer published packs are swapped in here (empty: off).")
        .string("content.public_key", "", "minisign public key packs must be signed with.")
        .integer("content.check_minutes", 30, 1, 10080, "Minutes between content checks.")
        .integer("privacy.retention_days", 30, 1, 3650,
            "Days after the server's acknowledgement before a ticket's personal data is purged.")
        .string("usb.server_public_key", "",
            "The server's USB export public key (64 hex digits, from `ksd-server keys`): queue "
            "exports to a USB stick are sealed to it (empty: no USB export).")
        .choice("log_level", "info", {"debug", "info", "warn", "error", "off"}, "Log level.");
    return s;
}

int64_t wall_now() {
    return static_cast<int64_t>(std::time(nullptr));
}

std::atomic<bool> g_stop {false};

extern "C" void on_signal(int) {
    g_stop.store(true);
}

// One log line per problem, "FILE:LINE: key 'NAME': what", as the kiosk's page shows them.
void log_config_error(std::string const& message) {
    size_t pos = 0;
    while (pos < message.size()) {
        size_t nl = message.find('\n', pos);
        ksd::log::error("sync", message.substr(pos, nl == std::string::npos ? nl : nl - pos));
        pos = nl == std::string::npos ? message.size() : nl + 1;
    }
}

int fail(std::string const& message) {
    std::cerr << "ksd-sync: " << message << "\n" << usage;
    return 1;
}

// Stores the USB export's keys for the kiosk app (queue_export.h, usb_keys_key), or clears them
// when no server key is configured.
ksd::Result<ksd::UsbKeys> publish_usb_keys(
    ksd::Db& db, std::string const& token, std::string const& server_key) {
    if (server_key.empty()) {
        (void)ksd::set_state(db, ksd::usb_keys_key, "");
        return ksd::make_error(
            "no usb.server_public_key in the config (`ksd-server keys` prints it)");
    }
    TRY_RESULT(auto pk, ksd::parse_key_hex(server_key, "usb.server_public_key"));
    ksd::UsbKeys keys {
        ksd::sync::token_kiosk(token), pk, ksd::usb_kiosk_key(ksd::sync_token_hash(token))};
    TRY_VOID(ksd::set_state(db, ksd::usb_keys_key, ksd::format_usb_keys(keys)));
    return keys;
}

int usb_export(ksd::Db& db, ksd::UsbKeys const& keys, std::string const& dir) {
    if (dir.empty())
        return fail("export needs --to DIR (the USB stick's folder)");
    auto written = ksd::write_queue_export(db, keys, dir,
        ksd::WallClock {wall_now(), ksd::clock_synchronised()}, ksd::boot_clock_now());
    if (!written.ok()) {
        ksd::log::error("sync", written.error().message);
        return 1;
    }
    std::cout << written->path << "\nrequests: " << written->requests
              << ", survey answers: " << written->surveys << ", bytes: " << written->bytes << "\n";
    ksd::log::info("sync",
        "queue export " + written->path + ": " + std::to_string(written->requests) + " requests, "
            + std::to_string(written->surveys) + " survey answers");
    return 0;
}

int usb_import_ack(ksd::Db& db, ksd::UsbKeys const& keys, std::string const& path) {
    auto bytes = ksd::read_file(path, 64u << 20);
    if (!bytes.ok()) {
        ksd::log::error("sync", bytes.error().message);
        return 1;
    }
    auto applied = ksd::apply_queue_ack(db, keys, *bytes);
    if (!applied.ok()) {
        ksd::log::error("sync", path + ": " + applied.error().message);
        return 1;
    }
    std::string const text = std::to_string(applied->acknowledged) + " acknowledged, "
        + std::to_string(applied->quarantined) + " quarantined, " + std::to_string(applied->already)
        + " already done, " + std::to_string(applied->unknown) + " not on this kiosk; "
        + std::to_string(applied->surveys) + " survey answers delivered, "
        + std::to_string(applied->surveys_quarantined) + " held";
    std::cout << text << "\n";
    ksd::log::info("sync", "acknowledgement " + path + " applied: " + text);
    return 0;
}

} // namespace

// Everything of main but the last-resort catch (ksd::guarded_main).
static int run(int argc, char** argv) {
    std::map<std::string, std::string> options;
    std::string command = "daemon";
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << usage;
            return 0;
        }
        if (a == "--version") {
            std::cout << ksd::version_line("ksd-sync") << "\n";
            return 0;
        }
        if (a == "--print-config") {
            std::cout << schema().documented_defaults("ksd-sync");
            return 0;
        }
        if (a == "--once") {
            command = "once";
        } else if (a == "status" || a == "requeue" || a == "export") {
            command = a;
        } else if (a == "import-ack" && i + 1 < argc) {
            command = a;
            options["import-ack"] = argv[++i];
        } else if (a.rfind("--", 0) == 0 && i + 1 < argc) {
            options[a.substr(2)] = argv[++i];
        } else {
            return fail("unexpected argument '" + a + "'");
        }
    }
    std::map<std::string, std::string> const to_key {{"db", "db"}, {"server", "server.url"},
        {"token-file", "server.token_file"}, {"ca-file", "server.ca_file"},
        {"batch", "sync.batch_size"}, {"heartbeat-minutes", "sync.heartbeat_minutes"},
        {"pack", "content.pack_path"}, {"public-key", "content.public_key"},
        {"retention-days", "privacy.retention_days"}};
    for (auto const& [key, value] : options)
        if (key != "config" && key != "token" && key != "technician-config" && key != "to"
            && key != "import-ack" && !to_key.count(key))
            return fail("unknown option --" + key);

    ksd::ConfigSchema const s = schema();
    ksd::Config config(s);
    if (options.count("config")) {
        auto loaded = ksd::load_config(options["config"], s);
        if (!loaded) {
            log_config_error(loaded.error().message);
            return ksd::exit_config_error;
        }
        config = loaded.release_value();
    }
    // The technician's file, between the program's file and the command line. Not for status
    // and requeue: they read only the database, and must work while the technician fixes it.
    std::string technician_token;
    if (command == "daemon" || command == "once" || command == "export"
        || command == "import-ack") {
        std::string const path = options.count("technician-config")
            ? options["technician-config"]
            : std::string(ksd::technician_config_path);
        auto const tech_schema = ksd::technician_schema();
        auto tech = ksd::load_technician_config(path, tech_schema);
        if (!tech) {
            log_config_error(tech.error().message);
            return ksd::exit_config_error;
        }
        if (tech->file == ksd::TechnicianFile::Missing) {
            ksd::log::info("sync", "no technician's file " + path + " (fine: the config alone)");
        } else {
            technician_token = ksd::merge_into_sync(tech->config, config);
            ksd::log::info("sync", "technician's file " + path + " read");
        }
    }
    for (auto const& [opt, key] : to_key) {
        if (!options.count(opt))
            continue;
        auto const* k = s.find(key);
        if (k->type == ksd::ConfigType::Integer) {
            int64_t const n = ksd::parse_int<int64_t>(options[opt]).value_or(k->min - 1);
            if (n < k->min || n > k->max)
                return fail("--" + opt + " must be " + std::to_string(k->min) + ".."
                    + std::to_string(k->max));
            config.set(key, n);
        } else {
            config.set(key, options[opt]);
        }
    }
    ksd::log::set_level_from_name(config.get_string("log_level"));
    if (auto const* env = std::getenv("KSD_LOG_LEVEL"))
        ksd::log::set_level_from_name(env);

    std::string const db_path = config.get_string("db");
    auto db = ksd::open_device_db(db_path);
    if (!db.ok()) {
        ksd::log::error("sync", db.error().message);
        return 1;
    }
    if (command == "status") {
        auto text = ksd::sync::format_status(*db, wall_now());
        if (!text.ok()) {
            ksd::log::error("sync", text.error().message);
            return 1;
        }
        std::cout << *text;
        return 0;
    }
    if (command == "requeue") {
        auto text = ksd::sync::requeue_quarantined(*db, wall_now());
        if (!text.ok()) {
            ksd::log::error("sync", text.error().message);
            return 1;
        }
        std::cout << *text;
        return 0;
    }

    ksd::sync::AgentSettings settings;
    settings.db_path = db_path;
    settings.app_version = KSD_VERSION;
    settings.sync.server_url = config.get_string("server.url");
    while (!settings.sync.server_url.empty() && settings.sync.server_url.back() == '/')
        settings.sync.server_url.pop_back();
    settings.sync.token = options.count("token") ? options["token"] : technician_token;
    if (settings.sync.token.empty()) {
        // A file keeps the token out of the process list.
        std::string const& file = config.get_string("server.token_file");
        std::ifstream f(file);
        std::getline(f, settings.sync.token);
        if (settings.sync.token.empty()) {
            ksd::log::error("sync", "cannot read a token from " + file);
            return 1;
        }
    }
    // Issue 14: the keys of the USB export, also for the kiosk app's staff mode (which cannot
    // read the token).
    auto usb
        = publish_usb_keys(*db, settings.sync.token, config.get_string("usb.server_public_key"));
    if (command == "export" || command == "import-ack") {
        if (!usb.ok())
            return fail(usb.error().message);
        return command == "export" ? usb_export(*db, *usb, options["to"])
                                   : usb_import_ack(*db, *usb, options["import-ack"]);
    }
    if (!usb.ok() && config.get_string("usb.server_public_key").empty())
        ksd::log::info("sync", "USB export off: " + usb.error().message);
    else if (!usb.ok())
        ksd::log::warn("sync", "USB export off, the key is wrong: " + usb.error().message);
    if (settings.sync.server_url.empty())
        return fail("no server: give --server URL or server.url in the config file");
    // Said at every start, in the heartbeat and on the staff screen until it is fixed.
    std::string const warning = ksd::sync::plain_http_warning(settings.sync.server_url);
    if (!warning.empty())
        ksd::log::warn("sync", warning);
    if (auto r = ksd::set_state(*db, ksd::sync::warning_key, warning); !r.ok())
        ksd::log::warn("sync", "cannot record the warning: " + r.error().message);
    settings.sync.batch_limit = static_cast<int>(config.get_int("sync.batch_size"));
    settings.sync.retention_days = config.get_int("privacy.retention_days");
    settings.sync.clock_trusted = [] { return ksd::clock_synchronised(); };
    settings.sync.boot_clock = [] { return ksd::boot_clock_now(); };
    settings.heartbeat_s = config.get_int("sync.heartbeat_minutes") * 60;
    settings.idle_poll_s = config.get_int("sync.idle_poll_minutes") * 60;
    settings.content_check_s = config.get_int("content.check_minutes") * 60;
    settings.pack_path = config.get_string("content.pack_path");
    settings.public_key_path = config.get_string("content.public_key");
    if (settings.pack_path.empty() != settings.public_key_path.empty())
        return fail("content.pack_path and content.public_key go together");

    ksd::sync::http_global_init();
    ksd::sync::HttpOptions http_options;
    http_options.ca_file = config.get_string("server.ca_file");
    http_options.cancel = &g_stop;
    ksd::sync::HttpClient http(http_options);
    std::mt19937_64 rng {std::random_device {}()};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto random = [&] { return unit(rng); };
    if (command == "once")
        return ksd::sync::run_once(*db, http, settings, random);

    struct sigaction sa { };
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGINT, &sa, nullptr);
    return ksd::sync::run_daemon(*db, http, settings, g_stop, random);
}

int main(int argc, char** argv) {
    return ksd::guarded_main("ksd-sync", [&] { return run(argc, argv); });
}
