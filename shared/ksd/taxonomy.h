// The fixed vocabularies of KSD: kinds of cooperation, document types, the 32 sectors (bidang),
// agreement status computed from dates, and the implementation state staff record when they
// evaluate an agreement (monev). Names in Bahasa Indonesia and English.
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

// How an agreement is carried out, as the office's evaluation (monev) found it.
enum class ImplementationState {
    NotStarted, // Belum dilaksanakan
    Ongoing, // Berjalan
    Done, // Selesai
    Hindered, // Terkendala
};
inline constexpr ImplementationState implementation_states[] {ImplementationState::NotStarted,
    ImplementationState::Ongoing, ImplementationState::Done, ImplementationState::Hindered};
// "not_started", "ongoing", "done", "hindered".
std::string_view implementation_code(ImplementationState);
// A code or a name in either language, case-insensitive ("Berjalan", "ongoing", "Completed").
std::optional<ImplementationState> parse_implementation_state(std::string_view);
std::string_view implementation_name(ImplementationState, Lang);

} // namespace ksd
