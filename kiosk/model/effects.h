// Slow work as values (issue 13): a feature's handler asks for it with an `fx::` effect, the App
// runs it on its worker against the ticket desk, and the answer comes back to the feature as an
// `act::` result on the UI thread. Each result carries the visit it was asked in, so a feature
// drops what arrives after that visitor has gone.
#pragma once

#include "ksd/pack_import.h"
#include "ksd/queue_export.h"
#include "ksd/result.h"
#include "ksd/skm.h"
#include "ksd/staff_pin.h"
#include "ksd/ticket_qr.h"
#include "ksd/tickets.h"
#include "model/desk_view.h"
#include "model/state.h"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace kiosk {

namespace fx {

// Whether new requests are taken (the desk's health), before the form opens on `from`.
struct OpenRequest {
    ScreenId from;
};
struct SaveTicket {
    ksd::TicketInput input;
    ksd::WallClock clock;
};
struct PrintReceipt {
    TicketView ticket;
    ksd::TicketQr qr;
    ksd::Lang lang;
    std::string institution;
};
struct LookUp {
    std::string code;
    std::string check;
};
struct CheckPin {
    std::string pin;
    int64_t now; // unix seconds: the wait after wrong PINs counts from it
};
// The staff screen's figures and the packs on the USB stick.
struct RefreshStaff {
    ksd::WallClock now;
};
struct ImportPack {
    std::string path;
    int64_t current_version; // a pack not newer is refused
};
struct Requeue { }; // the quarantined tickets back to the queue
// The satisfaction survey's answers, saved durably (anonymous: nothing of a request).
struct SaveSurvey {
    ksd::SkmInput input;
    ksd::WallClock clock;
};
// Issue 14: the queue export written to the USB stick, and the acknowledgements on it applied.
struct ExportQueue {
    ksd::WallClock now;
};
struct ApplyAcks { };

} // namespace fx

using Effect = std::variant<fx::OpenRequest, fx::SaveTicket, fx::PrintReceipt, fx::LookUp,
    fx::CheckPin, fx::RefreshStaff, fx::ImportPack, fx::Requeue, fx::SaveSurvey, fx::ExportQueue,
    fx::ApplyAcks>;

// The answers, one per effect; `visit` is the App's count of visits when the effect was asked.
namespace act {

struct RequestHealth {
    DeskHealth health;
    ScreenId from;
    uint64_t visit;
};
struct TicketSaved {
    ksd::Result<TicketView> saved;
    uint64_t visit;
};
struct ReceiptPrinted {
    ksd::Result<void> printed;
    uint64_t visit;
};
struct LookedUp {
    ksd::Result<std::optional<TicketView>> found;
    uint64_t visit;
};
struct PinChecked {
    ksd::Result<ksd::PinAttempt> attempt;
    uint64_t visit;
};
struct StaffInfoLoaded {
    StaffInfo info;
    std::vector<ksd::PackCandidate> packs;
    uint64_t visit;
};
struct PackImported {
    ksd::Result<ksd::ImportedPack> imported;
    std::string path;
    uint64_t visit;
};
struct Requeued {
    ksd::Result<int> released;
    uint64_t visit;
};
struct QueueExported {
    ksd::Result<ksd::ExportWritten> written;
    uint64_t visit;
};
struct AcksApplied {
    ksd::Result<UsbAcks> applied;
    uint64_t visit;
};

struct SurveySaved {
    ksd::Result<ksd::SkmResponse> saved;
    uint64_t visit;
};

} // namespace act

using EffectResult = std::variant<act::RequestHealth, act::TicketSaved, act::ReceiptPrinted,
    act::LookedUp, act::PinChecked, act::StaffInfoLoaded, act::PackImported, act::Requeued,
    act::SurveySaved, act::QueueExported, act::AcksApplied>;

} // namespace kiosk
