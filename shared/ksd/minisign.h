// minisign-compatible Ed25519 signatures (libsodium), so staff can sign a content pack with the
// standard `minisign` tool and kiosks verify it, and the other way round.
// Format: https://jedisct1.github.io/minisign/ (public key "Ed"+keyid+pk; signature "ED" =
// Ed25519 over BLAKE2b-512 of the file (default since minisign 0.8), legacy "Ed" = over the file;
// a global signature over signature||trusted comment).
#pragma once

#include "ksd/files.h"
#include "ksd/result.h"

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ksd::minisign {

struct PublicKey {
    std::array<uint8_t, 8> key_id {};
    std::array<uint8_t, 32> key {};
    std::string key_id_hex() const; // as minisign prints it: upper-case hex, little-endian
};

struct SecretKey {
    std::array<uint8_t, 8> key_id {};
    std::array<uint8_t, 64> key {}; // libsodium's Ed25519 secret key (seed || public key)
};

// Parses a public key: a minisign .pub file (comment line + base64 line) or the bare base64 line.
Result<PublicKey> parse_public_key(std::string_view text);
Result<PublicKey> load_public_key(std::string const& path);

// Loads a minisign secret key file. An encrypted key (minisign -G without -W) asks
// password() for its password; an unencrypted one never calls it. A wrong password is an error.
Result<SecretKey> load_secret_key(
    std::string const& path, std::function<Result<std::string>()> const& password);
Result<SecretKey> parse_secret_key(
    std::string_view text, std::function<Result<std::string>()> const& password);

struct KeyPair {
    std::string public_key_file; // contents of a .pub file
    std::string secret_key_file; // contents of an unencrypted secret key file (as minisign -W)
};
// A new key pair from the CSPRNG.
KeyPair generate_key_pair();

// Returns the contents of a .minisig file: prehashed ("ED") signature, trusted comment
// (e.g. "timestamp:1700000000\tfile:ksd.pack"), and the global signature.
Result<std::string> sign(std::string_view message, SecretKey const& key,
    std::string_view trusted_comment,
    std::string_view untrusted_comment = "signature from ksd-content");

struct Verified {
    std::string trusted_comment;
};
// Verifies message against the contents of a .minisig file. Fails, naming the reason, when the
// signature file is malformed, was made by another key (key id differs), or does not match.
Result<Verified> verify(
    std::string_view message, std::string_view signature_file, PublicKey const& key);
// Same, reading both files; the signature file defaults to path + ".minisig". The meter is told
// the bytes of path hashed so far (prehashed signatures; a legacy one is read at once).
Result<Verified> verify_file(std::string const& path, PublicKey const& key,
    std::string const& signature_path = "", ByteMeter const& meter = {});

} // namespace ksd::minisign
