// Screens: each draws from the State through the Ui and appends the actions the visitor asked
// for. They never do I/O and never read the clock (State carries the time).
#pragma once

#include "model/actions.h"
#include "model/state.h"
#include "ui/keyboard.h"
#include "ui/ui.h"

#include <vector>

namespace kiosk::screens {

using Actions = std::vector<Action>;

// Layers: the screen, then pickers, then the idle prompt on top.
inline constexpr int layer_screen = 0;
inline constexpr int layer_picker = 1;
inline constexpr int layer_idle = 2;
int input_layer(State const&);

// Draws the current screen with its chrome and overlays.
void draw(ui::Ui&, State const&, Actions&);

// Parts shared by screens.
// The top bar (and the demo banner); returns the rest of the screen. With title_area, the title
// is not drawn and its place in the bar is given back (the register's search field goes there
// while typing on a short panel).
ui::Rect chrome(
    ui::Ui&, State const&, std::string_view title, Actions&, ui::Rect* title_area = nullptr);
void demo_banner(ui::Ui&, State const&, ui::Rect);
int doc_view(ui::Ui&, ksd::md::Document const&, ui::Point origin, int width, Actions&);
// Buttons for the document's links to other pages and sections ("Lihat juga"): words in a
// paragraph are too small to be touch targets, so links get a row of real buttons.
int related_view(
    ui::Ui&, State const&, ksd::md::Document const&, ui::Point origin, int width, Actions&);
int links_view(
    ui::Ui&, State const&, std::vector<ksd::PageLink> const&, ui::Point origin, int width);
ui::Color status_color(ui::Theme const&, ksd::AgreementStatus);
// The office of the kiosk's config as a card (heading, institution, phone, address, hours):
// there even when the content pack and its contacts are not.
int office_contact_height(ui::Ui&, OfficeContact const&, std::string_view heading, int width);
void office_contact(ui::Ui&, OfficeContact const&, std::string_view heading, ui::Rect);
std::string section_title(State const&, std::string const& id);
std::string sector_name(std::string const& code, ksd::Lang);
std::string kind_name(std::string const& code, ksd::Lang);
// The institution of the content pack, with its parent ("Bagian Kerja Sama dan Perbatasan,
// Sekretariat Daerah Kabupaten …"), for texts that say who handles a request.
std::string institution_name(State const&);

void attract(ui::Ui&, State const&, Actions&);
void home(ui::Ui&, State const&, Actions&);
void page_list(ui::Ui&, State const&, Actions&);
void article(ui::Ui&, State const&, Actions&);
void register_list(ui::Ui&, State const&, Actions&);
void register_picker(ui::Ui&, State const&, Actions&);
void register_detail(ui::Ui&, State const&, Actions&);
void potential_list(ui::Ui&, State const&, Actions&);
void potential_detail(ui::Ui&, State const&, Actions&);
void faq(ui::Ui&, State const&, Actions&);
void contacts(ui::Ui&, State const&, Actions&);
void unavailable(ui::Ui&, State const&, Actions&);
void idle_prompt(ui::Ui&, State const&, Actions&);
// An outside link's QR code and address over the page (the kiosk has no browser).
void link_qr_dialog(ui::Ui&, State const&, Actions&);
void request_form(ui::Ui&, State const&, Actions&);
void request_sector_picker(ui::Ui&, State const&, Actions&);
void request_done(ui::Ui&, State const&, Actions&);
// "Buang isian?": Home or Back would leave a half-filled request.
void request_discard_dialog(ui::Ui&, State const&, Actions&);
void request_closed(ui::Ui&, State const&, Actions&);
void status_lookup(ui::Ui&, State const&, Actions&);
void staff_pin(ui::Ui&, State const&, Actions&);
void staff(ui::Ui&, State const&, Actions&);
// The satisfaction survey (issue 14): intro, questions, respondent data; then its thank-you.
void survey(ui::Ui&, State const&, Actions&);
void survey_thanks(ui::Ui&, State const&, Actions&);

// The on-screen keyboard for a form field in rect: keys become SetField with the new value,
// "done" closes it (Focus None), or enters the PIN on the staff pad.
void field_keyboard(ui::Ui&, State const&, ui::Rect, ui::KeyboardKind, Field,
    std::string const& value, Actions&, ui::S done = ui::S::Done);

// "09:30" in WIB.

} // namespace kiosk::screens
