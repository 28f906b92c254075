// What the screens' data comes from: the signed content pack in production, a hand-built
// MemoryContent in tests (app/memory_content.h). The App queries it; screens never do.
#pragma once

#include "ksd/content_pack.h"

#include <map>
#include <memory>

namespace kiosk {

class Content {
public:
    virtual ~Content() = default;
    virtual ksd::PackMeta const& meta() const = 0;
    virtual ksd::Institution const& institution() const = 0;
    virtual std::vector<ksd::Section> const& sections() const = 0;
    virtual std::vector<ksd::Highlight> const& highlights() const = 0;
    virtual ksd::Result<std::vector<ksd::PageSummary>> pages_in_section(
        std::string const&, ksd::Lang) const = 0;
    virtual ksd::Result<ksd::Page> page(std::string const& id, ksd::Lang) const = 0;
    virtual ksd::Result<std::vector<ksd::Agreement>> agreements(
        ksd::AgreementFilter const&) const = 0;
    virtual ksd::Result<int64_t> count_agreements(ksd::AgreementFilter const&) const = 0;
    virtual ksd::Result<ksd::Agreement> agreement(int64_t id) const = 0;
    virtual ksd::Result<std::vector<ksd::Potential>> potential(ksd::Lang) const = 0;
    virtual ksd::Result<std::vector<ksd::Contact>> contacts(ksd::Lang) const = 0;
    virtual ksd::Result<std::vector<ksd::FaqEntry>> faq(ksd::Lang) const = 0;
    virtual ksd::Result<std::string> asset(std::string const& name) const = 0;
};

} // namespace kiosk
