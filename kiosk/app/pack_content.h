// Content read from a signed content pack (ksd::ContentPack), and the check for a newer pack.
#pragma once

#include "model/content.h"

#include <string>

namespace kiosk {

class PackContent final : public Content {
public:
    explicit PackContent(ksd::ContentPack pack)
        : m_pack(std::move(pack)) { }
    ksd::PackMeta const& meta() const override { return m_pack.meta(); }
    ksd::Institution const& institution() const override { return m_pack.institution(); }
    std::vector<ksd::Section> const& sections() const override { return m_pack.sections(); }
    std::vector<ksd::Highlight> const& highlights() const override { return m_pack.highlights(); }
    ksd::Result<std::vector<ksd::PageSummary>> pages_in_section(
        std::string const& s, ksd::Lang l) const override {
        return m_pack.pages_in_section(s, l);
    }
    ksd::Result<ksd::Page> page(std::string const& id, ksd::Lang l) const override {
        return m_pack.page(id, l);
    }
    ksd::Result<std::vector<ksd::Agreement>> agreements(
        ksd::AgreementFilter const& f) const override {
        return m_pack.agreements(f);
    }
    ksd::Result<int64_t> count_agreements(ksd::AgreementFilter const& f) const override {
        return m_pack.count_agreements(f);
    }
    ksd::Result<ksd::Agreement> agreement(int64_t id) const override {
        return m_pack.agreement(id);
    }
    ksd::Result<std::vector<ksd::Potential>> potential(ksd::Lang l) const override {
        return m_pack.potential(l);
    }
    ksd::Result<std::vector<ksd::Contact>> contacts(ksd::Lang l) const override {
        return m_pack.contacts(l);
    }
    ksd::Result<std::vector<ksd::FaqEntry>> faq(ksd::Lang l) const override {
        return m_pack.faq(l);
    }
    ksd::Result<std::string> asset(std::string const& name) const override {
        return m_pack.asset(name);
    }

private:
    ksd::ContentPack m_pack;
};

enum class Verify : uint8_t { Signature, None };

// Opens the pack at path, verified against the public key at key_path (or not at all, for
// development screenshots of an unsigned pack).
ksd::Result<std::unique_ptr<Content>> open_pack(
    std::string const& path, std::string const& key_path, Verify);

// Watches a pack path: returns a loader for App that opens the file only when it changed on
// disk (size, mtime, inode) and holds a valid pack newer than the current one.
std::function<std::unique_ptr<Content>(Content const*)> pack_watcher(
    std::string const& path, std::string const& key_path, Verify);

} // namespace kiosk
