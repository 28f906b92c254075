// The SKM CSV exports; see skm_csv.h.
#include "skm_csv.h"

#include "sla.h"

#include "ksd/csv.h"

#include <cstdio>

namespace ksd::server {

namespace {

char sep_of(CsvSeparator s) {
    switch (s) {
    case CsvSeparator::Semicolon:
        return ';';
    case CsvSeparator::Comma:
        return ',';
    }
    return ';';
}

// A decimal with a comma for Indonesian spreadsheets when cells are ';'-separated, a point
// otherwise (a ',' separator and a decimal comma would clash).
std::string decimal(double v, int places, CsvSeparator s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", places, v);
    std::string out = buf;
    if (s == CsvSeparator::Semicolon)
        for (auto& c : out)
            if (c == '.')
                c = ',';
    return out;
}

std::string line(std::vector<std::string> const& cells, char sep) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0)
            out += sep;
        out += csv::cell(cells[i], sep);
    }
    return out + "\r\n";
}

std::string local_time(int64_t unix_s, int offset) {
    Date d = local_date(unix_s, offset);
    int64_t into = unix_s - local_day_start(d, offset);
    char hm[8];
    std::snprintf(hm, sizeof hm, "%02d:%02d", int(into / 3600), int(into % 3600 / 60));
    return d.iso() + " " + hm;
}

} // namespace

std::string skm_csv_head(SkmCsvOptions const& o) {
    bool const en = o.lang == Lang::En;
    std::vector<std::string> cells {en ? "Made" : "Waktu isi",
        en ? "Time estimated" : "Waktu perkiraan", en ? "Received" : "Diterima",
        en ? "Kiosk" : "Anjungan"};
    for (auto const& e : skm_elements())
        cells.emplace_back(e.code);
    for (auto const* h : en ? std::array {"Gender", "Age", "Education", "Occupation"}
                            : std::array {"Jenis kelamin", "Usia", "Pendidikan", "Pekerjaan"})
        cells.emplace_back(h);
    cells.emplace_back(en ? "Language" : "Bahasa");
    cells.emplace_back(en ? "Form" : "Formulir");
    cells.emplace_back("ID");
    return "\xEF\xBB\xBF" + line(cells, sep_of(o.separator));
}

std::string skm_csv_line(SkmRow const& r, SkmCsvOptions const& o) {
    bool const en = o.lang == Lang::En;
    std::vector<std::string> cells {local_time(r.made_at, o.utc_offset_minutes),
        r.made_at_estimated ? (en ? "yes" : "ya") : "",
        local_time(r.received_at, o.utc_offset_minutes), r.kiosk_id};
    // 0 (not answered) is an empty cell: a spreadsheet's AVERAGE then leaves it out, as the
    // index does.
    for (int v : r.answers)
        cells.push_back(v == 0 ? std::string() : std::to_string(v));
    for (auto const* code : {&r.respondent.gender, &r.respondent.age_band, &r.respondent.education,
             &r.respondent.occupation})
        cells.push_back(*code);
    cells.push_back(r.lang);
    cells.push_back(r.form_version);
    cells.push_back(r.id);
    return line(cells, sep_of(o.separator));
}

std::string skm_index_csv(SkmIndex const& x, SkmCsvOptions const& o) {
    bool const en = o.lang == Lang::En;
    char const sep = sep_of(o.separator);
    std::string out = "\xEF\xBB\xBF"
        + line({en ? "Element" : "Unsur", en ? "Name" : "Nama", en ? "Answers" : "Jawaban", "NRR",
                   en ? "Weight" : "Bobot", en ? "Weighted NRR" : "NRR tertimbang"},
            sep);
    auto elements = skm_elements();
    for (size_t i = 0; i < elements.size(); ++i) {
        auto const& e = x.elements[i];
        out += line({std::string(elements[i].code), std::string(elements[i].name.in(o.lang)),
                        std::to_string(e.answered),
                        e.answered ? decimal(e.nrr, 4, o.separator) : std::string(),
                        e.answered ? decimal(e.weight, 4, o.separator) : std::string(),
                        e.answered ? decimal(e.weighted, 4, o.separator) : std::string()},
            sep);
    }
    out += line({en ? "Index (1..4)" : "Nilai interval", "", "", "", "",
                    x.empty ? std::string() : decimal(x.interval, 4, o.separator)},
        sep);
    out += line(
        {"IKM", "", "", "", "", x.empty ? std::string() : decimal(x.ikm, 2, o.separator)}, sep);
    out += line({en ? "Grade" : "Mutu", "", "", "", "",
                    x.empty ? std::string()
                            : std::string(1, skm_grade_letter(x.grade)) + " "
                            + std::string(skm_grade_words(x.grade).in(o.lang))},
        sep);
    out += line(
        {en ? "Respondents" : "Responden", "", "", "", "", std::to_string(x.respondents)}, sep);
    return out;
}

} // namespace ksd::server
