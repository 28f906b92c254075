// SDL's events to the UI's: one pointer from touch and mouse (touch-synthesised mouse events and
// every finger but the first are dropped), mapped to the rotated logical UI, and the few other
// events the render loop must act on. Pure: tests feed it SDL_Event values they build.
#pragma once

#include "ui/input.h"

#include <SDL.h>
#include <optional>

namespace kiosk::sdl {

// The panel as input sees it.
struct InputGeometry {
    ui::Rotation rotation {ui::Rotation::R0};
    ui::Size panel; // renderer output, pixels (mouse positions)
    ui::Size logical; // the UI, already swapped for 90/270
    bool fullscreen {true}; // Escape quits a window only (development)
};

// What else an event asks of the loop.
enum class LoopSignal : uint8_t {
    None,
    Quit, // the window was closed, or Escape in a window
    Redraw, // the window was exposed, moved or resized
    TexturesLost, // the renderer lost its textures: every cache is made anew
};

struct TranslatedEvent {
    std::optional<ui::InputEvent> input;
    LoopSignal signal {LoopSignal::None};
};

class InputTranslator {
public:
    explicit InputTranslator(InputGeometry);
    TranslatedEvent translate(SDL_Event const&);

private:
    std::optional<ui::InputEvent> finger(SDL_TouchFingerEvent const&, ui::PointerKind);

    InputGeometry m_geometry;
    // Only the first finger down drives the pointer; others are ignored until it lifts.
    bool m_finger_down {false};
    SDL_FingerID m_finger {0};
};

} // namespace kiosk::sdl
