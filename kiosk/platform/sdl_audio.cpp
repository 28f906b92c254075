// SDL audio output for the read-aloud; see sdl_audio.h.
#include "platform/sdl_audio.h"

#include "ksd/log.h"

#include <SDL.h>

namespace kiosk::sdl {

ksd::Result<std::unique_ptr<SdlSpeaker>> SdlSpeaker::open(int sample_rate) {
    if (SDL_InitSubSystem(SDL_INIT_AUDIO) != 0)
        return ksd::Error {std::string("no sound: SDL audio did not start: ") + SDL_GetError()};
    SDL_AudioSpec want {};
    want.freq = sample_rate;
    want.format = AUDIO_S16SYS;
    want.channels = 1;
    want.samples = 1024;
    SDL_AudioSpec have {};
    // No changes allowed: SDL converts to what the device takes, so the queue is always ours.
    SDL_AudioDeviceID dev = SDL_OpenAudioDevice(nullptr, 0, &want, &have, 0);
    if (dev == 0) {
        std::string why = SDL_GetError();
        SDL_QuitSubSystem(SDL_INIT_AUDIO);
        return ksd::Error {"no sound: no audio output device opens: " + why};
    }
    ksd::log::info("kiosk",
        std::string("read-aloud: sound through ") + SDL_GetCurrentAudioDriver() + " at "
            + std::to_string(sample_rate) + " Hz");
    return std::unique_ptr<SdlSpeaker>(new SdlSpeaker(dev, sample_rate));
}

SdlSpeaker::~SdlSpeaker() {
    SDL_CloseAudioDevice(m_device);
    SDL_QuitSubSystem(SDL_INIT_AUDIO);
}

void SdlSpeaker::play(ksd::SpeechAudio const& audio) {
    SDL_PauseAudioDevice(m_device, 1);
    SDL_ClearQueuedAudio(m_device);
    append(audio);
}

void SdlSpeaker::append(ksd::SpeechAudio const& audio) {
    if (audio.samples.empty())
        return;
    if (audio.sample_rate != m_rate) {
        // espeak-ng always speaks at 22050 Hz; another rate would play at the wrong pitch.
        ksd::log::error("kiosk",
            "read-aloud: speech at " + std::to_string(audio.sample_rate) + " Hz, device at "
                + std::to_string(m_rate) + " Hz: not played");
        return;
    }
    if (SDL_QueueAudio(m_device, audio.samples.data(),
            static_cast<uint32_t>(audio.samples.size() * sizeof(int16_t)))
        != 0) {
        ksd::log::error("kiosk", std::string("read-aloud: cannot queue sound: ") + SDL_GetError());
        return;
    }
    SDL_PauseAudioDevice(m_device, 0);
}

void SdlSpeaker::stop() {
    SDL_PauseAudioDevice(m_device, 1);
    SDL_ClearQueuedAudio(m_device);
}

bool SdlSpeaker::playing() {
    return SDL_GetQueuedAudioSize(m_device) > 0;
}

} // namespace kiosk::sdl
