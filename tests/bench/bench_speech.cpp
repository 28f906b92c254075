// The read-aloud's figures (issue 14): how long espeak-ng takes to render a request step, the
// first piece of an article (the wait between the tap and the first sound: the kiosk plays each
// piece once rendered) and a whole article, and how much speech that is. Needs espeak-ng; without
// it the group says so.
#include "bench.h"
#include "ksd/files.h"
#include "ksd/markdown.h"
#include "ksd/process.h"
#include "ksd/speech.h"

#include <cstdio>

namespace ksd::bench {

namespace {

void render(std::string const& name, std::string const& text, Lang lang, int runs, double goal_ms,
    Report& report) {
    std::vector<double> ms;
    double seconds = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = std::chrono::steady_clock::now();
        auto audio = synthesize_speech(text, lang, {});
        ms.push_back(ms_since(t0));
        if (!audio.ok()) {
            std::fprintf(
                stderr, "ksd-bench: %s: %s\n", name.c_str(), audio.error().message.c_str());
            return;
        }
        seconds = audio->seconds();
    }
    double p50 = percentile(ms, 50);
    report.add({"speech", name + ": render p50", p50, "ms", "< " + std::to_string(int(goal_ms)),
        p50 < goal_ms});
    report.add({"speech", name + ": speech length", seconds, "s", "", std::nullopt});
    report.add(
        {"speech", name + ": render / speech", p50 / 1000.0 / seconds, "ratio", "", std::nullopt});
}

} // namespace

void run_speech_benchmarks(Options const& options, Report& report) {
    if (!program_in_path(espeak_program)) {
        std::fprintf(stderr, "ksd-bench: espeak-ng is not installed: no speech figures\n");
        return;
    }
    int runs = options.smoke ? 1 : 5;
    // The request's first step as the kiosk reads it (screens/speech.cpp).
    std::string step = "Langkah 1 dari 6.\nSiapa Anda?\nPilih salah satu:\nMasyarakat umum.\n"
                       "Pemerintah daerah lain.\nPerangkat daerah.\nPihak ketiga (badan usaha, "
                       "perguruan tinggi, organisasi masyarakat).\nInstansi pusat.\nMitra luar "
                       "negeri.";
    render("request step 1 (id)", step, Lang::Id, runs, 1000, report);
    if (options.smoke)
        return;
    auto page = read_file(std::string(KSD_SOURCE_DIR) + "/content/pages/alur-ksd.id.md");
    if (!page.ok()) {
        std::fprintf(stderr, "ksd-bench: %s\n", page.error().message.c_str());
        return;
    }
    std::string text = md::plain_text(md::parse(*page));
    // What the visitor waits for: the first piece (the kiosk plays it while the rest renders).
    render("article alur-ksd, first piece (id)", speech_chunks(text).front(), Lang::Id, runs, 500,
        report);
    render("article alur-ksd, whole (" + std::to_string(text.size()) + " B, id)", text, Lang::Id,
        runs, 3000, report);
}

} // namespace ksd::bench
