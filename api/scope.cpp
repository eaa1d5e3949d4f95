#include "api/scope.h"

namespace patchcast::api {

const char* ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kPublic:
      return "public";
    case Scope::kRead:
      return "read";
    case Scope::kWrite:
      return "write";
    case Scope::kAdmin:
      return "admin";
  }
  return "public";
}

std::optional<Scope> ParseKeyScope(std::string_view name) {
  if (name == "read") return Scope::kRead;
  if (name == "write") return Scope::kWrite;
  if (name == "admin") return Scope::kAdmin;
  return std::nullopt;
}

}  // namespace patchcast::api
