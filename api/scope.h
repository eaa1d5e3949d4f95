// Scopes and principals: who is calling, and what they may do.
//
// Scopes are ordered read < write < admin; a key with a higher scope may do everything a lower one
// may. A key can also be limited to series whose id starts with a prefix; such a key never learns
// that other series exist (handlers answer 404, not 403). Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace patchcast::api {

// kPublic marks open routes (/healthz, /readyz); a key never holds it.
enum class Scope { kPublic = 0, kRead = 1, kWrite = 2, kAdmin = 3 };

// Returns "public", "read", "write" or "admin".
const char* ScopeName(Scope scope);
// Parses "read", "write" or "admin"; nullopt for anything else (including "public").
std::optional<Scope> ParseKeyScope(std::string_view name);

// Returns true if a key holding `held` may call a route that requires `required`.
constexpr bool Covers(Scope held, Scope required) {
  return static_cast<int>(held) >= static_cast<int>(required);
}

struct Principal {
  std::string name;  // the key's name, for access logs
  Scope scope = Scope::kRead;
  std::string series_prefix;  // empty: every series

  // Returns true if this principal may see the series `series_id`.
  bool MaySee(std::string_view series_id) const {
    return series_id.substr(0, series_prefix.size()) == series_prefix;
  }
};

}  // namespace patchcast::api
