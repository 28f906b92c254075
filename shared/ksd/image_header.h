// Pixel dimensions of PNG and JPEG images read from their headers alone, and the size limits
// content images must keep: the builder and the kiosk both check them before anything decodes
// an image, since a 100 KB PNG can claim 30000x30000 pixels (gigabytes once decoded).
#pragma once

#include "ksd/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ksd {

enum class ImageFormat : uint8_t { Png, Jpeg };

// Limits on a content image (documented in content/FORMAT.md): no side longer than
// max_image_side, and at most max_image_pixels pixels (32 MiB once decoded as RGBA).
inline constexpr uint32_t max_image_side = 4096;
inline constexpr uint64_t max_image_pixels = 8u << 20;

struct ImageHeader {
    ImageFormat format {ImageFormat::Png};
    uint32_t width {0};
    uint32_t height {0};
};

char const* image_format_name(ImageFormat);

// Reads the format and pixel size from the first bytes: the PNG signature and IHDR chunk, or
// the JPEG markers up to the first frame header (SOFn). Fails with a message for anything else,
// for a header that is cut short, and for a zero width or height. Reads no pixel data.
Result<ImageHeader> read_image_header(std::string_view bytes);

// read_image_header, then the limits above: the error names the size and the limit.
Result<ImageHeader> check_image(std::string_view bytes);

} // namespace ksd
