// The image header reader: sizes of PNG and JPEG from their first bytes, every kind of cut or
// broken header refused, and the content limits (issue 9: a 109 KB PNG of 30000x30000 pixels).
#include "ksd/image_header.h"
#include "test_images.h"

#include <catch2/catch.hpp>
#include <chrono>

using namespace ksd;

TEST_CASE("PNG and JPEG sizes are read from the header alone", "[image]") {
    auto png = read_image_header(test::make_png(640, 480));
    REQUIRE(png.ok());
    CHECK(png->format == ImageFormat::Png);
    CHECK(png->width == 640);
    CHECK(png->height == 480);
    // Only the signature and IHDR are needed.
    CHECK(read_image_header(test::make_png(7, 9).substr(0, 33))->height == 9);
    for (unsigned char sof : {0xC0, 0xC1, 0xC2, 0xCF}) {
        auto jpg = read_image_header(test::make_jpeg_header(1024, 768, sof));
        REQUIRE(jpg.ok());
        CHECK(jpg->format == ImageFormat::Jpeg);
        CHECK(jpg->width == 1024);
        CHECK(jpg->height == 768);
    }
    // Fill bytes before a marker and a restart marker without length are walked over.
    std::string filled = test::make_jpeg_header(10, 20);
    filled.insert(2, "\xFF\xFF\xFF\xD0");
    CHECK(read_image_header(filled)->width == 10);
}

TEST_CASE("cut or broken or foreign headers are refused with a reason", "[image]") {
    std::string png = test::make_png(64, 64);
    for (size_t cut : {0, 3, 8, 20, 28})
        CHECK_FALSE(read_image_header(png.substr(0, cut)).ok());
    std::string no_ihdr = png;
    no_ihdr.replace(12, 4, "IDAT");
    CHECK_THAT(read_image_header(no_ihdr).error().message, Catch::Contains("IHDR"));
    auto zero = test::make_png(1, 1);
    zero[19] = 0; // width 0
    CHECK_THAT(read_image_header(zero).error().message, Catch::Contains("impossible size 0x1"));
    auto huge = test::make_png(1, 1);
    huge[16] = char(0x80); // width >= 2^31
    CHECK_FALSE(read_image_header(huge).ok());

    std::string jpg = test::make_jpeg_header(100, 100);
    // Everything up to the end of the width in SOF0 (byte 37) is needed.
    for (size_t cut = 2; cut < 37; ++cut)
        CHECK_FALSE(read_image_header(jpg.substr(0, cut)).ok());
    CHECK_THAT(read_image_header(test::make_jpeg_header(0, 10)).error().message,
        Catch::Contains("impossible size"));
    std::string stray = jpg;
    stray.insert(20, "xx"); // after the APP0 segment
    CHECK_THAT(read_image_header(stray).error().message, Catch::Contains("stray bytes"));
    std::string sos_first("\xFF\xD8\xFF\xDA\x00\x08", 6);
    CHECK_THAT(read_image_header(sos_first).error().message, Catch::Contains("frame header"));
    std::string bad_len("\xFF\xD8\xFF\xE0\x00\x01", 6);
    CHECK_THAT(read_image_header(bad_len).error().message, Catch::Contains("marker length"));
    // A DHT segment (C4) is not a frame header even though it sits among the SOF codes.
    std::string dht = test::make_jpeg_header(100, 100, 0xC4);
    CHECK_FALSE(read_image_header(dht).ok());
    CHECK_THAT(read_image_header("GIF89a....").error().message,
        Catch::Contains("neither a PNG nor a JPEG"));
    CHECK_FALSE(read_image_header("").ok());
}

TEST_CASE("the size limits of content images", "[image]") {
    CHECK(check_image(test::make_png(max_image_side, 2048)).ok());
    CHECK(check_image(test::make_jpeg_header(2896, 2896)).ok());
    CHECK_THAT(check_image(test::make_png(max_image_side + 1, 10)).error().message,
        Catch::Contains("4097x10 pixels is larger than the limit of 4096x4096"));
    CHECK_THAT(check_image(test::make_jpeg_header(4096, 4096)).error().message,
        Catch::Contains("4096x4096 pixels is more than the limit of 8388608 pixels"));
    // The defect's image: 30000x30000 in about 110 KB; refused from its header, at once.
    std::string bomb = test::make_png(30000, 30000);
    CHECK(bomb.size() < 200 * 1024);
    auto t0 = std::chrono::steady_clock::now();
    auto r = check_image(bomb);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - t0)
                  .count();
    CHECK_THAT(r.error().message, Catch::Contains("30000x30000 pixels is larger than the limit"));
    CHECK(ms < 50);
}
