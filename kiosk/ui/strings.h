// The kiosk's own texts, Indonesian and English side by side, in one typed catalogue: screens
// name a key (S::Back), so a missing text fails to compile; counted texts have an English
// singular. tests/kiosk/test_english.cpp walks every screen in English against it.
#pragma once

#include "ksd/taxonomy.h"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace kiosk::ui {

// X(key, Indonesian, English, English for exactly one or "" when the same). "{1}", "{2}" are
// filled by fill() / counted(); Indonesian has no plural. Indonesian follows EYD V: formal and
// friendly ("Anda", "silakan"), slashes without spaces, typographic quotes and dashes.
// clang-format off
#define KSD_UI_STRINGS(X) \
    /* Chrome and shared parts */ \
    X(Home, "Beranda", "Home", "") \
    X(Back, "Kembali", "Back", "") \
    X(LargeText, "Teks besar", "Large text", "") \
    X(HighContrast, "Kontras tinggi", "High contrast", "") \
    X(ReadAloud, "Bacakan", "Read aloud", "") \
    X(StopReading, "Berhenti membaca", "Stop reading", "") \
    X(SpeechCheckOnScreen, "Periksa isian Anda di layar. Jika sudah benar, sentuh Kirim.", "Check what you entered on the screen. If it is right, touch Send.", "") \
    X(SpeechChooseOne, "Pilih salah satu:", "Choose one:", "") \
    X(Close, "Tutup", "Close", "") \
    X(SeeAlso, "Lihat juga", "See also", "") \
    X(ScanWithYourPhone, "Pindai dengan ponsel Anda", "Scan with your phone", "") \
    X(Space, "Spasi", "Space", "") \
    X(Delete, "Hapus", "Delete", "") \
    X(Done, "Selesai", "Done", "") \
    X(ScanToChatOnWhatsApp, "Pindai untuk bertanya lewat WhatsApp", "Scan to chat on WhatsApp", "") \
    X(ScanToOpenTheWebsite, "Pindai untuk membuka situs web", "Scan to open the website", "") \
    X(LinkToAnotherSite, "Tautan ke situs lain", "Link to another website", "") \
    X(ScanToOpenLink, "Anjungan ini tidak membuka situs web. Pindai kode QR dengan ponsel Anda untuk membukanya.", "This kiosk does not open websites. Scan the QR code with your phone to open it.", "") \
    /* The demo banner names both languages on purpose: a photo of the screen stays marked */ \
    X(DemoBanner, "DATA CONTOH / DEMO DATA", "DATA CONTOH / DEMO DATA", "") \
    X(ThisPageIsNotAvailable, "Halaman ini belum tersedia.", "This page is not available yet.", "") \
    /* Home */ \
    X(RequestAConsultation, "Ajukan Konsultasi", "Request a Consultation", "") \
    X(CheckTicketStatus, "Cek Status Tiket", "Check Ticket Status", "") \
    /* The attract screen: both languages at once, nobody has chosen one yet */ \
    X(TouchToStart, "Sentuh layar untuk mulai", "Touch the screen to start", "") \
    /* The "being updated" screen (no usable pack): both languages at once */ \
    X(InformationBeingUpdated, "Informasi sedang diperbarui", "Information is being updated", "") \
    X(RequestsStillOpen, "Sementara itu, Anda tetap dapat mengajukan konsultasi dan mengecek status tiket.", "Meanwhile you can still request a consultation and check a ticket's status.", "") \
    X(ContactUs, "Hubungi kami", "Contact us", "") \
    /* Idle prompt: both languages by design, a passer-by may read either */ \
    X(StillThere, "Masih di sana?", "Still there?", "") \
    X(ReturningIn, "Kembali ke awal dalam {1} detik", "Returning to the start in {1} seconds", "Returning to the start in 1 second") \
    X(YesContinue, "Ya, lanjutkan", "Yes, continue", "") \
    X(YourTicketCode, "Kode tiket Anda", "Your ticket code", "") \
    /* Register */ \
    X(AllKinds, "Semua jenis", "All kinds", "") \
    X(AllSectors, "Semua bidang", "All sectors", "") \
    X(AllStatuses, "Semua status", "All statuses", "") \
    X(KindFilter, "Jenis: {1}", "Kind: {1}", "") \
    X(SectorFilter, "Bidang: {1}", "Sector: {1}", "") \
    X(StatusFilter, "Status: {1}", "Status: {1}", "") \
    X(FilterStatus, "Status", "Status", "") \
    X(AllImplementations, "Semua pelaksanaan", "Any progress", "") \
    X(ChooseTheImplementation, "Pilih status pelaksanaan", "Choose the implementation state", "") \
    X(Until, "hingga {1}", "until {1}", "") \
    X(AgreementCount, "{1} perjanjian", "{1} agreements", "1 agreement") \
    X(ClearSearch, "Hapus pencarian", "Clear search", "") \
    X(SearchPlaceholder, "Cari mitra, perihal, nomor", "Search partner, subject, number", "") \
    X(NoMatchingAgreements, "Tidak ada perjanjian yang cocok.", "No matching agreements.", "") \
    X(ListCannotBeShown, "Daftar belum dapat ditampilkan.", "The list cannot be shown right now.", "") \
    X(ShowingOf, "Menampilkan {1} dari {2}. Persempit dengan pencarian atau filter.", "Showing {1} of {2}. Narrow it down with search or filters.", "") \
    X(ChooseTheKind, "Pilih jenis kerja sama", "Choose the kind of cooperation", "") \
    X(ChooseTheSector, "Pilih bidang", "Choose the sector", "") \
    X(ChooseTheStatus, "Pilih status", "Choose the status", "") \
    X(AgreementDetails, "Rincian perjanjian", "Agreement details", "") \
    X(FieldNumber, "Nomor", "Number", "") \
    X(FieldKind, "Jenis", "Kind", "") \
    X(FieldDocument, "Dokumen", "Document", "") \
    X(FieldSector, "Bidang", "Sector", "") \
    X(FieldScope, "Ruang lingkup", "Scope", "") \
    X(FieldSigned, "Ditandatangani", "Signed on", "") \
    X(FieldValid, "Berlaku", "In force", "") \
    X(FieldAgency, "Pelaksana", "Implemented by", "") \
    X(FieldNotes, "Keterangan", "Notes", "") \
    X(FieldImplementation, "Pelaksanaan", "Progress", "") \
    X(FieldLastEvaluation, "Evaluasi terakhir", "Last evaluation", "") \
    X(FieldResponsibleUnit, "Penanggung jawab", "Responsible unit", "") \
    /* Request wizard */ \
    X(StepWho, "Siapa Anda?", "Who are you?", "") \
    X(StepTopic, "Topik konsultasi", "Consultation topic", "") \
    X(StepContact, "Data kontak", "Contact details", "") \
    X(StepQuestion, "Pertanyaan Anda", "Your question", "") \
    X(StepConsent, "Persetujuan pemrosesan data pribadi", "Consent to processing of personal data", "") \
    X(StepReview, "Periksa dan kirim", "Check and send", "") \
    X(StepOf, "Langkah {1} dari {2}", "Step {1} of {2}", "") \
    X(ChooseOne, "Pilih salah satu.", "Please choose one.", "") \
    X(ChooseATopic, "Pilih salah satu topik.", "Please choose a topic.", "") \
    X(TickToContinue, "Centang persetujuan untuk melanjutkan.", "Tick the box to continue.", "") \
    X(Name, "Nama", "Name", "") \
    X(PhoneNumber, "Nomor HP/WhatsApp", "Mobile/WhatsApp number", "") \
    X(Email, "E-mail", "E-mail", "") \
    X(OrganisationOptional, "Instansi/organisasi (tidak wajib)", "Institution/organisation (optional)", "") \
    X(ChooseASector, "Pilih bidang", "Choose a sector", "") \
    X(SectorOptional, "Bidang (tidak wajib)", "Sector (optional)", "") \
    X(SectorNone, "Tidak ada atau belum tahu", "None or not sure", "") \
    X(NotChosen, "tidak dipilih", "none", "") \
    X(SectorButton, "Bidang (tidak wajib): {1}", "Sector (optional): {1}", "") \
    X(ContactHint, "Isi nomor HP/WhatsApp atau e-mail (minimal salah satu) agar petugas dapat menjawab.", "Give a mobile/WhatsApp number or an e-mail (at least one) so that staff can answer.", "") \
    X(WriteYourQuestion, "Tulis pertanyaan atau rencana kerja sama Anda", "Write your question or plan", "") \
    X(TouchHereToWrite, "Sentuh di sini untuk menulis", "Touch here to write", "") \
    X(Question, "Pertanyaan", "Question", "") \
    X(NoPersonalData, "Mohon tidak menuliskan NIK, alamat, atau data pribadi lain yang tidak diperlukan.", "Please do not write your NIK, address or other personal data that is not needed.", "") \
    X(Privacy, "Nama, nomor HP/WhatsApp atau e-mail, instansi, dan pertanyaan Anda hanya digunakan oleh {2} untuk menjawab konsultasi ini. Data disimpan di anjungan sampai terkirim ke sekretariat, lalu dihapus dari anjungan paling lambat {1} hari kemudian. Anda dapat meminta akses, perbaikan, atau penghapusan data melalui kontak {2}. Kami tidak meminta NIK, alamat, atau tanggal lahir.", "Your name, mobile/WhatsApp number or e-mail, organisation and question are used only by {2} to answer this consultation. They are kept on this kiosk until sent to the secretariat, then deleted from the kiosk within {1} days. You may ask for access, correction or deletion through the contacts of {2}. We never ask for your NIK, address or date of birth.", "Your name, mobile/WhatsApp number or e-mail, organisation and question are used only by {2} to answer this consultation. They are kept on this kiosk until sent to the secretariat, then deleted from the kiosk within 1 day. You may ask for access, correction or deletion through the contacts of {2}. We never ask for your NIK, address or date of birth.") \
    X(TheSecretariat, "sekretariat kerja sama", "the cooperation secretariat", "") \
    X(IAgree, "Saya setuju data saya diproses untuk konsultasi ini.", "I agree that my data is processed for this consultation.", "") \
    X(RepliesByEmailOptional, "Kirim balasan ke e-mail saya (tidak wajib)", "Send replies to my e-mail (optional)", "") \
    X(ReviewYou, "Anda", "You", "") \
    X(ReviewTopic, "Topik", "Topic", "") \
    X(ReviewContact, "Kontak", "Contact", "") \
    X(ReviewRepliesByEmail, "Balasan lewat e-mail", "Replies by e-mail", "") \
    X(YesSendToMyEmail, "Ya, kirim ke e-mail saya", "Yes, send them to my e-mail", "") \
    X(No, "Tidak", "No", "") \
    X(ReviewOrganisation, "Instansi", "Organisation", "") \
    X(Previous, "Sebelumnya", "Previous", "") \
    X(Send, "Kirim", "Send", "") \
    X(Next, "Lanjut", "Next", "") \
    X(SaveFailed, "Maaf, permintaan belum tersimpan. Silakan tekan \u201cKirim\u201d sekali lagi. Jika masih gagal, sampaikan kepada petugas di meja layanan.", "Sorry, the request has not been saved. Please press \u201cSend\u201d once more. If it still fails, please tell the staff at the service desk.", "") \
    X(RequestSaved, "Permintaan Tersimpan", "Request Saved", "") \
    X(PrintReceipt, "Cetak bukti", "Print receipt", "") \
    X(Saving, "Menyimpan\u2026", "Saving\u2026", "") \
    X(Printing, "Mencetak\u2026", "Printing\u2026", "") \
    X(Searching, "Mencari\u2026", "Searching\u2026", "") \
    X(ReceiptPrinting, "Bukti sedang dicetak.", "The receipt is printing.", "") \
    X(PrinterUnavailable, "Printer tidak dapat digunakan saat ini. Silakan catat atau foto kode Anda.", "The printer cannot be used right now. Please write down or photograph your code.", "") \
    X(SentToSecretariat, "Terkirim ke sekretariat.", "Sent to the secretariat.", "") \
    X(SavedButHeld, "Tersimpan di anjungan, tetapi perlu diperiksa petugas sebelum dikirim. Silakan sampaikan kode ini di meja layanan.", "Saved on this kiosk, but staff must check it before it is sent. Please give this code at the service desk.", "") \
    X(SavedWillSend, "Tersimpan di anjungan dan akan dikirim otomatis saat jaringan tersedia.", "Saved on this kiosk; it will be sent automatically when a network is available.", "") \
    X(WriteDownCode, "Catat atau foto kode ini. Untuk melihat jawaban petugas, pilih \u201cCek Status Tiket\u201d di beranda, lalu masukkan kode ini beserta 4 angka terakhir nomor HP Anda atau alamat e-mail Anda.", "Write down or photograph this code. To read the staff\u2019s answer, choose \u201cCheck Ticket Status\u201d on the home screen and enter this code with the last 4 digits of your phone number or your e-mail address.", "") \
    X(DiscardTitle, "Buang isian?", "Discard what you typed?", "") \
    X(DiscardBody, "Permintaan Anda belum terkirim. Jika keluar sekarang, semua yang sudah Anda isi akan dihapus.", "Your request has not been sent. If you leave now, everything you typed will be deleted.", "") \
    X(KeepTyping, "Lanjut mengisi", "Keep typing", "") \
    X(Discard, "Buang isian", "Discard", "") \
    X(RequestsClosed, "Maaf, untuk sementara permintaan konsultasi belum dapat diterima di anjungan ini.", "Sorry, this kiosk cannot take consultation requests right now.", "") \
    X(RequestsClosedHelp, "Semua informasi tetap dapat dibaca. Untuk konsultasi, silakan temui petugas di meja layanan atau hubungi {1}.", "All information can still be read. For a consultation, please see the staff at the service desk or contact {1}.", "") \
    /* The satisfaction survey (SKM, issue 14); the questions and answer words are ksd/skm.h's */ \
    X(SatisfactionSurvey, "Survei Kepuasan", "Satisfaction Survey", "") \
    X(SurveyInvite, "Isi survei kepuasan (\u00B11 menit)", "Take the satisfaction survey (1 minute)", "") \
    X(SurveyInviteShort, "Survei kepuasan", "Satisfaction survey", "") \
    X(SurveyIntroTitle, "Bantu kami memperbaiki layanan", "Help us improve our service", "") \
    X(SurveyIntroBody, "9 pertanyaan singkat, \u00B11 menit. Tanpa nama dan tidak terkait dengan permintaan konsultasi. Setiap pertanyaan boleh dilewati.", "9 short questions, about a minute. Anonymous and not linked to any consultation request. You may skip any question.", "") \
    X(SurveyStart, "Mulai survei", "Start the survey", "") \
    X(SurveyQuestionOf, "Pertanyaan {1} dari {2}", "Question {1} of {2}", "") \
    X(SurveySkip, "Lewati", "Skip", "") \
    X(SurveyOptionalField, "{1} (tidak wajib)", "{1} (optional)", "") \
    X(SurveyPartOf, "{1} dari {2}", "{1} of {2}", "") \
    X(SurveyAboutYouHint, "Hanya untuk laporan survei. Pilih yang sesuai, atau lewati.", "For the survey report only. Choose what fits, or skip it.", "") \
    X(SurveyGender, "Jenis kelamin", "Gender", "") \
    X(SurveyAge, "Usia", "Age", "") \
    X(SurveyEducation, "Pendidikan terakhir", "Education", "") \
    X(SurveyOccupation, "Pekerjaan", "Occupation", "") \
    X(SurveySaveFailed, "Maaf, jawaban survei belum tersimpan. Jawaban Anda masih ada: silakan tekan \u201cKirim\u201d sekali lagi.", "Sorry, the survey answers have not been saved yet. Your answers are still here: please press \u201cSend\u201d once more.", "") \
    X(SurveyNothingAnswered, "Semua pertanyaan dilewati, jadi tidak ada yang disimpan. Anda dapat kembali untuk menjawab, atau pilih \u201cBeranda\u201d.", "Every question was skipped, so nothing is saved. You can go back to answer, or choose \u201cHome\u201d.", "") \
    X(SurveyThanksTitle, "Terima kasih!", "Thank you!", "") \
    X(SurveyThanksBody, "Jawaban Anda tersimpan tanpa nama dan membantu kami memperbaiki layanan.", "Your answers are saved without your name and help us improve our service.", "") \
    X(SurveyBackHomeSoon, "Layar kembali ke beranda dalam beberapa detik.", "The screen returns home in a few seconds.", "") \
    /* Status lookup */ \
    X(DateNotYetKnown, "tanggal belum pasti", "date not yet known", "") \
    X(Estimated, "{1} (perkiraan)", "{1} (estimated)", "") \
    X(ReceivedAtKiosk, "Diterima di anjungan", "Received at the kiosk", "") \
    X(SentToSecretariatStep, "Terkirim ke sekretariat", "Sent to the secretariat", "") \
    X(WaitingForNetwork, "Menunggu jaringan untuk dikirim", "Waiting for a network to be sent", "") \
    X(SafelyStored, "Permintaan Anda tersimpan aman di anjungan.", "Your request is safely stored on this kiosk.", "") \
    X(NeedsStaffCheck, "Perlu diperiksa petugas", "Needs a check by staff", "") \
    X(GiveCodeAtDesk, "Silakan sampaikan kode ini kepada petugas di meja layanan.", "Please give this code to the staff at the service desk.", "") \
    X(PleaseTurnTo, "Silakan hubungi", "Please contact", "") \
    X(StaffAnswer, "Jawaban petugas", "Staff\u2019s answer", "") \
    X(StaffAnswers, "Jawaban petugas ({1})", "Staff\u2019s answers ({1})", "") \
    X(AnswerWillShow, "Jawaban petugas akan tampil di sini setelah tersedia.", "The staff\u2019s answer will show here when it is ready.", "") \
    X(TicketCode, "Kode tiket", "Ticket code", "") \
    X(CheckHint, "4 angka terakhir nomor HP atau e-mail", "Last 4 digits of your phone, or e-mail", "") \
    X(CheckAnotherTicket, "Cek tiket lain", "Check another ticket", "") \
    X(CheckStatus, "Cek Status", "Check Status", "") \
    X(TooManyTries, "Terlalu banyak percobaan. Silakan tunggu setengah menit, lalu coba lagi.", "Too many tries. Please wait half a minute, then try again.", "") \
    X(StatusUnreadable, "Status belum dapat dibaca saat ini. Silakan coba lagi nanti.", "The status cannot be read right now. Please try again later.", "") \
    X(NoMatch, "Kode tiket atau 4 angka terakhir nomor HP/e-mail tidak cocok. Silakan periksa kembali keduanya.", "The ticket code or the phone digits/e-mail do not match. Please check both.", "") \
    X(PleaseFillIn, "Silakan isi \xE2\x80\x9C{1}\xE2\x80\x9D terlebih dahulu.", "Please fill in \xE2\x80\x9C{1}\xE2\x80\x9D first.", "") \
    X(WhereIsTheCode, "Kode tiket ditampilkan di layar setelah Anda mengajukan konsultasi dan tercantum pada bukti cetak.", "The ticket code was shown after you sent your request, and is on the printed receipt.", "") \
    /* Staff mode */ \
    X(StaffMode, "Mode Petugas", "Staff Mode", "") \
    X(EnterStaffPin, "Masukkan PIN petugas", "Enter the staff PIN", "") \
    X(SignIn, "Masuk", "Enter", "") \
    X(StaffModeUnavailable, "Mode petugas tidak tersedia.", "Staff mode is not available.", "") \
    X(PinCannotBeChecked, "PIN tidak dapat diperiksa saat ini.", "The PIN cannot be checked now.", "") \
    X(WrongPin, "PIN salah.", "Wrong PIN.", "") \
    X(TryAgainIn, "Coba lagi setelah {1} detik.", "Try again in {1} seconds.", "Try again in 1 second.") \
    X(NoStaffPin, "PIN petugas belum diatur (staff.pin_hash).", "No staff PIN is set (staff.pin_hash).", "") \
    X(ExitStaffMode, "Keluar", "Exit", "") \
    X(Refresh, "Perbarui", "Refresh", "") \
    X(SyncNeedsFix, "Pengaturan sinkronisasi perlu diperbaiki", "The sync set-up needs a fix", "") \
    X(SyncNeedsFixHelp, "Permintaan pengunjung tersimpan aman di anjungan dan menunggu. Mohon hubungi pengelola sistem untuk menyamakan ID anjungan (device.id) dengan tokennya.", "Visitors\u2019 requests are safely stored on this kiosk and waiting. Please ask the system administrator to make the kiosk id (device.id) match its token.", "") \
    X(NotEncrypted, "Koneksi ke server tidak terenkripsi", "The link to the server is not encrypted", "") \
    X(NotEncryptedHelp, "Permintaan tetap terkirim. Mohon minta pengelola sistem menggunakan alamat https:// untuk server.", "Requests are still sent. Please ask the system administrator to use an https:// server address.", "") \
    X(HeldRequests, "Permintaan tertahan", "Held requests", "") \
    X(HeldRequestsHelp, "Server menolak isi permintaan berikut. Setelah penyebabnya diperbaiki, kirim ulang.", "The server refused the content of these requests. Once the cause is fixed, send them again.", "") \
    X(AndMore, "\u2026 dan {1} lainnya", "\u2026 and {1} more", "") \
    X(SendHeldAgain, "Kirim ulang yang tertahan", "Send held requests again", "") \
    X(Requeued, "{1} permintaan dikirim ulang ke antrean.", "{1} requests put back in the queue to be sent.", "1 request put back in the queue to be sent.") \
    X(QueueWaitingSending, "Antrean: menunggu / dikirim", "Queue: waiting / sending", "") \
    X(DeliveredQuarantined, "Terkirim / karantina", "Delivered / quarantined", "") \
    X(OldestUnsent, "Tertua belum terkirim", "Oldest unsent", "") \
    X(NoneAtAll, "tidak ada", "none", "") \
    X(LastSync, "Sinkronisasi terakhir", "Last sync", "") \
    X(Never, "belum pernah", "never", "") \
    X(Ago, "{1} lalu", "{1} ago", "") \
    X(AgeSeconds, "{1} detik", "{1} s", "") \
    X(AgeMinutes, "{1} menit", "{1} min", "") \
    X(AgeHours, "{1} jam", "{1} h", "") \
    X(AgeDays, "{1} hari", "{1} days", "1 day") \
    X(ContentVersion, "Versi konten", "Content version", "") \
    X(KioskId, "ID anjungan", "Kiosk ID", "") \
    X(FreeSpace, "Ruang kosong", "Free space", "") \
    X(NewRequests, "Permintaan baru", "New requests", "") \
    X(Accepted, "diterima", "accepted", "") \
    X(Refused, "DITOLAK: {1}", "REFUSED: {1}", "") \
    X(Database, "Basis data", "Database", "") \
    X(PacksOnUsb, "Paket konten di USB", "Content packs on USB", "") \
    X(NoPackOnUsb, "Tidak ada paket (.pack dengan .minisig) pada USB yang terpasang.", "No pack (.pack with .minisig) on a mounted USB stick.", "") \
    X(Import, "Impor", "Import", "") \
    X(ImportChecking, "Memeriksa tanda tangan paket\u2026", "Checking the pack\u2019s signature\u2026", "") \
    X(ImportCopying, "Menyalin paket\u2026", "Copying the pack\u2026", "") \
    X(ImportVerifying, "Memeriksa salinan paket\u2026", "Checking the copy of the pack\u2026", "") \
    X(BytesOf, "{1} dari {2}", "{1} of {2}", "") \
    X(CheckingPin, "Memeriksa PIN\u2026", "Checking the PIN\u2026", "") \
    X(PackInstalled, "Paket konten ({1}) telah dipasang dan akan tampil setelah mode petugas ditutup.", "Content pack ({1}) installed. It shows once staff mode is closed.", "") \
    /* Issue 14: the queue export by USB */ \
    X(QueueByUsb, "Antrean lewat USB", "Queue by USB stick", "") \
    X(QueueByUsbHelp, "Tanpa sinyal: ekspor permintaan yang belum diterima server ke USB, bawa ke kantor dan impor di dasbor. Bawa kembali berkas tanda terimanya, lalu terapkan di sini.", "No signal: export the requests the server has not received to a USB stick, take it to the office and import it in the dashboard. Bring the acknowledgement file back and apply it here.", "") \
    X(ExportQueueToUsb, "Ekspor antrean ke USB", "Export queue to USB", "") \
    X(ApplyAckFromUsb, "Terapkan tanda terima dari USB", "Apply acknowledgement from USB", "") \
    X(UsbWorking, "Sedang menulis/membaca USB… jangan cabut USB.", "Working with the USB stick… do not pull it out.", "") \
    X(QueueExported, "{1} permintaan ditulis ke {2} ({3}).", "{1} requests written to {2} ({3}).", "1 request written to {2} ({3}).") \
    X(UsbMayPull, "USB boleh dicabut.", "You may pull the USB stick out.", "") \
    X(QueueExportedSurveys, "{1} jawaban survei kepuasan juga ditulis.", "{1} satisfaction survey answers were written too.", "1 satisfaction survey answer was written too.") \
    X(QueueExportFailed, "Ekspor gagal: {1}", "Export failed: {1}", "") \
    X(AckApplied, "{1} permintaan kini tercatat diterima server ({2} sudah tercatat sebelumnya, {3} ditahan).", "{1} requests now recorded as received by the server ({2} recorded before, {3} held).", "1 request now recorded as received by the server ({2} recorded before, {3} held).") \
    X(AckSurveys, "{1} jawaban survei kepuasan diterima server dan dihapus dari anjungan.", "{1} satisfaction survey answers received by the server and removed from the kiosk.", "1 satisfaction survey answer received by the server and removed from the kiosk.") \
    X(AckFailed, "Tanda terima tidak dapat diterapkan: {1}", "The acknowledgement cannot be applied: {1}", "") \
    X(AckRefused, "Ditolak: {1}", "Refused: {1}", "") \
    X(NoAckOnUsb, "Tidak ada tanda terima (.ksda) untuk anjungan ini pada USB yang terpasang.", "No acknowledgement (.ksda) for this kiosk on a mounted USB stick.", "") \
    /* The technician's page (a bad setting): both languages at once, nobody chose one */ \
    X(SettingsNeedCorrection, "Pengaturan anjungan perlu diperbaiki", "The kiosk's settings need a correction", "") \
    X(NotInServiceYet, "Pengunjung: mohon maaf, anjungan belum dapat digunakan.", "Visitors: sorry, not in service yet.", "") \
    X(HowToFix, "Cara memperbaiki", "How to fix it", "") \
    X(FixOnTheCard, "Matikan anjungan, keluarkan kartu SD, perbaiki baris itu di ksd.toml dengan laptop, pasang kembali kartunya, lalu nyalakan anjungan.", "Switch the kiosk off, take the SD card out, correct that line of ksd.toml on a laptop, put the card back and switch the kiosk on.", "") \
    X(FixOverSsh, "Perbaiki {1} lewat SSH, lalu: sudo systemctl restart ksd-kiosk", "Correct {1} over SSH, then: sudo systemctl restart ksd-kiosk", "") \
    X(LineNumber, "baris {1}", "line {1}", "") \
    X(MoreProblems, "{1} masalah lain", "{1} more problems", "1 more problem") \
// clang-format on

enum class S : uint16_t {
#define KSD_UI_STRING_KEY(key, id, en, en_one) key,
    KSD_UI_STRINGS(KSD_UI_STRING_KEY)
#undef KSD_UI_STRING_KEY
};

// Whether a counted text speaks of exactly one thing (English singular) or any other number.
enum class Count : uint8_t { One, Other };

// The text of key in lang; Count::One picks the English singular where there is one.
char const* text(ksd::Lang, S, Count = Count::Other);
inline char const* tr(ksd::Lang l, S key) {
    return text(l, key);
}
// The text with "{1}", "{2}" … replaced by args in order.
std::string fill(ksd::Lang, S, std::initializer_list<std::string_view> args);
// The counted text with "{1}" replaced by n and the English singular for n == 1; further
// arguments fill "{2}" ….
std::string counted(ksd::Lang, S, int64_t n, std::initializer_list<std::string_view> more = {});
// Every key, for the test that walks the screens in English.
std::span<S const> all_strings();

} // namespace kiosk::ui
