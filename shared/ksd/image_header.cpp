// PNG: 8-byte signature, then the IHDR chunk (length 13) holding width and height big-endian.
// JPEG: SOI, then marker segments until the first SOFn, which holds height and width; the walk
// follows the same rules as libjpeg's marker reader and refuses what it would have to skip.
#include "ksd/image_header.h"

namespace ksd {

namespace {

uint32_t be32(std::string_view b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 24) | (uint32_t(uint8_t(b[at + 1])) << 16)
        | (uint32_t(uint8_t(b[at + 2])) << 8) | uint32_t(uint8_t(b[at + 3]));
}

uint32_t be16(std::string_view b, size_t at) {
    return (uint32_t(uint8_t(b[at])) << 8) | uint32_t(uint8_t(b[at + 1]));
}

constexpr std::string_view png_signature {"\x89PNG\r\n\x1a\n", 8};

Result<ImageHeader> png_header(std::string_view b) {
    // Signature, chunk length, "IHDR", width, height, depth, colour type, ...
    if (b.size() < 8 + 8 + 13)
        return make_error("PNG cut short before the end of its header");
    if (be32(b, 8) != 13 || b.substr(12, 4) != "IHDR")
        return make_error("PNG without an IHDR header chunk first");
    ImageHeader h {ImageFormat::Png, be32(b, 16), be32(b, 20)};
    // The PNG specification allows 1 .. 2^31-1 on each side.
    if (h.width == 0 || h.height == 0 || h.width > 0x7FFFFFFFu || h.height > 0x7FFFFFFFu)
        return make_error("PNG with an impossible size " + std::to_string(h.width) + "x"
            + std::to_string(h.height));
    return h;
}

bool is_sof(uint8_t marker) {
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

Result<ImageHeader> jpeg_header(std::string_view b) {
    size_t at = 2; // after SOI
    while (true) {
        if (at >= b.size())
            return make_error("JPEG cut short before its frame header");
        if (uint8_t(b[at]) != 0xFF)
            return make_error(
                "JPEG with stray bytes between markers at byte " + std::to_string(at));
        // Any number of 0xFF fill bytes may precede a marker code.
        while (at < b.size() && uint8_t(b[at]) == 0xFF)
            ++at;
        if (at >= b.size())
            return make_error("JPEG cut short before its frame header");
        uint8_t marker = uint8_t(b[at++]);
        if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; // TEM, RSTn: no length
        if (marker == 0xD8 || marker == 0xD9 || marker == 0xDA || marker == 0x00)
            return make_error("JPEG without a frame header before its image data");
        if (at + 2 > b.size())
            return make_error("JPEG cut short before its frame header");
        uint32_t length = be16(b, at);
        if (length < 2)
            return make_error("JPEG with a broken marker length at byte " + std::to_string(at));
        if (is_sof(marker)) {
            // Length, precision, height, width, components.
            if (length < 8 || at + 8 > b.size())
                return make_error("JPEG cut short inside its frame header");
            ImageHeader h {ImageFormat::Jpeg, be16(b, at + 5), be16(b, at + 3)};
            // A zero height would be given later by a DNL marker, which the kiosk refuses.
            if (h.width == 0 || h.height == 0)
                return make_error("JPEG with an impossible size " + std::to_string(h.width) + "x"
                    + std::to_string(h.height));
            return h;
        }
        at += length;
    }
}

} // namespace

char const* image_format_name(ImageFormat f) {
    switch (f) {
    case ImageFormat::Png:
        return "PNG";
    case ImageFormat::Jpeg:
        return "JPEG";
    }
    return "";
}

Result<ImageHeader> read_image_header(std::string_view bytes) {
    if (bytes.substr(0, png_signature.size()) == png_signature)
        return png_header(bytes);
    if (bytes.size() >= 3 && uint8_t(bytes[0]) == 0xFF && uint8_t(bytes[1]) == 0xD8
        && uint8_t(bytes[2]) == 0xFF)
        return jpeg_header(bytes);
    return make_error("neither a PNG nor a JPEG image");
}

Result<ImageHeader> check_image(std::string_view bytes) {
    TRY_RESULT(ImageHeader h, read_image_header(bytes));
    std::string size = std::to_string(h.width) + "x" + std::to_string(h.height) + " pixels";
    if (h.width > max_image_side || h.height > max_image_side)
        return make_error(size + " is larger than the limit of " + std::to_string(max_image_side)
            + "x" + std::to_string(max_image_side));
    if (uint64_t(h.width) * h.height > max_image_pixels)
        return make_error(size + " is more than the limit of " + std::to_string(max_image_pixels)
            + " pixels (" + std::to_string(max_image_pixels >> 20) + " megapixels)");
    return h;
}

} // namespace ksd
