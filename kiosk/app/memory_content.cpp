// MemoryContent's queries and the fixed sample used by tests and screenshots.
#include "app/memory_content.h"

#include <algorithm>
#include <cctype>

namespace kiosk {

using namespace ksd;

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool matches(Agreement const& a, AgreementFilter const& f) {
    if (f.kind && lower(*f.kind) != lower(a.kind))
        return false;
    if (f.sector && *f.sector != a.sector)
        return false;
    if (f.status && a.status(f.today) != *f.status)
        return false;
    if (f.implementation && a.implementation != f.implementation)
        return false;
    if (f.query.empty())
        return true;
    std::string hay
        = lower(a.partner + " " + a.subject + " " + a.number + " " + a.scope + " " + a.agency);
    // Every typed word must start a word somewhere, as the pack's FTS prefix search does.
    std::string q = lower(f.query);
    size_t pos = 0;
    while (pos < q.size()) {
        while (pos < q.size() && q[pos] == ' ')
            ++pos;
        size_t end = q.find(' ', pos);
        std::string word = q.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        pos = end == std::string::npos ? q.size() : end;
        if (word.empty())
            continue;
        bool found = false;
        for (size_t at = hay.find(word); at != std::string::npos; at = hay.find(word, at + 1)) {
            if (at == 0 || !std::isalnum(static_cast<unsigned char>(hay[at - 1]))) {
                found = true;
                break;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

} // namespace

Result<std::vector<PageSummary>> MemoryContent::pages_in_section(
    std::string const& section, Lang l) const {
    std::vector<PageSummary> out;
    for (auto const& p : l == Lang::Id ? pages_id : pages_en)
        if (p.section == section)
            out.push_back({p.id, p.section, p.order, p.title, p.summary});
    std::sort(
        out.begin(), out.end(), [](auto const& a, auto const& b) { return a.order < b.order; });
    return out;
}

Result<Page> MemoryContent::page(std::string const& id, Lang l) const {
    for (auto const& p : l == Lang::Id ? pages_id : pages_en)
        if (p.id == id)
            return p;
    return make_error("no page " + id);
}

Result<std::vector<Agreement>> MemoryContent::agreements(AgreementFilter const& f) const {
    std::vector<Agreement> out;
    int skipped = 0;
    for (auto const& a : agreement_data) {
        if (!matches(a, f))
            continue;
        if (skipped++ < f.offset)
            continue;
        if (int(out.size()) >= f.limit)
            break;
        out.push_back(a);
    }
    return out;
}

Result<int64_t> MemoryContent::count_agreements(AgreementFilter const& f) const {
    return int64_t(std::count_if(agreement_data.begin(), agreement_data.end(),
        [&](auto const& a) { return matches(a, f); }));
}

Result<Agreement> MemoryContent::agreement(int64_t id) const {
    for (auto const& a : agreement_data)
        if (a.id == id)
            return a;
    return make_error("no agreement " + std::to_string(id));
}

Result<std::string> MemoryContent::asset(std::string const& name) const {
    auto it = assets.find(name);
    if (it != assets.end())
        return it->second;
    return make_error("no asset " + name);
}

std::unique_ptr<MemoryContent> make_sample_content() {
    auto c = std::make_unique<MemoryContent>();
    c->meta_data = {2, 20261101, 0, "", true, true};
    c->institution_data
        = {{"Bagian Kerja Sama dan Perbatasan", "Cooperation and Border Affairs Division"},
            {"Sekretariat Daerah Kabupaten Contoh", "Regional Secretariat of Contoh Regency"},
            "Jalan Contoh No. 1, Kota Contoh", ""};
    auto sec
        = [](std::string id, std::string kind, std::string icon, std::string tid, std::string ten) {
              return Section {std::move(id), std::move(kind), std::move(icon),
                  {std::move(tid), std::move(ten)}};
          };
    c->section_data = {
        sec("tentang", "pages", "info", "Tentang KSD", "About KSD"),
        sec("alur", "pages", "steps", "Alur & Persyaratan", "Process & Requirements"),
        sec("daftar", "register", "register", "Daftar Kerja Sama", "Agreements Register"),
        sec("potensi", "potential", "potential", "Potensi Daerah", "Regional Potential"),
        sec("dokumen", "pages", "documents", "Dokumen & Templat", "Documents & Templates"),
        sec("faq", "faq", "faq", "Tanya Jawab", "Questions & Answers"),
        sec("kontak", "contacts", "contacts", "Kontak & TKKSD", "Contacts & TKKSD"),
    };
    c->highlight_data = {
        {{"Kerja sama daerah mempercepat pembangunan dan pelayanan publik.",
             "Regional cooperation speeds up development and public services."},
            "tentang-ksd"},
        {{"Cari perjanjian kerja sama yang berlaku di Daftar Kerja Sama.",
             "Look up agreements in force in the Agreements Register."},
            ""},
    };
    auto page = [](std::string id, std::string section, int order, std::string title,
                    std::string summary, std::string md) {
        return Page {std::move(id), std::move(section), order, std::move(title), std::move(summary),
            std::move(md), {}};
    };
    Page tentang_id = page("tentang-ksd", "tentang", 1, "Apa itu kerja sama daerah?",
        "Dasar, tujuan dan bentuk kerja sama daerah.",
        "Kerja sama daerah (**KSD**) adalah usaha bersama antara daerah dengan daerah lain, dengan "
        "pihak ketiga, atau dengan lembaga di luar negeri, untuk *kesejahteraan masyarakat* dan "
        "pelayanan publik yang lebih baik.\n\n"
        "## Bentuk kerja sama\n\n"
        "- Kerja sama dengan daerah lain (KSDD)\n"
        "- Kerja sama dengan pihak ketiga (KSDPK)\n"
        "- Kerja sama dengan pemerintah daerah di luar negeri (KSDPL)\n\n"
        "## Dokumen\n\n"
        "| Dokumen | Penandatangan |\n|---|---|\n"
        "| Kesepakatan Bersama (KB) | Kepala daerah |\n"
        "| Perjanjian Kerja Sama (PKS) | Perangkat daerah |\n\n"
        "Informasi lebih lanjut tersedia di Bagian Kerja Sama.\n");
    tentang_id.links = {{"Konsultasi lewat WhatsApp",
        "https://wa.me/6281200000000?text=Halo%2C%20saya%20ingin%20berkonsultasi"}};
    Page tentang_en = page("tentang-ksd", "tentang", 1, "What is regional cooperation?",
        "Basis, purpose and forms of regional cooperation.",
        "Regional cooperation (**KSD**) is a joint effort between a region and another region, a "
        "third party, or an institution abroad, for *public welfare* and better public "
        "services.\n\n"
        "## Forms of cooperation\n\n"
        "- Cooperation with another region (KSDD)\n"
        "- Cooperation with a third party (KSDPK)\n"
        "- Cooperation with a local government abroad (KSDPL)\n\n"
        "## Documents\n\n"
        "| Document | Signed by |\n|---|---|\n"
        "| Joint Agreement (KB) | Regional head |\n"
        "| Cooperation Agreement (PKS) | Regional agency |\n\n"
        "More information is available at the Cooperation Division.\n");
    tentang_en.links = {{"Consult via WhatsApp",
        "https://wa.me/6281200000000?text=Hello%2C%20I%20would%20like%20a%20consultation"}};
    c->pages_id = {tentang_id,
        page("alur-ksd", "alur", 1, "Sepuluh tahap kerja sama daerah",
            "Dari persiapan sampai pelaporan.",
            "1. Persiapan\n2. Penawaran\n3. Penyusunan kesepakatan\n4. Penandatanganan\n5. "
            "Pelaksanaan\n"),
        page("persyaratan", "alur", 2, "Persyaratan pengajuan", "Dokumen yang perlu disiapkan.",
            "- Surat permohonan\n- Kerangka acuan kerja\n- Profil lembaga\n"),
        page("template", "dokumen", 1, "Templat dokumen", "Contoh surat dan naskah.",
            "Templat tersedia di Bagian Kerja Sama.\n")};
    c->pages_en = {tentang_en,
        page("alur-ksd", "alur", 1, "Ten steps of regional cooperation",
            "From preparation to reporting.",
            "1. Preparation\n2. Offer\n3. Drafting the agreement\n4. Signing\n5. Implementation\n"),
        page("persyaratan", "alur", 2, "Application requirements", "Documents to prepare.",
            "- Letter of request\n- Terms of reference\n- Institution profile\n"),
        page("template", "dokumen", 1, "Document templates", "Sample letters and drafts.",
            "Templates are available at the Cooperation Division.\n")};

    auto ag
        = [](int64_t id, std::string number, std::string kind, std::string doc, std::string partner,
              std::string subject, std::string sector, Date s, Date b, Date e, std::string agency) {
              Agreement a;
              a.id = id;
              a.number = std::move(number);
              a.kind = std::move(kind);
              a.doc_type = std::move(doc);
              a.partner = std::move(partner);
              a.subject = std::move(subject);
              a.sector = std::move(sector);
              a.scope = "Pertukaran data, pendampingan teknis dan peningkatan kapasitas.";
              a.signed_on = s;
              a.start = b;
              a.end = e;
              a.agency = std::move(agency);
              return a;
          };
    c->agreement_data = {
        ag(1, "CONTOH/PKS/004/2025", "KSDPK", "PKS", "PT Contoh Kelapa Lestari (fiktif)",
            "Pengembangan hilirisasi kelapa", "pertanian", {2025, 3, 14}, {2025, 4, 1},
            {2028, 3, 31}, "Dinas Perkebunan"),
        ag(2, "CONTOH/KB/011/2024", "KSDD", "KB", "Kabupaten Contoh Hulu (fiktif)",
            "Pengelolaan sampah regional", "lingkungan-hidup", {2024, 1, 10}, {2024, 2, 1},
            {2027, 1, 31}, "Dinas Lingkungan Hidup"),
        ag(3, "CONTOH/PKS/002/2023", "KSDPK", "PKS", "Universitas Contoh (fiktif)",
            "Kuliah kerja nyata tematik kelapa", "pendidikan", {2023, 6, 1}, {2023, 6, 1},
            {2026, 12, 31}, "Bappeda"),
        ag(4, "CONTOH/PKS/007/2022", "KSDPK", "PKS", "Bank Contoh Daerah (fiktif)",
            "Layanan pembayaran pajak daerah", "penanaman-modal", {2022, 2, 2}, {2022, 3, 1},
            {2025, 2, 28}, "Badan Pendapatan Daerah"),
        ag(5, "CONTOH/KB/001/2026", "KSDD", "KB", "Kota Contoh Pesisir (fiktif)",
            "Transportasi air antardaerah", "perhubungan", {2026, 10, 1}, {2027, 1, 1},
            {2029, 12, 31}, "Dinas Perhubungan"),
        ag(6, "CONTOH/PKS/015/2025", "KSDPK", "PKS", "Koperasi Nelayan Contoh (fiktif)",
            "Rantai dingin hasil perikanan", "kelautan-perikanan", {2025, 8, 17}, {2025, 9, 1},
            {2027, 8, 31}, "Dinas Perikanan"),
    };
    // Monitoring (issue 14) on some agreements: the register's fourth filter and the detail rows.
    auto monev
        = [&](int64_t id, ImplementationState st, Date on, std::string summary, std::string unit) {
              auto& a = c->agreement_data[size_t(id - 1)];
              a.implementation = st;
              a.evaluated_on = on;
              a.evaluation = std::move(summary);
              a.responsible_unit = std::move(unit);
          };
    monev(1, ImplementationState::Ongoing, {2026, 9, 15},
        "Pelatihan 120 petani selesai; mesin pengolah sabut terpasang di dua desa.",
        "Dinas Perkebunan");
    monev(2, ImplementationState::Hindered, {2026, 6, 3},
        "Lokasi tempat pembuangan akhir bersama belum disepakati.", "Dinas Lingkungan Hidup");
    monev(3, ImplementationState::Done, {2026, 8, 20}, "Seluruh kegiatan KKN tematik selesai.",
        "Bappeda");
    monev(5, ImplementationState::NotStarted, {2026, 11, 2}, "Menunggu mulai berlaku.",
        "Dinas Perhubungan");

    auto pot = [](std::string id, std::string sector, std::string title, std::string summary,
                   std::string md, std::string location) {
        return Potential {std::move(id), std::move(sector), std::move(title), std::move(summary),
            std::move(md), std::move(location)};
    };
    c->potential_id = {
        pot("kelapa", "pertanian", "Kelapa dan hilirisasinya",
            "Kebun kelapa rakyat yang luas, siap untuk industri olahan.",
            "Produksi kelapa rakyat tinggi; peluang untuk **santan**, *arang tempurung* dan sabut.",
            "Kecamatan Contoh Barat"),
        pot("perikanan", "kelautan-perikanan", "Perikanan tangkap",
            "Pelabuhan ikan dan rantai dingin.", "Peluang investasi gudang pendingin.",
            "Kecamatan Contoh Pesisir")};
    c->potential_en = {pot("kelapa", "pertanian", "Coconut and its downstream industry",
                           "Large smallholder coconut estates, ready for processing.",
                           "High smallholder production; opportunities in **coconut milk**, *shell "
                           "charcoal* and fibre.",
                           "Kecamatan Contoh Barat"),
        pot("perikanan", "kelautan-perikanan", "Capture fisheries", "Fishing port and cold chain.",
            "Investment opportunity in cold storage.", "Kecamatan Contoh Pesisir")};

    Contact office;
    office.id = "bagian-kerja-sama";
    office.name = "Bagian Kerja Sama dan Perbatasan";
    office.role = "Layanan konsultasi kerja sama daerah";
    office.phone = "+62 768 000000";
    office.whatsapp = "+6281200000000";
    office.whatsapp_url = "https://wa.me/6281200000000?text=Halo%2C%20saya%20ingin%20bertanya";
    office.email = "kerjasama@contoh.go.id";
    office.address = "Jalan Contoh No. 1, Kota Contoh";
    office.hours = "Senin\u2013Jumat 08.00\u201316.00";
    Contact tkksd;
    tkksd.id = "tkksd";
    tkksd.name = "Sekretariat TKKSD";
    tkksd.role = "Tim Koordinasi Kerja Sama Daerah";
    tkksd.email = "tkksd@contoh.go.id";
    tkksd.hours = "Senin\u2013Kamis 08.00\u201315.00";
    c->contacts_id = {office, tkksd};
    office.name = "Cooperation and Border Affairs Division";
    office.role = "Regional cooperation advice";
    office.hours = "Monday\u2013Friday 08:00\u201316:00";
    tkksd.name = "TKKSD Secretariat";
    tkksd.role = "Regional Cooperation Coordination Team";
    tkksd.hours = "Monday\u2013Thursday 08:00\u201315:00";
    c->contacts_en = {office, tkksd};

    c->faq_id = {{"apa-itu-ksd", "Apa itu kerja sama daerah?",
                     "Usaha bersama daerah dengan pihak lain untuk **pelayanan publik**."},
        {"berapa-lama", "Berapa lama prosesnya?", "Biasanya tiga sampai enam bulan."},
        {"siapa-boleh", "Siapa yang boleh mengajukan?",
            "Daerah lain, badan usaha, perguruan tinggi dan organisasi."}};
    c->faq_en = {{"apa-itu-ksd", "What is regional cooperation?",
                     "A joint effort of a region with others for **public services**."},
        {"berapa-lama", "How long does it take?", "Usually three to six months."},
        {"siapa-boleh", "Who may apply?",
            "Other regions, companies, universities and organisations."}};
    return c;
}

} // namespace kiosk
