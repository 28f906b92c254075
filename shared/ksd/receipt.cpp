// The printed receipt: ESC/POS bytes for an Epson-compatible thermal printer, and writing them
// to the printer's device file without ever blocking longer than a timeout.
#include "ksd/receipt.h"

#include "ksd/date.h"
#include "ksd/utf8.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace ksd {

namespace {

// Single-letter foldings of U+00C0..U+00FF and U+0100..U+017F; '?' marks the letters that fold
// to two (handled in fold_latin) or have no plain-ASCII base.
constexpr std::string_view latin1_fold = "AAAAAA?CEEEEIIII"
                                         "DNOOOOOxOUUUUY??"
                                         "aaaaaa?ceeeeiiii"
                                         "dnooooo/ouuuuy?y";
constexpr std::string_view latin_ext_a_fold = "AaAaAaCcCcCcCcDd"
                                              "DdEeEeEeEeEeGgGg"
                                              "GgGgHhHhIiIiIiIi"
                                              "Ii??JjKkkLlLlLlL"
                                              "lLlNnNnNnnNnOoOo"
                                              "Oo??RrRrRrSsSsSs"
                                              "SsTtTtTtUuUuUuUu"
                                              "UuUuWwYyYZzZzZzs";

// The ASCII spelling of one code point; empty for marks that simply disappear.
std::string_view fold_code_point(char32_t cp, char (&one)[2]) {
    auto single = [&](char c) {
        one[0] = c;
        one[1] = 0;
        return std::string_view(one, 1);
    };
    if (cp == '\t' || cp == '\n' || cp == '\r')
        return single(' ');
    // Control characters would be printer commands: never pass them through.
    if (cp < 0x20 || cp == 0x7F)
        return single('?');
    if (cp < 0x80)
        return single(static_cast<char>(cp));
    switch (cp) {
    case 0xC6:
        return "AE";
    case 0xE6:
        return "ae";
    case 0xDE:
        return "Th";
    case 0xFE:
        return "th";
    case 0xDF:
        return "ss";
    case 0x132:
        return "IJ";
    case 0x133:
        return "ij";
    case 0x152:
        return "OE";
    case 0x153:
        return "oe";
    case 0xA0: // no-break space
    case 0x2007: // figure space
    case 0x2009: // thin space
    case 0x202F: // narrow no-break space
        return single(' ');
    case 0xAD: // soft hyphen
    case 0x200B: // zero-width space, joiners, byte order mark
    case 0x200C:
    case 0x200D:
    case 0x2060:
    case 0xFEFF:
        return {};
    case 0xAB:
    case 0xBB:
    case 0x201C:
    case 0x201D:
    case 0x201E:
    case 0x201F:
    case 0x2033:
        return single('"');
    case 0x2018:
    case 0x2019:
    case 0x201A:
    case 0x201B:
    case 0x2032:
        return single('\'');
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212:
        return single('-');
    case 0x2039:
        return single('<');
    case 0x203A:
        return single('>');
    case 0xB7:
        return single('.');
    case 0x2022:
        return single('*');
    case 0x2026:
        return "...";
    default:
        break;
    }
    if (cp >= 0x300 && cp <= 0x36F) // combining accents: "e" + U+0301 is "e"
        return {};
    if (cp >= 0xC0 && cp <= 0xFF)
        return single(latin1_fold[cp - 0xC0]);
    if (cp >= 0x100 && cp <= 0x17F)
        return single(latin_ext_a_fold[cp - 0x100]);
    return single('?');
}

// Plain printable ASCII (0x20..0x7E) only, whatever comes in: invalid UTF-8 becomes '?'.
std::string to_ascii(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    char one[2];
    if (!utf8::is_valid(text)) {
        for (char c : text) {
            auto u = static_cast<unsigned char>(c);
            out += fold_code_point(u < 0x80 ? u : U'?', one);
        }
        return out;
    }
    for (size_t i = 0; i < text.size();)
        out += fold_code_point(utf8::decode(text, i), one);
    return out;
}

// Greedy word wrap to width characters; a word longer than a line is broken.
std::vector<std::string> wrap(std::string_view text, size_t width) {
    std::vector<std::string> lines;
    std::string line;
    size_t i = 0;
    while (i < text.size()) {
        if (text[i] == ' ') {
            ++i;
            continue;
        }
        size_t end = text.find(' ', i);
        if (end == std::string_view::npos)
            end = text.size();
        std::string_view word = text.substr(i, end - i);
        i = end;
        while (!word.empty()) {
            size_t room
                = line.empty() ? width : (line.size() + 1 < width ? width - line.size() - 1 : 0);
            if (word.size() <= room) {
                if (!line.empty())
                    line += ' ';
                line += word;
                word = {};
            } else if (line.empty()) {
                line = word.substr(0, width);
                word.remove_prefix(width);
                lines.push_back(std::move(line));
                line.clear();
            } else {
                lines.push_back(std::move(line));
                line.clear();
            }
        }
    }
    if (!line.empty())
        lines.push_back(std::move(line));
    return lines;
}

constexpr char esc = 0x1B;
constexpr char gs = 0x1D;

// GS ( k: a two-dimensional code function with its parameter bytes (cn = 49, QR code).
void qr_function(std::string& out, char fn, std::string_view params) {
    size_t len = params.size() + 2;
    out += {
        gs, '(', 'k', static_cast<char>(len & 0xFF), static_cast<char>((len >> 8) & 0xFF), 49, fn};
    out += params;
}

// The QR code's byte capacity at level M, version 40: more cannot be printed as one symbol.
constexpr size_t qr_max_bytes = 2331;

std::string local_date_time(int64_t unix_seconds, Lang lang, Zone zone) {
    return format_date_long(date_in(unix_seconds, zone), lang == Lang::En) + " "
        + clock_in(unix_seconds, zone, ':') + " " + zone.label();
}

} // namespace

std::string escpos_receipt(ReceiptInfo const& info) {
    bool en = info.lang == Lang::En;
    // Widths outside what real paper has are clamped, so every line still fits the paper.
    size_t columns = static_cast<size_t>(std::clamp(info.columns, 16, 64));

    std::string out;
    auto text_lines = [&](std::string_view text, size_t width) {
        for (auto const& line : wrap(to_ascii(text), width)) {
            out += line;
            out += '\n';
        }
    };

    out += {esc, '@'}; // initialise
    out += {esc, 't', 0}; // code page 437: ASCII is all we send
    out += {esc, 'a', 1}; // centred
    out += {esc, 'E', 1};
    text_lines(info.institution, columns);
    out += {esc, 'E', 0};
    out += '\n';
    text_lines(en ? "CONSULTATION TICKET" : "TIKET KONSULTASI", columns);
    out += '\n';
    text_lines(en ? "Ticket code" : "Kode tiket", columns);
    out += {gs, '!', 0x11}; // double width and height: half as many characters fit
    text_lines(info.code, columns / 2);
    out += {gs, '!', 0};
    out += '\n';

    std::string qr = to_ascii(info.qr_data);
    if (!qr.empty() && qr.size() <= qr_max_bytes) {
        // Larger symbols get smaller modules so that they still fit 58 mm paper (384 dots).
        char const module = qr.size() <= 150 ? char {6} : (qr.size() <= 400 ? char {4} : char {3});
        qr_function(out, 65, std::string_view("\x32\x00", 2)); // model 2
        qr_function(out, 67, std::string_view(&module, 1)); // module size in dots
        qr_function(out, 69, "\x31"); // error correction M
        qr_function(out, 80, "\x30" + qr); // store the data
        qr_function(out, 81, "\x30"); // print it
        out += '\n';
        if (!info.qr_caption.empty()) {
            text_lines(info.qr_caption, columns);
            out += '\n';
        }
    }

    if (info.clock_trusted)
        text_lines(local_date_time(info.created_at, info.lang, info.zone), columns);
    else
        text_lines(en ? "Date recorded on delivery" : "Tanggal dicatat saat terkirim", columns);
    out += '\n';

    out += {esc, 'a', 0}; // left-aligned body
    if (info.delivered)
        text_lines(en ? "Sent to the secretariat." : "Terkirim ke sekretariat.", columns);
    else
        text_lines(en ? "Saved on this kiosk. It will be sent automatically when a network is "
                        "available."
                      : "Tersimpan di anjungan. Akan dikirim otomatis saat ada jaringan.",
            columns);
    out += '\n';
    text_lines(en ? "Check the status at the kiosk: Check Ticket Status, enter the code and the "
                    "last 4 digits of your phone number (or your e-mail)."
                  : "Cek status di anjungan: Cek Status Tiket, masukkan kode dan 4 angka "
                    "terakhir nomor HP Anda (atau e-mail Anda).",
        columns);

    out += {esc, 'd', 3}; // feed so that the text clears the cutter
    out += {gs, 'V', 66, 0}; // feed to the cutting position and cut partially
    return out;
}

namespace {

std::string device_error(std::string const& path, std::string const& what) {
    return "printer " + path + ": " + what;
}

// Blocks SIGPIPE in this thread while writing, so that a pipe or socket whose reader went away
// gives EPIPE instead of killing the process; a SIGPIPE raised meanwhile is consumed.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&m_pipe);
        sigaddset(&m_pipe, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        m_was_pending = sigismember(&pending, SIGPIPE) == 1;
        m_blocked = pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old) == 0;
    }
    ~SigpipeGuard() {
        if (!m_blocked)
            return;
        if (m_saw_epipe && !m_was_pending) {
            timespec zero {0, 0};
            while (sigtimedwait(&m_pipe, nullptr, &zero) == -1 && errno == EINTR) { }
        }
        pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
    }
    SigpipeGuard(SigpipeGuard const&) = delete;
    SigpipeGuard& operator=(SigpipeGuard const&) = delete;
    void saw_epipe() { m_saw_epipe = true; }

private:
    sigset_t m_pipe;
    sigset_t m_old;
    bool m_was_pending {false};
    bool m_blocked {false};
    bool m_saw_epipe {false};
};

} // namespace

Result<void> print_to_device(
    std::string const& device_path, std::string const& bytes, int timeout_ms) {
    using Clock = std::chrono::steady_clock;
    auto deadline = Clock::now() + std::chrono::milliseconds(std::max(timeout_ms, 0));

    // O_NONBLOCK: opening a FIFO without a reader fails at once (ENXIO) instead of waiting,
    // and a stuck printer makes write() return EAGAIN instead of blocking.
    int fd = ::open(device_path.c_str(), O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return make_error(device_error(device_path, std::strerror(errno)));

    SigpipeGuard sigpipe;
    size_t written = 0;
    std::string failure;
    while (written < bytes.size()) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            failure = "not ready: timed out after " + std::to_string(timeout_ms) + " ms with "
                + std::to_string(written) + " of " + std::to_string(bytes.size())
                + " bytes written";
            break;
        }
        pollfd p {fd, POLLOUT, 0};
        int rc = ::poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count(), 60'000)));
        if (rc < 0) {
            if (errno == EINTR)
                continue;
            failure = std::string("poll: ") + std::strerror(errno);
            break;
        }
        if (rc == 0)
            continue; // the deadline check above reports it
        if ((p.revents & POLLOUT) == 0) {
            failure = (p.revents & POLLHUP) ? "disconnected" : "device error";
            break;
        }
        ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
                continue;
            if (errno == EPIPE)
                sigpipe.saw_epipe();
            failure = std::strerror(errno);
            break;
        }
        written += static_cast<size_t>(n);
    }
    if (::close(fd) != 0 && failure.empty() && errno != EINTR)
        failure = std::string("close: ") + std::strerror(errno);
    if (!failure.empty())
        return make_error(device_error(device_path, failure));
    return {};
}

} // namespace ksd
