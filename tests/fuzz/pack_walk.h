// Reads everything of an open content pack the way the kiosk does (every section, page, list,
// detail, image and a few searches), parsing the Markdown it holds. Errors are fine (a damaged
// pack); crashes, hangs and leaks are not.
#pragma once

#include "ksd/content_pack.h"
#include "ksd/markdown.h"
#include "ksd/utf8.h"

namespace ksd::fuzz {

inline void parse_markdown(std::string const& text) {
    // The kiosk parses what the pack holds; a pack is not trusted to hold valid UTF-8.
    if (utf8::is_valid(text))
        (void)md::parse(text);
}

inline void walk_pack(ContentPack const& pack) {
    (void)pack.meta();
    if (!pack.institution().logo.empty())
        (void)pack.asset(pack.institution().logo);
    for (Lang lang : {Lang::Id, Lang::En}) {
        for (auto const& s : pack.sections()) {
            auto list = pack.pages_in_section(s.id, lang);
            if (!list.ok())
                continue;
            for (auto const& summary : *list) {
                auto p = pack.page(summary.id, lang);
                if (!p.ok())
                    continue;
                parse_markdown(p->markdown);
                for (auto const& b :
                    md::parse(utf8::is_valid(p->markdown) ? p->markdown : "").blocks)
                    if (b.kind == md::BlockKind::Image)
                        (void)pack.asset(b.src);
            }
        }
        if (auto pot = pack.potential(lang); pot.ok())
            for (auto const& x : *pot)
                parse_markdown(x.markdown);
        if (auto faq = pack.faq(lang); faq.ok())
            for (auto const& x : *faq)
                parse_markdown(x.answer_markdown);
        (void)pack.contacts(lang);
        for (char const* q : {"kerja", "kelapa sama", "a", "\"*)(", "perj"})
            (void)pack.search(q, lang, 20);
    }
    AgreementFilter all;
    all.today = Date {2026, 11, 23};
    (void)pack.count_agreements(all);
    if (auto list = pack.agreements(all); list.ok()) {
        for (auto const& a : *list) {
            (void)pack.agreement(a.id);
            (void)a.status(all.today);
        }
    }
    for (auto st : {AgreementStatus::NotYetActive, AgreementStatus::Active,
             AgreementStatus::EndingSoon, AgreementStatus::Ended}) {
        AgreementFilter f = all;
        f.status = st;
        f.kind = "KSDPK";
        f.sector = "pertanian";
        f.query = "kelapa";
        (void)pack.count_agreements(f);
        (void)pack.agreements(f);
    }
    (void)pack.agreement(1);
    (void)pack.agreement(-1);
}

} // namespace ksd::fuzz
