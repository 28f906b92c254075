// Issue 11: the thread of `ksd-server serve` that sends the outbox (store_outbox.h): e-mail through
// libcurl's SMTP, webhook calls through libcurl's HTTP, retried with capped exponential backoff,
// and the hourly retention purge of personal data.
#pragma once

#include "notify_message.h"

#include "ksd/date.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ksd::server {

// How an smtp:// relay is spoken to: STARTTLS required (the default; the password never goes in
// the clear), or plain SMTP for a relay on this machine. smtps:// is TLS from the first byte.
enum class MailTls { StartTls, None };
enum class TlsVerify { On, Off };

// Issue 14: the weekly monev digest (monev.h) to these addresses, on weekday (1 Monday ... 7
// Sunday) at hour in the office's zone.
struct DigestSchedule {
    std::vector<std::string> to; // empty: no digest
    int weekday {1};
    int hour {7};
    Zone zone;
    std::string public_url; // the dashboard's address for the links; may be empty
};

struct NotifySettings {
    std::string public_url; // for the status page link; may be empty
    // E-mail: off when smtp_url is empty.
    std::string smtp_url;
    std::string mail_from;
    std::string mail_user;
    std::string mail_password; // read from mail.password_file
    MailTls mail_tls {MailTls::StartTls};
    TlsVerify tls_verify {TlsVerify::On};
    // Webhook: off when webhook_url is empty.
    std::string webhook_url;
    std::string webhook_secret; // read from notify.webhook_secret_file
    IncludePhone webhook_phone {IncludePhone::No};
    // Tries: the n-th retry waits a random time up to min(retry_max_s, retry_min_s * 2^n), at
    // least retry_min_s (full jitter); after give_up_s from the event the delivery is failed.
    int64_t retry_min_s {60};
    int64_t retry_max_s {6 * 3600};
    int64_t give_up_s {3 * 86400};
    int64_t send_timeout_s {120};
    // Retention: personal data of requests closed longer ago than this is removed, every
    // purge_every_s while serving.
    int64_t retention_s {365 * 86400};
    int64_t purge_every_s {3600};
    DigestSchedule digest; // issue 14

    bool mail_on() const { return !smtp_url.empty(); }
    bool webhook_on() const { return !webhook_url.empty(); }
};

// Checks settings read from the config (URL schemes, the sender's address, the secret's length):
// empty when usable, else what is wrong, naming the key.
std::string notify_settings_problem(NotifySettings const&);

// The content of a secret file (mail.password_file, notify.webhook_secret_file) without its
// trailing line end. Refused, naming the key, when the file is not a regular file of the
// server's user or when other users may read or change it (as the content signing key is).
Result<std::string> read_secret_file(std::string const& key, std::string const& path);

// The delay before retry number attempts (1 = the first retry), with full jitter.
int64_t retry_delay_s(NotifySettings const&, int attempts);

// Sends one delivery now; the error (for last_error) on failure. Exposed for tests.
Result<void> send_mail(NotifySettings const&, std::string const& recipient,
    std::string const& message, std::atomic<bool> const* stop);
// retry_after_s: set from a Retry-After of delay-seconds in the answer (-1: none; a date or
// garbage is ignored); the caller clamps it to the retry limits.
Result<void> send_webhook(NotifySettings const&, std::string const& body,
    std::atomic<bool> const* stop, int64_t* retry_after_s = nullptr);

// One pass: sends every delivery due at now (a webhook or mail each), records the outcome.
// Returns how many were tried.
Result<int> deliver_due(Conn&, NotifySettings const&, int64_t now, std::atomic<bool> const* stop);

class NotifyWorker {
public:
    NotifyWorker(std::string db_path, NotifySettings settings);
    ~NotifyWorker();
    NotifyWorker(NotifyWorker const&) = delete;
    NotifyWorker& operator=(NotifyWorker const&) = delete;
    void start();
    // Stops and joins; a transfer under way is aborted (it is tried again after a restart).
    void stop();

private:
    void run();
    std::string m_db_path;
    NotifySettings m_settings;
    std::atomic<bool> m_stop {false};
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::thread m_thread;
};

} // namespace ksd::server
