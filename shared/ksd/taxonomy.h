// The fixed vocabularies of KSD: kinds of cooperation, document types, the 32 sectors (bidang),
// and agreement status computed from dates. Names in Bahasa Indonesia and English.
#pragma once

#include "ksd/date.h"

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace ksd {

enum class Lang { Id, En };
std::string_view lang_code(Lang);
std::optional<Lang> parse_lang(std::string_view);

struct Term {
    std::string_view code;
    std::string_view name_id;
    std::string_view name_en;
    std::string_view name(Lang l) const { return l == Lang::Id ? name_id : name_en; }
};

std::span<Term const> agreement_kinds(); // KSDD, KSDPK, Sinergi, KSDPL, KSDLL
std::span<Term const> document_types(); // KB, PKS, NK, MoU
std::span<Term const> sectors(); // the 32 fields, codes as in content/FORMAT.md

// Finds a term by code (case-insensitive) or by its Indonesian or English name
// (case-insensitive, ignoring '&'/"dan"/"and" spelling differences is not attempted).
Term const* find_kind(std::string_view);
Term const* find_document_type(std::string_view);
Term const* find_sector(std::string_view);

enum class AgreementStatus {
    NotYetActive, // Belum berlaku: starts after today
    Active, // Aktif
    EndingSoon, // Akan berakhir: ends within 90 days
    Ended, // Berakhir
};
inline constexpr int ending_soon_days = 90;

// Status on a given day; the day is passed in (time is never read here).
AgreementStatus agreement_status(Date start, Date end, Date today);
std::string_view status_code(AgreementStatus); // "belum", "aktif", "akan-berakhir", "berakhir"
std::optional<AgreementStatus> parse_status_code(std::string_view);
std::string_view status_name(AgreementStatus, Lang);

} // namespace ksd
