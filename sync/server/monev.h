// Issue 14, monitoring and evaluation of agreements (monev): recording an evaluation (kept in the
// history and written into the draft register, so that the next "Terbitkan" carries the latest
// one to the kiosks), the office's to-do list (agreements ending within 90 and 180 days, those
// not evaluated for 12 months) and its weekly e-mail digest. Time is passed in everywhere.
#pragma once

#include "content_service.h"
#include "notify_worker.h"
#include "store_monev.h"

#include "ksd/date.h"
#include "sql.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ksd::server {

// What the evaluation form sends.
struct EvaluationInput {
    std::string nomor;
    std::string tanggal; // YYYY-MM-DD
    std::string status; // a code or name (parse_implementation_state)
    std::string ringkasan;
    std::string penanggung_jawab;
};
inline constexpr size_t evaluation_summary_max = 2000; // as content/FORMAT.md's limit

// Checks the input (a date not after today, a known state, a summary), adds it to the history and,
// when it is the agreement's latest evaluation, writes it into the draft's agreements.csv (the
// columns status_pelaksanaan, tanggal_evaluasi, ringkasan_evaluasi, penanggung_jawab). Problems
// come back per field and nothing is stored.
ContentResult<std::vector<FieldProblem>> record_evaluation(
    Conn&, EvaluationInput const&, std::string const& by, Date today, int64_t now);

struct TodoItem {
    AgreementFields fields;
    Date end;
    int64_t days_left {0}; // until the end date (0: ends today)
    std::optional<Date> last_evaluated; // the later of the history's and the register's
    std::optional<ImplementationState> state;
};
struct MonevTodo {
    std::vector<TodoItem> ending_90; // ends today or within 90 days
    std::vector<TodoItem> ending_180; // ends in 91 to 180 days
    // In force today and never evaluated, or last evaluated 12 months ago or longer.
    std::vector<TodoItem> not_evaluated;
    size_t size() const { return ending_90.size() + ending_180.size() + not_evaluated.size(); }
};
inline constexpr int todo_soon_days = 90;
inline constexpr int todo_later_days = 180;
inline constexpr int evaluation_every_months = 12;

// The same day months earlier (the month's last day when it has no such day: 29 Feb -> 28 Feb).
Date months_before(Date, int months);
// Pure: the to-do list of the register's rows on today.
MonevTodo monev_todo(
    std::vector<AgreementRow> const&, std::map<std::string, Evaluation> const&, Date today);
// The draft register and the history, read.
ContentResult<MonevTodo> load_monev_todo(Conn&, Date today);

// The dashboard's page of one agreement's monev: "/staff/content/monev/agreement?nomor=..." with
// the number percent-encoded (slashes kept: they are allowed in a query).
std::string monev_agreement_path(std::string const& nomor);

// 1 Monday ... 7 Sunday.
int iso_weekday(Date);
// The week (its Monday, "YYYY-MM-DD", in the zone) whose digest time has come at now, or "" before
// this week's time.
std::string digest_week_due(DigestSchedule const&, int64_t now);
// The digest's text (Bahasa Indonesia, with the English headings) and its whole message to one
// address.
std::string digest_text(MonevTodo const&, Date today, std::string const& public_url);
Result<std::string> build_digest_mail(MonevTodo const&, Date today, DigestSchedule const&,
    std::string const& from, std::string const& to, std::string const& week, int64_t now);

enum class DigestOutcome { Off, NotDue, AlreadySent, Sent };
// One pass of the notify worker: when mail and the digest are configured and this week's time
// has come, claims the week (so that no restart sends it twice), sends to every address and marks
// it sent; a send that reached nobody releases the week for a later try.
Result<DigestOutcome> send_digest_if_due(Conn&, NotifySettings const&, DigestSchedule const&,
    int64_t now, std::atomic<bool> const* stop);

} // namespace ksd::server
