// The read-aloud's built-in pronunciation lexicons (speech.h): what espeak-ng 1.51 (bookworm)
// reads wrongly in the kiosk's fixed phrases and the domain's words, as espeak-ng phonemes.
// tests/shared/test_speech.cpp runs espeak-ng -x over every entry and over the fixed phrases, so
// an entry espeak-ng would not take as written, or an espeak-ng update that reads a phrase
// differently, fails the suite.
#include "ksd/speech.h"

namespace ksd {

namespace {

// Indonesian (voice "id"). Phonemes: espeak-ng's mnemonics for the voice; ' before the stressed
// syllable, , a secondary stress; @ the schwa (pepet e), E the open e (taling), ? the glottal
// stop that a final k is in speech, _ a short pause.
constexpr std::string_view lexicon_id = R"tsv(
# Common words espeak-ng reads with the wrong vowel or a final k instead of a glottal stop.
enam	@n'am
tidak	t'ida?
bapak	b'apa?
banyak	b'an^a?
pihak	p'iha?
masyarakat	m,aSaR'aka?
kesepakatan	k@s@pak'atan
kerjasama	k,ERdZas'ama
persetujuan	p@Rs@tudZ'uan
# The domain's abbreviations, letter by letter the Indonesian way.
KSD	k,a ,Es d'e
TKKSD	t,e k,a k,a ,Es d'e
DPRD	d,e p,e_ ,ER d'e
PKS	p,e k,a 'Es
KB	k,a b'e
NK	,En k'a
SKM	,Es k,a 'Em
MoU	,Em ,o 'u
# Domain words espeak-ng reads well today, fixed here so that an update cannot change them.
perjanjian	p@RdZandZ'ian
permendagri	p@Rm@nd'agRi
)tsv";

// English (voice "en"): the Indonesian names that English text keeps.
constexpr std::string_view lexicon_en = R"tsv(
# Indonesian words in English text, read the Indonesian way rather than as English spelling.
kesepakatan	k@s@pak'A:tan
bersama	b3s'A:ma
kerja	k'ErdZa
daerah	da'e@rah
anjungan	andZ'u:Nan
permendagri	p3:m@nd'A:gri:
)tsv";

Lexicon parse_builtin(Lang lang) {
    auto parsed = Lexicon::parse(builtin_lexicon_source(lang), "built-in lexicon");
    // The test suite parses both; a broken built-in lexicon only loses its corrections.
    return parsed.ok() ? parsed.release_value() : Lexicon {};
}

} // namespace

std::string_view builtin_lexicon_source(Lang lang) {
    switch (lang) {
    case Lang::Id:
        return lexicon_id;
    case Lang::En:
        return lexicon_en;
    }
    return lexicon_id;
}

Lexicon const& builtin_lexicon(Lang lang) {
    static Lexicon const id = parse_builtin(Lang::Id);
    static Lexicon const en = parse_builtin(Lang::En);
    switch (lang) {
    case Lang::Id:
        return id;
    case Lang::En:
        return en;
    }
    return id;
}

} // namespace ksd
