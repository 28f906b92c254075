// The choices of the consultation form: who the visitor is and what the question is about.
// Codes are stored on tickets and sent to the server; names are what the visitor reads.
#pragma once

#include "ksd/taxonomy.h"

#include <array>
#include <string_view>

namespace ksd {

inline constexpr std::array<Term, 6> visitor_categories {{
    {"masyarakat", "Masyarakat umum", "Member of the public"},
    {"pemda-lain", "Pemerintah daerah lain", "Another regional government"},
    {"perangkat-daerah", "Perangkat daerah", "Regional government office"},
    {"pihak-ketiga", "Pihak ketiga (badan usaha, perguruan tinggi, organisasi masyarakat)",
        "Third party (business, university, civil society organisation)"},
    {"instansi-pusat", "Instansi pusat", "Central government agency"},
    {"mitra-luar-negeri", "Mitra luar negeri", "Foreign partner"},
}};

inline constexpr std::array<Term, 5> request_topics {{
    {"rencana", "Rencana kerja sama", "A planned cooperation"},
    {"draf", "Draf dokumen (KB, PKS, NK)", "Draft documents (KB, PKS, NK)"},
    {"alur", "Alur & persyaratan", "Steps & requirements"},
    {"monev", "Pemantauan dan evaluasi", "Monitoring and evaluation"},
    {"lainnya", "Lainnya", "Other"},
}};

// The version of the privacy notice the visitor agreed to, stored with the ticket.
inline constexpr std::string_view consent_version = "privasi-2026-11";

template <size_t N>
Term const* find_option(std::array<Term, N> const& options, std::string_view code) {
    for (auto const& t : options)
        if (t.code == code)
            return &t;
    return nullptr;
}

} // namespace ksd
