// Issue 14, monitoring of agreements on the kiosk: the detail shows the implementation state, the
// last evaluation (date and summary) and the responsible unit in both languages; the register
// filters by implementation state with its own picker; a pack without monitoring shows no such
// filter. Label-driven, on the sample content (app/memory_content.cpp).
#include "app/memory_content.h"
#include "kiosk_fixture.h"
#include "test_support.h"

using namespace kiosk;
using kiosk::test::ok;

TEST_CASE("monev: the agreement's detail shows its implementation state and last evaluation") {
    for (auto size : {ui::Size {800, 480}, ui::Size {1080, 1920}}) {
        INFO(size.w << "x" << size.h);
        auto k = test::make_kiosk(size);
        auto& h = k->host();
        ok(h.tap("Sentuh layar untuk mulai"));
        ok(h.tap("Daftar Kerja Sama"));
        ok(h.tap("PT Contoh Kelapa Lestari (fiktif)"));
        ok(h.expect("Pelaksanaan"));
        ok(h.expect("Berjalan"));
        ok(h.expect("Evaluasi terakhir"));
        ok(h.expect("15 September 2026 \xE2\x80\x94 Pelatihan 120 petani selesai; mesin pengolah "
                    "sabut terpasang di dua desa."));
        ok(h.expect("Penanggung jawab"));
        ok(h.tap("EN"));
        ok(h.expect("Progress"));
        ok(h.expect("Ongoing"));
        ok(h.expect("Last evaluation"));
        ok(h.expect("Responsible unit"));
    }
}

TEST_CASE("monev: an agreement without monitoring shows no empty monitoring rows") {
    auto k = test::make_kiosk({1280, 800});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Daftar Kerja Sama"));
    ok(h.tap("Bank Contoh Daerah (fiktif)"));
    ok(h.expect("Badan Pendapatan Daerah"));
    CHECK_FALSE(h.text_visible("Evaluasi terakhir"));
    CHECK_FALSE(h.text_visible("Pelaksanaan"));
}

TEST_CASE("monev: the register filters by implementation state") {
    // At 800x480 four filters say what they filter ("Pelaksanaan") or their choice.
    auto k = test::make_kiosk({800, 480});
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Daftar Kerja Sama"));
    ok(h.expect("6 perjanjian"));
    ok(h.tap("Pelaksanaan"));
    ok(h.expect("Pilih status pelaksanaan"));
    ok(h.tap("Terkendala"));
    ok(h.expect("1 perjanjian"));
    ok(h.expect("Kabupaten Contoh Hulu (fiktif)"));
    CHECK_FALSE(h.text_visible("PT Contoh Kelapa Lestari (fiktif)"));
    CHECK(h.app().state().reg.implementation == ksd::ImplementationState::Hindered);
    // The button now shows the choice; another one, then combined with the status filter.
    ok(h.tap("Terkendala"));
    ok(h.tap("Selesai"));
    ok(h.expect("1 perjanjian"));
    ok(h.expect("Universitas Contoh (fiktif)"));
    ok(h.tap("Status"));
    ok(h.tap("Berakhir"));
    ok(h.expect("0 perjanjian"));
    ok(h.tap("Berakhir"));
    ok(h.tap("Semua status"));
    ok(h.tap("Selesai"));
    ok(h.tap("Semua pelaksanaan"));
    ok(h.expect("6 perjanjian"));
}

TEST_CASE("monev: without monitoring in the pack the register has its three filters") {
    auto content = make_sample_content();
    content->meta_data.monitoring = false;
    for (auto& a : content->agreement_data)
        a.implementation.reset();
    auto k = test::make_kiosk({800, 480}, {}, std::move(content));
    auto& h = k->host();
    ok(h.tap("Sentuh layar untuk mulai"));
    ok(h.tap("Daftar Kerja Sama"));
    ok(h.expect("Semua status"));
    CHECK_FALSE(h.text_visible("Semua pelaksanaan"));
}
