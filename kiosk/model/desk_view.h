// What the ticket desk (app/desk.h) hands the screens: a saved ticket, whether requests are taken,
// staff mode's figures. Plain values in model/, so screens read them without including app/.
#pragma once

#include "ksd/disk.h"
#include "ksd/tickets.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kiosk {

// What the screen after submitting and the status lookup show; no personal fields.
struct TicketView {
    std::string code;
    int64_t created_at {0};
    bool clock_trusted {false};
    ksd::DeliveryState state {ksd::DeliveryState::Queued};
    int64_t acknowledged_at {0};
    std::string topic;
    std::string server_status; // "Baru", "Diproses", ... as staff set it (sync/PROTOCOL.md)
    std::string staff_reply; // the latest reply
    std::vector<ksd::StaffReply> replies; // every reply, oldest first (server clock)
    std::string referral; // "Bukan kewenangan": where the visitor should go instead
    // The server's dates once delivered (0 before): when it received the request, and when the
    // request was made by its reckoning (estimated when the kiosk's clock was not trusted).
    int64_t server_received_at {0};
    int64_t server_made_at {0};
    bool server_made_at_estimated {false};
};

// Whether new requests can be taken now; browsing goes on either way.
struct DeskHealth {
    bool accepting {true};
    ksd::StorageProblem problem {ksd::StorageProblem::None};
    std::string detail; // for the staff screen and the log, never for a visitor
};

struct StaffInfo {
    ksd::QueueCounts counts;
    std::string device_id;
    std::string last_sync_result; // as the sync agent recorded it; empty if never
    int64_t last_sync_at {0};
    int64_t last_success_at {0};
    int64_t disk_free_bytes {-1};
    DeskHealth health;
    std::string error; // reading the database failed
    // Written by ksd-sync (sync.config_error, sync.warning): what staff must fix, or "".
    std::string config_error;
    std::string sync_warning;
    std::vector<ksd::HeldTicket> held; // quarantined tickets (code and reason), oldest first
};

// Issue 14: the server's acknowledgement files found on the USB stick and what applying them did.
struct UsbAcks {
    int files {0};
    int acknowledged {0};
    int quarantined {0};
    int already {0};
    int surveys {0}; // survey answers the server stored (deleted from the kiosk)
    std::vector<std::string> refused; // "FILE: why", for files that were not applied
};

} // namespace kiosk
