// Staff mode: the hidden gesture, the PIN pad, the desk's figures, importing a pack from a USB
// stick and releasing quarantined tickets.
#pragma once

#include "features/context.h"
#include "model/actions.h"

#include <string>

namespace kiosk::staff {

void handle(Ctx&, act::StaffGesture const&);
void handle(Ctx&, act::StaffExit const&);
// The PIN (Argon2id: fx::CheckPin), the figures (fx::RefreshStaff), a pack imported from USB
// (fx::ImportPack) and held tickets released (fx::Requeue), each with its answer.
void handle(Ctx&, act::StaffPinEntered const&);
void handle(Ctx&, act::PinChecked const&);
void handle(Ctx&, act::StaffRefresh const&);
void handle(Ctx&, act::StaffInfoLoaded const&);
void handle(Ctx&, act::StaffImport const&);
void handle(Ctx&, act::PackImported const&);
void handle(Ctx&, act::StaffRequeue const&);
void handle(Ctx&, act::Requeued const&);
// Issue 14: the queue export onto the USB stick (fx::ExportQueue) and the server's
// acknowledgements applied from it (fx::ApplyAcks).
void handle(Ctx&, act::StaffExportQueue const&);
void handle(Ctx&, act::QueueExported const&);
void handle(Ctx&, act::StaffApplyAck const&);
void handle(Ctx&, act::AcksApplied const&);

void set_pin(Ctx&, std::string const& value);
// Staff mode without the PIN, for screenshots and scripts only (its figures are read as after
// the PIN).
void preview(Ctx&);

} // namespace kiosk::staff
