// minisign-compatible keys and signatures on libsodium. Signature and key files arrive from USB
// sticks and the network, so parsing is strict and bounded and every failure names its reason.
#include "ksd/minisign.h"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace ksd::minisign {

namespace {

constexpr std::string_view untrusted_prefix = "untrusted comment: ";
constexpr std::string_view trusted_prefix = "trusted comment: ";

// Lengths minisign's fgets() buffers allow (COMMENTMAXBYTES 1024, TRUSTEDCOMMENTMAXBYTES 8192,
// each holding prefix + comment + '\n' + NUL): a longer line would be split by minisign and its
// verification would fail, so sign() refuses such comments.
constexpr size_t untrusted_comment_max = 1024 - untrusted_prefix.size() - 2;
constexpr size_t trusted_comment_max = 8192 - trusted_prefix.size() - 2;

// Key and signature files are tiny; a cap keeps a wrong path (a disk image, /dev/zero) from
// being read into memory.
constexpr size_t small_file_max = 1024 * 1024;
// Legacy "Ed" signatures cover the whole message in memory; minisign has the same limit.
constexpr uint64_t legacy_message_max = uint64_t(1) << 30;

// A secret key file chooses its own scrypt cost; bound it so a forged file cannot make us
// allocate without limit. minisign uses 2^25 ops and 1 GiB, well inside these.
constexpr uint64_t kdf_opslimit_max = uint64_t(1) << 32;
constexpr uint64_t kdf_memlimit_max = uint64_t(2) << 30;

constexpr size_t keynum_bytes = 8;
constexpr size_t public_key_bytes = 2 + keynum_bytes + crypto_sign_PUBLICKEYBYTES;
constexpr size_t signature_bytes = 2 + keynum_bytes + crypto_sign_BYTES;
constexpr size_t keynum_sk_bytes
    = keynum_bytes + crypto_sign_SECRETKEYBYTES + crypto_generichash_BYTES;
constexpr size_t secret_key_bytes
    = 2 + 2 + 2 + crypto_pwhash_scryptsalsa208sha256_SALTBYTES + 8 + 8 + keynum_sk_bytes;

static_assert(public_key_bytes == 42 && signature_bytes == 74 && secret_key_bytes == 158);
static_assert(crypto_generichash_BYTES == 32 && crypto_generichash_BYTES_MAX == 64);

// Wipes a buffer of secret bytes when it goes out of scope, whatever path returns.
class Wipe {
public:
    Wipe(void* data, size_t size)
        : m_data(data)
        , m_size(size) { }
    ~Wipe() { sodium_memzero(m_data, m_size); }
    Wipe(Wipe const&) = delete;
    Wipe& operator=(Wipe const&) = delete;

private:
    void* m_data;
    size_t m_size;
};

bool sodium_ready() {
    // sodium_init() is thread-safe and idempotent; a function-local static runs it once.
    static bool const ready = sodium_init() >= 0;
    return ready;
}

Error sodium_error() {
    return make_error("libsodium could not be initialised");
}

// Always 16 digits, as current minisign prints ids (%016 PRIX64); 0.11 dropped leading zeros.
std::string hex_upper_le(std::array<uint8_t, 8> const& bytes) {
    static char const digits[] = "0123456789ABCDEF";
    std::string out;
    for (size_t i = bytes.size(); i-- > 0;) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0xF];
    }
    return out;
}

// Two algorithm bytes for a message: quoted when printable, else in hex (garbage input).
std::string describe_alg(uint8_t const* alg) {
    auto printable = [](uint8_t c) { return c >= 0x21 && c <= 0x7E; };
    if (printable(alg[0]) && printable(alg[1]))
        return std::string("\"") + char(alg[0]) + char(alg[1]) + "\"";
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%02X%02X", alg[0], alg[1]);
    return buf;
}

uint64_t load_le64(uint8_t const* p) {
    uint64_t v = 0;
    for (size_t i = 8; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

std::string encode_base64(uint8_t const* data, size_t size) {
    std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
    out.pop_back(); // the terminating NUL
    return out;
}

bool is_base64_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
        || c == '/' || c == '=';
}

// Decodes a line that must hold exactly N bytes. The alphabet and length are checked before
// decoding so that an arbitrarily long line never allocates and each failure says which it is.
template <size_t N>
Result<std::array<uint8_t, N>> decode_base64(std::string_view line, std::string const& what) {
    for (size_t i = 0; i < line.size(); ++i) {
        if (!is_base64_char(line[i])) {
            char buf[96];
            std::snprintf(buf, sizeof buf, ": invalid base64 (byte 0x%02X at column %zu)",
                uint8_t(line[i]), i + 1);
            return make_error(what + buf);
        }
    }
    size_t const expected = sodium_base64_ENCODED_LEN(N, sodium_base64_VARIANT_ORIGINAL) - 1;
    if (line.size() != expected) {
        return make_error(what + ": wrong length (" + std::to_string(line.size())
            + " base64 characters, expected " + std::to_string(expected) + ")");
    }
    std::array<uint8_t, N> out {};
    size_t len = 0;
    if (sodium_base642bin(out.data(), out.size(), line.data(), line.size(), nullptr, &len, nullptr,
            sodium_base64_VARIANT_ORIGINAL)
            != 0
        || len != N)
        return make_error(what + ": invalid base64 (bad padding)");
    return out;
}

// Splits text into lines on '\n', dropping a '\r' before it (files edited on Windows) and any
// trailing empty lines, so "a\nb\n" and "a\r\nb\n\n" both give {a, b}.
std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        size_t const nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        lines.push_back(line);
        if (nl == std::string_view::npos)
            break;
        text.remove_prefix(nl + 1);
    }
    while (!lines.empty() && lines.back().empty())
        lines.pop_back();
    return lines;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

Result<FilePtr> open_file(std::string const& path) {
    FilePtr f(std::fopen(path.c_str(), "rb"));
    if (!f)
        return make_error("cannot open " + path + ": " + std::strerror(errno));
    return f;
}

// Reads a whole file of at most max bytes.
Result<std::string> read_file(std::string const& path, uint64_t max, std::string const& what) {
    TRY_RESULT(FilePtr f, open_file(path));
    std::string out;
    char buf[65536];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
        if (out.size() + n > max) {
            return make_error(path + ": too large for " + what + " (more than "
                + std::to_string(max) + " bytes)");
        }
        out.append(buf, n);
    }
    if (std::ferror(f.get()))
        return make_error("cannot read " + path + ": " + std::strerror(errno));
    return out;
}

struct ParsedSignature {
    bool prehashed {};
    std::array<uint8_t, 8> key_id {};
    std::array<uint8_t, crypto_sign_BYTES> sig {};
    std::string trusted_comment;
    std::array<uint8_t, crypto_sign_BYTES> global_sig {};
};

Result<ParsedSignature> parse_signature(std::string_view text) {
    if (text.empty())
        return make_error("signature file is empty");
    auto const lines = split_lines(text);
    if (lines.size() != 4) {
        return make_error("signature file is malformed: " + std::to_string(lines.size())
            + " lines, expected 4 (untrusted comment, signature, trusted comment, global "
              "signature)");
    }
    if (!starts_with(lines[0], untrusted_prefix))
        return make_error("signature file is malformed: line 1 does not start with \"untrusted "
                          "comment: \"");
    if (!starts_with(lines[2], trusted_prefix))
        return make_error("signature file is malformed: line 3 does not start with \"trusted "
                          "comment: \"");
    TRY_RESULT(auto sig_struct,
        decode_base64<signature_bytes>(lines[1], "signature file line 2 (signature)"));
    ParsedSignature out;
    if (std::memcmp(sig_struct.data(), "ED", 2) == 0)
        out.prehashed = true;
    else if (std::memcmp(sig_struct.data(), "Ed", 2) == 0)
        out.prehashed = false;
    else
        return make_error("signature file uses an unsupported signature algorithm "
            + describe_alg(sig_struct.data()) + " (expected \"ED\" or \"Ed\")");
    std::memcpy(out.key_id.data(), sig_struct.data() + 2, keynum_bytes);
    std::memcpy(out.sig.data(), sig_struct.data() + 2 + keynum_bytes, crypto_sign_BYTES);
    out.trusted_comment = std::string(lines[2].substr(trusted_prefix.size()));
    TRY_RESULT(out.global_sig,
        decode_base64<crypto_sign_BYTES>(lines[3], "signature file line 4 (global signature)"));
    return out;
}

Result<void> check_key_id(ParsedSignature const& sig, PublicKey const& key) {
    if (sig.key_id != key.key_id) {
        return make_error("signature was signed by another key (key id " + hex_upper_le(sig.key_id)
            + ", expected " + key.key_id_hex() + ")");
    }
    return {};
}

// Checks the signature over the message (or its BLAKE2b-512 for "ED"), then the global signature
// that binds the trusted comment to it, in minisign's order.
Result<Verified> check_signatures(
    ParsedSignature&& sig, uint8_t const* message, size_t message_size, PublicKey const& key) {
    if (crypto_sign_verify_detached(sig.sig.data(), message, message_size, key.key.data()) != 0) {
        return make_error("signature verification failed: the file does not match the signature "
                          "(it was modified, or the signature is not for this file or this key)");
    }
    std::vector<uint8_t> signed_comment(sig.sig.begin(), sig.sig.end());
    signed_comment.insert(
        signed_comment.end(), sig.trusted_comment.begin(), sig.trusted_comment.end());
    if (crypto_sign_verify_detached(
            sig.global_sig.data(), signed_comment.data(), signed_comment.size(), key.key.data())
        != 0) {
        return make_error("global signature verification failed: the trusted comment was "
                          "modified");
    }
    return Verified {std::move(sig.trusted_comment)};
}

Result<void> check_comment(std::string_view comment, size_t max, std::string const& what) {
    if (comment.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
        return make_error(what + " must be one line without NUL bytes");
    if (comment.size() > max) {
        return make_error(what + " is too long (" + std::to_string(comment.size())
            + " bytes, minisign reads at most " + std::to_string(max) + ")");
    }
    return {};
}

std::array<uint8_t, crypto_generichash_BYTES> secret_key_checksum(
    uint8_t const* keynum, uint8_t const* sk) {
    std::array<uint8_t, crypto_generichash_BYTES> chk {};
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, chk.size());
    crypto_generichash_update(&st, reinterpret_cast<uint8_t const*>("Ed"), 2);
    crypto_generichash_update(&st, keynum, keynum_bytes);
    crypto_generichash_update(&st, sk, crypto_sign_SECRETKEYBYTES);
    crypto_generichash_final(&st, chk.data(), chk.size());
    return chk;
}

} // namespace

std::string PublicKey::key_id_hex() const {
    return hex_upper_le(key_id);
}

Result<PublicKey> parse_public_key(std::string_view text) {
    if (!sodium_ready())
        return sodium_error();
    auto const lines = split_lines(text);
    std::string_view b64;
    if (lines.size() == 1) {
        b64 = lines[0];
    } else if (lines.size() == 2) {
        if (!starts_with(lines[0], "untrusted comment:"))
            return make_error("public key: line 1 does not start with \"untrusted comment:\"");
        b64 = lines[1];
    } else {
        return make_error("public key: " + std::to_string(lines.size())
            + " lines, expected a comment line and a base64 line, or the base64 line alone");
    }
    TRY_RESULT(auto raw, decode_base64<public_key_bytes>(b64, "public key"));
    if (std::memcmp(raw.data(), "Ed", 2) != 0) {
        return make_error("public key: unsupported signature algorithm " + describe_alg(raw.data())
            + " (expected \"Ed\")");
    }
    PublicKey key;
    std::memcpy(key.key_id.data(), raw.data() + 2, keynum_bytes);
    std::memcpy(key.key.data(), raw.data() + 2 + keynum_bytes, key.key.size());
    return key;
}

Result<PublicKey> load_public_key(std::string const& path) {
    TRY_RESULT(auto text, read_file(path, small_file_max, "a public key"));
    auto key = parse_public_key(text);
    if (!key)
        return make_error(path + ": " + key.error().message);
    return key;
}

Result<SecretKey> parse_secret_key(
    std::string_view text, std::function<Result<std::string>()> const& password) {
    if (!sodium_ready())
        return sodium_error();
    auto const lines = split_lines(text);
    if (lines.size() != 2)
        return make_error("secret key: " + std::to_string(lines.size())
            + " lines, expected 2 (comment, base64 key)");
    if (!starts_with(lines[0], "untrusted comment:"))
        return make_error("secret key: line 1 does not start with \"untrusted comment:\"");
    TRY_RESULT(auto raw, decode_base64<secret_key_bytes>(lines[1], "secret key"));
    Wipe wipe_raw(raw.data(), raw.size());

    uint8_t const* const sig_alg = raw.data();
    uint8_t const* const kdf_alg = raw.data() + 2;
    uint8_t const* const chk_alg = raw.data() + 4;
    uint8_t const* const salt = raw.data() + 6;
    uint8_t const* const opslimit_le = salt + crypto_pwhash_scryptsalsa208sha256_SALTBYTES;
    uint8_t const* const memlimit_le = opslimit_le + 8;
    uint8_t* const keynum_sk = raw.data() + (secret_key_bytes - keynum_sk_bytes);
    uint8_t const* const sk = keynum_sk + keynum_bytes;
    uint8_t const* const chk = sk + crypto_sign_SECRETKEYBYTES;

    if (std::memcmp(sig_alg, "Ed", 2) != 0)
        return make_error("secret key: unsupported signature algorithm " + describe_alg(sig_alg)
            + " (expected \"Ed\")");
    if (std::memcmp(chk_alg, "B2", 2) != 0)
        return make_error("secret key: unsupported checksum algorithm " + describe_alg(chk_alg)
            + " (expected \"B2\")");
    bool const encrypted = std::memcmp(kdf_alg, "Sc", 2) == 0;
    if (!encrypted && !(kdf_alg[0] == 0 && kdf_alg[1] == 0))
        return make_error("secret key: unsupported key derivation algorithm "
            + describe_alg(kdf_alg) + " (expected \"Sc\" or none)");

    if (encrypted) {
        uint64_t const opslimit = load_le64(opslimit_le);
        uint64_t const memlimit = load_le64(memlimit_le);
        if (opslimit > kdf_opslimit_max || memlimit > kdf_memlimit_max)
            return make_error("secret key: scrypt parameters out of range (opslimit "
                + std::to_string(opslimit) + ", memlimit " + std::to_string(memlimit) + ")");
        if (!password)
            return make_error("secret key is encrypted but no password source was given");
        auto pw = password();
        if (!pw)
            return make_error("secret key is encrypted: " + pw.error().message);
        std::string& pass = pw.value();
        std::array<uint8_t, keynum_sk_bytes> stream {};
        Wipe wipe_stream(stream.data(), stream.size());
        int const rc = crypto_pwhash_scryptsalsa208sha256(stream.data(), stream.size(), pass.data(),
            pass.size(), salt, opslimit, size_t(memlimit));
        sodium_memzero(pass.data(), pass.size());
        if (rc != 0)
            return make_error("secret key: scrypt key derivation failed (out of memory?)");
        for (size_t i = 0; i < keynum_sk_bytes; ++i)
            keynum_sk[i] ^= stream[i];
    }

    auto const expected = secret_key_checksum(keynum_sk, sk);
    bool const chk_is_zero
        = std::all_of(chk, chk + crypto_generichash_BYTES, [](uint8_t b) { return b == 0; });
    bool const chk_ok = sodium_memcmp(expected.data(), chk, expected.size()) == 0;
    if (encrypted && !chk_ok)
        return make_error("secret key: wrong password (checksum mismatch)");
    // minisign 0.11 writes an all-zero checksum for -W keys and never checks it; accept that,
    // but a present checksum must match.
    if (!encrypted && !chk_ok && !chk_is_zero)
        return make_error("secret key: checksum mismatch (the key file is corrupted)");

    // The public half stored in the secret key must be the one its seed derives; this catches
    // corruption that a zero checksum cannot.
    std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> pk {};
    std::array<uint8_t, crypto_sign_SECRETKEYBYTES> sk2 {};
    Wipe wipe_sk2(sk2.data(), sk2.size());
    crypto_sign_seed_keypair(pk.data(), sk2.data(), sk);
    if (std::memcmp(pk.data(), sk + crypto_sign_SEEDBYTES, pk.size()) != 0)
        return make_error("secret key: inconsistent key material (the key file is corrupted)");

    SecretKey key;
    std::memcpy(key.key_id.data(), keynum_sk, keynum_bytes);
    std::memcpy(key.key.data(), sk, key.key.size());
    return key;
}

Result<SecretKey> load_secret_key(
    std::string const& path, std::function<Result<std::string>()> const& password) {
    TRY_RESULT(auto text, read_file(path, small_file_max, "a secret key"));
    Wipe wipe_text(text.data(), text.size());
    auto key = parse_secret_key(text, password);
    if (!key)
        return make_error(path + ": " + key.error().message);
    return key;
}

KeyPair generate_key_pair() {
    // Without libsodium there is no safe randomness and no way to report it from here.
    if (!sodium_ready())
        std::abort();
    std::array<uint8_t, keynum_bytes> keynum {};
    std::array<uint8_t, crypto_sign_PUBLICKEYBYTES> pk {};
    std::array<uint8_t, secret_key_bytes> raw {}; // salt, opslimit, memlimit stay zero
    Wipe wipe_raw(raw.data(), raw.size());
    randombytes_buf(keynum.data(), keynum.size());

    uint8_t* const keynum_sk = raw.data() + (secret_key_bytes - keynum_sk_bytes);
    uint8_t* const sk = keynum_sk + keynum_bytes;
    crypto_sign_keypair(pk.data(), sk);
    std::memcpy(raw.data(), "Ed", 2);
    // kdf_alg stays two zero bytes: unencrypted, as minisign -G -W writes it.
    std::memcpy(raw.data() + 4, "B2", 2);
    std::memcpy(keynum_sk, keynum.data(), keynum.size());
    // minisign leaves the checksum zero for -W keys; a real one lets us detect corruption and
    // is kept by `minisign -C` when a password is added later.
    auto const chk = secret_key_checksum(keynum_sk, sk);
    std::memcpy(sk + crypto_sign_SECRETKEYBYTES, chk.data(), chk.size());

    std::array<uint8_t, public_key_bytes> pub {};
    std::memcpy(pub.data(), "Ed", 2);
    std::memcpy(pub.data() + 2, keynum.data(), keynum.size());
    std::memcpy(pub.data() + 2 + keynum_bytes, pk.data(), pk.size());

    KeyPair out;
    out.public_key_file = std::string(untrusted_prefix) + "minisign public key "
        + hex_upper_le(keynum) + "\n" + encode_base64(pub.data(), pub.size()) + "\n";
    out.secret_key_file = std::string(untrusted_prefix) + "minisign unencrypted secret key\n"
        + encode_base64(raw.data(), raw.size()) + "\n";
    return out;
}

Result<std::string> sign(std::string_view message, SecretKey const& key,
    std::string_view trusted_comment, std::string_view untrusted_comment) {
    if (!sodium_ready())
        return sodium_error();
    TRY_VOID(check_comment(trusted_comment, trusted_comment_max, "trusted comment"));
    TRY_VOID(check_comment(untrusted_comment, untrusted_comment_max, "untrusted comment"));

    std::array<uint8_t, crypto_generichash_BYTES_MAX> hash {};
    crypto_generichash(hash.data(), hash.size(), reinterpret_cast<uint8_t const*>(message.data()),
        message.size(), nullptr, 0);

    std::array<uint8_t, signature_bytes> sig_struct {};
    std::memcpy(sig_struct.data(), "ED", 2);
    std::memcpy(sig_struct.data() + 2, key.key_id.data(), keynum_bytes);
    uint8_t* const sig = sig_struct.data() + 2 + keynum_bytes;
    crypto_sign_detached(sig, nullptr, hash.data(), hash.size(), key.key.data());
    // Like minisign's check against the public key: a SecretKey whose halves disagree would
    // otherwise produce a file nobody can verify.
    if (crypto_sign_verify_detached(
            sig, hash.data(), hash.size(), key.key.data() + crypto_sign_SEEDBYTES)
        != 0)
        return make_error("secret key is inconsistent: its signature does not verify");

    std::vector<uint8_t> signed_comment(sig, sig + crypto_sign_BYTES);
    signed_comment.insert(signed_comment.end(), trusted_comment.begin(), trusted_comment.end());
    std::array<uint8_t, crypto_sign_BYTES> global_sig {};
    crypto_sign_detached(
        global_sig.data(), nullptr, signed_comment.data(), signed_comment.size(), key.key.data());

    std::string out;
    out.append(untrusted_prefix).append(untrusted_comment).append("\n");
    out.append(encode_base64(sig_struct.data(), sig_struct.size())).append("\n");
    out.append(trusted_prefix).append(trusted_comment).append("\n");
    out.append(encode_base64(global_sig.data(), global_sig.size())).append("\n");
    return out;
}

Result<Verified> verify(
    std::string_view message, std::string_view signature_file, PublicKey const& key) {
    if (!sodium_ready())
        return sodium_error();
    TRY_RESULT(auto sig, parse_signature(signature_file));
    TRY_VOID(check_key_id(sig, key));
    auto const* data = reinterpret_cast<uint8_t const*>(message.data());
    if (!sig.prehashed)
        return check_signatures(std::move(sig), data, message.size(), key);
    std::array<uint8_t, crypto_generichash_BYTES_MAX> hash {};
    crypto_generichash(hash.data(), hash.size(), data, message.size(), nullptr, 0);
    return check_signatures(std::move(sig), hash.data(), hash.size(), key);
}

Result<Verified> verify_file(std::string const& path, PublicKey const& key,
    std::string const& signature_path, ByteMeter const& meter) {
    if (!sodium_ready())
        return sodium_error();
    std::string const sig_path = signature_path.empty() ? path + ".minisig" : signature_path;
    TRY_RESULT(auto sig_text, read_file(sig_path, small_file_max, "a signature file"));
    auto parsed = parse_signature(sig_text);
    if (!parsed)
        return make_error(sig_path + ": " + parsed.error().message);
    ParsedSignature sig = parsed.release_value();
    // The key id is checked before reading what may be a large file.
    TRY_VOID(check_key_id(sig, key));

    if (!sig.prehashed) {
        TRY_RESULT(auto message, read_file(path, legacy_message_max, "a legacy signature"));
        return check_signatures(
            std::move(sig), reinterpret_cast<uint8_t const*>(message.data()), message.size(), key);
    }
    // Prehashed: stream the file through BLAKE2b-512 so it is never held in memory.
    TRY_RESULT(FilePtr f, open_file(path));
    crypto_generichash_state st;
    crypto_generichash_init(&st, nullptr, 0, crypto_generichash_BYTES_MAX);
    std::vector<uint8_t> buf(65536);
    size_t n;
    int64_t hashed = 0;
    while ((n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0) {
        crypto_generichash_update(&st, buf.data(), n);
        hashed += static_cast<int64_t>(n);
        if (meter && meter(hashed) == Proceed::Stop)
            return make_error("check of " + path + " stopped");
    }
    if (std::ferror(f.get()))
        return make_error("cannot read " + path + ": " + std::strerror(errno));
    std::array<uint8_t, crypto_generichash_BYTES_MAX> hash {};
    crypto_generichash_final(&st, hash.data(), hash.size());
    return check_signatures(std::move(sig), hash.data(), hash.size(), key);
}

} // namespace ksd::minisign
