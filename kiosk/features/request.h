// The consultation request: the six-step wizard, its checks, saving the ticket, the code screen
// with its QR code and the printed receipt.
#pragma once

#include "features/context.h"
#include "model/actions.h"

#include <optional>
#include <string>

namespace kiosk::request {

void handle(Ctx&, act::Choose const&);
void handle(Ctx&, act::ChooseSector const&);
void handle(Ctx&, act::OpenSectorPicker const&);
void handle(Ctx&, act::CloseSectorPicker const&);
void handle(Ctx&, act::ToggleEmailReplies const&);
void handle(Ctx&, act::ToggleConsent const&);
void handle(Ctx&, act::NextStep const&);
// The form opens once the desk says requests are taken (fx::OpenRequest); without a desk, or when
// they are not, the calm "requests closed" page.
void handle(Ctx&, act::OpenRequest const&);
void handle(Ctx&, act::RequestHealth const&);
// "Kirim": every step checked again (checked_input), then fx::SaveTicket; the code screen once
// it is saved.
void handle(Ctx&, act::Submit const&);
void handle(Ctx&, act::TicketSaved const&);
void handle(Ctx&, act::PrintReceipt const&);
void handle(Ctx&, act::ReceiptPrinted const&);

// "Kirim": every step checked again; the ticket to save, or nothing when a step refuses (shown
// on that step) or there is no desk (save_failed).
std::optional<ksd::TicketInput> checked_input(Ctx&);

// A field of the form typed into (Name, Phone, Email, Organisation, Question; others are not
// the form's). The value is checked (UTF-8, length) by the caller.
void set_field(Ctx&, Field, std::string const& value);
// After typing on the wizard: the problems shown are brought up to date.
void revalidate(Ctx&);
// Anything chosen, typed or ticked in the form ("Buang isian?" is asked before losing it).
bool has_input(State const&);
// The QR payload of the ticket shown, in the current language.
void make_ticket_qr(Ctx&);

} // namespace kiosk::request
