// Issue 14: the queue export's sealed format and the acknowledgement's MAC, as pure functions:
// every cut length and a flipped bit at many offsets are refused, a file of one kind never passes
// as the other, and another server's key cannot open an export.
#include "ksd/queue_export.h"

#include <catch2/catch.hpp>
#include <sodium.h>

using namespace ksd;

namespace {

Key32 kiosk_key() {
    return usb_kiosk_key(sync_token_hash("kiosk-1." + std::string(64, 'a')));
}

} // namespace

TEST_CASE("queue export: sealed, opened by the server's key, its MAC the kiosk's") {
    REQUIRE(sodium_init() >= 0);
    BoxKeyPair const server = generate_box_keypair();
    std::string const payload = "{\"format\":\"ksd-queue-export\",\"tickets\":[]}";
    std::string const file
        = seal_queue_export("kiosk-1", payload, usb_export_mac_key(kiosk_key()), server.public_key);
    CHECK(file.find("ksd-queue-export") == std::string::npos); // sealed
    auto opened = open_queue_export(file, server);
    REQUIRE(opened.ok());
    CHECK(opened->kiosk_id == "kiosk-1");
    CHECK(opened->payload == payload);
    CHECK(verify_export_mac(*opened, usb_export_mac_key(kiosk_key())));
    CHECK_FALSE(verify_export_mac(*opened, usb_ack_mac_key(kiosk_key())));
    CHECK_FALSE(verify_export_mac(
        *opened, usb_export_mac_key(usb_kiosk_key(sync_token_hash("kiosk-1.b")))));

    // Every shorter file is refused, and says it is truncated once past the magic.
    for (size_t n = 0; n < file.size(); ++n) {
        auto cut = open_queue_export(file.substr(0, n), server);
        REQUIRE_FALSE(cut.ok());
        if (n >= export_magic.size())
            CHECK(cut.error().message.find("truncated") != std::string::npos);
    }
    // A flipped bit anywhere is refused.
    for (size_t i = 0; i < file.size(); ++i) {
        std::string bad = file;
        bad[i] = static_cast<char>(bad[i] ^ 0x10);
        CHECK_FALSE(open_queue_export(bad, server).ok());
    }
    CHECK_FALSE(open_queue_export(file + "x", server).ok());
    auto other = open_queue_export(file, generate_box_keypair());
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().message.find("another server") != std::string::npos);
}

TEST_CASE("queue acknowledgement: only the kiosk's acknowledgement key opens it") {
    std::string const json = "{\"format\":\"ksd-queue-ack\",\"results\":[]}";
    std::string const file = build_ack_file(json, usb_ack_mac_key(kiosk_key()));
    auto opened = open_ack_file(file, usb_ack_mac_key(kiosk_key()));
    REQUIRE(opened.ok());
    CHECK(*opened == json);
    CHECK_FALSE(open_ack_file(file, usb_export_mac_key(kiosk_key())).ok());
    for (size_t n = 0; n < file.size(); ++n)
        CHECK_FALSE(open_ack_file(file.substr(0, n), usb_ack_mac_key(kiosk_key())).ok());
    for (size_t i = 0; i < file.size(); ++i) {
        std::string bad = file;
        bad[i] = static_cast<char>(bad[i] ^ 0x01);
        CHECK_FALSE(open_ack_file(bad, usb_ack_mac_key(kiosk_key())).ok());
    }
}

TEST_CASE("queue export keys: hex round trip and clear refusal") {
    Key32 const k = kiosk_key();
    auto back = parse_key_hex(" " + key_hex(k) + "\n", "key");
    REQUIRE(back.ok());
    CHECK(*back == k);
    auto bad = parse_key_hex("xyz", "usb.server_public_key");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("usb.server_public_key: expected 64 hex digits")
        != std::string::npos);
}
