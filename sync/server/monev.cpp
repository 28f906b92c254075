// Monitoring and evaluation of agreements (issue 14); see monev.h.
#include "monev.h"

#include "notify_message.h"

#include "ksd/log.h"
#include "ksd/utf8.h"

#include <algorithm>
#include <cctype>

namespace ksd::server {

namespace {

ContentFailure fail_with(Error const& e, std::string const& en, std::string const& id) {
    return ContentFailure {en + ": " + e.message, id + ": " + e.message, {}};
}

std::string trim(std::string const& s) {
    size_t a = s.find_first_not_of(" \t\r\n");
    if (a == std::string::npos)
        return "";
    size_t b = s.find_last_not_of(" \t\r\n");
    return s.substr(a, b - a + 1);
}

} // namespace

ContentResult<std::vector<FieldProblem>> record_evaluation(
    Conn& db, EvaluationInput const& in, std::string const& by, Date today, int64_t now) {
    std::vector<FieldProblem> problems;
    Evaluation e;
    e.nomor = trim(in.nomor);
    e.summary = trim(in.ringkasan);
    e.unit = trim(in.penanggung_jawab);
    e.recorded_by = by;
    e.recorded_at = now;
    auto date = parse_date(trim(in.tanggal));
    if (!date)
        problems.push_back({"tanggal", "not a date (YYYY-MM-DD)", "bukan tanggal (TTTT-BB-HH)"});
    else if (*date > today)
        problems.push_back({"tanggal", "the date is in the future", "tanggalnya belum terjadi"});
    else
        e.evaluated_on = *date;
    if (auto st = parse_implementation_state(in.status))
        e.state = *st;
    else
        problems.push_back(
            {"status", "choose the implementation state", "pilih status pelaksanaan"});
    if (e.summary.empty())
        problems.push_back(
            {"ringkasan", "write a summary of the evaluation", "tulis ringkasan hasil evaluasi"});
    else if (utf8::length(e.summary) > evaluation_summary_max)
        problems.push_back(
            {"ringkasan", "at most " + std::to_string(evaluation_summary_max) + " characters",
                "paling banyak " + std::to_string(evaluation_summary_max) + " karakter"});
    if (utf8::length(e.unit) > 200)
        problems.push_back(
            {"penanggung_jawab", "at most 200 characters", "paling banyak 200 karakter"});
    auto rows = list_agreements(db);
    if (!rows.ok())
        return rows.failure();
    auto it = std::find_if(rows->begin(), rows->end(),
        [&](AgreementRow const& r) { return trim(r.fields.nomor) == e.nomor; });
    if (it == rows->end())
        problems.push_back({"nomor", "the agreement " + e.nomor + " is not in the register",
            "kesepakatan " + e.nomor + " tidak ada di daftar"});
    if (!problems.empty())
        return problems;
    auto id = add_evaluation(db, e);
    if (!id)
        return fail_with(
            id.error(), "cannot store the evaluation", "evaluasi tidak dapat disimpan");
    // The register carries the latest evaluation (an older one recorded late is history only).
    auto history = evaluations_of(db, e.nomor);
    if (!history)
        return fail_with(
            history.error(), "cannot read the evaluations", "evaluasi tidak dapat dibaca");
    if (!history->empty() && history->front().id == *id) {
        AgreementMonitoring m;
        m.status_pelaksanaan = std::string(implementation_name(e.state, Lang::Id));
        m.tanggal_evaluasi = e.evaluated_on.iso();
        m.ringkasan_evaluasi = e.summary;
        m.penanggung_jawab = e.unit;
        auto written = set_agreement_monitoring(db, e.nomor, m, by, now);
        if (!written.ok())
            return written.failure();
    }
    return problems;
}

Date months_before(Date d, int months) {
    int total = d.year * 12 + (d.month - 1) - months;
    int year = total / 12;
    int month = total % 12 + 1;
    int day = d.day;
    while (day > 28 && !is_valid_date(year, month, day))
        --day;
    return Date {year, month, day};
}

MonevTodo monev_todo(std::vector<AgreementRow> const& rows,
    std::map<std::string, Evaluation> const& latest, Date today) {
    MonevTodo out;
    Date const stale_on_or_before = months_before(today, evaluation_every_months);
    for (auto const& r : rows) {
        auto start = parse_date(trim(r.fields.mulai));
        auto end = parse_date(trim(r.fields.berakhir));
        if (!start || !end)
            continue; // "Periksa" names the row; the to-do list cannot place it
        TodoItem item;
        item.fields = r.fields;
        item.end = *end;
        item.days_left = end->days() - today.days();
        item.last_evaluated = parse_date(trim(r.monitoring.tanggal_evaluasi));
        item.state = parse_implementation_state(r.monitoring.status_pelaksanaan);
        if (auto it = latest.find(trim(r.fields.nomor)); it != latest.end()) {
            if (!item.last_evaluated || it->second.evaluated_on >= *item.last_evaluated) {
                item.last_evaluated = it->second.evaluated_on;
                item.state = it->second.state;
            }
        }
        if (item.days_left < 0)
            continue; // ended: nothing left to do
        if (item.days_left <= todo_soon_days)
            out.ending_90.push_back(item);
        else if (item.days_left <= todo_later_days)
            out.ending_180.push_back(item);
        bool in_force = *start <= today;
        if (in_force && (!item.last_evaluated || *item.last_evaluated <= stale_on_or_before))
            out.not_evaluated.push_back(item);
    }
    auto by_end = [](TodoItem const& a, TodoItem const& b) {
        return a.end != b.end ? a.end < b.end : a.fields.nomor < b.fields.nomor;
    };
    std::sort(out.ending_90.begin(), out.ending_90.end(), by_end);
    std::sort(out.ending_180.begin(), out.ending_180.end(), by_end);
    // Never evaluated first, then the longest ago.
    std::sort(out.not_evaluated.begin(), out.not_evaluated.end(),
        [](TodoItem const& a, TodoItem const& b) {
            if (a.last_evaluated.has_value() != b.last_evaluated.has_value())
                return !a.last_evaluated.has_value();
            if (a.last_evaluated && *a.last_evaluated != *b.last_evaluated)
                return *a.last_evaluated < *b.last_evaluated;
            return a.fields.nomor < b.fields.nomor;
        });
    return out;
}

ContentResult<MonevTodo> load_monev_todo(Conn& db, Date today) {
    auto rows = list_agreements(db);
    if (!rows.ok())
        return rows.failure();
    auto latest = latest_evaluations(db);
    if (!latest)
        return fail_with(
            latest.error(), "cannot read the evaluations", "evaluasi tidak dapat dibaca");
    return monev_todo(*rows, *latest, today);
}

std::string monev_agreement_path(std::string const& nomor) {
    static char const hex[] = "0123456789ABCDEF";
    std::string q;
    for (unsigned char c : nomor) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/')
            q += static_cast<char>(c);
        else {
            q += '%';
            q += hex[c >> 4];
            q += hex[c & 15];
        }
    }
    return "/staff/content/monev/agreement?nomor=" + q;
}

int iso_weekday(Date d) {
    // 1970-01-01 was a Thursday.
    int64_t w = (d.days() + 3) % 7;
    if (w < 0)
        w += 7;
    return static_cast<int>(w) + 1;
}

std::string digest_week_due(DigestSchedule const& s, int64_t now) {
    Date local = date_in(now, s.zone);
    int64_t monday = local.days() - (iso_weekday(local) - 1);
    int64_t const local_now = now + int64_t {s.zone.utc_offset_minutes} * 60;
    int64_t const slot = (monday + s.weekday - 1) * 86400 + int64_t {s.hour} * 3600;
    if (local_now < slot)
        return "";
    return Date::from_days(monday).iso();
}

namespace {

std::string link_of(std::string const& public_url, std::string const& nomor) {
    if (public_url.empty())
        return "";
    std::string base = public_url;
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    return base + monev_agreement_path(nomor);
}

void append_items(std::string& out, std::vector<TodoItem> const& items, Date today,
    std::string const& public_url) {
    (void)today;
    if (items.empty()) {
        out += "  (tidak ada / none)\n";
        return;
    }
    for (auto const& i : items) {
        out += "- " + i.fields.nomor + " \xE2\x80\x94 " + i.fields.mitra + "\n  " + i.fields.perihal
            + "\n  Berakhir " + format_date_long(i.end, false) + " (" + std::to_string(i.days_left)
            + " hari lagi); evaluasi terakhir: "
            + (i.last_evaluated ? format_date_long(*i.last_evaluated, false) : "belum pernah")
            + (i.state ? " (" + std::string(implementation_name(*i.state, Lang::Id)) + ")" : "")
            + "\n";
        if (auto l = link_of(public_url, i.fields.nomor); !l.empty())
            out += "  " + l + "\n";
    }
}

} // namespace

std::string digest_text(MonevTodo const& todo, Date today, std::string const& public_url) {
    std::string out = "Daftar tindak lanjut monitoring dan evaluasi kerja sama per "
        + format_date_long(today, false) + " (" + std::to_string(todo.size()) + " butir).\n"
        + "Monitoring to-do list of the agreements as of " + format_date_long(today, true)
        + ".\n\n";
    out += "Berakhir dalam 90 hari / Ending within 90 days:\n";
    append_items(out, todo.ending_90, today, public_url);
    out += "\nBerakhir dalam 91-180 hari / Ending within 180 days:\n";
    append_items(out, todo.ending_180, today, public_url);
    out += "\nBelum dievaluasi 12 bulan atau belum pernah / Not evaluated for 12 months:\n";
    append_items(out, todo.not_evaluated, today, public_url);
    out += "\nPesan otomatis mingguan dari ksd-server. Weekly message from ksd-server.\n";
    return out;
}

Result<std::string> build_digest_mail(MonevTodo const& todo, Date today, DigestSchedule const& s,
    std::string const& from, std::string const& to, std::string const& week, int64_t now) {
    if (!is_plain_address(from))
        return make_error("mail.from is not a plain address local@domain");
    if (!is_plain_address(to))
        return make_error("monev.digest_to: '" + to + "' is not a plain address local@domain");
    std::string subject = "Monev kerja sama: " + std::to_string(todo.size())
        + " butir perlu tindak lanjut (" + format_date_long(today, false) + ")";
    std::string m;
    m += "Date: " + mail_date(now) + "\r\n";
    m += "From: " + from + "\r\n";
    m += "To: " + to + "\r\n";
    m += "Subject: " + encode_header_text(subject, 9) + "\r\n";
    // The same id for a week's digest: a copy is recognisable.
    m += "Message-ID: <ksd-monev-" + week + "@" + address_domain(from) + ">\r\n";
    m += "MIME-Version: 1.0\r\n";
    m += "Content-Type: text/plain; charset=UTF-8\r\n";
    m += "Content-Transfer-Encoding: quoted-printable\r\n";
    m += "Auto-Submitted: auto-generated\r\n";
    m += "\r\n";
    m += quoted_printable(digest_text(todo, today, s.public_url));
    return m;
}

Result<DigestOutcome> send_digest_if_due(Conn& db, NotifySettings const& settings,
    DigestSchedule const& s, int64_t now, std::atomic<bool> const* stop) {
    if (!settings.mail_on() || s.to.empty())
        return DigestOutcome::Off;
    std::string week = digest_week_due(s, now);
    if (week.empty())
        return DigestOutcome::NotDue;
    TRY_RESULT(bool claimed, claim_digest_week(db, week, now));
    if (!claimed)
        return DigestOutcome::AlreadySent;
    Date today = date_in(now, s.zone);
    auto todo = load_monev_todo(db, today);
    if (!todo.ok()) {
        TRY_VOID(release_digest_week(db, week));
        return make_error("monev digest: " + todo.failure().en);
    }
    int sent = 0;
    std::string errors;
    for (auto const& to : s.to) {
        auto message = build_digest_mail(*todo, today, s, settings.mail_from, to, week, now);
        auto r = message ? send_mail(settings, to, *message, stop) : Result<void> {message.error()};
        if (r)
            ++sent;
        else
            errors += (errors.empty() ? "" : "; ") + to + ": " + r.error().message;
    }
    if (sent == 0) {
        TRY_VOID(release_digest_week(db, week));
        return make_error("monev digest of the week of " + week + " not sent: " + errors);
    }
    TRY_VOID(mark_digest_sent(db, week, now, sent));
    if (!errors.empty())
        log::error("notify", "monev digest of the week of " + week + ": " + errors);
    return DigestOutcome::Sent;
}

} // namespace ksd::server
