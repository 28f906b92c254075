// Content held in memory: the fixed sample of the tests, golden screenshots and screenshot mode
// without a pack, and the hand-built content of single tests.
#pragma once

#include "model/content.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kiosk {

// Everything in memory, filtered by plain substring search; for tests and fixed screenshots.
class MemoryContent final : public Content {
public:
    ksd::PackMeta meta_data;
    ksd::Institution institution_data;
    std::vector<ksd::Section> section_data;
    std::vector<ksd::Highlight> highlight_data;
    std::vector<ksd::Page> pages_id; // Indonesian pages
    std::vector<ksd::Page> pages_en;
    std::vector<ksd::Agreement> agreement_data;
    std::vector<ksd::Potential> potential_id, potential_en;
    std::vector<ksd::Contact> contacts_id, contacts_en;
    std::vector<ksd::FaqEntry> faq_id, faq_en;
    std::map<std::string, std::string> assets; // name -> image bytes

    ksd::PackMeta const& meta() const override { return meta_data; }
    ksd::Institution const& institution() const override { return institution_data; }
    std::vector<ksd::Section> const& sections() const override { return section_data; }
    std::vector<ksd::Highlight> const& highlights() const override { return highlight_data; }
    ksd::Result<std::vector<ksd::PageSummary>> pages_in_section(
        std::string const&, ksd::Lang) const override;
    ksd::Result<ksd::Page> page(std::string const& id, ksd::Lang) const override;
    ksd::Result<std::vector<ksd::Agreement>> agreements(ksd::AgreementFilter const&) const override;
    ksd::Result<int64_t> count_agreements(ksd::AgreementFilter const&) const override;
    ksd::Result<ksd::Agreement> agreement(int64_t id) const override;
    ksd::Result<std::vector<ksd::Potential>> potential(ksd::Lang l) const override {
        return l == ksd::Lang::Id ? potential_id : potential_en;
    }
    ksd::Result<std::vector<ksd::Contact>> contacts(ksd::Lang l) const override {
        return l == ksd::Lang::Id ? contacts_id : contacts_en;
    }
    ksd::Result<std::vector<ksd::FaqEntry>> faq(ksd::Lang l) const override {
        return l == ksd::Lang::Id ? faq_id : faq_en;
    }
    ksd::Result<std::string> asset(std::string const& name) const override;
};

// A fixed sample (institution, sections, pages, agreements, contacts, FAQ) for tests, golden
// screenshots and the screenshot mode without a pack. Its text never changes with content/.
std::unique_ptr<MemoryContent> make_sample_content();

} // namespace kiosk
