// Read-aloud for visitors who read with difficulty (issue 14): the pronunciation lexicon, the text
// espeak-ng is given, and speech rendered to samples by Debian's espeak-ng program.
//
// espeak-ng's Indonesian voice reads some common words with the wrong vowel ("enam" with an open
// e) or a k where Indonesians say a glottal stop ("tidak", "bapak"), and spells the domain's
// abbreviations oddly. The lexicon maps such words to espeak-ng phonemes; apply() writes them as
// espeak-ng's phoneme input ([[...]]) into the text. A test compares espeak-ng's own phonemes
// (`espeak-ng -x`) for the kiosk's fixed phrases with the expected ones.
#pragma once

#include "ksd/result.h"
#include "ksd/taxonomy.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ksd {

struct LexiconEntry {
    std::string word; // as written in text; matched as a whole word
    std::string phonemes; // espeak-ng phoneme mnemonics, stress marks included
    int line {0}; // in the lexicon's source, for messages
};

class Lexicon {
public:
    // One entry per line: WORD, a tab, PHONEMES. '#' starts a comment line; blank lines are
    // skipped. A word with a capital letter (an abbreviation: "KSD", "MoU") matches only as
    // written; an all-lowercase word matches in any case ("Tidak", "TIDAK"). Every problem
    // (no tab, an empty side, a bracket in the phonemes, a word twice) is named with its line,
    // all of them in one Error.
    static Result<Lexicon> parse(std::string_view tsv, std::string_view source_name);

    // The text to give espeak-ng: each word found in the lexicon replaced by [[its phonemes]];
    // brackets in the text itself are turned into parentheses, so content cannot inject
    // phoneme input.
    std::string apply(std::string_view text) const;

    std::span<LexiconEntry const> entries() const { return m_entries; }

private:
    std::vector<LexiconEntry> m_entries;
    std::unordered_map<std::string, size_t> m_exact; // words with a capital letter
    std::unordered_map<std::string, size_t> m_folded; // lowercase words
};

// The kiosk's built-in lexicon of a language (speech_lexicon.cpp).
Lexicon const& builtin_lexicon(Lang);
// Its source text, for tests and `ksd-kiosk --speech-lexicon`.
std::string_view builtin_lexicon_source(Lang);

// The espeak-ng voice of a language: "id" and "en".
std::string_view speech_voice(Lang);

// Rate and volume as the kiosk's config gives them (speech.rate, speech.volume).
struct SpeechSettings {
    int words_per_minute {140}; // espeak-ng -s; its default 175 is fast for a lobby
    int volume {100}; // espeak-ng -a, 0..200
};
inline constexpr int speech_min_rate = 80, speech_max_rate = 300;
inline constexpr int speech_max_volume = 200;

// 16-bit mono samples at a rate.
struct SpeechAudio {
    int sample_rate {0};
    std::vector<int16_t> samples;
    double seconds() const {
        return sample_rate > 0 ? static_cast<double>(samples.size()) / sample_rate : 0.0;
    }
};

// Reads a RIFF WAVE of 16-bit PCM, mono or stereo (stereo is mixed down). The sizes espeak-ng
// writes to a pipe are placeholders (0x7ffff...): a data chunk longer than the bytes there is
// read to the end. An Error names what is wrong with the header.
Result<SpeechAudio> parse_wav(std::string_view bytes);

inline constexpr char const* espeak_program = "espeak-ng";
// How much text one request reads at most: an article's first part (about 10 minutes of speech).
inline constexpr size_t speech_max_text_bytes = 8000;

// The text cut to speech_max_text_bytes at a sentence or word end (whole UTF-8 characters).
std::string speech_text_limit(std::string_view text);

// The text (after speech_text_limit) in pieces that end at a sentence or line end where one is
// near: the first short (first_max bytes), so that the first words sound soon while the rest
// is rendered, the others up to max bytes. Joined they give the text back, spaces aside.
std::vector<std::string> speech_chunks(
    std::string_view text, size_t first_max = 240, size_t max = 1500);

// Renders text (after the language's lexicon) to samples with `program` (espeak-ng, or a
// stand-in in tests). An Error when the program is missing, fails, or writes no audio.
Result<SpeechAudio> synthesize_speech(std::string_view text, Lang, SpeechSettings const&,
    std::string const& program = espeak_program);

// espeak-ng's phoneme mnemonics (-x) for text after the language's lexicon, words separated by
// single spaces, for the lexicon test.
Result<std::string> speech_phonemes(
    std::string_view text, Lang, std::string const& program = espeak_program);

} // namespace ksd
