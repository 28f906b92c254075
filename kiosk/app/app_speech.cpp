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
    uint64_t const token = ++m_speech_token;
    start([this, text = std::move(text), lang = m_state.lang, settings = m_speech_settings,
              program = m_speech_program, token](std::stop_token const&) -> Completion {
        auto audio = std::make_shared<ksd::Result<ksd::SpeechAudio>>(
            ksd::synthesize_speech(text, lang, settings, program));
        return [this, audio, token] {
            // Stopped, or the visitor moved on, while espeak-ng was at work: nothing to play.
            if (token != m_speech_token || m_state.speech != Speech::Preparing)
                return;
            if (!audio->ok()) {
                ksd::log::error("kiosk", "read-aloud: " + audio->error().message);
                m_state.speech = Speech::Off;
                return;
            }
            m_speaker->play(audio->value());
            m_state.speech = Speech::Playing;
        };
    });
}

void App::stop_speech() {
    ++m_speech_token;
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
    if (m_state.speech == Speech::Playing && !m_speaker->playing()) {
        m_state.speech = Speech::Off;
        return true;
    }
    return false;
}

} // namespace kiosk
