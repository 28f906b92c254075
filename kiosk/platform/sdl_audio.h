// SDL audio for the read-aloud (issue 14): one output device, opened for 16-bit mono at the rate
// of espeak-ng's speech, fed with SDL_QueueAudio. No device (none plugged in, or the driver
// fails) means no Speaker, and the App then shows no speaker button.
#pragma once

#include "ksd/result.h"
#include "model/speaker.h"

#include <cstdint>
#include <memory>

namespace kiosk::sdl {

class SdlSpeaker final : public Speaker {
public:
    // Starts SDL's audio subsystem (its own reference: the display's SDL_Init is untouched) and
    // opens the default output device. An Error says why there is no sound.
    static ksd::Result<std::unique_ptr<SdlSpeaker>> open(int sample_rate = 22050);
    ~SdlSpeaker() override;
    SdlSpeaker(SdlSpeaker const&) = delete;
    SdlSpeaker& operator=(SdlSpeaker const&) = delete;

    void play(ksd::SpeechAudio const&) override;
    void append(ksd::SpeechAudio const&) override;
    void stop() override;
    bool playing() override;

private:
    SdlSpeaker(uint32_t device, int rate)
        : m_device(device)
        , m_rate(rate) { }
    uint32_t m_device;
    int m_rate;
};

} // namespace kiosk::sdl
