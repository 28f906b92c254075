// Browsing the content: sections, pages and their links, the register with its search and
// filters, potentials, the FAQ and contacts. It loads what each screen of the stack shows.
#pragma once

#include "features/context.h"
#include "model/actions.h"

#include <string>

namespace kiosk::browse {

void handle(Ctx&, act::OpenSection const&);
void handle(Ctx&, act::OpenPage const&);
void handle(Ctx&, act::OpenAgreement const&);
void handle(Ctx&, act::OpenPotential const&);
void handle(Ctx&, act::OpenLink const&);
void handle(Ctx&, act::ShowLinkQr const&);
void handle(Ctx&, act::CloseLinkQr const&);
void handle(Ctx&, act::ToggleFaq const&);
void handle(Ctx&, act::SetQuery const&);
void handle(Ctx&, act::ShowKeyboard const&);
void handle(Ctx&, act::HideKeyboard const&);
void handle(Ctx&, act::OpenPicker const&);
void handle(Ctx&, act::ClosePicker const&);
void handle(Ctx&, act::SetKind const&);
void handle(Ctx&, act::SetSector const&);
void handle(Ctx&, act::SetStatus const&);
void handle(Ctx&, act::SetImplementation const&);

// Queries the data of one screen of the stack (nothing for screens that show none).
void load(Ctx&, NavEntry const&);
// Every screen of the stack again, bottom to top, so that "Back" shows the new language too.
void reload_stack(Ctx&);

} // namespace kiosk::browse
