// ksd-sync: the kiosk's sync agent. `--once` runs one pass (upload due tickets, fetch updates);
// `status` prints the queue. Exit status: 0 all done, 2 something left for a later retry,
// 1 usage or local error.
#include "http_client.h"
#include "sync_pass.h"

#include "ksd/device_db.h"
#include "ksd/log.h"

#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>

namespace {

constexpr char const* usage
    = "usage: ksd-sync --db DEVICE_DB --server URL (--token TOKEN | --token-file FILE)\n"
      "                [--ca-file FILE] [--batch N] --once\n"
      "       ksd-sync --db DEVICE_DB status\n";

int64_t wall_now() {
    return static_cast<int64_t>(std::time(nullptr));
}

} // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> options;
    std::string command;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            std::cout << usage;
            return 0;
        }
        if (a == "--once") {
            command = "once";
        } else if (a == "status") {
            command = "status";
        } else if (a.rfind("--", 0) == 0 && i + 1 < argc) {
            options[a.substr(2)] = argv[++i];
        } else {
            std::cerr << "ksd-sync: unexpected argument '" << a << "'\n" << usage;
            return 1;
        }
    }
    for (auto const& [key, value] : options) {
        if (key != "db" && key != "server" && key != "token" && key != "token-file"
            && key != "ca-file" && key != "batch") {
            std::cerr << "ksd-sync: unknown option --" << key << "\n" << usage;
            return 1;
        }
    }
    if (command.empty() || !options.count("db")) {
        std::cerr << usage;
        return 1;
    }
    auto db = ksd::open_device_db(options["db"]);
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

    ksd::sync::SyncSettings settings;
    settings.server_url = options["server"];
    while (!settings.server_url.empty() && settings.server_url.back() == '/')
        settings.server_url.pop_back();
    settings.token = options["token"];
    if (options.count("token-file")) {
        // A file keeps the token out of the process list.
        std::ifstream f(options["token-file"]);
        std::getline(f, settings.token);
        if (!f && settings.token.empty()) {
            ksd::log::error("sync", "cannot read token file " + options["token-file"]);
            return 1;
        }
    }
    if (settings.server_url.empty() || settings.token.empty()) {
        std::cerr << "ksd-sync: --server and a token are needed\n" << usage;
        return 1;
    }
    if (options.count("batch")) {
        try {
            settings.batch_limit = std::stoi(options["batch"]);
        } catch (...) {
            settings.batch_limit = 0;
        }
        if (settings.batch_limit < 1 || settings.batch_limit > 500) {
            std::cerr << "ksd-sync: --batch must be 1..500 (the server's max_batch)\n";
            return 1;
        }
    }

    ksd::sync::http_global_init();
    ksd::sync::HttpOptions http_options;
    http_options.ca_file = options["ca-file"];
    ksd::sync::HttpClient http(http_options);
    std::mt19937_64 rng {std::random_device {}()};
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    auto report
        = ksd::sync::run_sync_pass(*db, http, settings, wall_now(), [&] { return unit(rng); });
    if (!report.ok()) {
        ksd::log::error("sync", report.error().message);
        return 1;
    }
    ksd::log::info("sync",
        "pass done: sent " + std::to_string(report->sent) + ", acknowledged "
            + std::to_string(report->acknowledged) + ", quarantined "
            + std::to_string(report->quarantined) + ", retry later "
            + std::to_string(report->retry_later) + ", updates applied "
            + std::to_string(report->updates_applied));
    return (report->retry_later > 0 || !report->updates_ok) ? 2 : 0;
}
