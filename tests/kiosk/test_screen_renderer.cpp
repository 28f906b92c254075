// The screen's render driver (platform/screen_renderer.h): OpenGL ES 2 first on KMS/DRM, where
// SDL's desktop "opengl" renderer drew a black screen on the image (no libGL.so.1; see the
// boot test, image/test-boot.sh); SDL's own order elsewhere and whenever SDL_RENDER_DRIVER is set.
#include "platform/screen_renderer.h"

#include <catch2/catch.hpp>

using kiosk::sdl::preferred_render_driver;

TEST_CASE("the screen's render driver: OpenGL ES 2 first on KMS/DRM only") {
    CHECK(preferred_render_driver("KMSDRM", nullptr) == "opengles2");
    CHECK(preferred_render_driver("KMSDRM", "") == "opengles2");
    // The environment's choice is SDL's (a technician's SDL_RENDER_DRIVER=software).
    CHECK(preferred_render_driver("KMSDRM", "software").empty());
    CHECK(preferred_render_driver("x11", nullptr).empty());
    CHECK(preferred_render_driver("wayland", nullptr).empty());
    CHECK(preferred_render_driver("dummy", nullptr).empty());
    CHECK(preferred_render_driver("offscreen", nullptr).empty());
}

TEST_CASE("the screen's renderer is made on SDL's dummy video driver and named for the log") {
    REQUIRE(SDL_InitSubSystem(SDL_INIT_VIDEO) == 0);
    {
        kiosk::sdl::WindowPtr window(SDL_CreateWindow("t", 0, 0, 320, 200, 0));
        REQUIRE(window);
        auto renderer = kiosk::sdl::create_screen_renderer(window.get());
        REQUIRE(renderer);
        std::string const name = kiosk::sdl::describe_renderer(renderer.get());
        INFO(name);
        CHECK(name.find("(video driver dummy)") != std::string::npos);
        CHECK(name.rfind("none", 0) != 0);
    }
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}
