// The kiosk's state: the device part that outlives visits (config, clock, the pack's header,
// counters kept across visitors) and the visit part (model/visit.h). The App applies the actions
// screens return (model/actions.h), querying the content; screens only read state.
#pragma once

#include "model/visit.h"
#include "ui/strings.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk {

// The office as the kiosk's own config names it ([contact]): what the "being updated" screen and
// the closed-requests page show when the content pack, and with it its contacts, is missing.
struct OfficeContact {
    std::string institution;
    std::string phone;
    std::string address;
    std::string hours;
    bool empty() const {
        return institution.empty() && phone.empty() && address.empty() && hours.empty();
    }
};

// What the kiosk keeps from one visitor to the next.
struct Device {
    ksd::Lang default_lang {ksd::Lang::Id}; // each visit starts in it
    ksd::Date today;
    int64_t unix_time {0};

    // From the kiosk's config: there with or without a pack.
    OfficeContact office;
    ksd::Zone zone; // the clock and dates on screen
    int retention_days {30}; // told to the visitor in the privacy notice

    // From the pack header.
    bool have_pack {false};
    bool demo {false};
    bool monitoring {false}; // agreements carry implementation states: the register filters by it
    ksd::Institution institution;
    std::vector<ksd::Section> sections;
    std::vector<ksd::Highlight> highlights;
    int64_t content_version {0};

    bool clock_trusted {false};
    bool has_printer {false};
    // A sound device and espeak-ng are there: screens with text offer the speaker button.
    bool speech_available {false};

    // Wrong status lookups in a row and the pause after too many: across visitors, so that
    // leaving the screen, "Cek tiket lain" or the idle reset cannot undo them.
    int lookup_wrong {0};
    int64_t lookup_locked_until {0};
    std::vector<int64_t> staff_taps; // times of the recent taps on the hidden staff corner
};

struct State : Device, Visit {
    Device& device() { return *this; }
    Device const& device() const { return *this; }
    Visit& visit() { return *this; }
    Visit const& visit() const { return *this; }

    ScreenId screen() const { return stack.back().screen; }
    // How deep "Beranda" goes: attract and home, or the "being updated" screen alone (without a
    // pack, the visitor's requests and status lookups start from it).
    size_t home_depth() const { return stack.front().screen == ScreenId::Unavailable ? 1 : 2; }
    ksd::Section const* section(std::string const& id) const;
};

// The UI's own texts come from one catalogue (ui/strings.h), by key.
using ui::counted;
using ui::fill;
using ui::S;
using ui::tr;

} // namespace kiosk
