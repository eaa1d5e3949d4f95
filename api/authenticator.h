// Authenticator: turns a bearer token into the principal it belongs to.
//
// Declared here so the request guard can be tested with an in-memory fake; server/ implements it
// over the keys file (SHA-256 hashes, constant-time comparison). Implementations must be
// thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "api/scope.h"

namespace patchcast::api {

class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // Returns false when the service runs without keys (loopback development mode): every request is
  // then treated as an anonymous admin.
  virtual bool enabled() const = 0;

  // Returns the principal holding `token`, or nullopt if no key matches. `token` has already been
  // checked to contain only RFC 6750 token characters.
  virtual std::optional<Principal> Authenticate(std::string_view token) const = 0;
};

}  // namespace patchcast::api
