// Read-aloud (issue 14): which screens offer the speaker button, what it reads there, and where
// the visitor is, so that speech stops when they leave. Pure functions of the State: the App
// hands the text to espeak-ng on its worker (ksd/speech.h) and the audio to the platform.
#pragma once

#include "model/state.h"

#include <string>

namespace kiosk::screens {

// Articles, potentials, the FAQ, an agreement's details, every step of the request and every
// page of the satisfaction survey.
bool speech_offered(State const&);

// The current screen's text in reading order, sentences ended so that espeak-ng pauses between
// them; "" where nothing is offered. Never what a visitor typed: the review step names its
// fields and asks to check them on the screen, since the whole lobby hears the speaker.
std::string speech_text(State const&);

// Changes when the visitor moves: another screen, another page or agreement, another step.
std::string speech_place(State const&);

} // namespace kiosk::screens
