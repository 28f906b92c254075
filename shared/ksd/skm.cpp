// The satisfaction survey's elements and the device's store of answers; see skm.h.
#include "ksd/skm.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <cmath>

namespace ksd {

namespace {

// Questions and answer words of the regulation's questionnaire (PermenPAN-RB 14/2017, Lampiran),
// in the element order of the regulation's list of unsur; English is ours.
constexpr std::array<SkmElement, skm_element_count> elements {{
    {"U1", {"Persyaratan", "Requirements"},
        {"Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis "
         "pelayanannya?",
            "How well do the requirements fit the kind of service?"},
        {{{"Tidak sesuai", "Not suitable"}, {"Kurang sesuai", "Somewhat unsuitable"},
            {"Sesuai", "Suitable"}, {"Sangat sesuai", "Very suitable"}}}},
    {"U2", {"Sistem, Mekanisme dan Prosedur", "System, mechanism and procedure"},
        {"Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?",
            "How easy is the service procedure of this office?"},
        {{{"Tidak mudah", "Not easy"}, {"Kurang mudah", "Somewhat difficult"}, {"Mudah", "Easy"},
            {"Sangat mudah", "Very easy"}}}},
    {"U3", {"Waktu Penyelesaian", "Time to complete"},
        {"Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?",
            "How fast is the service?"},
        {{{"Tidak cepat", "Not fast"}, {"Kurang cepat", "Somewhat slow"}, {"Cepat", "Fast"},
            {"Sangat cepat", "Very fast"}}}},
    {"U4", {"Biaya/Tarif", "Cost/fee"},
        {"Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?",
            "How fair is the cost of the service?"},
        {{{"Sangat mahal", "Very expensive"}, {"Cukup mahal", "Rather expensive"},
            {"Murah", "Cheap"}, {"Gratis", "Free of charge"}}}},
    {"U5", {"Produk Spesifikasi Jenis Pelayanan", "Service product as specified"},
        {"Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum "
         "dalam standar pelayanan dengan hasil yang diberikan?",
            "How well does what you received match the service standard?"},
        {{{"Tidak sesuai", "Not suitable"}, {"Kurang sesuai", "Somewhat unsuitable"},
            {"Sesuai", "Suitable"}, {"Sangat sesuai", "Very suitable"}}}},
    {"U6", {"Kompetensi Pelaksana", "Staff competence"},
        {"Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?",
            "How competent are the staff who served you?"},
        {{{"Tidak kompeten", "Not competent"}, {"Kurang kompeten", "Somewhat incompetent"},
            {"Kompeten", "Competent"}, {"Sangat kompeten", "Very competent"}}}},
    {"U7", {"Perilaku Pelaksana", "Staff conduct"},
        {"Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan "
         "dan keramahan?",
            "How polite and friendly are the staff?"},
        {{{"Tidak sopan dan ramah", "Not polite and friendly"},
            {"Kurang sopan dan ramah", "Somewhat impolite"},
            {"Sopan dan ramah", "Polite and friendly"},
            {"Sangat sopan dan ramah", "Very polite and friendly"}}}},
    {"U8", {"Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints and suggestions"},
        {"Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?",
            "How are complaints from service users handled?"},
        {{{"Tidak ada", "There is none"},
            {"Ada tetapi tidak berfungsi", "Exists but does not work"},
            {"Berfungsi kurang maksimal", "Works, but not fully"},
            {"Dikelola dengan baik", "Well managed"}}}},
    {"U9", {"Sarana dan Prasarana", "Facilities"},
        {"Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?",
            "How good are the facilities?"},
        {{{"Buruk", "Poor"}, {"Cukup", "Fair"}, {"Baik", "Good"}, {"Sangat baik", "Very good"}}}},
}};

constexpr std::array<SkmChoice, 2> genders {{
    {"m", {"Laki-laki", "Male"}},
    {"f", {"Perempuan", "Female"}},
}};
constexpr std::array<SkmChoice, 6> age_bands {{
    {"lt20", {"Di bawah 20", "Under 20"}},
    {"20-29", {"20–29", "20–29"}},
    {"30-39", {"30–39", "30–39"}},
    {"40-49", {"40–49", "40–49"}},
    {"50-59", {"50–59", "50–59"}},
    {"60+", {"60 ke atas", "60 and over"}},
}};
constexpr std::array<SkmChoice, 6> educations {{
    {"sd", {"SD ke bawah", "Primary or less"}},
    {"smp", {"SMP", "Junior high"}},
    {"sma", {"SMA", "Senior high"}},
    {"diploma", {"D1–D4", "Diploma"}},
    {"s1", {"S1", "Bachelor"}},
    {"s2+", {"S2 ke atas", "Postgraduate"}},
}};
constexpr std::array<SkmChoice, 6> occupations {{
    {"pns", {"PNS", "Civil servant"}},
    {"tni", {"TNI", "Armed forces"}},
    {"polri", {"POLRI", "Police"}},
    {"swasta", {"Swasta", "Private sector"}},
    {"wirausaha", {"Wirausaha", "Self-employed"}},
    {"other", {"Lainnya", "Other"}},
}};

constexpr char const* skm_columns
    = "id, kiosk_id, created_at, clock_trusted, form_version, u1, u2, u3, u4, u5, u6, u7, u8, "
      "u9, gender, age_band, education, occupation, lang, state, attempts, next_attempt_at, "
      "last_error";

SkmResponse read_response(Statement const& st) {
    SkmResponse r;
    r.id = st.column_text(0);
    r.kiosk_id = st.column_text(1);
    r.created_at = st.column_int64(2);
    r.clock_trusted = st.column_int(3) != 0;
    r.form_version = st.column_text(4);
    for (int i = 0; i < skm_element_count; ++i)
        r.input.answers[static_cast<size_t>(i)] = st.column_int(5 + i);
    r.input.respondent.gender = st.column_text(14);
    r.input.respondent.age_band = st.column_text(15);
    r.input.respondent.education = st.column_text(16);
    r.input.respondent.occupation = st.column_text(17);
    r.input.lang = parse_lang(st.column_text(18)).value_or(Lang::Id);
    r.state = parse_delivery_state(st.column_text(19)).value_or(DeliveryState::Queued);
    r.attempts = st.column_int(20);
    r.next_attempt_at = st.column_int64(21);
    r.last_error = st.column_text(22);
    return r;
}

} // namespace

std::span<SkmElement const> skm_elements() {
    return elements;
}
std::span<SkmChoice const> skm_genders() {
    return genders;
}
std::span<SkmChoice const> skm_age_bands() {
    return age_bands;
}
std::span<SkmChoice const> skm_educations() {
    return educations;
}
std::span<SkmChoice const> skm_occupations() {
    return occupations;
}

bool skm_choice_valid(std::span<SkmChoice const> choices, std::string_view code) {
    if (code.empty())
        return true;
    for (auto const& c : choices)
        if (c.code == code)
            return true;
    return false;
}

std::optional<std::string> skm_input_problem(SkmInput const& in) {
    bool any = false;
    for (size_t i = 0; i < in.answers.size(); ++i) {
        int v = in.answers[i];
        if (v != 0 && (v < skm_min_value || v > skm_max_value))
            return std::string(elements[i].code) + " has the value " + std::to_string(v)
                + ", outside 1..4 (0: not answered)";
        any = any || v != 0;
    }
    if (!any)
        return std::string("no element is answered");
    auto const& r = in.respondent;
    if (!skm_choice_valid(genders, r.gender))
        return "unknown gender code '" + r.gender + "'";
    if (!skm_choice_valid(age_bands, r.age_band))
        return "unknown age band '" + r.age_band + "'";
    if (!skm_choice_valid(educations, r.education))
        return "unknown education code '" + r.education + "'";
    if (!skm_choice_valid(occupations, r.occupation))
        return "unknown occupation code '" + r.occupation + "'";
    return std::nullopt;
}

Result<SkmResponse> save_skm_response(
    Db& db, SkmInput const& in, std::string const& kiosk_id, WallClock clock) {
    if (auto problem = skm_input_problem(in))
        return Error {"cannot save the survey answers: " + *problem};
    SkmResponse r;
    r.id = generate_uuid_v4();
    r.kiosk_id = kiosk_id;
    r.created_at = clock.unix_seconds;
    r.clock_trusted = clock.trusted;
    r.form_version = skm_form_version;
    r.input = in;
    {
        TRY_RESULT(auto ins,
            db.prepare("INSERT INTO skm_responses(id, kiosk_id, created_at, clock_trusted, "
                       "form_version, u1, u2, u3, u4, u5, u6, u7, u8, u9, gender, age_band, "
                       "education, occupation, lang) "
                       "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        auto const& a = in.answers;
        auto const& p = in.respondent;
        ins.bind_all(r.id, r.kiosk_id, r.created_at, clock.trusted ? 1 : 0, r.form_version, a[0],
            a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], p.gender, p.age_band, p.education,
            p.occupation, std::string(lang_code(in.lang)));
        // One statement in autocommit mode: SQLite commits it durably (synchronous=FULL) before
        // run() returns.
        auto inserted = ins.run();
        if (inserted.ok())
            return r;
        if (sqlite3_get_autocommit(db.raw()) == 0)
            (void)db.exec("ROLLBACK");
        // As with tickets: an error at commit leaves the outcome unknown; the database decides.
        auto again = find_skm_response(db, r.id);
        if (again.ok() && again->has_value())
            return again->value();
        return inserted.error().context("cannot save the survey answers");
    }
}

nlohmann::json skm_record_json(SkmResponse const& r) {
    using nlohmann::json;
    json answers = json::array();
    for (int v : r.input.answers)
        answers.push_back(v);
    auto const& p = r.input.respondent;
    return json {{"id", r.id}, {"kiosk_id", r.kiosk_id}, {"created_at", r.created_at},
        {"clock_trusted", r.clock_trusted}, {"form_version", r.form_version},
        {"answers", std::move(answers)}, {"gender", p.gender}, {"age_band", p.age_band},
        {"education", p.education}, {"occupation", p.occupation},
        {"lang", std::string(lang_code(r.input.lang))}};
}

Result<std::optional<SkmResponse>> find_skm_response(Db& db, std::string const& id) {
    TRY_RESULT(auto st,
        db.prepare(std::string("SELECT ") + skm_columns + " FROM skm_responses WHERE id = ?"));
    st.bind(1, id);
    TRY_RESULT(bool row, st.step());
    if (!row)
        return std::optional<SkmResponse> {};
    return std::optional<SkmResponse> {read_response(st)};
}

Result<std::vector<SkmResponse>> unacknowledged_skm_responses(Db& db, int limit) {
    TRY_RESULT(auto st,
        db.prepare(std::string("SELECT ") + skm_columns
            + " FROM skm_responses WHERE state <> 'acknowledged' ORDER BY rowid LIMIT ?"));
    st.bind(1, limit);
    std::vector<SkmResponse> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_response(st));
    }
    return out;
}

Result<int> skm_responses_waiting(Db& db) {
    TRY_RESULT(
        auto st, db.prepare("SELECT count(*) FROM skm_responses WHERE state <> 'acknowledged'"));
    TRY_RESULT(bool row, st.step());
    return row ? st.column_int(0) : 0;
}

Result<std::vector<SkmResponse>> due_skm_responses(
    Db& db, int64_t now, int limit, bool ignore_schedule, int64_t absurd_future_s) {
    TRY_RESULT(auto st,
        db.prepare(std::string("SELECT ") + skm_columns
            + " FROM skm_responses WHERE state = 'queued' AND (?3 != 0 OR next_attempt_at <= ?1 "
              "OR next_attempt_at > ?1 + ?4) ORDER BY rowid LIMIT ?2"));
    st.bind_all(now, limit, ignore_schedule ? 1 : 0, absurd_future_s);
    std::vector<SkmResponse> out;
    while (true) {
        TRY_RESULT(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_response(st));
    }
    return out;
}

Result<void> mark_skm_acknowledged(Db& db, std::string const& id) {
    TRY_RESULT(auto st,
        db.prepare("UPDATE skm_responses SET state = 'acknowledged', last_error = '' WHERE id = ? "
                   "AND state IN ('queued', 'sending')"));
    st.bind(1, id);
    return st.run();
}

Result<int> delete_acknowledged_skm_responses(Db& db) {
    TRY_VOID(db.exec("DELETE FROM skm_responses WHERE state = 'acknowledged'"));
    return db.changes();
}

Result<void> quarantine_skm_response(Db& db, std::string const& id, std::string const& reason) {
    TRY_RESULT(auto st,
        db.prepare("UPDATE skm_responses SET state = 'quarantined', attempts = attempts + 1, "
                   "last_error = ? WHERE id = ? AND state IN ('queued', 'sending')"));
    st.bind_all(reason, id);
    return st.run();
}

Result<void> retry_skm_response(
    Db& db, std::string const& id, std::string const& reason, int64_t next_attempt_at) {
    TRY_RESULT(auto st,
        db.prepare("UPDATE skm_responses SET state = 'queued', attempts = attempts + 1, "
                   "last_error = ?, next_attempt_at = ? WHERE id = ? "
                   "AND state IN ('queued', 'sending')"));
    st.bind_all(reason, next_attempt_at, id);
    return st.run();
}

Result<int> release_quarantined_skm_responses(Db& db) {
    TRY_VOID(db.exec("UPDATE skm_responses SET state = 'queued', next_attempt_at = 0 "
                     "WHERE state = 'quarantined'"));
    return db.changes();
}

Result<SkmQueueCounts> skm_queue_counts(Db& db) {
    TRY_RESULT(auto st,
        db.prepare("SELECT coalesce(sum(state IN ('queued', 'sending')), 0), "
                   "coalesce(sum(state = 'quarantined'), 0) FROM skm_responses"));
    TRY_RESULT(bool row, st.step());
    SkmQueueCounts c;
    if (row) {
        c.queued = st.column_int(0);
        c.quarantined = st.column_int(1);
    }
    return c;
}

SkmText skm_grade_words(SkmGrade g) {
    switch (g) {
    case SkmGrade::A:
        return {"Sangat Baik", "Very good"};
    case SkmGrade::B:
        return {"Baik", "Good"};
    case SkmGrade::C:
        return {"Kurang Baik", "Poor"};
    case SkmGrade::D:
        return {"Tidak Baik", "Not good"};
    }
    return {"Tidak Baik", "Not good"};
}

char skm_grade_letter(SkmGrade g) {
    switch (g) {
    case SkmGrade::A:
        return 'A';
    case SkmGrade::B:
        return 'B';
    case SkmGrade::C:
        return 'C';
    case SkmGrade::D:
        return 'D';
    }
    return 'D';
}

namespace {
// Hundredths, so that the cut-offs compare exactly (76.61 is not a binary fraction).
int64_t hundredths(double v) {
    return std::llround(v * 100.0);
}
} // namespace

SkmGrade skm_grade_of(double ikm) {
    int64_t const h = hundredths(ikm);
    if (h >= 8831)
        return SkmGrade::A;
    if (h >= 7661)
        return SkmGrade::B;
    if (h >= 6500)
        return SkmGrade::C;
    return SkmGrade::D;
}

void SkmTally::add(std::array<int, skm_element_count> const& answers) {
    ++respondents;
    for (size_t i = 0; i < answers.size(); ++i)
        if (answers[i] >= skm_min_value && answers[i] <= skm_max_value) {
            ++answered[i];
            sum[i] += answers[i];
        }
}

SkmIndex skm_index(SkmTally const& t) {
    SkmIndex x;
    x.respondents = t.respondents;
    int k = 0;
    for (size_t i = 0; i < t.answered.size(); ++i)
        if (t.answered[i] > 0)
            ++k;
    if (k == 0)
        return x;
    x.empty = false;
    x.complete = k == skm_element_count;
    double const weight = 1.0 / k;
    double interval = 0;
    for (size_t i = 0; i < t.answered.size(); ++i) {
        auto& e = x.elements[i];
        e.answered = t.answered[i];
        if (e.answered == 0)
            continue;
        e.nrr = double(t.sum[i]) / double(e.answered);
        e.weight = weight;
        e.weighted = e.nrr * weight;
        interval += e.weighted;
    }
    x.interval = interval;
    x.ikm = double(hundredths(interval * 25.0)) / 100.0;
    x.grade = skm_grade_of(x.ikm);
    return x;
}

SkmIndex skm_index(std::span<SkmInput const> inputs) {
    SkmTally t;
    for (auto const& in : inputs)
        t.add(in.answers);
    return skm_index(t);
}

} // namespace ksd
