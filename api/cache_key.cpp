#include "api/cache_key.h"

namespace patchcast::api {
namespace {

void AppendPart(std::string& key, std::string_view part) {
  key += std::to_string(part.size());
  key += ':';
  key += part;
}

}  // namespace

std::string CacheKey(const Request& request) {
  std::string key;
  key.reserve(128);
  AppendPart(key, request.route);
  for (const auto& [name, value] : request.path_params) {
    AppendPart(key, name);
    AppendPart(key, value);
  }
  key += '?';
  // A multimap keeps repeated names in the order sent, which a handler may read.
  for (const auto& [name, value] : request.query) {
    AppendPart(key, name);
    AppendPart(key, value);
  }
  key += '@';
  if (request.principal) {
    AppendPart(key, request.principal->name);
    AppendPart(key, ScopeName(request.principal->scope));
    AppendPart(key, request.principal->series_prefix);
  }
  return key;
}

}  // namespace patchcast::api
