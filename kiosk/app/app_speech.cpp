// The App's read-aloud (issue 14): the speaker button asks for the screen's text
// (screens/speech.h), espeak-ng renders it on the worker, the Speaker plays it; leaving the
// screen, changing the language or the end of the visit silences it.
#include "app/app.h"

#include "ksd/log.h"
#include "screens/speech.h"

#include <memory>

namespace kiosk {

namespace {

// Where speech was started, with the language: switching ID/EN changes what the screen says.
std::string place_of(State const& s) {
    return screens::speech_place(s) + ":" + std::string(ksd::lang_code(s.lang));
}

} // namespace

void App::set_speaker(
    std::unique_ptr<Speaker> speaker, ksd::SpeechSettings settings, std::string program) {
    stop_speech();
    m_speaker = std::move(speaker);
    m_speech_settings = settings;
    m_speech_program = std::move(program);
    m_state.speech_available = m_speaker != nullptr;
}

void App::on(act::ReadAloud const&) {
    if (!m_speaker)
        return;
    if (m_state.speech != Speech::Off) {
        stop_speech();
        return;
    }
    std::string text = screens::speech_text(m_state);
    if (text.empty())
        return;
    m_state.speech = Speech::Preparing;
    m_speech_place = place_of(m_state);
    ++m_speech_token;
    // In pieces: the first, short, sounds soon; the rest is rendered while it plays (an article
    // takes espeak-ng a few seconds on a Pi, tests/bench/bench_speech.cpp).
    m_speech_pieces = ksd::speech_chunks(text);
    m_speech_next = 0;
    render_next_piece();
}

void App::render_next_piece() {
    if (m_speech_next >= m_speech_pieces.size())
        return;
    bool const first = m_speech_next == 0;
    std::string piece = m_speech_pieces[m_speech_next++];
    m_speech_rendering = true;
    uint64_t const token = m_speech_token;
    start([this, piece = std::move(piece), lang = m_state.lang, settings = m_speech_settings,
              program = m_speech_program, token, first](std::stop_token const&) -> Completion {
        auto audio = std::make_shared<ksd::Result<ksd::SpeechAudio>>(
            ksd::synthesize_speech(piece, lang, settings, program));
        return [this, audio, token, first] {
            // Stopped, or the visitor moved on, while espeak-ng was at work: nothing to play.
            if (token != m_speech_token || m_state.speech == Speech::Off)
                return;
            m_speech_rendering = false;
            if (!audio->ok()) {
                ksd::log::error("kiosk", "read-aloud: " + audio->error().message);
                // What already plays goes on; nothing more is rendered.
                m_speech_pieces.clear();
                m_speech_next = 0;
                if (first)
                    m_state.speech = Speech::Off;
                return;
            }
            if (first)
                m_speaker->play(audio->value());
            else
                m_speaker->append(audio->value());
            m_state.speech = Speech::Playing;
            render_next_piece();
        };
    });
}

void App::stop_speech() {
    ++m_speech_token;
    m_speech_pieces.clear();
    m_speech_next = 0;
    m_speech_rendering = false;
    if (m_speaker)
        m_speaker->stop();
    m_state.speech = Speech::Off;
}

bool App::watch_speech() {
    switch (m_state.speech) {
    case Speech::Off:
        return false;
    case Speech::Preparing:
    case Speech::Playing:
        break;
    }
    if (place_of(m_state) != m_speech_place) {
        stop_speech();
        return true;
    }
    bool const more = m_speech_rendering || m_speech_next < m_speech_pieces.size();
    if (m_state.speech == Speech::Playing && !more && !m_speaker->playing()) {
        m_state.speech = Speech::Off;
        return true;
    }
    return false;
}

} // namespace kiosk
