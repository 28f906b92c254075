// The kiosk's fonts: the five Open Sans faces, checked at start-up (a missing file is an error
// naming it), each size opened once and kept. Also the text measurer, with a width cache.
#pragma once

#include "ksd/result.h"
#include "platform/sdl_raii.h"
#include "ui/renderer.h"

#include <array>
#include <map>
#include <string>
#include <unordered_map>

namespace kiosk::sdl {

inline constexpr char const* default_font_dir = "/usr/share/fonts/truetype/open-sans";

// Initialises SDL_ttf (reference-counted by SDL_ttf itself) for as long as it lives.
class TtfGuard {
public:
    TtfGuard();
    ~TtfGuard();
    TtfGuard(TtfGuard const&) = delete;
    TtfGuard& operator=(TtfGuard const&) = delete;
    bool ok() const { return m_ok; }
    // Why it failed: "cannot initialise SDL_ttf: <SDL_ttf's reason>".
    std::string error() const;

private:
    bool m_ok;
};

class Fonts final : public ui::TextMeasurer {
public:
    // Needs TTF_Init() done. Opens every face once to prove the files are usable.
    static ksd::Result<Fonts> open(std::string const& dir);
    static char const* file_name(ui::Face);

    TTF_Font* get(ui::Font);
    int text_width(std::string_view utf8, ui::Font) override;
    int line_height(ui::Font) override;
    void forget_cached_text() override { m_widths.clear(); }
    // Whether the regular face has a glyph for the code point (the form refuses what would
    // show as a box).
    bool can_show(char32_t);

private:
    std::array<std::string, ui::face_count> m_paths;
    std::map<std::pair<int, int>, FontPtr> m_open; // (face, size)
    static constexpr size_t max_cached_width_bytes = 512;
    std::unordered_map<std::string, int> m_widths;
};

} // namespace kiosk::sdl
