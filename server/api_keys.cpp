#include "server/api_keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace patchcast::server {
namespace {

constexpr std::string_view kHashPrefix = "sha256:";
constexpr std::string_view kTokenPrefix = "pc_";
constexpr std::size_t kTokenBytes = 32;

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool IsValidName(std::string_view text, std::size_t max_length) {
  return !text.empty() && text.size() <= max_length &&
         std::all_of(text.begin(), text.end(), IsNameChar);
}

std::string Hex(const Sha256Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text;
  for (std::uint8_t byte : digest) {
    text += kDigits[byte >> 4];
    text += kDigits[byte & 0xf];
  }
  return text;
}

bool ParseHex(std::string_view text, Sha256Digest& digest) {
  if (text.size() != digest.size() * 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < digest.size(); ++i) {
    int high = nibble(text[2 * i]);
    int low = nibble(text[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    digest[i] = static_cast<std::uint8_t>(high << 4 | low);
  }
  return true;
}

// RFC 4648 section 5 base64url, without padding.
std::string Base64Url(const std::uint8_t* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string text;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (std::size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | data[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      text += kAlphabet[(buffer >> bits) & 0x3f];
    }
  }
  if (bits > 0) text += kAlphabet[(buffer << (6 - bits)) & 0x3f];
  return text;
}

Result<KeyRecord> ParseKeyLine(std::string_view line, const std::string& where) {
  std::istringstream fields{std::string(line)};
  std::string hash_field;
  fields >> hash_field;
  KeyRecord record;
  if (!hash_field.starts_with(kHashPrefix) ||
      !ParseHex(std::string_view(hash_field).substr(kHashPrefix.size()), record.token_hash)) {
    return InvalidArgument(where + ": expected 'sha256:<64 hex digits>' first");
  }
  bool has_scope = false;
  std::string field;
  while (fields >> field) {
    std::size_t equals = field.find('=');
    std::string key = field.substr(0, equals);
    std::string value = equals == std::string::npos ? "" : field.substr(equals + 1);
    if (key == "scope") {
      auto scope = api::ParseKeyScope(value);
      if (!scope) return InvalidArgument(where + ": scope '" + value + "' is not read|write|admin");
      record.principal.scope = *scope;
      has_scope = true;
    } else if (key == "name" && IsValidName(value, 64)) {
      record.principal.name = value;
    } else if (key == "series" && IsValidName(value, 128)) {
      record.principal.series_prefix = value;
    } else {
      return InvalidArgument(where + ": unexpected field '" + field + "'");
    }
  }
  if (!has_scope || record.principal.name.empty()) {
    return InvalidArgument(where + ": a key needs scope= and name=");
  }
  return record;
}

// SHA-256, fetched from OpenSSL's providers once: EVP_sha256() is fetched again on every digest,
// which took half the time of hashing a key. Kept for the life of the process.
const EVP_MD* Sha256Algorithm() {
  static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest digest{};
  unsigned int length = 0;
  const bool digested =
      EVP_Digest(data.data(), data.size(), digest.data(), &length, Sha256Algorithm(), nullptr) == 1;
  if (!digested || length != digest.size()) {
    throw std::runtime_error("OpenSSL SHA-256 failed");  // only when the library is broken
  }
  return digest;
}

Result<std::vector<KeyRecord>> ParseKeysFile(std::string_view text, std::string_view source) {
  std::vector<KeyRecord> records;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::string_view content = line;
    while (!content.empty() && std::isspace(static_cast<unsigned char>(content.front()))) {
      content.remove_prefix(1);
    }
    if (content.empty() || content.front() == '#') continue;
    const std::string where = std::string(source) + " line " + std::to_string(number);
    auto record = ParseKeyLine(content, where);
    if (!record) return record.error();
    for (const KeyRecord& other : records) {
      if (other.principal.name == record->principal.name) {
        return InvalidArgument(where + ": key name '" + other.principal.name + "' appears twice");
      }
      if (other.token_hash == record->token_hash) {
        return InvalidArgument(where + ": the same token hash appears twice");
      }
    }
    records.push_back(std::move(*record));
  }
  return records;
}

Result<std::vector<KeyRecord>> LoadKeysFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return InvalidArgument("cannot read keys file '" + path + "'");
  std::ostringstream text;
  text << file.rdbuf();
  return ParseKeysFile(text.str(), path);
}

std::optional<api::Principal> KeyStore::Authenticate(std::string_view token) const {
  const Sha256Digest presented = Sha256(token);
  const KeyRecord* match = nullptr;
  for (const KeyRecord& record : records_) {
    // No early exit: every record is compared, whatever matched.
    if (CRYPTO_memcmp(record.token_hash.data(), presented.data(), presented.size()) == 0) {
      match = &record;
    }
  }
  if (match == nullptr) return std::nullopt;
  return match->principal;
}

Result<NewKey> MakeKey(std::string_view name, api::Scope scope, std::string_view series_prefix) {
  if (!IsValidName(name, 64)) {
    return InvalidArgument("key name '" + std::string(name) +
                           "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
  }
  if (!series_prefix.empty() && !IsValidName(series_prefix, 128)) {
    return InvalidArgument("series prefix '" + std::string(series_prefix) +
                           "' must be 1-128 characters of A-Z a-z 0-9 . _ -");
  }
  if (scope == api::Scope::kPublic) return InvalidArgument("scope must be read, write or admin");
  std::array<std::uint8_t, kTokenBytes> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    return Internal("the system's random number generator failed");
  }
  NewKey key;
  key.token = std::string(kTokenPrefix) + Base64Url(random.data(), random.size());
  OPENSSL_cleanse(random.data(), random.size());
  key.file_line = std::string(kHashPrefix) + Hex(Sha256(key.token)) +
                  " scope=" + api::ScopeName(scope) + " name=" + std::string(name);
  if (!series_prefix.empty()) key.file_line += " series=" + std::string(series_prefix);
  return key;
}

}  // namespace patchcast::server
