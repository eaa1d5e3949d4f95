#include "server/api_keys.h"

#include <doctest/doctest.h>

namespace patchcast::server {
namespace {

std::string Hex(const Sha256Digest& digest) {
  std::string text;
  char pair[3];
  for (auto byte : digest) {
    std::snprintf(pair, sizeof pair, "%02x", byte);
    text += pair;
  }
  return text;
}

TEST_CASE("SHA-256 matches the FIPS 180-4 test vectors") {
  CHECK(Hex(Sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Hex(Sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("a made key authenticates as its principal and nothing else does") {
  auto key = MakeKey("ci", api::Scope::kWrite, "team-a.");
  REQUIRE(key);
  auto records = ParseKeysFile(key->file_line + "\n", "keys");
  REQUIRE(records);
  KeyStore store(std::move(*records));
  CHECK(store.enabled());
  auto principal = store.Authenticate(key->token);
  REQUIRE(principal);
  CHECK(principal->name == "ci");
  CHECK(principal->scope == api::Scope::kWrite);
  CHECK(principal->series_prefix == "team-a.");
  CHECK(principal->MaySee("team-a.login"));
  CHECK_FALSE(principal->MaySee("team-b.login"));
  CHECK_FALSE(store.Authenticate(key->token + "x"));
  CHECK_FALSE(store.Authenticate(""));
}

TEST_CASE("tokens are 43 base64url characters after the prefix, and never repeat") {
  auto a = MakeKey("a", api::Scope::kRead, "");
  auto b = MakeKey("a", api::Scope::kRead, "");
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->token.size() == 46);
  CHECK(a->token.find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 3) ==
        std::string::npos);
  CHECK(a->token != b->token);
}

TEST_CASE("the keys file allows comments and blank lines and names the line of an error") {
  const std::string hash = "sha256:" + std::string(64, 'a');
  auto ok = ParseKeysFile("# ops keys\n\n  " + hash + " scope=admin name=ops\n", "k");
  REQUIRE(ok);
  CHECK(ok->size() == 1);
  CHECK(ok->front().principal.scope == api::Scope::kAdmin);

  auto check_error = [](const std::string& text, const std::string& expected) {
    auto parsed = ParseKeysFile(text, "keys.txt");
    REQUIRE_FALSE(parsed);
    CHECK_MESSAGE(parsed.error().message.find(expected) != std::string::npos,
                  parsed.error().message);
  };
  check_error("\n" + hash + " scope=owner name=x\n", "keys.txt line 2: scope 'owner'");
  check_error("sha256:abc scope=read name=x\n", "line 1: expected 'sha256:");
  check_error(hash + " name=x\n", "needs scope= and name=");
  check_error(hash + " scope=read name=x colour=blue\n", "unexpected field 'colour=blue'");
  check_error(hash + " scope=read name=x\nsha256:" + std::string(64, 'b') + " scope=read name=x\n",
              "line 2: key name 'x' appears twice");
  check_error(hash + " scope=read name=x\n" + hash + " scope=read name=y\n",
              "same token hash appears twice");
}

TEST_CASE("an empty key store is disabled") { CHECK_FALSE(KeyStore({}).enabled()); }

TEST_CASE("bad names and prefixes are refused when making a key") {
  CHECK_FALSE(MakeKey("", api::Scope::kRead, ""));
  CHECK_FALSE(MakeKey("has space", api::Scope::kRead, ""));
  CHECK_FALSE(MakeKey(std::string(65, 'a'), api::Scope::kRead, ""));
  CHECK_FALSE(MakeKey("ok", api::Scope::kRead, "bad/prefix"));
  CHECK_FALSE(MakeKey("ok", api::Scope::kPublic, ""));
}

}  // namespace
}  // namespace patchcast::server
