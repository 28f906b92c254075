// The kiosk's screen through SDL: video start-up (hints, the KMS/DRM card), the window (full
// screen on the Pi), its renderer, the render target a rotated UI draws into, the panel's events
// as the UI's, and the paced wait between turns. The app's render loop and the technician's page
// open the screen the same way; neither calls SDL itself (only this layer does).
#pragma once

#include "ksd/result.h"
#include "platform/sdl_input.h"
#include "platform/sdl_raii.h"
#include "ui/geometry.h"
#include "ui/input.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace kiosk::sdl {

struct PanelOptions {
    std::string video_driver; // screen.video_driver; "" : SDL's choice (or SDL_VIDEODRIVER)
    int drm_device_index {-1}; // screen.drm_device_index; < 0: SDL's choice
    ui::Size size; // 0x0: the display's own mode (1280x800 when SDL cannot say)
    bool fullscreen {true}; // false: a development window (a cursor, Escape quits)
    ui::Rotation rotation {ui::Rotation::R0};
};

// How long to wait for input before the next turn, and how often to look meanwhile.
struct LoopWait {
    int timeout_ms {0};
    int poll_ms {40};
};

class SdlPanel {
public:
    // Starts SDL's video (reference-counted: a test's own SDL_Init stays valid) and opens the
    // screen; the error names the step that failed with SDL's reason.
    static ksd::Result<std::unique_ptr<SdlPanel>> open(PanelOptions const&);
    ~SdlPanel();
    SdlPanel(SdlPanel const&) = delete;
    SdlPanel& operator=(SdlPanel const&) = delete;

    SDL_Window* window() const { return m_window.get(); }
    SDL_Renderer* renderer() const { return m_renderer.get(); }
    ui::Rotation rotation() const { return m_rotation; }
    ui::Size output() const { return m_output; } // renderer output, pixels
    ui::Size logical() const { return m_logical; } // the UI, already swapped for 90/270
    bool fullscreen() const { return m_fullscreen; }
    // "opengles2 (video driver KMSDRM)": for the log.
    std::string describe() const;

    // Every waiting event, as the UI's input and the signals the loop acts on.
    std::vector<TranslatedEvent> take_events();
    // draw() draws the UI (into the rotation target when there is one); the frame is shown.
    void present(std::function<void()> const& draw);
    // SDL's monotonic clock, in milliseconds.
    static int64_t ticks_ms();

private:
    SdlPanel() = default;

    WindowPtr m_window;
    RendererPtr m_renderer;
    TexturePtr m_target; // null at rotation 0
    ui::Rotation m_rotation {ui::Rotation::R0};
    ui::Size m_output;
    ui::Size m_logical;
    bool m_fullscreen {true};
    bool m_video_started {false};
    std::unique_ptr<InputTranslator> m_input;
};

// Blocks until an SDL event is waiting (leaving it for the next turn) or the timeout passes.
// SDL 2.26's SDL_WaitEventTimeout has no native wait on KMSDRM (nor on the dummy driver) and
// falls back to polling every millisecond: some 850 wake-ups a second. Pacing the polls keeps
// the CPU near zero; poll_ms is short while a visitor touches, longer at rest and asleep.
void wait_for_events(LoopWait);

int rotation_degrees(ui::Rotation);

} // namespace kiosk::sdl
