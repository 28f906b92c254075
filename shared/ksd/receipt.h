// The printed receipt: ESC/POS bytes for a 58/80 mm thermal printer (Epson-compatible command
// set: ESC @, ESC a, ESC E, GS ! and the printer's own QR code via GS ( k), and writing them to
// the printer's device file. The bytes are a pure function of the input, so a golden file pins
// them down.
#pragma once

#include "ksd/date.h"
#include "ksd/result.h"
#include "ksd/taxonomy.h"

#include <cstdint>
#include <string>

namespace ksd {

struct ReceiptInfo {
    std::string institution; // "Bagian Kerja Sama Setda Kabupaten ..."
    std::string code; // "7K3QD-9MRT9"
    std::string qr_data; // what the QR code holds (ksd::ticket_qr: status page, WhatsApp or code)
    std::string qr_caption; // what the QR code does, printed under it; empty: nothing printed
    int64_t created_at {0}; // unix seconds
    bool clock_trusted {false}; // no trusted clock: no date printed, "tanggal belum pasti"
    bool delivered {false}; // already acknowledged by the server
    Lang lang {Lang::Id};
    Zone zone; // the office's: the printed time is the lobby's wall clock
    int columns {32}; // characters per line: 32 on 58 mm paper, 48 on 80 mm
};

// The whole receipt. Text is transliterated to ASCII (the printer's default code page), so
// "é" prints as "e" and anything else unknown as "?". Ends with a feed and a partial cut.
std::string escpos_receipt(ReceiptInfo const&);

// Writes bytes to the printer device (e.g. /dev/usb/lp0) within timeout_ms; an absent or
// stuck printer is an error value, never a hang.
Result<void> print_to_device(
    std::string const& device_path, std::string const& bytes, int timeout_ms = 3000);

} // namespace ksd
