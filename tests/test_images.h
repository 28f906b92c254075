// Images made by the tests: valid PNGs of any size that stay small on disk (1-bit grey, all
// black, compressed with zlib), and JPEG headers with a chosen frame size.
#pragma once

#include <cstdint>
#include <string>
#include <vector>
#include <zlib.h>

namespace ksd::test {

inline void put_be32(std::string& out, uint32_t v) {
    out += char(v >> 24);
    out += char(v >> 16);
    out += char(v >> 8);
    out += char(v);
}

inline void put_png_chunk(std::string& out, std::string_view type, std::string const& data) {
    put_be32(out, uint32_t(data.size()));
    std::string body = std::string(type) + data;
    out += body;
    put_be32(
        out, uint32_t(crc32(0, reinterpret_cast<Bytef const*>(body.data()), uInt(body.size()))));
}

// A complete, valid PNG of width x height pixels (1-bit greyscale, every pixel black). A
// 30000x30000 one is about 110 KB and decodes to gigabytes.
inline std::string make_png(uint32_t width, uint32_t height) {
    std::string png = "\x89PNG\r\n\x1a\n";
    std::string ihdr;
    put_be32(ihdr, width);
    put_be32(ihdr, height);
    ihdr
        += std::string("\x01\x00\x00\x00\x00", 5); // depth 1, grey, deflate, filter 0, no interlace
    put_png_chunk(png, "IHDR", ihdr);
    // Rows of a filter byte and (width + 7) / 8 zero bytes, streamed through deflate.
    size_t row = 1 + (size_t(width) + 7) / 8;
    std::vector<unsigned char> zeros(row * 64, 0);
    std::string idat;
    z_stream z {};
    deflateInit(&z, 9);
    std::vector<unsigned char> buf(1 << 16);
    size_t rows_left = height;
    while (true) {
        size_t n = std::min<size_t>(rows_left, 64);
        rows_left -= n;
        z.next_in = zeros.data();
        z.avail_in = uInt(n * row);
        int flush = rows_left == 0 ? Z_FINISH : Z_NO_FLUSH;
        int rc;
        do {
            z.next_out = buf.data();
            z.avail_out = uInt(buf.size());
            rc = deflate(&z, flush);
            idat.append(reinterpret_cast<char*>(buf.data()), buf.size() - z.avail_out);
        } while (z.avail_out == 0);
        if (flush == Z_FINISH && rc == Z_STREAM_END)
            break;
    }
    deflateEnd(&z);
    put_png_chunk(png, "IDAT", idat);
    put_png_chunk(png, "IEND", "");
    return png;
}

// The start of a baseline JPEG up to its frame header: SOI, a JFIF APP0, a comment, SOF0 with
// the given size and three components. Enough for a header reader; not decodable.
inline std::string make_jpeg_header(uint16_t width, uint16_t height, unsigned char sof = 0xC0) {
    std::string j = "\xFF\xD8";
    j += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
    j += std::string("\xFF\xFE\x00\x06"
                     "abcd",
        8);
    j += "\xFF";
    j += char(sof);
    j += std::string("\x00\x11\x08", 3);
    j += char(height >> 8);
    j += char(height);
    j += char(width >> 8);
    j += char(width);
    j += std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
    return j;
}

} // namespace ksd::test
