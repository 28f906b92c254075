// The read-aloud's lexicon, WAVE reading and espeak-ng runs; see speech.h.
#include "ksd/speech.h"

#include "ksd/process.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace ksd {

namespace {

bool word_byte(unsigned char c) {
    return std::isalnum(c) != 0 || c >= 0x80;
}

bool has_capital(std::string_view word) {
    return std::any_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// 'word' in quotes, built by append: GCC 12 at -O3 sees a false overlap (-Wrestrict) in
// "'" + std::string(word).
std::string quoted(std::string_view word) {
    std::string q;
    q.reserve(word.size() + 2);
    q.push_back('\'');
    q.append(word);
    q.push_back('\'');
    return q;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

uint32_t le32(std::string_view b, size_t at) {
    auto u = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(b[at + i])); };
    return u(0) | (u(1) << 8) | (u(2) << 16) | (u(3) << 24);
}
uint16_t le16(std::string_view b, size_t at) {
    auto u = [&](size_t i) { return static_cast<uint16_t>(static_cast<unsigned char>(b[at + i])); };
    return static_cast<uint16_t>(u(0) | (u(1) << 8));
}

// How long espeak-ng may take for one text: it renders ten minutes of speech in a few seconds
// on a Pi 4; a hung one is killed rather than holding the worker.
constexpr std::chrono::milliseconds speech_timeout {30000};

} // namespace

Result<Lexicon> Lexicon::parse(std::string_view tsv, std::string_view source_name) {
    Lexicon lex;
    std::string problems;
    // Appended piece by piece: GCC 12 at -O3 sees a false overlap (-Wrestrict) in a chain of +.
    auto problem = [&](int line, std::string const& what) {
        problems.append(source_name).append(":").append(std::to_string(line));
        problems.append(": ").append(what).append("\n");
    };
    int line_no = 0;
    while (!tsv.empty()) {
        auto nl = tsv.find('\n');
        std::string_view line = tsv.substr(0, nl);
        tsv = nl == std::string_view::npos ? std::string_view {} : tsv.substr(nl + 1);
        ++line_no;
        if (trim(line).empty() || trim(line).front() == '#')
            continue;
        auto tab = line.find('\t');
        if (tab == std::string_view::npos) {
            problem(line_no, "no tab between the word and its phonemes");
            continue;
        }
        auto word = trim(line.substr(0, tab));
        auto phonemes = trim(line.substr(tab + 1));
        if (word.empty() || phonemes.empty()) {
            problem(line_no, word.empty() ? "the word is empty" : "the phonemes are empty");
            continue;
        }
        if (!std::all_of(word.begin(), word.end(),
                [](char c) { return word_byte(static_cast<unsigned char>(c)); })) {
            problem(line_no, quoted(word) + " is not one word (letters and digits)");
            continue;
        }
        if (phonemes.find_first_of("[]\t") != std::string_view::npos) {
            problem(line_no, "the phonemes of " + quoted(word) + " hold a bracket or a tab");
            continue;
        }
        bool const exact = has_capital(word);
        auto& index = exact ? lex.m_exact : lex.m_folded;
        std::string key = exact ? std::string(word) : ascii_lower(word);
        if (auto it = index.find(key); it != index.end()) {
            problem(line_no,
                quoted(word) + " is already on line "
                    + std::to_string(lex.m_entries[it->second].line));
            continue;
        }
        index.emplace(key, lex.m_entries.size());
        lex.m_entries.push_back({std::string(word), std::string(phonemes), line_no});
    }
    if (!problems.empty()) {
        problems.pop_back();
        return Error {problems};
    }
    return lex;
}

std::string Lexicon::apply(std::string_view text) const {
    std::string out;
    out.reserve(text.size() + text.size() / 4);
    size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        if (!word_byte(c)) {
            out += c == '[' ? '(' : c == ']' ? ')' : static_cast<char>(c);
            ++i;
            continue;
        }
        size_t end = i;
        while (end < text.size() && word_byte(static_cast<unsigned char>(text[end])))
            ++end;
        std::string_view word = text.substr(i, end - i);
        LexiconEntry const* found = nullptr;
        if (auto it = m_exact.find(std::string(word)); it != m_exact.end())
            found = &m_entries[it->second];
        else if (auto low = m_folded.find(ascii_lower(word)); low != m_folded.end())
            found = &m_entries[low->second];
        if (found != nullptr)
            out += "[[" + found->phonemes + "]]";
        else
            out += word;
        i = end;
    }
    return out;
}

std::string_view speech_voice(Lang lang) {
    switch (lang) {
    case Lang::Id:
        return "id";
    case Lang::En:
        return "en";
    }
    return "id";
}

Result<SpeechAudio> parse_wav(std::string_view b) {
    if (b.size() < 12 || b.substr(0, 4) != "RIFF" || b.substr(8, 4) != "WAVE")
        return Error {"the speech is not a RIFF WAVE file"};
    size_t at = 12;
    int channels = 0;
    int rate = 0;
    bool have_format = false;
    while (at + 8 <= b.size()) {
        std::string_view id = b.substr(at, 4);
        uint32_t size = le32(b, at + 4);
        size_t body = at + 8;
        size_t available = b.size() - body;
        if (id == "fmt ") {
            if (size < 16 || available < 16)
                return Error {"the speech's format chunk is too short"};
            uint16_t format = le16(b, body);
            channels = le16(b, body + 2);
            rate = static_cast<int>(le32(b, body + 4));
            uint16_t bits = le16(b, body + 14);
            if (format != 1 || bits != 16)
                return Error {"the speech is not 16-bit PCM (format " + std::to_string(format)
                    + ", " + std::to_string(bits) + " bits)"};
            if (channels < 1 || channels > 2 || rate < 4000 || rate > 192000)
                return Error {"the speech has " + std::to_string(channels) + " channels at "
                    + std::to_string(rate) + " Hz"};
            have_format = true;
        } else if (id == "data") {
            if (!have_format)
                return Error {"the speech's data comes before its format"};
            size_t n = std::min<size_t>(size, available);
            size_t frames = n / (2 * static_cast<size_t>(channels));
            SpeechAudio audio;
            audio.sample_rate = rate;
            // reserve and push_back: GCC 12 at -O3 warns of a null pointer after resize(0).
            audio.samples.reserve(frames);
            for (size_t f = 0; f < frames; ++f) {
                int sum = 0;
                for (int ch = 0; ch < channels; ++ch)
                    sum += static_cast<int16_t>(
                        le16(b, body + (f * static_cast<size_t>(channels) + ch) * 2));
                audio.samples.push_back(static_cast<int16_t>(sum / channels));
            }
            return audio;
        }
        if (size > available)
            break;
        at = body + size + (size & 1);
    }
    return Error {"the speech has no audio data"};
}

std::string speech_text_limit(std::string_view text) {
    if (text.size() <= speech_max_text_bytes)
        return std::string(text);
    std::string_view head = text.substr(0, speech_max_text_bytes);
    // Never cut inside a UTF-8 character.
    while (!head.empty() && (static_cast<unsigned char>(text[head.size()]) & 0xC0) == 0x80)
        head.remove_suffix(1);
    size_t cut = head.find_last_of(".!?\n");
    if (cut == std::string_view::npos || cut < head.size() / 2)
        cut = head.find_last_of(' ');
    return std::string(cut == std::string_view::npos ? head : head.substr(0, cut + 1));
}

std::vector<std::string> speech_chunks(std::string_view whole, size_t first_max, size_t max) {
    std::string limited = speech_text_limit(whole);
    std::string_view text = limited;
    std::vector<std::string> out;
    while (!text.empty()) {
        while (!text.empty() && (text.front() == ' ' || text.front() == '\n'))
            text.remove_prefix(1);
        if (text.empty())
            break;
        size_t cap = out.empty() ? first_max : max;
        if (text.size() <= cap) {
            out.emplace_back(text);
            break;
        }
        std::string_view head = text.substr(0, cap);
        // A sentence or line end in the second half of the piece, else a space, else (one very
        // long word) a character boundary.
        size_t cut = head.find_last_of(".!?:\n");
        if (cut == std::string_view::npos || cut < cap / 2)
            cut = head.find_last_of(' ');
        if (cut == std::string_view::npos) {
            cut = cap;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
                --cut;
            cut = cut == 0 ? cap : cut;
            out.emplace_back(text.substr(0, cut));
            text.remove_prefix(cut);
            continue;
        }
        out.emplace_back(text.substr(0, cut + 1));
        text.remove_prefix(cut + 1);
    }
    return out;
}

Result<SpeechAudio> synthesize_speech(
    std::string_view text, Lang lang, SpeechSettings const& settings, std::string const& program) {
    int rate = std::clamp(settings.words_per_minute, speech_min_rate, speech_max_rate);
    int volume = std::clamp(settings.volume, 0, speech_max_volume);
    std::string input = builtin_lexicon(lang).apply(speech_text_limit(text));
    TRY_RESULT(auto run,
        run_program({program, "--stdin", "--stdout", "-v", std::string(speech_voice(lang)), "-s",
                        std::to_string(rate), "-a", std::to_string(volume)},
            input, speech_timeout));
    if (run.exit_code != 0)
        return Error {program + " failed (exit " + std::to_string(run.exit_code)
            + "): " + std::string(trim(run.err.substr(0, 300)))};
    auto audio = parse_wav(run.out);
    if (!audio.ok())
        return audio.error().context(program + " wrote no usable speech");
    return audio;
}

Result<std::string> speech_phonemes(std::string_view text, Lang lang, std::string const& program) {
    std::string input = builtin_lexicon(lang).apply(text);
    TRY_RESULT(auto run,
        run_program({program, "-q", "-x", "--stdin", "-v", std::string(speech_voice(lang))}, input,
            speech_timeout));
    if (run.exit_code != 0)
        return Error {program + " -x failed (exit " + std::to_string(run.exit_code) + ")"};
    // One line per clause; words separated by spaces. Collapse all of it to single spaces.
    std::string out;
    bool space = false;
    for (char c : run.out) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    return out;
}

} // namespace ksd
