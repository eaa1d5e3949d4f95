#include "api/etag.h"

#include <cstdint>
#include <cstdio>

namespace patchcast::api {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

std::string_view Opaque(std::string_view tag) {
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

}  // namespace

std::string StrongEtag(std::string_view body) {
  // FNV-1a (Fowler, Noll, Vo): fast, and the length beside it makes accidental equality of two
  // successive versions of one resource vanishingly unlikely.
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char byte : body) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "\"%016llx-%zx\"", static_cast<unsigned long long>(hash),
                body.size());
  return buffer;
}

bool IfNoneMatchHits(std::string_view condition, std::string_view etag) {
  condition = Trim(condition);
  if (condition == "*") return true;
  while (!condition.empty()) {
    std::size_t comma = condition.find(',');
    std::string_view candidate = Trim(condition.substr(0, comma));
    if (!candidate.empty() && Opaque(candidate) == Opaque(etag)) return true;
    if (comma == std::string_view::npos) break;
    condition.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace patchcast::api
