// Read-aloud (speech.h, process.h): the lexicon's rules, WAVE reading, running a program under a
// deadline, and the real espeak-ng: every lexicon entry and the kiosk's fixed phrases read as
// expected (espeak-ng -x), and speech rendered to samples that are not silent and last as long as
// the words need.
#include "ksd/process.h"
#include "ksd/skm.h"
#include "ksd/speech.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

using namespace ksd;
using namespace std::chrono_literals;

namespace {

std::string wav_bytes(
    int rate, int channels, std::vector<int16_t> const& interleaved, uint32_t data_size_field) {
    auto u32 = [](std::string& s, uint32_t v) {
        for (int i = 0; i < 4; ++i)
            s += static_cast<char>((v >> (8 * i)) & 0xff);
    };
    auto u16 = [](std::string& s, uint16_t v) {
        s += static_cast<char>(v & 0xff);
        s += static_cast<char>(v >> 8);
    };
    std::string s = "RIFF";
    u32(s, 0x7ffff024u);
    s += "WAVEfmt ";
    u32(s, 16);
    u16(s, 1);
    u16(s, static_cast<uint16_t>(channels));
    u32(s, static_cast<uint32_t>(rate));
    u32(s, static_cast<uint32_t>(rate * channels * 2));
    u16(s, static_cast<uint16_t>(channels * 2));
    u16(s, 16);
    s += "data";
    u32(s, data_size_field);
    for (int16_t v : interleaved)
        u16(s, static_cast<uint16_t>(v));
    return s;
}

double rms(std::vector<int16_t> const& samples) {
    double sum = 0;
    for (int16_t v : samples)
        sum += static_cast<double>(v) * v;
    return samples.empty() ? 0.0 : std::sqrt(sum / static_cast<double>(samples.size()));
}

// The tests below need the real espeak-ng (Debian package espeak-ng; scripts/setup.sh installs
// it). Without it they are skipped with this reason printed, never passed silently.
bool have_espeak() {
    if (program_in_path(espeak_program))
        return true;
    WARN("SKIPPED: espeak-ng is not installed (apt-get install espeak-ng); the read-aloud's "
         "espeak-ng checks did not run");
    return false;
}

} // namespace

TEST_CASE("the lexicon names every bad line and matches words as the rules say", "[speech]") {
    auto bad = Lexicon::parse(
        "ok\t'ok\nnotab\n\t'x\nword\t\nKSD\t[[k]]\nok\t'ok2\ntwo words\tx\n", "lex.tsv");
    REQUIRE_FALSE(bad.ok());
    auto const& m = bad.error().message;
    CHECK_THAT(m, Catch::Contains("lex.tsv:2: no tab"));
    CHECK_THAT(m, Catch::Contains("lex.tsv:3: the word is empty"));
    CHECK_THAT(m, Catch::Contains("lex.tsv:4: the phonemes are empty"));
    CHECK_THAT(m, Catch::Contains("lex.tsv:5: the phonemes of 'KSD' hold a bracket"));
    CHECK_THAT(m, Catch::Contains("lex.tsv:6: 'ok' is already on line 1"));
    CHECK_THAT(m, Catch::Contains("lex.tsv:7: 'two words' is not one word"));

    auto lex = Lexicon::parse("# comment\n\ntidak\tt'ida?\nKSD\tk,a ,Es d'e\n", "lex.tsv");
    REQUIRE(lex.ok());
    CHECK(lex->entries().size() == 2);
    // Lowercase entries match in any case; abbreviations only as written; parts of longer words
    // never; brackets in the text cannot become phoneme input.
    CHECK(lex->apply("Tidak, TIDAK tidaklah KSD ksd KSDs [[x]]")
        == "[[t'ida?]], [[t'ida?]] tidaklah [[k,a ,Es d'e]] ksd KSDs ((x))");
    CHECK(lex->apply("") == "");
    CHECK(lex->apply("Rp 5.000 — é tidak") == "Rp 5.000 — é [[t'ida?]]");
}

TEST_CASE("both built-in lexicons parse without a problem", "[speech]") {
    for (Lang lang : {Lang::Id, Lang::En}) {
        auto parsed = Lexicon::parse(builtin_lexicon_source(lang), "built-in");
        INFO((parsed.ok() ? std::string() : parsed.error().message));
        REQUIRE(parsed.ok());
        CHECK(parsed->entries().size() == builtin_lexicon(lang).entries().size());
        CHECK(parsed->entries().size() >= 6);
    }
}

TEST_CASE("long text is cut at a sentence end, never inside a character", "[speech]") {
    CHECK(speech_text_limit("Pendek.") == "Pendek.");
    std::string sentence = "Kalimat ini tentang kerja sama daerah. ";
    std::string text;
    while (text.size() < speech_max_text_bytes * 2)
        text += sentence;
    auto cut = speech_text_limit(text);
    CHECK(cut.size() <= speech_max_text_bytes);
    CHECK(cut.size() > speech_max_text_bytes / 2);
    CHECK(cut.substr(cut.size() - 7) == "daerah.");
    std::string wide(speech_max_text_bytes + 10, 'a');
    for (size_t i = 0; i + 1 < wide.size(); i += 2)
        wide.replace(i, 2, "\xC3\xA9"); // é: no space, no sentence end anywhere
    auto cut_wide = speech_text_limit(wide);
    CHECK(cut_wide.size() <= speech_max_text_bytes);
    CHECK(cut_wide.size() % 2 == 0);
}

TEST_CASE(
    "WAVE files are read with espeak-ng's placeholder sizes and refused when wrong", "[speech]") {
    auto mono = parse_wav(wav_bytes(22050, 1, {1, -2, 300}, 0x7ffff000u));
    REQUIRE(mono.ok());
    CHECK(mono->sample_rate == 22050);
    CHECK(mono->samples == std::vector<int16_t> {1, -2, 300});
    auto stereo = parse_wav(wav_bytes(16000, 2, {100, 300, -100, -300}, 8));
    REQUIRE(stereo.ok());
    CHECK(stereo->samples == std::vector<int16_t> {200, -200});
    CHECK_THAT(parse_wav("RIFX....WAVE").error().message, Catch::Contains("not a RIFF WAVE"));
    CHECK_THAT(parse_wav("").error().message, Catch::Contains("not a RIFF WAVE"));
    std::string eight_bit = wav_bytes(8000, 1, {0}, 2);
    eight_bit[34] = 8; // bits per sample
    CHECK_THAT(parse_wav(eight_bit).error().message, Catch::Contains("not 16-bit PCM"));
    std::string header_only = wav_bytes(22050, 1, {}, 0).substr(0, 36);
    CHECK_THAT(parse_wav(header_only).error().message, Catch::Contains("no audio data"));
}

TEST_CASE("a program runs with input and a deadline, and a hung one is killed", "[speech]") {
    std::string big(3u << 20, 'x'); // more than a pipe holds: no deadlock either way
    auto cat = run_program({"cat"}, big, 10s);
    REQUIRE(cat.ok());
    CHECK(cat->exit_code == 0);
    CHECK(cat->out.size() == big.size());
    auto fails = run_program({"sh", "-c", "echo no >&2; exit 3"}, "", 10s);
    REQUIRE(fails.ok());
    CHECK(fails->exit_code == 3);
    CHECK(fails->err == "no\n");
    auto missing = run_program({"ksd-no-such-program"}, "", 10s);
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().message, Catch::Contains("cannot run ksd-no-such-program"));
    auto t0 = std::chrono::steady_clock::now();
    auto hung = run_program({"sleep", "30"}, "", 300ms);
    CHECK(std::chrono::steady_clock::now() - t0 < 10s);
    REQUIRE_FALSE(hung.ok());
    CHECK_THAT(hung.error().message, Catch::Contains("did not finish within 300 ms"));
    // Closing its output does not let a program escape the deadline.
    auto quiet = run_program({"sh", "-c", "exec >&- 2>&-; sleep 30"}, "", 300ms);
    REQUIRE_FALSE(quiet.ok());
    // A program that stops reading its input early: the writer's SIGPIPE must not kill us.
    auto early = run_program({"head", "-c", "1"}, big, 10s);
    REQUIRE(early.ok());
    CHECK(early->out == "x");
    CHECK(program_in_path("sh"));
    CHECK_FALSE(program_in_path("ksd-no-such-program"));
}

TEST_CASE("espeak-ng takes every lexicon entry as written", "[speech][espeak]") {
    if (!have_espeak())
        return;
    for (Lang lang : {Lang::Id, Lang::En}) {
        for (auto const& e : builtin_lexicon(lang).entries()) {
            INFO(std::string(lang_code(lang)) << " line " << e.line << ": " << e.word);
            auto heard = speech_phonemes(e.word, lang);
            REQUIRE(heard.ok());
            CHECK(*heard == e.phonemes);
        }
    }
}

TEST_CASE("the kiosk's fixed phrases and the domain's words read as expected", "[speech][espeak]") {
    if (!have_espeak())
        return;
    struct Phrase {
        Lang lang;
        char const* text;
        char const* phonemes;
    };
    // What espeak-ng 1.51 says with the lexicon. Without it, "tidak" ends in k, "enam" has an
    // open e, "kesepakatan" and "persetujuan" an open e for a schwa, and DPRD runs "er" into a
    // schwa.
    Phrase const phrases[] = {
        {Lang::Id, "Tidak sesuai", "t'ida? s@s'u_|aI"},
        {Lang::Id, "Anjungan KSD", "andZ'uNan k,a ,Es d'e"},
        {Lang::Id, "Nota Kesepakatan", "n'ota k@s@pak'atan"},
        {Lang::Id, "Perjanjian Kerja Sama", "p@RdZandZ'ian k'ERdZa s'ama"},
        {Lang::Id, "persetujuan DPRD", "p@Rs@tudZ'uan d,e p,e_ ,ER d'e"},
        {Lang::Id, "enam bulan", "@n'am b'ulan"},
        {Lang::Id, "Bapak dan Ibu", "b'apa? dan 'ibu"},
        {Lang::En, "Nota Kesepakatan", "n'oUt@ k@s@pak'A:tan"},
    };
    for (auto const& p : phrases) {
        INFO(p.text);
        auto heard = speech_phonemes(p.text, p.lang);
        REQUIRE(heard.ok());
        CHECK(*heard == p.phonemes);
    }
    // Every question and answer of the survey is read: none makes espeak-ng fail or fall silent.
    for (auto const& e : skm_elements()) {
        for (Lang lang : {Lang::Id, Lang::En}) {
            auto heard = speech_phonemes(e.question.in(lang), lang);
            REQUIRE(heard.ok());
            CHECK(heard->size() > 10);
        }
    }
}

TEST_CASE("speech is rendered to samples that are not silent and last as the words need",
    "[speech][espeak]") {
    if (!have_espeak())
        return;
    std::string const text = "Selamat datang di Anjungan KSD. Silakan pilih layanan.";
    auto normal = synthesize_speech(text, Lang::Id, {});
    INFO((normal.ok() ? std::string() : normal.error().message));
    REQUIRE(normal.ok());
    CHECK(normal->sample_rate == 22050);
    // Eight words at 140 words a minute, with two sentence pauses: about 3.5 s.
    CHECK(normal->seconds() > 2.0);
    CHECK(normal->seconds() < 7.0);
    CHECK(rms(normal->samples) > 500.0);
    auto slow = synthesize_speech(text, Lang::Id, {.words_per_minute = 90, .volume = 100});
    REQUIRE(slow.ok());
    CHECK(slow->seconds() > normal->seconds() * 1.2);
    auto quiet = synthesize_speech(text, Lang::Id, {.words_per_minute = 140, .volume = 20});
    REQUIRE(quiet.ok());
    CHECK(rms(quiet->samples) < rms(normal->samples) * 0.5);
    auto english = synthesize_speech("Welcome. Please choose a service.", Lang::En, {});
    REQUIRE(english.ok());
    CHECK(rms(english->samples) > 500.0);
    auto missing = synthesize_speech(text, Lang::Id, {}, "ksd-no-such-espeak");
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(missing.error().message, Catch::Contains("ksd-no-such-espeak"));
}
