// SDL drawing. Text textures are created only for strings not seen recently: re-rendering
// every frame costs ten times the drawing (see the platform brief).
#include "platform/sdl_renderer.h"

#include "ksd/log.h"
#include "ui/qr.h"

#include <SDL_image.h>
#include <cmath>

namespace kiosk::sdl {

SdlRenderer::SdlRenderer(SDL_Renderer* r, Fonts& fonts, AssetLoader assets, size_t cap)
    : m_sdl(r)
    , m_fonts(fonts)
    , m_assets(std::move(assets))
    , m_cap(cap) {
    SDL_SetRenderDrawBlendMode(m_sdl, SDL_BLENDMODE_BLEND);
}

SdlRenderer::~SdlRenderer() = default;

void SdlRenderer::set_asset_loader(AssetLoader loader) {
    m_assets = std::move(loader);
    m_images.clear();
}

void SdlRenderer::set_color(ui::Color c) {
    SDL_SetRenderDrawColor(m_sdl, c.r, c.g, c.b, c.a);
    // Blending an opaque fill costs the software renderer several times a plain fill.
    SDL_SetRenderDrawBlendMode(m_sdl, c.a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
}

void SdlRenderer::fill_rect(ui::Rect r, ui::Color c) {
    if (r.empty())
        return;
    set_color(c);
    SDL_Rect sr {r.x, r.y, r.w, r.h};
    SDL_RenderFillRect(m_sdl, &sr);
}

SDL_Texture* SdlRenderer::disc(int radius, ui::Color c) {
    uint32_t rgba = (uint32_t(c.r) << 24) | (uint32_t(c.g) << 16) | (uint32_t(c.b) << 8) | c.a;
    uint64_t key = (uint64_t(uint32_t(radius)) << 32) | rgba;
    auto it = m_discs.find(key);
    if (it != m_discs.end())
        return it->second.get();
    int d = radius * 2;
    SurfacePtr s(SDL_CreateRGBSurfaceWithFormat(0, d, d, 32, SDL_PIXELFORMAT_ARGB8888));
    TexturePtr tex;
    if (s) {
        auto* px = static_cast<uint32_t*>(s->pixels);
        int pitch = s->pitch / 4;
        float rr = float(radius);
        for (int y = 0; y < d; ++y)
            for (int x = 0; x < d; ++x) {
                // Coverage from the distance of the pixel centre to the edge: a 1 px soft rim.
                float dx = float(x) + 0.5f - rr, dy = float(y) + 0.5f - rr;
                float cov = std::clamp(rr - std::sqrt(dx * dx + dy * dy) + 0.5f, 0.0f, 1.0f);
                uint32_t a = uint32_t(std::lround(cov * float(c.a)));
                px[y * pitch + x] = (a << 24) | (uint32_t(c.r) << 16) | (uint32_t(c.g) << 8) | c.b;
            }
        tex.reset(SDL_CreateTextureFromSurface(m_sdl, s.get()));
        if (tex)
            SDL_SetTextureBlendMode(tex.get(), SDL_BLENDMODE_BLEND);
    }
    SDL_Texture* raw = tex.get();
    m_discs.emplace(key, std::move(tex));
    return raw;
}

void SdlRenderer::draw_quadrant(SDL_Texture* tex, int radius, int q, int x, int y, ui::Color c) {
    (void)c;
    SDL_Rect src {(q == 1 || q == 2) ? radius : 0, q >= 2 ? radius : 0, radius, radius};
    SDL_Rect dst {x, y, radius, radius};
    SDL_RenderCopy(m_sdl, tex, &src, &dst);
}

void SdlRenderer::fill_rounded(ui::Rect r, int radius, ui::Color c) {
    if (r.empty())
        return;
    radius = std::clamp(radius, 0, std::min(r.w, r.h) / 2);
    SDL_Texture* tex = radius > 0 ? disc(radius, c) : nullptr;
    if (!tex) {
        fill_rect(r, c);
        return;
    }
    draw_quadrant(tex, radius, 0, r.x, r.y, c);
    draw_quadrant(tex, radius, 1, r.right() - radius, r.y, c);
    draw_quadrant(tex, radius, 2, r.right() - radius, r.bottom() - radius, c);
    draw_quadrant(tex, radius, 3, r.x, r.bottom() - radius, c);
    fill_rect({r.x + radius, r.y, r.w - 2 * radius, r.h}, c);
    fill_rect({r.x, r.y + radius, radius, r.h - 2 * radius}, c);
    fill_rect({r.right() - radius, r.y + radius, radius, r.h - 2 * radius}, c);
}

void SdlRenderer::fill_circle(ui::Point center, int radius, ui::Color c) {
    if (radius <= 0)
        return;
    SDL_Texture* tex = disc(radius, c);
    if (!tex)
        return;
    SDL_Rect dst {center.x - radius, center.y - radius, radius * 2, radius * 2};
    SDL_RenderCopy(m_sdl, tex, nullptr, &dst);
}

void SdlRenderer::line(ui::Point a, ui::Point b, int thickness, ui::Color c) {
    float dx = float(b.x - a.x), dy = float(b.y - a.y);
    float len = std::sqrt(dx * dx + dy * dy);
    if (len < 0.5f)
        return;
    float nx = -dy / len * float(thickness) / 2.0f, ny = dx / len * float(thickness) / 2.0f;
    SDL_Color col {c.r, c.g, c.b, c.a};
    SDL_Vertex v[4] = {
        {{float(a.x) + nx, float(a.y) + ny}, col, {0, 0}},
        {{float(a.x) - nx, float(a.y) - ny}, col, {0, 0}},
        {{float(b.x) - nx, float(b.y) - ny}, col, {0, 0}},
        {{float(b.x) + nx, float(b.y) + ny}, col, {0, 0}},
    };
    int idx[6] = {0, 1, 2, 0, 2, 3};
    SDL_RenderGeometry(m_sdl, nullptr, v, 4, idx, 6);
    // Round caps and joints.
    fill_circle(a, thickness / 2, c);
    fill_circle(b, thickness / 2, c);
}

namespace {

// The first row with any ink and the number of rows down to the last one ({0, 0}: none) of a
// text surface from SDL_ttf (32-bit ARGB, blended: transparent where there is no ink).
std::pair<int, int> inked_rows(SDL_Surface* s) {
    if (s->format->BytesPerPixel != 4 || !s->format->Amask)
        return {0, s->h}; // not what SDL_ttf's blended mode makes: all of it
    auto inked = [s](int y) {
        auto const* row = reinterpret_cast<uint32_t const*>(
            static_cast<uint8_t const*>(s->pixels) + ptrdiff_t(y) * s->pitch);
        for (int x = 0; x < s->w; ++x)
            if (row[x] & s->format->Amask)
                return true;
        return false;
    };
    int top = 0;
    while (top < s->h && !inked(top))
        ++top;
    if (top == s->h)
        return {0, 0};
    int bottom = s->h - 1;
    while (bottom > top && !inked(bottom))
        --bottom;
    return {top, bottom - top + 1};
}

} // namespace

void SdlRenderer::text(ui::Point pos, std::string_view utf8, ui::Font font, ui::Color c) {
    if (utf8.empty())
        return;
    std::string key;
    key.reserve(utf8.size() + 24);
    key += std::to_string(int(font.face)) + ":" + std::to_string(font.size) + ":"
        + std::to_string((uint32_t(c.r) << 24) | (uint32_t(c.g) << 16) | (uint32_t(c.b) << 8) | c.a)
        + "|";
    key += utf8;
    auto it = m_text.find(key);
    if (it == m_text.end()) {
        TTF_Font* f = m_fonts.get(font);
        if (!f)
            return;
        std::string s(utf8);
        SurfacePtr surf(TTF_RenderUTF8_Blended(f, s.c_str(), SDL_Color {c.r, c.g, c.b, c.a}));
        if (!surf)
            return;
        TextEntry e;
        e.w = surf->w;
        auto [top, rows] = inked_rows(surf.get());
        e.top = top;
        e.h = rows;
        if (rows > 0) {
            SurfacePtr inked(SDL_CreateRGBSurfaceWithFormatFrom(
                static_cast<uint8_t*>(surf->pixels) + ptrdiff_t(top) * surf->pitch, surf->w, rows,
                32, surf->pitch, surf->format->format));
            if (inked)
                e.texture.reset(SDL_CreateTextureFromSurface(m_sdl, inked.get()));
        }
        ++m_text_renders;
        if (m_text.size() >= m_cap) {
            m_text.erase(m_lru.back());
            m_lru.pop_back();
        }
        m_lru.push_front(key);
        e.lru = m_lru.begin();
        it = m_text.emplace(std::move(key), std::move(e)).first;
    } else {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
    }
    if (!it->second.texture)
        return;
    SDL_Rect dst {pos.x, pos.y + it->second.top, it->second.w, it->second.h};
    SDL_RenderCopy(m_sdl, it->second.texture.get(), nullptr, &dst);
}

namespace {

// Room around a picture's box in its texture: a round cap may reach a pixel past the box.
constexpr int picture_margin = 2;

uint32_t packed(ui::Color c) {
    return (uint32_t(c.r) << 24) | (uint32_t(c.g) << 16) | (uint32_t(c.b) << 8) | c.a;
}

} // namespace

size_t SdlRenderer::PictureKeyHash::operator()(PictureKey const& k) const {
    size_t h = std::hash<void const*> {}(reinterpret_cast<void const*>(k.draw));
    for (uint64_t v : {uint64_t(k.id), (uint64_t(packed(k.fg)) << 32) | packed(k.bg),
             (uint64_t(uint32_t(k.w)) << 32) | uint32_t(k.h)})
        h = h * 0x9E3779B97F4A7C15ull + std::hash<uint64_t> {}(v);
    return h;
}

void SdlRenderer::picture(ui::Rect box, ui::Picture const& p) {
    if (box.empty() || !p.draw)
        return;
    if (box.w > picture_max_side || box.h > picture_max_side) {
        p.draw(*this, p, box);
        return;
    }
    PictureKey key {p.draw, p.id, p.fg, p.bg, box.w, box.h};
    auto it = m_pictures.find(key);
    if (it == m_pictures.end()) {
        auto [tex, drawn] = render_picture(p, box.w, box.h);
        if (!tex) {
            // No render targets (or no memory): draw it the slow way rather than not at all.
            p.draw(*this, p, box);
            return;
        }
        size_t pixels = size_t(box.w + 2 * picture_margin) * size_t(box.h + 2 * picture_margin);
        evict_pictures_for(pixels);
        m_picture_lru.push_front(key);
        it = m_pictures.emplace(key, PictureEntry {std::move(tex), drawn, m_picture_lru.begin()})
                 .first;
        m_picture_pixels += pixels;
    } else {
        m_picture_lru.splice(m_picture_lru.begin(), m_picture_lru, it->second.lru);
    }
    SDL_Rect const& src = it->second.drawn;
    if (src.w <= 0 || src.h <= 0)
        return; // nothing visible
    SDL_Rect dst {box.x - picture_margin + src.x, box.y - picture_margin + src.y, src.w, src.h};
    SDL_RenderCopy(m_sdl, it->second.texture.get(), &src, &dst);
}

void SdlRenderer::evict_pictures_for(size_t pixels) {
    while (!m_picture_lru.empty()
        && (m_pictures.size() >= picture_cap || m_picture_pixels + pixels > picture_pixel_budget)) {
        PictureKey const& old = m_picture_lru.back();
        m_picture_pixels -= size_t(old.w + 2 * picture_margin) * size_t(old.h + 2 * picture_margin);
        m_pictures.erase(old);
        m_picture_lru.pop_back();
    }
}

std::pair<TexturePtr, SDL_Rect> SdlRenderer::render_picture(ui::Picture const& p, int w, int h) {
    if (!SDL_RenderTargetSupported(m_sdl))
        return {};
    int const tw = w + 2 * picture_margin, th = h + 2 * picture_margin;
    TexturePtr target(
        SDL_CreateTexture(m_sdl, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, tw, th));
    SurfacePtr out(SDL_CreateRGBSurfaceWithFormat(0, tw, th, 32, SDL_PIXELFORMAT_ARGB8888));
    if (!target || !out)
        return {};
    // Drawn twice, on opaque black and on opaque white. Each pixel of a drawing is an affine
    // function of what lies below (P + (1 - A) * below), so the two give its colour P and
    // coverage A exactly, also where a shape in bg covers part of one in fg; drawing onto a
    // transparent texture would not (SDL's blend does not weigh by the destination's alpha).
    std::vector<uint32_t> on_black(size_t(tw) * size_t(th)), on_white(on_black.size());
    SDL_Texture* screen = SDL_GetRenderTarget(m_sdl);
    if (SDL_SetRenderTarget(m_sdl, target.get()) != 0)
        return {};
    // SDL clips a texture target apart from the screen; our clip stack is the screen's.
    std::vector<SDL_Rect> clips;
    clips.swap(m_clips);
    bool read = true;
    for (auto* pixels : {&on_black, &on_white}) {
        uint8_t const v = pixels == &on_black ? 0 : 255;
        SDL_SetRenderDrawBlendMode(m_sdl, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(m_sdl, v, v, v, 255);
        SDL_RenderClear(m_sdl);
        p.draw(*this, p, {picture_margin, picture_margin, w, h});
        read = read
            && SDL_RenderReadPixels(
                   m_sdl, nullptr, SDL_PIXELFORMAT_ARGB8888, pixels->data(), tw * 4)
                == 0;
    }
    m_clips.swap(clips);
    bool const back = SDL_SetRenderTarget(m_sdl, screen) == 0;
    SDL_RenderSetClipRect(m_sdl, m_clips.empty() ? nullptr : &m_clips.back());
    if (!read || !back)
        return {};
    auto* px = static_cast<uint32_t*>(out->pixels);
    int const pitch = out->pitch / 4;
    // Blending costs per pixel copied, transparent or not: only the covered part is copied.
    int x0 = tw, y0 = th, x1 = -1, y1 = -1;
    for (int y = 0; y < th; ++y)
        for (int x = 0; x < tw; ++x) {
            uint32_t b = on_black[size_t(y) * size_t(tw) + size_t(x)];
            uint32_t wh = on_white[size_t(y) * size_t(tw) + size_t(x)];
            // 1 - A from how much of the white shows through, averaged over the channels.
            int through = 0;
            for (int shift : {16, 8, 0})
                through += int((wh >> shift) & 0xFF) - int((b >> shift) & 0xFF);
            int a = std::clamp(255 - (through + 1) / 3, 0, 255);
            uint32_t c = 0;
            if (a > 0) {
                c = uint32_t(a) << 24;
                for (int shift : {16, 8, 0}) {
                    int straight = (int((b >> shift) & 0xFF) * 255 + a / 2) / a;
                    c |= uint32_t(std::min(straight, 255)) << shift;
                }
            }
            px[y * pitch + x] = c;
            if (a > 0) {
                x0 = std::min(x0, x);
                y0 = std::min(y0, y);
                x1 = std::max(x1, x);
                y1 = std::max(y1, y);
            }
        }
    TexturePtr tex(SDL_CreateTextureFromSurface(m_sdl, out.get()));
    if (!tex)
        return {};
    SDL_SetTextureBlendMode(tex.get(), SDL_BLENDMODE_BLEND);
    ++m_picture_renders;
    return {std::move(tex), SDL_Rect {x0, y0, x1 - x0 + 1, y1 - y0 + 1}};
}

void SdlRenderer::forget_textures() {
    m_pictures.clear();
    m_picture_lru.clear();
    m_picture_pixels = 0;
    forget_cached_text();
    m_discs.clear();
    m_qr.clear();
    m_images.clear();
}

SdlRenderer::ImageEntry& SdlRenderer::image_entry(std::string const& name) {
    auto it = m_images.find(name);
    if (it != m_images.end())
        return it->second;
    ImageEntry& e = m_images[name];
    auto bytes = m_assets ? m_assets(name) : std::nullopt;
    if (!bytes) {
        refuse_image(e, name, "not in the content pack");
        return e;
    }
    // The header only: a 100 KB PNG may claim 30000x30000 pixels, gigabytes once decoded.
    auto header = ksd::check_image(*bytes);
    if (!header.ok()) {
        refuse_image(e, name, header.error().message);
        return e;
    }
    e.size = {int(header->width), int(header->height)};
    e.format = header->format;
    return e;
}

void SdlRenderer::refuse_image(ImageEntry& e, std::string const& name, std::string const& why) {
    ksd::log::warn("kiosk", "image " + name + " shown as a placeholder: " + why);
    e.placeholder = true;
    e.size = placeholder_size;
    e.texture.reset();
}

void SdlRenderer::decode_image(ImageEntry& e, std::string const& name) {
    e.decoded = true;
    auto bytes = m_assets ? m_assets(name) : std::nullopt;
    if (!bytes) {
        refuse_image(e, name, "not in the content pack");
        return;
    }
    // The same header again (the bytes were read anew), and only the decoder of that format:
    // SDL_image would otherwise pick one by guessing from the content.
    auto header = ksd::check_image(*bytes);
    if (!header.ok() || int(header->width) != e.size.w || int(header->height) != e.size.h
        || header->format != e.format) {
        refuse_image(
            e, name, header.ok() ? "changed since it was measured" : header.error().message);
        return;
    }
    SDL_RWops* rw = SDL_RWFromConstMem(bytes->data(), int(bytes->size()));
    char const* type = e.format == ksd::ImageFormat::Png ? "PNG" : "JPG";
    SurfacePtr surf(rw ? IMG_LoadTyped_RW(rw, 1, type) : nullptr);
    if (!surf || surf->w != e.size.w || surf->h != e.size.h) {
        refuse_image(e, name, std::string("cannot be decoded: ") + IMG_GetError());
        return;
    }
    e.texture.reset(SDL_CreateTextureFromSurface(m_sdl, surf.get()));
    if (!e.texture) {
        refuse_image(e, name, std::string("no texture for it: ") + SDL_GetError());
        return;
    }
    SDL_SetTextureScaleMode(e.texture.get(), SDL_ScaleModeLinear);
}

std::optional<ui::Size> SdlRenderer::image_size(std::string const& name) {
    return image_entry(name).size;
}

void SdlRenderer::image(ui::Rect r, std::string const& name) {
    ImageEntry& e = image_entry(name);
    if (!e.placeholder && !e.decoded)
        decode_image(e, name);
    if (e.placeholder || !e.texture) {
        draw_placeholder(r);
        return;
    }
    SDL_Rect dst {r.x, r.y, r.w, r.h};
    SDL_RenderCopy(m_sdl, e.texture.get(), nullptr, &dst);
}

void SdlRenderer::draw_placeholder(ui::Rect r) {
    // A calm grey frame with a picture sign: the page reads on without the image.
    ui::Color const fill {0xE5, 0xE7, 0xEB, 0xFF}, mark {0x9C, 0xA3, 0xAF, 0xFF};
    fill_rect(r, fill);
    int b = std::max(1, std::min(r.w, r.h) / 60);
    fill_rect({r.x, r.y, r.w, b}, mark);
    fill_rect({r.x, r.bottom() - b, r.w, b}, mark);
    fill_rect({r.x, r.y, b, r.h}, mark);
    fill_rect({r.right() - b, r.y, b, r.h}, mark);
    int side = std::min(r.w, r.h) / 3;
    if (side < 12)
        return;
    ui::Point c {r.x + r.w / 2, r.y + r.h / 2};
    fill_circle({c.x - side / 4, c.y - side / 5}, side / 9, mark);
    SDL_Color col {mark.r, mark.g, mark.b, mark.a};
    // Whole pixels on purpose: the triangle's corners snap to the same grid as the circle's.
    int const half = side / 2, third = side / 3, eighth = side / 8;
    float x0 = float(c.x - half), x1 = float(c.x + half), y1 = float(c.y + third);
    SDL_Vertex v[3] = {{{x0, y1}, col, {0, 0}},
        {{float(c.x + eighth), float(c.y - eighth)}, col, {0, 0}}, {{x1, y1}, col, {0, 0}}};
    SDL_RenderGeometry(m_sdl, nullptr, v, 3, nullptr, 0);
}

void SdlRenderer::qr(ui::Rect r, std::string const& data, ui::Color dark, ui::Color light) {
    auto it = m_qr.find(data);
    if (it == m_qr.end()) {
        TexturePtr tex;
        int modules = 0;
        if (auto m = ui::encode_qr(data)) {
            modules = m->size + 2 * ui::qr_quiet_zone;
            SurfacePtr s(
                SDL_CreateRGBSurfaceWithFormat(0, modules, modules, 32, SDL_PIXELFORMAT_ARGB8888));
            if (s) {
                auto* px = static_cast<uint32_t*>(s->pixels);
                int pitch = s->pitch / 4;
                for (int y = 0; y < modules; ++y)
                    for (int x = 0; x < modules; ++x) {
                        int mx = x - ui::qr_quiet_zone, my = y - ui::qr_quiet_zone;
                        bool on
                            = mx >= 0 && my >= 0 && mx < m->size && my < m->size && m->at(mx, my);
                        px[y * pitch + x] = on ? 0xFF000000u : 0xFFFFFFFFu;
                    }
                tex.reset(SDL_CreateTextureFromSurface(m_sdl, s.get()));
                if (tex) {
                    SDL_SetTextureScaleMode(tex.get(), SDL_ScaleModeNearest);
                    SDL_SetTextureBlendMode(tex.get(), SDL_BLENDMODE_NONE); // opaque: a plain copy
                }
            }
        }
        it = m_qr.emplace(data, std::make_pair(std::move(tex), modules)).first;
    }
    auto& [tex, modules] = it->second;
    if (!tex || modules == 0)
        return;
    // Whole pixels per module keep every module the same size: phones read that better.
    int side = std::min(r.w, r.h);
    int per = std::max(1, side / modules);
    int drawn = per * modules;
    fill_rect({r.x + (r.w - side) / 2, r.y, side, side}, light);
    SDL_Rect dst {r.x + (r.w - drawn) / 2, r.y + (side - drawn) / 2, drawn, drawn};
    (void)dark;
    SDL_RenderCopy(m_sdl, tex.get(), nullptr, &dst);
}

void SdlRenderer::push_clip(ui::Rect r) {
    // SDL reads an empty clip rectangle as "no clipping": use a pixel off-screen instead.
    SDL_Rect const nothing {-4, -4, 1, 1};
    SDL_Rect sr {r.x, r.y, r.w, r.h};
    if (r.w <= 0 || r.h <= 0)
        sr = nothing;
    if (!m_clips.empty()) {
        SDL_Rect out;
        if (!SDL_IntersectRect(&m_clips.back(), &sr, &out))
            out = nothing;
        sr = out;
    }
    m_clips.push_back(sr);
    SDL_RenderSetClipRect(m_sdl, &sr);
}

void SdlRenderer::pop_clip() {
    if (!m_clips.empty())
        m_clips.pop_back();
    SDL_RenderSetClipRect(m_sdl, m_clips.empty() ? nullptr : &m_clips.back());
}

} // namespace kiosk::sdl
