// The one layer that calls SDL drawing functions: ui::Renderer over an SDL_Renderer, with a
// text texture cache (one texture per string, font and colour, capped, least recently used
// evicted), pictures (icons) drawn once per size and colours into capped textures,
// anti-aliased discs for rounded shapes, and cached images and QR codes. Images are
// sized from their header and checked against the content limits before anything decodes them.
#pragma once

#include "ksd/image_header.h"
#include "platform/fonts.h"
#include "platform/sdl_raii.h"
#include "ui/renderer.h"

#include <functional>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kiosk::sdl {

class SdlRenderer final : public ui::Renderer {
public:
    // Image bytes by asset name; nullopt when missing.
    using AssetLoader = std::function<std::optional<std::string>(std::string const&)>;

    SdlRenderer(SDL_Renderer*, Fonts&, AssetLoader, size_t text_cache_cap = 1024);
    ~SdlRenderer() override;

    void fill_rect(ui::Rect, ui::Color) override;
    void fill_rounded(ui::Rect, int radius, ui::Color) override;
    void fill_circle(ui::Point center, int radius, ui::Color) override;
    void line(ui::Point a, ui::Point b, int thickness, ui::Color) override;
    void text(ui::Point pos, std::string_view utf8, ui::Font, ui::Color) override;
    void image(ui::Rect, std::string const& name) override;
    std::optional<ui::Size> image_size(std::string const& name) override;
    void qr(ui::Rect, std::string const& data, ui::Color dark, ui::Color light) override;
    void push_clip(ui::Rect) override;
    void pop_clip() override;
    void picture(ui::Rect box, ui::Picture const&) override;

    // Images come from the content: drop them when the pack changes.
    void set_asset_loader(AssetLoader);
    size_t text_cache_size() const { return m_text.size(); }
    // For tests: whether any cached text texture was made from a string containing s.
    bool caches_text_containing(std::string_view s) const {
        for (auto const& [key, entry] : m_text)
            if (key.find(s) != std::string::npos)
                return true;
        return false;
    }
    void forget_cached_text() override {
        m_text.clear();
        m_lru.clear();
    }
    uint64_t text_renders() const { return m_text_renders; }

    // Pictures kept as textures: at most picture_cap of them and picture_pixel_budget pixels
    // in all (least recently used evicted); larger pictures are drawn directly every time.
    static constexpr size_t picture_cap = 256;
    static constexpr size_t picture_pixel_budget = 1u << 20; // 4 MiB of ARGB
    static constexpr int picture_max_side = 256;
    size_t picture_cache_size() const { return m_pictures.size(); }
    size_t picture_cache_pixels() const { return m_picture_pixels; }
    uint64_t picture_renders() const { return m_picture_renders; }
    // Drops every texture (text, pictures, discs, images, QR codes): after SDL_RENDER_DEVICE_RESET
    // or SDL_RENDER_TARGETS_RESET they may hold nothing; the next frame makes them anew.
    void forget_textures();

private:
    // A text's texture holds only its inked rows (from top, h of them): the software renderer
    // blends every pixel of a texture, and the rows above the capitals and below the
    // descenders are a third of a line's box.
    struct TextEntry {
        TexturePtr texture; // null: nothing inked (spaces)
        int w {0};
        int top {0};
        int h {0};
        std::list<std::string>::iterator lru;
    };
    // An image is known by its header first (size, format); its pixels are decoded on the first
    // draw. One that cannot be shown (missing, over the size limits, undecodable) is drawn as
    // a placeholder of placeholder_size, and logged once.
    struct ImageEntry {
        ui::Size size;
        ksd::ImageFormat format {ksd::ImageFormat::Png};
        bool placeholder {false};
        bool decoded {false};
        TexturePtr texture;
    };
    static constexpr ui::Size placeholder_size {320, 180};
    ImageEntry& image_entry(std::string const& name);
    void refuse_image(ImageEntry&, std::string const& name, std::string const& why);
    void decode_image(ImageEntry&, std::string const& name);
    void draw_placeholder(ui::Rect);
    // A disc of one colour: colour-modulated blits take SDL's slow generic path, so the
    // colour is baked in (few radius/colour pairs occur).
    struct PictureKey {
        ui::Picture::Draw draw {nullptr};
        uint32_t id {0};
        ui::Color fg, bg;
        int w {0};
        int h {0};
        bool operator==(PictureKey const&) const = default;
    };
    struct PictureKeyHash {
        size_t operator()(PictureKey const&) const;
    };
    struct PictureEntry {
        TexturePtr texture;
        SDL_Rect drawn {0, 0, 0, 0}; // the part of the texture that is not transparent
        std::list<PictureKey>::iterator lru;
    };
    // The texture and its part that is not transparent (only that is copied each frame).
    std::pair<TexturePtr, SDL_Rect> render_picture(ui::Picture const&, int w, int h);
    void evict_pictures_for(size_t pixels);
    SDL_Texture* disc(int radius, ui::Color);
    void draw_quadrant(SDL_Texture*, int radius, int quadrant, int x, int y, ui::Color);
    void set_color(ui::Color);

    SDL_Renderer* m_sdl;
    Fonts& m_fonts;
    AssetLoader m_assets;
    size_t m_cap;
    std::unordered_map<std::string, TextEntry> m_text;
    std::list<std::string> m_lru; // front: most recently used
    uint64_t m_text_renders {0};
    std::unordered_map<PictureKey, PictureEntry, PictureKeyHash> m_pictures;
    std::list<PictureKey> m_picture_lru; // front: most recently used
    size_t m_picture_pixels {0};
    uint64_t m_picture_renders {0};
    std::map<uint64_t, TexturePtr> m_discs; // radius << 32 | rgba
    std::map<std::string, ImageEntry> m_images;
    std::map<std::string, std::pair<TexturePtr, int>> m_qr; // texture, modules incl. quiet zone
    std::vector<SDL_Rect> m_clips;
};

} // namespace kiosk::sdl
