// Tests for minisign.h: round trips with the real minisign tool in both directions, encrypted
// keys, and rejection of tampered, foreign and malformed signatures and keys.
#include "ksd/minisign.h"

#include "test_support.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <random>
#include <sstream>

using namespace ksd::minisign;
namespace kt = ksd::test;

namespace {

using PasswordFn = std::function<ksd::Result<std::string>()>;

std::string quote(std::string const& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

void write_file(std::string const& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary);
    out.write(content.data(), std::streamsize(content.size()));
    REQUIRE(out.good());
}

std::string read_all(std::string const& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Runs a command with stdout and stderr captured in a log under dir, so a failing check shows
// what minisign said.
struct Ran {
    int rc;
    std::string output;
};
Ran run_logged(kt::TempDir const& dir, std::string const& command) {
    std::string const log = dir / "command.log";
    int rc = kt::run("(" + command + ") >" + quote(log) + " 2>&1");
    return Ran {rc, read_all(log)};
}

// A password callback that counts its calls and answers with the given password.
PasswordFn counting_password(int& calls, std::string password) {
    return [&calls, password]() -> ksd::Result<std::string> {
        ++calls;
        return password;
    };
}

std::string binary_message(size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    std::string out(size, '\0');
    for (auto& c : out)
        c = char(rng() & 0xFF);
    return out;
}

std::vector<std::string> lines_of(std::string const& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// minisign 0.11 prints key ids with printf("%" PRIX64), dropping leading zeros (later versions
// pad to 16 digits, as key_id_hex() does); compare ids the way 0.11 writes them.
std::string unpadded(std::string hex) {
    hex.erase(0, std::min(hex.find_first_not_of('0'), hex.size() - 1));
    return hex;
}

std::string join_lines(std::vector<std::string> const& lines) {
    std::string out;
    for (auto const& l : lines)
        out += l + "\n";
    return out;
}

struct Keys {
    KeyPair files;
    SecretKey secret;
    PublicKey pub;
};
Keys make_keys() {
    Keys k;
    k.files = generate_key_pair();
    int calls = 0;
    auto sk = parse_secret_key(k.files.secret_key_file, counting_password(calls, "unused"));
    REQUIRE(sk.ok());
    REQUIRE(calls == 0);
    auto pk = parse_public_key(k.files.public_key_file);
    REQUIRE(pk.ok());
    k.secret = sk.value();
    k.pub = pk.value();
    return k;
}

} // namespace

#define REQUIRE_MINISIGN()                                                                         \
    do {                                                                                           \
        if (!kt::have_tool("minisign")) {                                                          \
            WARN("SKIPPED: minisign not installed");                                               \
            return;                                                                                \
        }                                                                                          \
    } while (0)

TEST_CASE("ksd keys and signatures are accepted by minisign", "[minisign]") {
    REQUIRE_MINISIGN();
    kt::TempDir dir;
    Keys keys = make_keys();
    REQUIRE(keys.pub.key_id == keys.secret.key_id);
    auto const pub = dir / "ksd.pub";
    auto const sec = dir / "ksd.key";
    write_file(pub, keys.files.public_key_file);
    write_file(sec, keys.files.secret_key_file);
    CHECK(lines_of(keys.files.public_key_file).at(0)
        == "untrusted comment: minisign public key " + keys.pub.key_id_hex());

    auto const msg = dir / "content.pack";
    std::string const message = binary_message(100000, 1);
    write_file(msg, message);
    std::string const comment = "timestamp:1700000000\tfile:content.pack";
    auto sig = sign(message, keys.secret, comment);
    REQUIRE(sig.ok());
    write_file(msg + ".minisig", sig.value());

    // -H makes minisign require a prehashed ("ED") signature; -Q prints the trusted comment.
    auto ran = run_logged(dir, "minisign -V -H -Q -m " + quote(msg) + " -p " + quote(pub));
    INFO(ran.output);
    CHECK(ran.rc == 0);
    CHECK(ran.output == comment + "\n");

    auto ours = verify(message, sig.value(), keys.pub);
    REQUIRE(ours.ok());
    CHECK(ours->trusted_comment == comment);

    SECTION("a tampered file fails with minisign") {
        std::string tampered = message;
        tampered[tampered.size() / 2] ^= 0x01;
        write_file(msg, tampered);
        auto bad = run_logged(dir, "minisign -V -m " + quote(msg) + " -p " + quote(pub));
        INFO(bad.output);
        CHECK(bad.rc != 0);
        CHECK_THAT(bad.output, Catch::Contains("Signature verification failed"));
    }

    SECTION("minisign signs with the generated unencrypted secret key") {
        // stdin is /dev/null: an unencrypted key must not ask for a password.
        auto signed_ = run_logged(dir,
            "minisign -S -s " + quote(sec) + " -t 'by minisign' -m " + quote(msg) + " </dev/null");
        INFO(signed_.output);
        REQUIRE(signed_.rc == 0);
        CHECK(run_logged(dir, "minisign -V -m " + quote(msg) + " -p " + quote(pub)).rc == 0);
        auto v = verify_file(msg, keys.pub);
        REQUIRE(v.ok());
        CHECK(v->trusted_comment == "by minisign");
    }

    SECTION("minisign derives the same public key from the secret key") {
        auto const pub2 = dir / "recreated.pub";
        auto recreated = run_logged(
            dir, "minisign -R -s " + quote(sec) + " -p " + quote(pub2) + " </dev/null");
        INFO(recreated.output);
        REQUIRE(recreated.rc == 0);
        auto const recreated_lines = lines_of(read_all(pub2));
        REQUIRE(recreated_lines.size() == 2);
        CHECK(recreated_lines[0]
            == "untrusted comment: minisign public key " + unpadded(keys.pub.key_id_hex()));
        CHECK(recreated_lines[1] == lines_of(keys.files.public_key_file).at(1));
    }

    SECTION("a large file is verified by both") {
        auto const big = dir / "big.pack";
        std::string const big_message = binary_message(3 * 1024 * 1024 + 17, 2);
        write_file(big, big_message);
        auto big_sig = sign(big_message, keys.secret, "file:big.pack");
        REQUIRE(big_sig.ok());
        write_file(big + ".minisig", big_sig.value());
        CHECK(run_logged(dir, "minisign -V -m " + quote(big) + " -p " + quote(pub)).rc == 0);
        auto v = verify_file(big, keys.pub);
        REQUIRE(v.ok());
        CHECK(v->trusted_comment == "file:big.pack");
    }
}

TEST_CASE("minisign keys and signatures are accepted by ksd", "[minisign]") {
    REQUIRE_MINISIGN();
    kt::TempDir dir;
    auto const pub = dir / "mini.pub";
    auto const sec = dir / "mini.key";
    auto gen = run_logged(dir, "minisign -G -W -p " + quote(pub) + " -s " + quote(sec));
    INFO(gen.output);
    REQUIRE(gen.rc == 0);

    auto pk = load_public_key(pub);
    REQUIRE(pk.ok());
    // minisign prints the key id in the .pub comment; ours must read the same.
    CHECK(lines_of(read_all(pub)).at(0)
        == "untrusted comment: minisign public key " + unpadded(pk->key_id_hex()));

    auto const msg = dir / "content.pack";
    std::string const message = binary_message(70000, 3);
    write_file(msg, message);

    SECTION("prehashed signature") {
        auto ran = run_logged(dir,
            "minisign -S -s " + quote(sec) + " -t 'tc: hello\tworld' -m " + quote(msg)
                + " </dev/null");
        INFO(ran.output);
        REQUIRE(ran.rc == 0);
        std::string const sig = read_all(msg + ".minisig");
        CHECK(
            lines_of(sig).at(1).substr(0, 2) == "RU"); // base64 of "ED" (3rd char has key id bits)
        auto v = verify_file(msg, pk.value());
        REQUIRE(v.ok());
        CHECK(v->trusted_comment == "tc: hello\tworld");
        auto v2 = verify(message, sig, pk.value());
        REQUIRE(v2.ok());
        CHECK(v2->trusted_comment == "tc: hello\tworld");
        CHECK_FALSE(verify(message + "x", sig, pk.value()).ok());
    }

    SECTION("legacy signature") {
        auto const sig_path = dir / "legacy.minisig";
        auto ran = run_logged(dir,
            "minisign -S -l -s " + quote(sec) + " -x " + quote(sig_path) + " -m " + quote(msg)
                + " </dev/null");
        INFO(ran.output);
        REQUIRE(ran.rc == 0);
        std::string const sig = read_all(sig_path);
        CHECK(lines_of(sig).at(1).substr(0, 2) == "RW"); // base64 of "Ed"
        auto v = verify_file(msg, pk.value(), sig_path);
        REQUIRE(v.ok());
        CHECK_THAT(v->trusted_comment, Catch::StartsWith("timestamp:"));
        CHECK(verify(message, sig, pk.value()).ok());
        std::string tampered = message;
        tampered[0] ^= 0x40;
        auto bad = verify(tampered, sig, pk.value());
        REQUIRE_FALSE(bad.ok());
        CHECK_THAT(bad.error().message, Catch::Contains("signature verification failed"));
    }

    SECTION("empty file") {
        auto const empty = dir / "empty";
        write_file(empty, "");
        REQUIRE(run_logged(dir, "minisign -S -s " + quote(sec) + " -m " + quote(empty)).rc == 0);
        CHECK(verify_file(empty, pk.value()).ok());
        CHECK(verify("", read_all(empty + ".minisig"), pk.value()).ok());
    }

    SECTION("ksd signs with minisign's unencrypted secret key") {
        int calls = 0;
        auto sk = load_secret_key(sec, counting_password(calls, "unused"));
        REQUIRE(sk.ok());
        CHECK(calls == 0);
        CHECK(sk->key_id == pk->key_id);
        auto sig = sign(message, sk.value(), "signed by ksd");
        REQUIRE(sig.ok());
        write_file(msg + ".minisig", sig.value());
        auto ran = run_logged(dir, "minisign -V -m " + quote(msg) + " -p " + quote(pub));
        INFO(ran.output);
        CHECK(ran.rc == 0);
    }
}

TEST_CASE("encrypted minisign secret keys", "[minisign]") {
    REQUIRE_MINISIGN();
    kt::TempDir dir;
    auto const pub = dir / "enc.pub";
    auto const sec = dir / "enc.key";
    // minisign 0.11 reads passwords as lines from stdin when it is not a terminal (no
    // MINISIGN_PASSWORD variable in this version): once, then once more to confirm.
    std::string const password = "correct horse battery";
    auto gen = run_logged(dir,
        "printf '%s\\n%s\\n' " + quote(password) + " " + quote(password) + " | minisign -G -p "
            + quote(pub) + " -s " + quote(sec));
    INFO(gen.output);
    REQUIRE(gen.rc == 0);
    auto pk = load_public_key(pub);
    REQUIRE(pk.ok());

    int calls = 0;
    auto sk = load_secret_key(sec, counting_password(calls, password));
    REQUIRE(sk.ok());
    CHECK(calls == 1);
    CHECK(sk->key_id == pk->key_id);

    auto wrong = load_secret_key(sec, counting_password(calls, password + "!"));
    REQUIRE_FALSE(wrong.ok());
    CHECK(calls == 2);
    CHECK_THAT(wrong.error().message, Catch::Contains("wrong password"));

    // The callback's own failure (no terminal, no variable) reaches the caller, and no scrypt
    // runs for it.
    auto refused = load_secret_key(
        sec, []() -> ksd::Result<std::string> { return ksd::make_error("no terminal"); });
    REQUIRE_FALSE(refused.ok());
    CHECK_THAT(refused.error().message, Catch::Contains("no terminal"));
    auto no_callback = load_secret_key(sec, PasswordFn {});
    REQUIRE_FALSE(no_callback.ok());
    CHECK_THAT(no_callback.error().message, Catch::Contains("encrypted"));

    // ksd signs with the decrypted key, minisign verifies.
    auto const msg = dir / "content.pack";
    std::string const message = "a content pack\n";
    write_file(msg, message);
    auto sig = sign(message, sk.value(), "signed by ksd");
    REQUIRE(sig.ok());
    write_file(msg + ".minisig", sig.value());
    auto ran = run_logged(dir, "minisign -V -m " + quote(msg) + " -p " + quote(pub));
    INFO(ran.output);
    CHECK(ran.rc == 0);

    // minisign signs with the same key (password on stdin), ksd verifies.
    auto const msg2 = dir / "other.pack";
    write_file(msg2, "another pack\n");
    auto signed_ = run_logged(dir,
        "printf '%s\\n' " + quote(password) + " | minisign -S -s " + quote(sec) + " -m "
            + quote(msg2));
    INFO(signed_.output);
    REQUIRE(signed_.rc == 0);
    CHECK(verify_file(msg2, pk.value()).ok());
}

TEST_CASE("verify rejects tampered, foreign and malformed signatures", "[minisign]") {
    Keys keys = make_keys();
    std::string const message = binary_message(4096, 4);
    auto signed_ = sign(message, keys.secret, "timestamp:1700000000\tfile:x.pack");
    REQUIRE(signed_.ok());
    std::string const sig = signed_.value();
    REQUIRE(verify(message, sig, keys.pub).ok());

    auto rejected = [&](std::string_view msg, std::string_view sig_text, PublicKey const& key) {
        auto r = verify(msg, sig_text, key);
        REQUIRE_FALSE(r.ok());
        return r.error().message;
    };

    SECTION("one byte of the message flipped at start, middle or end") {
        for (size_t pos : {size_t(0), message.size() / 2, message.size() - 1}) {
            std::string tampered = message;
            tampered[pos] ^= 0x01;
            INFO("position " << pos);
            CHECK_THAT(rejected(tampered, sig, keys.pub),
                Catch::Contains("signature verification failed"));
        }
        CHECK_THAT(rejected(message + "x", sig, keys.pub),
            Catch::Contains("signature verification failed"));
    }

    SECTION("tampered trusted comment") {
        auto lines = lines_of(sig);
        lines[2] = "trusted comment: timestamp:1800000000\tfile:x.pack";
        CHECK_THAT(
            rejected(message, join_lines(lines), keys.pub), Catch::Contains("trusted comment"));
        CHECK_THAT(rejected(message, join_lines(lines), keys.pub),
            Catch::Contains("global signature verification failed"));
    }

    SECTION("the untrusted comment is not signed") {
        auto lines = lines_of(sig);
        lines[0] = "untrusted comment: anything at all";
        CHECK(verify(message, join_lines(lines), keys.pub).ok());
    }

    SECTION("signature by another key") {
        Keys other = make_keys();
        REQUIRE(other.pub.key_id != keys.pub.key_id);
        auto const msg = rejected(message, sig, other.pub);
        CHECK(msg
            == "signature was signed by another key (key id " + keys.pub.key_id_hex()
                + ", expected " + other.pub.key_id_hex() + ")");
    }

    SECTION("same key id, different key bytes") {
        Keys other = make_keys();
        PublicKey impostor = other.pub;
        impostor.key_id = keys.pub.key_id;
        CHECK_THAT(
            rejected(message, sig, impostor), Catch::Contains("signature verification failed"));
    }

    SECTION("unknown signature algorithm") {
        auto lines = lines_of(sig);
        // The second base64 character holds the high nibble of the second algorithm byte:
        // "RU" is "ED", "RV" turns it into "ET".
        REQUIRE(lines[1].substr(0, 2) == "RU");
        lines[1][1] = 'V';
        CHECK_THAT(rejected(message, join_lines(lines), keys.pub),
            Catch::Contains("unsupported signature algorithm \"ET\""));
    }

    SECTION("truncated signature file") {
        // Every prefix must fail cleanly, except the whole file without its final newline.
        for (size_t n = 0; n + 1 < sig.size(); ++n) {
            INFO("truncated to " << n << " bytes");
            auto r = verify(message, std::string_view(sig).substr(0, n), keys.pub);
            CHECK_FALSE(r.ok());
        }
        auto lines = lines_of(sig);
        CHECK_THAT(rejected(message, lines[0] + "\n" + lines[1] + "\n", keys.pub),
            Catch::Contains("2 lines, expected 4"));
        lines[3].resize(lines[3].size() - 4);
        CHECK_THAT(rejected(message, join_lines(lines), keys.pub),
            Catch::Contains("global signature") && Catch::Contains("wrong length"));
    }

    SECTION("empty file") {
        CHECK_THAT(rejected(message, "", keys.pub), Catch::Contains("empty"));
        CHECK_THAT(rejected(message, "\n\n\n", keys.pub), Catch::Contains("0 lines"));
    }

    SECTION("garbage and binary signature files") {
        CHECK_THAT(
            rejected(message, binary_message(10000, 5), keys.pub), Catch::Contains("malformed"));
        std::string const long_line(5 * 1024 * 1024, 'A');
        CHECK_THAT(rejected(message, long_line, keys.pub), Catch::Contains("1 lines"));
        auto lines = lines_of(sig);
        lines[1] = long_line;
        CHECK_THAT(rejected(message, join_lines(lines), keys.pub), Catch::Contains("wrong length"));
        lines[1] = std::string("RUQ\0\xff", 5) + lines_of(sig)[1].substr(5);
        CHECK_THAT(
            rejected(message, join_lines(lines), keys.pub), Catch::Contains("invalid base64"));
        CHECK_THAT(rejected(message, "a\nb\nc\nd\n", keys.pub),
            Catch::Contains("does not start with \"untrusted comment: \""));
        // Random binary with exactly four lines reaches the base64 checks.
        std::string four = binary_message(300, 6);
        for (char& c : four)
            if (c == '\n')
                c = ' ';
        four = "untrusted comment: x\n" + four + "\ntrusted comment: y\n" + four + "\n";
        CHECK_THAT(rejected(message, four, keys.pub), Catch::Contains("base64"));
    }

    SECTION("verify_file names a missing file") {
        kt::TempDir dir;
        write_file(dir / "a.pack", message);
        auto r = verify_file(dir / "a.pack", keys.pub);
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(
            r.error().message, Catch::Contains("cannot open") && Catch::Contains("a.pack.minisig"));
        write_file(dir / "a.pack.minisig", sig);
        CHECK(verify_file(dir / "a.pack", keys.pub).ok());
        auto missing = verify_file(dir / "b.pack", keys.pub, dir / "a.pack.minisig");
        REQUIRE_FALSE(missing.ok());
        CHECK_THAT(missing.error().message, Catch::Contains("cannot open"));
    }

    SECTION("sign refuses comments minisign could not read back") {
        auto r = sign(message, keys.secret, "two\nlines");
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("one line"));
        auto r2 = sign(message, keys.secret, std::string(9000, 'x'));
        REQUIRE_FALSE(r2.ok());
        CHECK_THAT(r2.error().message, Catch::Contains("too long"));
        auto r3 = sign(message, keys.secret, "ok", "bad\r");
        REQUIRE_FALSE(r3.ok());
        CHECK_THAT(r3.error().message, Catch::Contains("untrusted comment"));
    }
}

TEST_CASE("public and secret key parsing", "[minisign]") {
    Keys keys = make_keys();
    auto const lines = lines_of(keys.files.public_key_file);
    REQUIRE(lines.size() == 2);

    SECTION("the two-line file and the bare base64 line give the same key") {
        auto bare = parse_public_key(lines[1]);
        REQUIRE(bare.ok());
        CHECK(bare->key == keys.pub.key);
        CHECK(bare->key_id == keys.pub.key_id);
        auto bare_nl = parse_public_key(lines[1] + "\n");
        REQUIRE(bare_nl.ok());
        CHECK(bare_nl->key == keys.pub.key);
        auto crlf = parse_public_key(lines[0] + "\r\n" + lines[1] + "\r\n");
        REQUIRE(crlf.ok());
        CHECK(crlf->key == keys.pub.key);
    }

    SECTION("key id is printed little-endian, upper-case") {
        PublicKey k;
        k.key_id = {0xf1, 0x6a, 0xa3, 0x29, 0x1a, 0x07, 0x22, 0xd5};
        CHECK(k.key_id_hex() == "D522071A29A36AF1");
        k.key_id = {0x0f, 0, 0, 0, 0, 0, 0, 0};
        CHECK(k.key_id_hex() == "000000000000000F");
        CHECK(unpadded(k.key_id_hex()) == "F");
        k.key_id = {};
        CHECK(unpadded(k.key_id_hex()) == "0");
    }

    SECTION("bad base64 in a public key") {
        std::string bad = lines[1];
        bad[10] = '*';
        auto r = parse_public_key(lines[0] + "\n" + bad + "\n");
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("invalid base64"));
        auto shorter = parse_public_key(lines[1].substr(0, lines[1].size() - 4));
        REQUIRE_FALSE(shorter.ok());
        CHECK_THAT(shorter.error().message, Catch::Contains("wrong length"));
        auto empty = parse_public_key("");
        REQUIRE_FALSE(empty.ok());
        CHECK_THAT(empty.error().message, Catch::Contains("0 lines"));
        auto three = parse_public_key(keys.files.public_key_file + "extra\n");
        REQUIRE_FALSE(three.ok());
        CHECK_THAT(three.error().message, Catch::Contains("3 lines"));
    }

    SECTION("public key with the wrong algorithm bytes") {
        REQUIRE(lines[1].substr(0, 2) == "RW");
        auto r = parse_public_key("RU" + lines[1].substr(2)); // "ED" is for signatures only
        REQUIRE_FALSE(r.ok());
        CHECK_THAT(r.error().message, Catch::Contains("unsupported signature algorithm \"ED\""));
        auto binary = parse_public_key("AA" + lines[1].substr(2)); // 0x00 0x04
        REQUIRE_FALSE(binary.ok());
        CHECK_THAT(binary.error().message, Catch::Contains("0x0004"));
    }

    SECTION("malformed and corrupted secret keys") {
        int calls = 0;
        auto password = counting_password(calls, "pw");
        auto const sk_lines = lines_of(keys.files.secret_key_file);
        REQUIRE(sk_lines.size() == 2);
        REQUIRE(sk_lines[1].substr(0, 4) == "RWQA"); // "Ed" then a zero kdf byte

        auto truncated
            = parse_secret_key(sk_lines[0] + "\n" + sk_lines[1].substr(0, 100), password);
        REQUIRE_FALSE(truncated.ok());
        CHECK_THAT(truncated.error().message, Catch::Contains("wrong length"));

        // "RWRT" decodes to "Ed" "S" and the next character completes "Sc"; "RWRU" gives "Ed"
        // followed by "T": an unknown key derivation algorithm.
        auto unknown_kdf
            = parse_secret_key(sk_lines[0] + "\nRWRU" + sk_lines[1].substr(4) + "\n", password);
        REQUIRE_FALSE(unknown_kdf.ok());
        CHECK_THAT(unknown_kdf.error().message, Catch::Contains("key derivation"));

        // Flip a bit inside the secret key bytes (well after the header): the checksum no longer
        // matches.
        std::string corrupt = sk_lines[1];
        corrupt[120] = corrupt[120] == 'A' ? 'B' : 'A';
        auto bad_chk = parse_secret_key(sk_lines[0] + "\n" + corrupt + "\n", password);
        REQUIRE_FALSE(bad_chk.ok());
        CHECK_THAT(bad_chk.error().message, Catch::Contains("corrupted"));
        CHECK(calls == 0);

        auto garbage = parse_secret_key(binary_message(5000, 7), password);
        CHECK_FALSE(garbage.ok());
    }
}
