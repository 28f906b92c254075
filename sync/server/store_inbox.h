// The inbox's storage: the list of requests newest first with its filters and keyset paging,
// the counts on top, the service level's due times, and a generator of large databases for the
// benchmark. All SQL of the inbox is here (handlers never prepare statements).
#pragma once

#include "sla.h"

#include "ksd/result.h"
#include "sql.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ksd::server {

enum class OverdueFilter { Any, Only };

// Every field narrows the list; empty or absent ones do not. Text fields match exactly (the
// stored codes and words); words are searched in question, name, organisation and code.
struct InboxFilter {
    std::string status;
    std::string kiosk_id;
    std::string topic;
    std::string category;
    std::string sector;
    std::optional<int64_t> received_from; // Unix seconds, inclusive
    std::optional<int64_t> received_before; // Unix seconds, exclusive
    OverdueFilter overdue {OverdueFilter::Any};
    std::optional<int64_t> assigned_to; // a staff user's id
    std::string words; // what staff typed; made safe for FTS5 here
};

// A position in the list: the row with this (received_at, id). The list is ordered by
// received_at, then id, both descending; "older" pages continue after it, "newer" before it.
struct InboxCursor {
    int64_t received_at {0};
    std::string id;
};
enum class PageDirection { Older, Newer };

struct InboxRow {
    std::string id;
    std::string code;
    std::string kiosk_id;
    int64_t created_at {0}; // the kiosk's clock
    bool clock_trusted {false};
    std::string category;
    std::string topic;
    std::string sector;
    std::string name;
    std::string phone;
    std::string email;
    std::string organisation;
    std::string question;
    std::string lang;
    int64_t received_at {0}; // the server's clock
    std::string status;
    std::optional<int64_t> assigned_to;
    int64_t first_reply_at {0}; // 0: not replied yet
    int64_t due_at {0};
    bool overdue(int64_t now) const { return first_reply_at == 0 && due_at > 0 && now >= due_at; }
};

struct InboxPage {
    std::vector<InboxRow> rows; // newest first
    // Where the neighbouring pages start; absent when there are none.
    std::optional<InboxCursor> older;
    std::optional<InboxCursor> newer;
};

// One page of at most limit rows (1..1000). Without a cursor: the newest rows. Costs the same
// on the thousandth page as on the first (an index range from the cursor, no OFFSET).
Result<InboxPage> inbox_page(Conn&, InboxFilter const&, int64_t now, int limit,
    std::optional<InboxCursor> const& from = std::nullopt,
    PageDirection direction = PageDirection::Older);

// The query plan of a page (EXPLAIN QUERY PLAN, one step a line): for the tests that keep every
// filter on an index.
Result<std::string> inbox_plan(Conn&, InboxFilter const&, int64_t now, bool with_cursor);

struct InboxCounts {
    int64_t fresh {0}; // status is the arrival state (Baru)
    int64_t overdue {0}; // no first reply and due
};
// The counts on top of the inbox, over all requests (not the filter).
Result<InboxCounts> inbox_counts(Conn&, int64_t now);
// The counts' query plans, one step a line (as inbox_plan): for the test that keeps them on
// their indexes.
Result<std::string> inbox_counts_plan(Conn&, int64_t now);

// Every row of the filter, newest first, in batches of batch_rows (each its own short read, so a
// long export never holds the database): visit returns false to stop early.
Result<void> for_each_inbox_row(Conn&, InboxFilter const&, int64_t now,
    std::function<bool(InboxRow const&)> const& visit, int batch_rows = 500);

// Due times: stored at ingest (store.cpp) from the rules of the running server. At start-up the
// server calls this: when the rules differ from those the stored due times were computed with
// (days, zone, holidays: a changed holiday list), the due times of requests without a first
// reply, and of those that have none yet, are computed again; answered requests keep theirs.
// Returns how many were recomputed.
Result<int64_t> refresh_due_times(Conn&, SlaRules const&);

// The benchmark's database: `requests` requests from `kiosks` kiosks received over `days`
// days before now, with statuses, replies and assignments spread as in a busy office, inserted
// in one transaction through the same schema (indexes, full-text triggers).
struct GenerateSpec {
    int64_t requests {1'000'000};
    int kiosks {500};
    int days {365};
    int64_t now {0};
    uint32_t seed {1};
    int staff_users {20}; // assigned_to takes ids 1..staff_users
};
Result<void> generate_requests(Conn&, GenerateSpec const&, SlaRules const&);

// The states the generator uses (issue 10's statuses; the first is a new request's).
std::vector<std::string> const& generated_states();

} // namespace ksd::server
