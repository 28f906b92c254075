// How a request's status reads to a visitor, on the kiosk and on the server's public status page
// (issue 11): plain words in both languages instead of the office's internal status words.
#pragma once

#include "ksd/taxonomy.h"

#include <string>
#include <string_view>

namespace ksd {

// What the visitor sees for a server status word ("Baru", "Diproses", "Menunggu tanggapan
// pemohon", "Selesai", "Bukan kewenangan", and the words of servers before issue 10).
struct VisitorStatus {
    std::string headline; // e.g. "Sedang dibahas tim"
    std::string explanation; // one sentence: what happens next
};

// The words for a status as the server sent it. An empty word (not yet delivered or no update
// yet) and an unknown word get a neutral answer that repeats the word as it is.
VisitorStatus visitor_status(std::string_view server_status, Lang);

} // namespace ksd
