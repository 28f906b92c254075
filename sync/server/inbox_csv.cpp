// The inbox's CSV export (see inbox_csv.h).
#include "inbox_csv.h"

#include "web/format.h"

#include "ksd/csv.h"
#include "ksd/request_options.h"
#include "ksd/utf8.h"

namespace ksd::server {

namespace {

std::string local_time(int64_t unix_s, int offset_minutes) {
    if (unix_s <= 0)
        return "";
    Date d = local_date(unix_s, offset_minutes);
    int64_t into = unix_s - local_day_start(d, offset_minutes);
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", static_cast<int>(into / 3600),
        static_cast<int>(into % 3600 / 60));
    return d.iso() + " " + hm;
}

char separator_char(CsvSeparator s) {
    switch (s) {
    case CsvSeparator::Semicolon:
        return ';';
    case CsvSeparator::Comma:
        return ',';
    }
    return ';';
}

} // namespace

std::optional<CsvSeparator> parse_csv_separator(std::string_view s) {
    if (s.empty() || s == "semicolon" || s == ";")
        return CsvSeparator::Semicolon;
    if (s == "comma" || s == ",")
        return CsvSeparator::Comma;
    return std::nullopt;
}

std::string inbox_csv_head(InboxCsvOptions const& o) {
    static constexpr char const* id[] = {"Diterima", "Kode", "Status", "Terlambat", "Tenggat",
        "Kategori pemohon", "Topik", "Bidang", "Nama", "Instansi", "Telepon", "E-mail",
        "Pertanyaan", "Anjungan", "Ditugaskan (id)", "Balasan pertama", "ID"};
    static constexpr char const* en[] = {"Received", "Code", "Status", "Overdue", "Due",
        "Visitor category", "Topic", "Sector", "Name", "Organisation", "Phone", "E-mail",
        "Question", "Kiosk", "Assigned (id)", "First reply", "ID"};
    char sep = separator_char(o.separator);
    std::string out = "\xEF\xBB\xBF";
    auto const& names = o.lang == Lang::Id ? id : en;
    for (size_t i = 0; i < std::size(id); ++i) {
        if (i > 0)
            out += sep;
        out += csv::cell(names[i], sep);
    }
    return out + "\r\n";
}

std::string inbox_csv_line(InboxRow const& r, InboxCsvOptions const& o, int64_t now) {
    char sep = separator_char(o.separator);
    bool const masked = o.contacts == ContactView::Masked;
    bool const en = o.lang == Lang::En;
    std::string const cells[] = {local_time(r.received_at, o.utc_offset_minutes), r.code, r.status,
        r.overdue(now) ? (en ? "yes" : "ya") : "", local_time(r.due_at, o.utc_offset_minutes),
        web::term_word(visitor_categories, r.category, o.lang),
        web::term_word(request_topics, r.topic, o.lang),
        web::term_word(sectors(), r.sector, o.lang), r.name, r.organisation,
        masked ? web::mask_phone(r.phone) : r.phone, masked ? web::mask_email(r.email) : r.email,
        r.question, r.kiosk_id, r.assigned_to ? std::to_string(*r.assigned_to) : "",
        local_time(r.first_reply_at, o.utc_offset_minutes), r.id};
    std::string out;
    for (size_t i = 0; i < std::size(cells); ++i) {
        if (i > 0)
            out += sep;
        out += csv::cell(cells[i], sep);
    }
    return out + "\r\n";
}

Result<int64_t> write_inbox_csv(Conn& db, InboxFilter const& f, int64_t now,
    InboxCsvOptions const& o, std::function<bool(std::string_view)> const& sink,
    size_t chunk_bytes) {
    std::string chunk = inbox_csv_head(o);
    int64_t rows = 0;
    bool open = true;
    TRY_VOID(for_each_inbox_row(db, f, now, [&](InboxRow const& r) {
        chunk += inbox_csv_line(r, o, now);
        ++rows;
        if (chunk.size() >= chunk_bytes) {
            open = sink(chunk);
            chunk.clear();
        }
        return open;
    }));
    if (open && !chunk.empty())
        open = sink(chunk);
    return rows;
}

} // namespace ksd::server
