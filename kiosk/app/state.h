// The kiosk's state: where the visitor is and the data loaded for that place, plus the actions
// screens return. The App applies actions (querying the content); screens only read state.
#pragma once

#include "ksd/content_pack.h"
#include "ksd/markdown.h"
#include "ui/theme.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiosk {

enum class ScreenId : uint8_t {
    Attract,
    Home,
    PageList,
    Article,
    Register,
    RegisterDetail,
    PotentialList,
    PotentialDetail,
    Faq,
    Contacts,
    Unavailable, // no valid pack: the calm "being updated" screen
};

enum class Picker : uint8_t { None, Kind, Sector, Status };

struct RegisterState {
    std::string query;
    std::optional<std::string> kind;
    std::optional<std::string> sector;
    std::optional<ksd::AgreementStatus> status;
    bool keyboard_open {false};
    Picker picker {Picker::None};
    std::vector<ksd::Agreement> results;
    int64_t total {0};
};

struct NavEntry {
    ScreenId screen;
    std::string ref; // section id, page id, agreement id, potential id
};

struct State {
    ksd::Lang lang {ksd::Lang::Id};
    ui::TextSize text_size {ui::TextSize::Normal};
    std::vector<NavEntry> stack {{ScreenId::Attract, {}}};
    bool idle_prompt {false};
    int idle_seconds_left {0};
    ksd::Date today;
    int64_t unix_time {0};

    // From the pack header.
    bool have_pack {false};
    bool demo {false};
    ksd::Institution institution;
    std::vector<ksd::Section> sections;
    std::vector<ksd::Highlight> highlights;

    // Loaded for the current screen.
    std::string title; // of the current screen
    std::string load_error; // a query failed: say so calmly
    std::vector<ksd::PageSummary> pages;
    std::optional<ksd::Page> page;
    ksd::md::Document doc; // the article, potential or FAQ body being shown
    RegisterState reg;
    std::optional<ksd::Agreement> agreement;
    std::vector<ksd::Potential> potentials;
    std::optional<ksd::Potential> potential;
    std::vector<ksd::FaqEntry> faq;
    std::vector<ksd::md::Document> faq_docs;
    std::set<std::string> faq_open;
    std::vector<ksd::Contact> contacts;

    ScreenId screen() const { return stack.back().screen; }
    ksd::Section const* section(std::string const& id) const;
};

enum class ActionKind : uint8_t {
    Wake,
    Back,
    Home,
    SetLang,
    ToggleTextSize,
    OpenSection,
    OpenPage,
    OpenAgreement,
    OpenPotential,
    OpenLink, // page:ID or section:ID
    SetQuery,
    ShowKeyboard,
    HideKeyboard,
    OpenPicker,
    ClosePicker,
    SetKind, // ref empty: all
    SetSector,
    SetStatus,
    ToggleFaq,
    StillHere,
};

struct Action {
    ActionKind kind;
    std::string ref {};
    int64_t number {0};
};

// Bilingual literal: the UI's own texts live next to their use, both languages together.
inline std::string const& tr(ksd::Lang l, std::string const& id, std::string const& en) {
    return l == ksd::Lang::Id ? id : en;
}
inline char const* tr(ksd::Lang l, char const* id, char const* en) {
    return l == ksd::Lang::Id ? id : en;
}

} // namespace kiosk
