#include "api/router.h"

#include <algorithm>
#include <stdexcept>

namespace patchcast::api {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the percent-escapes of one path segment; false for a malformed escape.
bool DecodeSegment(std::string_view segment, std::string& decoded) {
  decoded.clear();
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') {
      decoded += segment[i];
      continue;
    }
    if (i + 2 >= segment.size()) return false;
    const int high = HexValue(segment[i + 1]);
    const int low = HexValue(segment[i + 2]);
    if (high < 0 || low < 0) return false;
    decoded += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = path.starts_with('/') ? 1 : 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool IsParameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// True if every segment of `path` matches `pattern`'s: equal to a literal, non-empty for a
// parameter.
bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (IsParameter(pattern[i]) ? path[i].empty() : pattern[i] != path[i]) return false;
  }
  return true;
}

// For a matching `path`: its parameters' values, and one flag per segment (true for a literal), so
// literal-first templates compare greater.
void BindParameters(const std::vector<std::string>& pattern,
                    const std::vector<std::string_view>& path,
                    std::map<std::string, std::string>& params, std::vector<bool>& specificity) {
  params.clear();
  specificity.clear();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const bool parameter = IsParameter(pattern[i]);
    if (parameter) params.emplace(pattern[i].substr(1, pattern[i].size() - 2), path[i]);
    specificity.push_back(!parameter);
  }
}

}  // namespace

void Router::Add(Route route) {
  for (const Route& existing : routes_) {
    if (existing.method == route.method && existing.path == route.path) {
      throw std::logic_error("duplicate route " + std::string(MethodName(route.method)) + " " +
                             route.path);
    }
  }
  const std::vector<std::string_view> segments = SplitPath(route.path);
  patterns_.emplace_back(segments.begin(), segments.end());
  routes_.push_back(std::move(route));
}

RouteLookup Router::Find(Method method, std::string_view path) const {
  const Method wanted = method == Method::kHead ? Method::kGet : method;
  // Split first, then decode each segment: "%2F" is a character of its segment, not a separator.
  std::vector<std::string> decoded;
  for (std::string_view raw : SplitPath(path)) {
    if (!DecodeSegment(raw, decoded.emplace_back())) return {};
  }
  const std::vector<std::string_view> segments(decoded.begin(), decoded.end());
  RouteLookup best;
  std::vector<bool> best_specificity;
  std::map<std::string, std::string> params;
  std::vector<bool> specificity;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    if (!Matches(patterns_[i], segments)) continue;
    if (std::find(best.allowed.begin(), best.allowed.end(), route.method) == best.allowed.end()) {
      best.allowed.push_back(route.method);
      if (route.method == Method::kGet) best.allowed.push_back(Method::kHead);
    }
    if (route.method != wanted) continue;
    BindParameters(patterns_[i], segments, params, specificity);
    if (best.route == nullptr || specificity > best_specificity) {
      best.route = &route;
      best.params = params;
      best_specificity = specificity;
    }
  }
  return best;
}

}  // namespace patchcast::api
