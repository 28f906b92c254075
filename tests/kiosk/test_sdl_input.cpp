// The SDL event translation on its own: synthetic SDL events in, the UI's pointer events and the
// loop's signals out (one finger tracked, touch-synthesised mouse dropped, rotation mapped).
#include "platform/sdl_input.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using kiosk::sdl::InputGeometry;
using kiosk::sdl::InputTranslator;
using kiosk::sdl::LoopSignal;

namespace {

SDL_Event finger_event(Uint32 type, SDL_FingerID id, float x, float y) {
    SDL_Event e {};
    e.type = type;
    e.tfinger.fingerId = id;
    e.tfinger.x = x;
    e.tfinger.y = y;
    return e;
}

SDL_Event button_event(Uint32 type, Uint32 which, Uint8 button, int x, int y) {
    SDL_Event e {};
    e.type = type;
    e.button.which = which;
    e.button.button = button;
    e.button.x = x;
    e.button.y = y;
    return e;
}

SDL_Event motion_event(Uint32 which, Uint32 state, int x, int y) {
    SDL_Event e {};
    e.type = SDL_MOUSEMOTION;
    e.motion.which = which;
    e.motion.state = state;
    e.motion.x = x;
    e.motion.y = y;
    return e;
}

InputGeometry landscape() {
    return InputGeometry {ui::Rotation::R0, {800, 480}, {800, 480}, true};
}

} // namespace

TEST_CASE("sdl input: a touch is one Down, Moves and one Up at the UI's coordinates") {
    InputTranslator in(landscape());
    auto down = in.translate(finger_event(SDL_FINGERDOWN, 7, 0.5f, 0.25f));
    REQUIRE(down.input);
    CHECK(down.input->kind == ui::PointerKind::Down);
    CHECK(down.input->pos.x == 400);
    CHECK(down.input->pos.y == 120);
    CHECK(down.signal == LoopSignal::None);
    auto move = in.translate(finger_event(SDL_FINGERMOTION, 7, 0.25f, 0.5f));
    REQUIRE(move.input);
    CHECK(move.input->kind == ui::PointerKind::Move);
    CHECK(move.input->pos.x == 200);
    auto up = in.translate(finger_event(SDL_FINGERUP, 7, 0.25f, 0.5f));
    REQUIRE(up.input);
    CHECK(up.input->kind == ui::PointerKind::Up);
}

TEST_CASE("sdl input: a second finger is ignored until the first lifts") {
    InputTranslator in(landscape());
    REQUIRE(in.translate(finger_event(SDL_FINGERDOWN, 1, 0.1f, 0.1f)).input);
    CHECK_FALSE(in.translate(finger_event(SDL_FINGERDOWN, 2, 0.9f, 0.9f)).input);
    CHECK_FALSE(in.translate(finger_event(SDL_FINGERMOTION, 2, 0.8f, 0.8f)).input);
    CHECK_FALSE(in.translate(finger_event(SDL_FINGERUP, 2, 0.8f, 0.8f)).input);
    // The first finger still drives the pointer, and after it lifts a new one may.
    CHECK(in.translate(finger_event(SDL_FINGERMOTION, 1, 0.2f, 0.2f)).input);
    CHECK(in.translate(finger_event(SDL_FINGERUP, 1, 0.2f, 0.2f)).input);
    auto next = in.translate(finger_event(SDL_FINGERDOWN, 2, 0.9f, 0.9f));
    REQUIRE(next.input);
    CHECK(next.input->kind == ui::PointerKind::Down);
}

TEST_CASE("sdl input: moves and lifts without a finger down are dropped") {
    InputTranslator in(landscape());
    CHECK_FALSE(in.translate(finger_event(SDL_FINGERMOTION, 1, 0.5f, 0.5f)).input);
    CHECK_FALSE(in.translate(finger_event(SDL_FINGERUP, 1, 0.5f, 0.5f)).input);
}

TEST_CASE("sdl input: mouse events SDL made from touches are dropped, the left button counts") {
    InputTranslator in(landscape());
    // A touch comes twice, as a finger and as a synthesised mouse: only the finger counts.
    CHECK_FALSE(
        in.translate(button_event(SDL_MOUSEBUTTONDOWN, SDL_TOUCH_MOUSEID, SDL_BUTTON_LEFT, 10, 10))
            .input);
    CHECK_FALSE(in.translate(motion_event(SDL_TOUCH_MOUSEID, SDL_BUTTON_LMASK, 12, 12)).input);
    CHECK_FALSE(in.translate(button_event(SDL_MOUSEBUTTONDOWN, 0, SDL_BUTTON_RIGHT, 10, 10)).input);
    // A hovering mouse (no button held) is not a drag.
    CHECK_FALSE(in.translate(motion_event(0, 0, 30, 30)).input);
    auto down = in.translate(button_event(SDL_MOUSEBUTTONDOWN, 0, SDL_BUTTON_LEFT, 100, 200));
    REQUIRE(down.input);
    CHECK(down.input->kind == ui::PointerKind::Down);
    CHECK(down.input->pos.x == 100);
    CHECK(down.input->pos.y == 200);
    auto drag = in.translate(motion_event(0, SDL_BUTTON_LMASK, 110, 210));
    REQUIRE(drag.input);
    CHECK(drag.input->kind == ui::PointerKind::Move);
    auto up = in.translate(button_event(SDL_MOUSEBUTTONUP, 0, SDL_BUTTON_LEFT, 110, 210));
    REQUIRE(up.input);
    CHECK(up.input->kind == ui::PointerKind::Up);
}

TEST_CASE("sdl input: a touch on a panel turned 90 degrees lands on the rotated UI") {
    // An 800x480 panel mounted upright shows a 480x800 UI; its top edge is at the panel's right.
    InputTranslator in(InputGeometry {ui::Rotation::R90, {800, 480}, {480, 800}, true});
    auto top_left = in.translate(finger_event(SDL_FINGERDOWN, 1, 0.999f, 0.0f));
    REQUIRE(top_left.input);
    CHECK(top_left.input->pos.x <= 1);
    CHECK(top_left.input->pos.y <= 1);
    in.translate(finger_event(SDL_FINGERUP, 1, 0.999f, 0.0f));
    auto mouse = in.translate(button_event(SDL_MOUSEBUTTONDOWN, 0, SDL_BUTTON_LEFT, 0, 479));
    REQUIRE(mouse.input);
    CHECK(mouse.input->pos.x >= 478);
    CHECK(mouse.input->pos.y >= 798);
}

TEST_CASE("sdl input: quit, redraw and lost textures reach the loop as signals") {
    InputTranslator kiosk_screen(landscape());
    SDL_Event e {};
    e.type = SDL_QUIT;
    CHECK(kiosk_screen.translate(e).signal == LoopSignal::Quit);
    e.type = SDL_WINDOWEVENT;
    CHECK(kiosk_screen.translate(e).signal == LoopSignal::Redraw);
    e.type = SDL_RENDER_DEVICE_RESET;
    CHECK(kiosk_screen.translate(e).signal == LoopSignal::TexturesLost);
    e.type = SDL_RENDER_TARGETS_RESET;
    CHECK(kiosk_screen.translate(e).signal == LoopSignal::TexturesLost);
    // Escape closes a development window, never the full-screen kiosk.
    e = SDL_Event {};
    e.type = SDL_KEYDOWN;
    e.key.keysym.sym = SDLK_ESCAPE;
    CHECK(kiosk_screen.translate(e).signal == LoopSignal::None);
    InputTranslator window(InputGeometry {ui::Rotation::R0, {800, 480}, {800, 480}, false});
    CHECK(window.translate(e).signal == LoopSignal::Quit);
    e.type = SDL_TEXTINPUT;
    auto text = window.translate(e);
    CHECK_FALSE(text.input);
    CHECK(text.signal == LoopSignal::None);
}
