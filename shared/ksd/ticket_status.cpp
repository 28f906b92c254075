// Visitor words for a request's status; see ticket_status.h.
#include "ksd/ticket_status.h"

namespace ksd {

namespace {

std::string pick(Lang l, char const* id, char const* en) {
    switch (l) {
    case Lang::Id:
        return id;
    case Lang::En:
        return en;
    }
    return id;
}

} // namespace

VisitorStatus visitor_status(std::string_view s, Lang l) {
    // "Diterima" is the first status of servers before issue 10; the other old words of the KSD
    // procedure all meant that work was going on.
    if (s == "Baru" || s == "Diterima")
        return {pick(l, "Diterima, menunggu petugas", "Received, waiting for staff"),
            pick(l, "Petugas akan membaca permohonan Anda pada hari kerja.",
                "Staff will read your request on a working day.")};
    if (s == "Diproses" || s == "Verifikasi" || s == "Pembahasan TKKSD"
        || s == "Penyusunan Rancangan" || s == "Penandatanganan" || s == "Persetujuan DPRD"
        || s == "Pelaksanaan")
        return {pick(l, "Sedang dibahas tim", "Being discussed by the team"),
            pick(l, "Tim Kerja Sama sedang menangani permohonan Anda.",
                "The cooperation team is working on your request.")};
    if (s == "Menunggu tanggapan pemohon")
        return {pick(l, "Menunggu jawaban Anda", "Waiting for your answer"),
            pick(l,
                "Petugas menunggu tanggapan atau berkas dari Anda. Baca jawaban petugas di bawah.",
                "Staff are waiting for your answer or documents. Read the staff's answer below.")};
    if (s == "Selesai")
        return {pick(l, "Selesai", "Completed"),
            pick(l, "Permohonan Anda sudah selesai ditangani.",
                "Your request has been dealt with.")};
    if (s == "Bukan kewenangan")
        return {pick(l, "Bukan wewenang kantor ini", "Not a matter for this office"),
            pick(l, "Permohonan Anda perlu disampaikan ke tempat lain, lihat arahan di bawah.",
                "Your request belongs elsewhere: see where to go below.")};
    if (s.empty())
        return {pick(l, "Belum ada kabar", "No news yet"),
            pick(l, "Status akan tampil setelah permohonan sampai di kantor.",
                "The status shows once the request has reached the office.")};
    return {std::string(s), {}};
}

} // namespace ksd
