// Font files and metrics.
#include "platform/fonts.h"

namespace kiosk::sdl {

TtfGuard::TtfGuard()
    : m_ok(TTF_Init() == 0) {
}

TtfGuard::~TtfGuard() {
    if (m_ok)
        TTF_Quit();
}

std::string TtfGuard::error() const {
    return std::string("cannot initialise SDL_ttf: ") + TTF_GetError();
}

char const* Fonts::file_name(ui::Face face) {
    switch (face) {
    case ui::Face::Regular:
        return "OpenSans-Regular.ttf";
    case ui::Face::Bold:
        return "OpenSans-Bold.ttf";
    case ui::Face::Italic:
        return "OpenSans-Italic.ttf";
    case ui::Face::BoldItalic:
        return "OpenSans-BoldItalic.ttf";
    case ui::Face::Semibold:
        return "OpenSans-Semibold.ttf";
    }
    return "";
}

ksd::Result<Fonts> Fonts::open(std::string const& dir) {
    Fonts f;
    for (int i = 0; i < ui::face_count; ++i) {
        std::string path = dir + "/" + file_name(ui::Face(i));
        FontPtr probe(TTF_OpenFont(path.c_str(), 16));
        if (!probe)
            return ksd::make_error("cannot open font " + path + ": " + TTF_GetError()
                + " (install fonts-open-sans or set fonts.dir)");
        f.m_paths[size_t(i)] = path;
    }
    return f;
}

TTF_Font* Fonts::get(ui::Font font) {
    auto key = std::make_pair(int(font.face), font.size);
    auto it = m_open.find(key);
    if (it != m_open.end())
        return it->second.get();
    FontPtr f(TTF_OpenFont(m_paths[size_t(font.face)].c_str(), font.size));
    // The file opened at start-up; failing now means memory trouble: the caller draws nothing.
    TTF_Font* raw = f.get();
    if (raw)
        TTF_SetFontHinting(raw, TTF_HINTING_LIGHT);
    m_open.emplace(key, std::move(f));
    return raw;
}

int Fonts::text_width(std::string_view utf8, ui::Font font) {
    if (utf8.empty())
        return 0;
    // Longer than any line: measured, not kept (a cache of long keys grew to gigabytes).
    if (utf8.size() > max_cached_width_bytes) {
        int w = 0, h = 0;
        std::string s(utf8);
        if (TTF_Font* f = get(font))
            TTF_SizeUTF8(f, s.c_str(), &w, &h);
        return w;
    }
    std::string key;
    key.reserve(utf8.size() + 8);
    key += char('0' + int(font.face));
    key += std::to_string(font.size);
    key += '|';
    key += utf8;
    auto it = m_widths.find(key);
    if (it != m_widths.end())
        return it->second;
    int w = 0, h = 0;
    if (TTF_Font* f = get(font))
        TTF_SizeUTF8(f, key.c_str() + (key.size() - utf8.size()), &w, &h);
    if (m_widths.size() > 20000)
        m_widths.clear(); // a crude cap; widths are cheap to measure again
    m_widths.emplace(std::move(key), w);
    return w;
}

int Fonts::line_height(ui::Font font) {
    TTF_Font* f = get(font);
    return f ? TTF_FontLineSkip(f) : font.size;
}

bool Fonts::can_show(char32_t c) {
    if (c == '\n' || c == ' ')
        return true;
    TTF_Font* f = get({ui::Face::Regular, 20});
    return f != nullptr && TTF_GlyphIsProvided32(f, static_cast<Uint32>(c)) != 0;
}

} // namespace kiosk::sdl
