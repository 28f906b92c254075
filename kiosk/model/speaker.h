// The read-aloud's sound output (issue 14): the App hands it speech rendered by espeak-ng
// (ksd/speech.h) and stops it when the visitor leaves. The platform's is SDL audio
// (platform/sdl_audio.h); a kiosk without a sound device has none, and then no speaker button.
#pragma once

#include "ksd/speech.h"

namespace kiosk {

class Speaker {
public:
    virtual ~Speaker() = default;
    // Plays from the start, replacing whatever still plays. Returns at once (the sound plays on
    // the audio device's own thread).
    virtual void play(ksd::SpeechAudio const&) = 0;
    // Plays after what is queued (the next piece of a long text, speech_chunks).
    virtual void append(ksd::SpeechAudio const&) = 0;
    // Silence at once; what was queued is dropped.
    virtual void stop() = 0;
    // Whether sound is still queued or playing.
    virtual bool playing() = 0;
};

} // namespace kiosk
