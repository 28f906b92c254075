// The outbox's sender and the periodic retention purge (see notify_worker.h).
#include "notify_worker.h"

#include "monev.h"

#include "ksd/files.h"
#include "ksd/log.h"
#include "ksd/number.h"

#include <curl/curl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>

namespace ksd::server {

namespace {

// Aborts a transfer when the server stops (otherwise a stalled relay holds the shutdown).
int on_progress(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    auto const* flag = static_cast<std::atomic<bool> const*>(stop);
    return flag && flag->load() ? 1 : 0;
}

struct Reader {
    std::string_view data;
    size_t at {0};
};

size_t read_message(char* buf, size_t size, size_t n, void* user) {
    auto* r = static_cast<Reader*>(user);
    size_t len = std::min(size * n, r->data.size() - r->at);
    std::copy_n(r->data.data() + r->at, len, buf);
    r->at += len;
    return len;
}

// The webhook's answer body is not needed; at most 64 KiB is read of it.
size_t discard(char*, size_t size, size_t n, void* user) {
    auto* total = static_cast<size_t*>(user);
    *total += size * n;
    return *total > 65536 ? 0 : size * n;
}

void common_options(CURL* h, NotifySettings const& s, char* errbuf, std::atomic<bool> const* stop) {
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    // libcurl's defaults wait 300 s to connect and forever for data (brief: reliability.md).
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, static_cast<long>(s.send_timeout_s));
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(stop));
    long const verify = s.tls_verify == TlsVerify::On ? 1L : 0L;
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, verify);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, verify ? 2L : 0L);
}

std::string curl_error(CURLcode rc, char const* errbuf, long response) {
    std::string out = curl_easy_strerror(rc);
    if (errbuf[0] != '\0')
        out += ": " + std::string(errbuf);
    if (response > 0)
        out += " (server answered " + std::to_string(response) + ")";
    return out;
}

// An error kept in the outbox names no address: the purge removes addresses from the tickets,
// and an error text should not keep one beyond that.
std::string without(std::string text, std::string const& secret) {
    if (secret.empty())
        return text;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "<recipient>");
    return text;
}

} // namespace

std::string notify_settings_problem(NotifySettings const& s) {
    if (s.mail_on()) {
        if (!s.smtp_url.starts_with("smtp://") && !s.smtp_url.starts_with("smtps://"))
            return "mail.smtp_url must start with smtp:// or smtps://: " + s.smtp_url;
        if (!is_plain_address(s.mail_from))
            return "mail.from must be a plain address local@domain when mail.smtp_url is set";
        if (!s.mail_user.empty() && s.mail_password.empty())
            return "mail.user is set but mail.password_file is not (or the file is empty)";
    }
    if (s.webhook_on()) {
        bool const local = s.webhook_url.starts_with("http://127.0.0.1:")
            || s.webhook_url.starts_with("http://127.0.0.1/")
            || s.webhook_url.starts_with("http://localhost:")
            || s.webhook_url.starts_with("http://localhost/");
        if (!s.webhook_url.starts_with("https://") && !local)
            return "notify.webhook_url must start with https:// (http:// only to this machine): "
                + s.webhook_url;
        if (s.webhook_secret.size() < 16)
            return "notify.webhook_secret_file must hold a secret of at least 16 bytes";
    }
    if (s.retry_min_s > s.retry_max_s)
        return "notify.retry_min_s must not exceed notify.retry_max_s";
    return {};
}

Result<std::string> read_secret_file(std::string const& key, std::string const& path) {
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
        return make_error(key + ": the file " + path + " cannot be read");
    if ((st.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
        return make_error("refused: " + key + ": the file " + path
            + " can be read or changed by other users (mode " + mode + "); run: chmod 600 " + path);
    }
    if (st.st_uid != ::geteuid())
        return make_error("refused: " + key + ": the file " + path
            + " belongs to another user than the server's");
    TRY_RESULT(auto text, read_file(path, 64 * 1024));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

int64_t retry_delay_s(NotifySettings const& s, int attempts) {
    int64_t cap = s.retry_min_s;
    for (int i = 1; i < attempts && cap < s.retry_max_s; ++i)
        cap *= 2;
    cap = std::min(cap, s.retry_max_s);
    if (cap <= s.retry_min_s)
        return s.retry_min_s;
    auto span = static_cast<uint32_t>(std::min<int64_t>(cap - s.retry_min_s, UINT32_MAX - 1));
    return s.retry_min_s + static_cast<int64_t>(randombytes_uniform(span + 1));
}

Result<void> send_mail(NotifySettings const& s, std::string const& recipient,
    std::string const& message, std::atomic<bool> const* stop) {
    CURL* h = curl_easy_init();
    if (!h)
        return make_error("libcurl cannot start a transfer");
    char errbuf[CURL_ERROR_SIZE] = {};
    common_options(h, s, errbuf, stop);
    curl_easy_setopt(h, CURLOPT_URL, s.smtp_url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    std::string from = "<" + s.mail_from + ">";
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
    std::string to = "<" + recipient + ">";
    curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    if (!s.mail_user.empty()) {
        curl_easy_setopt(h, CURLOPT_USERNAME, s.mail_user.c_str());
        curl_easy_setopt(h, CURLOPT_PASSWORD, s.mail_password.c_str());
    }
    switch (s.mail_tls) {
    case MailTls::StartTls:
        curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
        break;
    case MailTls::None:
        if (s.smtp_url.starts_with("smtp://"))
            curl_easy_setopt(h, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_NONE));
        break;
    }
    Reader reader {message, 0};
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_message);
    curl_easy_setopt(h, CURLOPT_READDATA, &reader);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    CURLcode rc = curl_easy_perform(h);
    long response = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    // CURLE_OK: the relay answered 250 to the end of the message, it has taken it over.
    if (rc != CURLE_OK)
        return make_error(without(curl_error(rc, errbuf, response), recipient));
    return {};
}

// Reads "Retry-After: SECONDS" from the answer's header lines.
size_t read_header(char* buf, size_t size, size_t n, void* user) {
    std::string_view line(buf, size * n);
    constexpr std::string_view name = "retry-after:";
    if (line.size() > name.size()) {
        bool same = true;
        for (size_t i = 0; i < name.size() && same; ++i)
            same = std::tolower(static_cast<unsigned char>(line[i])) == name[i];
        if (same) {
            auto value = line.substr(name.size());
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
                value.remove_prefix(1);
            while (!value.empty()
                && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
                value.remove_suffix(1);
            if (auto seconds = ksd::parse_int<int64_t>(value); seconds && *seconds >= 0)
                *static_cast<int64_t*>(user) = *seconds;
        }
    }
    return size * n;
}

Result<void> send_webhook(NotifySettings const& s, std::string const& body,
    std::atomic<bool> const* stop, int64_t* retry_after_s) {
    CURL* h = curl_easy_init();
    if (!h)
        return make_error("libcurl cannot start a transfer");
    char errbuf[CURL_ERROR_SIZE] = {};
    common_options(h, s, errbuf, stop);
    curl_easy_setopt(h, CURLOPT_URL, s.webhook_url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    std::string const signature = "KSD-Signature: " + webhook_signature(s.webhook_secret, body);
    curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
    headers = curl_slist_append(headers, signature.c_str());
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "ksd-server");
    size_t answered = 0;
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answered);
    int64_t retry_after = -1;
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &retry_after);
    CURLcode rc = curl_easy_perform(h);
    if (retry_after_s)
        *retry_after_s = retry_after;
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    // The status is read here: only a 2xx is delivered (a 3xx may be a login page's redirect).
    if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && status >= 200 && status < 300))
        return make_error(curl_error(rc, errbuf, status));
    if (status < 200 || status > 299)
        return make_error("the webhook answered HTTP " + std::to_string(status));
    return {};
}

Result<int> deliver_due(
    Conn& db, NotifySettings const& s, int64_t now, std::atomic<bool> const* stop) {
    int tried = 0;
    while (!(stop && stop->load())) {
        TRY_RESULT(auto item, next_due(db, now, s.mail_on(), s.webhook_on()));
        if (!item)
            break;
        ++tried;
        auto const& o = *item;
        auto content = notify_content(db, o);
        Result<void> sent = make_error("not tried");
        int64_t retry_after = -1;
        if (!content) {
            sent = Error {content.error().message};
        } else {
            switch (o.channel) {
            case Channel::Mail: {
                auto message = build_mail(o, *content, MailSettings {s.mail_from}, s.public_url);
                if (!message) {
                    // Nothing a later try could change (no or no usable address).
                    TRY_VOID(mark_failed(db, o.id, message.error().message, now));
                    log::warn("notify",
                        "mail " + std::to_string(o.id) + " for " + content->code
                            + " not sent: " + message.error().message);
                    continue;
                }
                sent = send_mail(s, content->email, *message, stop);
                break;
            }
            case Channel::Webhook:
                sent
                    = send_webhook(s, webhook_body(o, *content, s.public_url, s.webhook_phone, now),
                        stop, &retry_after);
                break;
            }
        }
        std::string const what = std::string(channel_word(o.channel)) + " " + std::to_string(o.id)
            + (content ? " for " + content->code : std::string());
        if (sent) {
            TRY_VOID(mark_sent(db, o.id, now));
            log::info("notify", what + " delivered");
            continue;
        }
        if (stop && stop->load())
            break; // aborted by the shutdown: not an attempt
        std::string const error = sent.error().message;
        if (now - o.created_at >= s.give_up_s || !content) {
            TRY_VOID(mark_failed(db, o.id,
                "gave up after " + std::to_string(o.attempts + 1) + " tries: " + error, now));
            log::warn("notify", what + " failed for good: " + error);
        } else {
            // A Retry-After is honoured within our limits (a receiver can neither stop us for a
            // week nor make us hammer it).
            int64_t const next = now
                + (retry_after >= 0 ? std::clamp(retry_after, s.retry_min_s, s.retry_max_s)
                                    : retry_delay_s(s, o.attempts + 1));
            TRY_VOID(mark_retry(db, o.id, error, next));
            log::warn("notify",
                what + " not delivered (" + error + "), next try in " + std::to_string(next - now)
                    + " s");
        }
    }
    return tried;
}

NotifyWorker::NotifyWorker(std::string db_path, NotifySettings settings)
    : m_db_path(std::move(db_path))
    , m_settings(std::move(settings)) {
}

NotifyWorker::~NotifyWorker() {
    stop();
}

void NotifyWorker::start() {
    // Not thread-safe in every libcurl: called here, on the main thread, before the worker.
    curl_global_init(CURL_GLOBAL_DEFAULT);
    m_thread = std::thread([this] { run(); });
}

void NotifyWorker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void NotifyWorker::run() {
    auto db = open_store(m_db_path);
    if (!db) {
        log::error("notify", "cannot open the database: " + db.error().message);
        return;
    }
    int64_t next_purge = 0;
    int64_t next_digest_try = 0;
    while (!m_stop) {
        int64_t const now = static_cast<int64_t>(std::time(nullptr));
        if (!db->usable()) {
            // PostgreSQL went away and came back (a restart, a failover): a new connection.
            auto again = open_store(m_db_path);
            if (again)
                db = std::move(again);
            else
                log::warn("notify", "the database: " + again.error().message);
        }
        // A channel that is off: what was queued for it is dropped, never sent later (the store
        // queues both channels; it does not know the configuration).
        for (auto c : {Channel::Mail, Channel::Webhook}) {
            bool const on = c == Channel::Mail ? m_settings.mail_on() : m_settings.webhook_on();
            if (on)
                continue;
            auto dropped = drop_pending(*db, c);
            if (!dropped)
                log::error("notify", dropped.error().message);
            else if (*dropped > 0)
                log::debug("notify",
                    std::to_string(*dropped) + " queued " + std::string(channel_word(c))
                        + " deliveries dropped: not configured");
        }
        if (now >= next_purge) {
            auto purged = purge_personal_data(*db, now, m_settings.retention_s);
            if (!purged)
                log::error("notify", "retention purge: " + purged.error().message);
            else if (purged->tickets > 0 || !purged->checkpointed)
                log::info("notify",
                    "retention purge: personal data of " + std::to_string(purged->tickets)
                        + " requests removed"
                        + (purged->checkpointed ? "" : "; the WAL checkpoint waits for readers"));
            // A blocked checkpoint is tried again in a minute rather than an hour.
            next_purge = now
                + (purged && purged->checkpointed
                        ? m_settings.purge_every_s
                        : std::min<int64_t>(60, m_settings.purge_every_s));
        }
        auto tried = deliver_due(*db, m_settings, now, &m_stop);
        if (!tried)
            log::error("notify", tried.error().message);
        // Issue 14: the weekly monev digest; a failed one is tried again after retry_min_s.
        if (now >= next_digest_try) {
            auto digest = send_digest_if_due(*db, m_settings, m_settings.digest, now, &m_stop);
            if (!digest) {
                log::error("notify", digest.error().message);
                next_digest_try = now + m_settings.retry_min_s;
            } else if (*digest == DigestOutcome::Sent) {
                log::info("notify", "monev digest sent");
            }
        }
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(500), [this] { return m_stop.load(); });
    }
}

} // namespace ksd::server
