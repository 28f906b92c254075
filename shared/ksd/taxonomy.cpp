// KSD vocabularies (Permendagri 22/2020, UU 23/2014 Lampiran: the 32 fields of affairs).
#include "ksd/taxonomy.h"
#include "ksd/ascii.h"

#include <array>
#include <cctype>

namespace ksd {

namespace {

constexpr std::array kinds {
    Term {"KSDD", "Kerja Sama Daerah dengan Daerah Lain", "Inter-regional cooperation"},
    Term {"KSDPK", "Kerja Sama Daerah dengan Pihak Ketiga", "Cooperation with a third party"},
    Term {"Sinergi", "Sinergi dengan Pemerintah Pusat", "Synergy with the central government"},
    Term {"KSDPL", "Kerja Sama dengan Pemerintah Daerah di Luar Negeri",
        "Cooperation with a foreign local government"},
    Term {"KSDLL", "Kerja Sama dengan Lembaga di Luar Negeri",
        "Cooperation with a foreign institution"},
};

constexpr std::array doc_types {
    Term {"KB", "Kesepakatan Bersama", "Joint Agreement (KB)"},
    Term {"PKS", "Perjanjian Kerja Sama", "Cooperation Agreement (PKS)"},
    Term {"NK", "Nota Kesepakatan", "Memorandum of Agreement (NK)"},
    Term {"MoU", "Memorandum of Understanding", "Memorandum of Understanding"},
};

constexpr std::array sector_list {
    Term {"pendidikan", "Pendidikan", "Education"},
    Term {"kesehatan", "Kesehatan", "Health"},
    Term {"pupr", "Pekerjaan Umum dan Penataan Ruang", "Public Works and Spatial Planning"},
    Term {"perumahan", "Perumahan dan Kawasan Permukiman", "Housing and Settlement Areas"},
    Term {"trantibum", "Ketenteraman, Ketertiban Umum, dan Pelindungan Masyarakat",
        "Public Order and Community Protection"},
    Term {"sosial", "Sosial", "Social Affairs"},
    Term {"tenaga-kerja", "Tenaga Kerja", "Manpower"},
    Term {"pppa", "Pemberdayaan Perempuan dan Pelindungan Anak",
        "Women's Empowerment and Child Protection"},
    Term {"pangan", "Pangan", "Food"},
    Term {"pertanahan", "Pertanahan", "Land Affairs"},
    Term {"lingkungan-hidup", "Lingkungan Hidup", "Environment"},
    Term {"adminduk", "Administrasi Kependudukan dan Pencatatan Sipil",
        "Population Administration and Civil Registration"},
    Term {"pmd", "Pemberdayaan Masyarakat dan Desa", "Community and Village Empowerment"},
    Term {"pengendalian-penduduk", "Pengendalian Penduduk dan Keluarga Berencana",
        "Population Control and Family Planning"},
    Term {"perhubungan", "Perhubungan", "Transportation"},
    Term {"kominfo", "Komunikasi dan Informatika", "Communication and Informatics"},
    Term {"koperasi-ukm", "Koperasi, Usaha Kecil, dan Menengah",
        "Cooperatives and Small and Medium Enterprises"},
    Term {"penanaman-modal", "Penanaman Modal", "Investment"},
    Term {"kepemudaan-olahraga", "Kepemudaan dan Olahraga", "Youth and Sports"},
    Term {"statistik", "Statistik", "Statistics"},
    Term {"persandian", "Persandian", "Cryptography"},
    Term {"kebudayaan", "Kebudayaan", "Culture"},
    Term {"perpustakaan", "Perpustakaan", "Libraries"},
    Term {"kearsipan", "Kearsipan", "Archives"},
    Term {"kelautan-perikanan", "Kelautan dan Perikanan", "Marine Affairs and Fisheries"},
    Term {"pariwisata", "Pariwisata", "Tourism"},
    Term {"pertanian", "Pertanian", "Agriculture"},
    Term {"kehutanan", "Kehutanan", "Forestry"},
    Term {"esdm", "Energi dan Sumber Daya Mineral", "Energy and Mineral Resources"},
    Term {"perdagangan", "Perdagangan", "Trade"},
    Term {"perindustrian", "Perindustrian", "Industry"},
    Term {"transmigrasi", "Transmigrasi", "Transmigration"},
};
static_assert(sector_list.size() == 32, "the list of government affairs has 32 fields");

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i]))
            != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

Term const* find_in(std::span<Term const> terms, std::string_view key) {
    key = trim_ascii(key);
    for (auto const& t : terms)
        if (iequals(t.code, key) || iequals(t.name_id, key) || iequals(t.name_en, key))
            return &t;
    return nullptr;
}

} // namespace

std::string_view lang_code(Lang l) {
    return l == Lang::Id ? "id" : "en";
}

std::optional<Lang> parse_lang(std::string_view s) {
    if (s == "id")
        return Lang::Id;
    if (s == "en")
        return Lang::En;
    return std::nullopt;
}

std::span<Term const> agreement_kinds() {
    return kinds;
}
std::span<Term const> document_types() {
    return doc_types;
}
std::span<Term const> sectors() {
    return sector_list;
}
Term const* find_kind(std::string_view s) {
    return find_in(kinds, s);
}
Term const* find_document_type(std::string_view s) {
    return find_in(doc_types, s);
}
Term const* find_sector(std::string_view s) {
    return find_in(sector_list, s);
}

AgreementStatus agreement_status(Date start, Date end, Date today) {
    if (today < start)
        return AgreementStatus::NotYetActive;
    if (today > end)
        return AgreementStatus::Ended;
    if (end.days() - today.days() <= ending_soon_days)
        return AgreementStatus::EndingSoon;
    return AgreementStatus::Active;
}

std::string_view status_code(AgreementStatus s) {
    switch (s) {
    case AgreementStatus::NotYetActive:
        return "belum";
    case AgreementStatus::Active:
        return "aktif";
    case AgreementStatus::EndingSoon:
        return "akan-berakhir";
    case AgreementStatus::Ended:
        return "berakhir";
    }
    return "aktif";
}

std::optional<AgreementStatus> parse_status_code(std::string_view s) {
    for (auto st : {AgreementStatus::NotYetActive, AgreementStatus::Active,
             AgreementStatus::EndingSoon, AgreementStatus::Ended})
        if (status_code(st) == s)
            return st;
    return std::nullopt;
}

std::string_view status_name(AgreementStatus s, Lang l) {
    bool en = l == Lang::En;
    switch (s) {
    case AgreementStatus::NotYetActive:
        return en ? "Not yet in force" : "Belum berlaku";
    case AgreementStatus::Active:
        return en ? "Active" : "Aktif";
    case AgreementStatus::EndingSoon:
        return en ? "Ending soon" : "Akan berakhir";
    case AgreementStatus::Ended:
        return en ? "Ended" : "Berakhir";
    }
    return "";
}

std::string_view implementation_code(ImplementationState s) {
    switch (s) {
    case ImplementationState::NotStarted:
        return "not_started";
    case ImplementationState::Ongoing:
        return "ongoing";
    case ImplementationState::Done:
        return "done";
    case ImplementationState::Hindered:
        return "hindered";
    }
    return "not_started";
}

std::string_view implementation_name(ImplementationState s, Lang l) {
    bool en = l == Lang::En;
    switch (s) {
    case ImplementationState::NotStarted:
        return en ? "Not started" : "Belum dilaksanakan";
    case ImplementationState::Ongoing:
        return en ? "Ongoing" : "Berjalan";
    case ImplementationState::Done:
        return en ? "Completed" : "Selesai";
    case ImplementationState::Hindered:
        return en ? "Hindered" : "Terkendala";
    }
    return "";
}

std::optional<ImplementationState> parse_implementation_state(std::string_view s) {
    s = trim_ascii(s);
    for (auto st : implementation_states)
        if (iequals(implementation_code(st), s) || iequals(implementation_name(st, Lang::Id), s)
            || iequals(implementation_name(st, Lang::En), s))
            return st;
    return std::nullopt;
}

} // namespace ksd
