// API keys: the keys file, the authenticator over it, and the making of new keys.
//
// A key is a random bearer token (256 bits from the OS CSPRNG). The keys file stores only the
// token's SHA-256, its scope, its name and an optional series prefix, one key per line:
//
//   # comments and blank lines are ignored
//   sha256:<64 hex digits> scope=write name=ci series=team-a.
//
// so a leaked keys file grants nothing. KeyStore is immutable after loading and thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "api/authenticator.h"
#include "api/scope.h"
#include "core/result.h"

namespace patchcast::server {

using Sha256Digest = std::array<std::uint8_t, 32>;

// Returns the SHA-256 digest of `data` (FIPS 180-4, via OpenSSL).
Sha256Digest Sha256(std::string_view data);

struct KeyRecord {
  Sha256Digest token_hash{};
  api::Principal principal;
};

// Parses keys-file text. Returns kInvalidArgument naming `source` and the line number of the first
// malformed line, a duplicate name or a duplicate hash.
Result<std::vector<KeyRecord>> ParseKeysFile(std::string_view text, std::string_view source);

// Reads and parses the keys file at `path`. Returns kInvalidArgument if it cannot be read.
Result<std::vector<KeyRecord>> LoadKeysFile(const std::string& path);

class KeyStore : public api::Authenticator {
 public:
  // A store with no records is disabled: the service then runs without authentication.
  explicit KeyStore(std::vector<KeyRecord> records) : records_(std::move(records)) {}

  bool enabled() const override { return !records_.empty(); }

  // Hashes `token` and compares it with every record in constant time, so response timing says
  // nothing about how close a guess was.
  std::optional<api::Principal> Authenticate(std::string_view token) const override;

  std::size_t size() const { return records_.size(); }

 private:
  std::vector<KeyRecord> records_;
};

struct NewKey {
  std::string token;      // "pc_" + 43 base64url characters: give it to the client, once
  std::string file_line;  // the line to append to the keys file
};

// Makes a key for `name` (1-64 of [A-Za-z0-9._-]) with `scope`, optionally limited to series whose
// id starts with `series_prefix` (same characters, up to 128). Returns kInvalidArgument for a bad
// name or prefix, kInternal if the CSPRNG fails.
Result<NewKey> MakeKey(std::string_view name, api::Scope scope, std::string_view series_prefix);

}  // namespace patchcast::server
