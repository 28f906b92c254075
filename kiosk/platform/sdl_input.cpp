// SDL events to the UI's input events (see sdl_input.h).
#include "platform/sdl_input.h"

namespace kiosk::sdl {

InputTranslator::InputTranslator(InputGeometry geometry)
    : m_geometry(geometry) {
}

std::optional<ui::InputEvent> InputTranslator::finger(
    SDL_TouchFingerEvent const& f, ui::PointerKind kind) {
    switch (kind) {
    case ui::PointerKind::Down:
        if (m_finger_down)
            return std::nullopt;
        m_finger_down = true;
        m_finger = f.fingerId;
        break;
    case ui::PointerKind::Move:
        if (!m_finger_down || m_finger != f.fingerId)
            return std::nullopt;
        break;
    case ui::PointerKind::Up:
    case ui::PointerKind::Cancel:
        if (!m_finger_down || m_finger != f.fingerId)
            return std::nullopt;
        m_finger_down = false;
        break;
    }
    return ui::InputEvent {kind, ui::map_touch(f.x, f.y, m_geometry.rotation, m_geometry.logical)};
}

TranslatedEvent InputTranslator::translate(SDL_Event const& e) {
    // e.type is SDL's event number, not one of our enums: the events not named here mean nothing
    // to the kiosk (keyboard text, joysticks, clipboard, ...).
    switch (e.type) {
    case SDL_QUIT:
        return {std::nullopt, LoopSignal::Quit};
    case SDL_KEYDOWN:
        if (!m_geometry.fullscreen && e.key.keysym.sym == SDLK_ESCAPE)
            return {std::nullopt, LoopSignal::Quit};
        return {};
    case SDL_FINGERDOWN:
        return {finger(e.tfinger, ui::PointerKind::Down)};
    case SDL_FINGERMOTION:
        return {finger(e.tfinger, ui::PointerKind::Move)};
    case SDL_FINGERUP:
        return {finger(e.tfinger, ui::PointerKind::Up)};
    case SDL_MOUSEBUTTONDOWN:
    case SDL_MOUSEBUTTONUP:
        // Touches come as finger events only (the hints in main.cpp); ignore any synthesised.
        if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT)
            return {};
        return {ui::InputEvent {
            e.type == SDL_MOUSEBUTTONDOWN ? ui::PointerKind::Down : ui::PointerKind::Up,
            ui::map_panel_point({e.button.x, e.button.y}, m_geometry.panel, m_geometry.rotation,
                m_geometry.logical)}};
    case SDL_MOUSEMOTION:
        if (e.motion.which == SDL_TOUCH_MOUSEID || (e.motion.state & SDL_BUTTON_LMASK) == 0)
            return {};
        return {ui::InputEvent {ui::PointerKind::Move,
            ui::map_panel_point({e.motion.x, e.motion.y}, m_geometry.panel, m_geometry.rotation,
                m_geometry.logical)}};
    case SDL_WINDOWEVENT:
        return {std::nullopt, LoopSignal::Redraw};
    case SDL_RENDER_TARGETS_RESET:
    case SDL_RENDER_DEVICE_RESET:
        return {std::nullopt, LoopSignal::TexturesLost};
    default:
        return {};
    }
}

} // namespace kiosk::sdl
