#include "api/http_types.h"

#include <algorithm>
#include <array>

namespace patchcast::api {
namespace {

constexpr std::array<std::pair<Method, const char*>, 7> kMethodNames = {{
    {Method::kGet, "GET"},
    {Method::kHead, "HEAD"},
    {Method::kPost, "POST"},
    {Method::kPut, "PUT"},
    {Method::kPatch, "PATCH"},
    {Method::kDelete, "DELETE"},
    {Method::kOptions, "OPTIONS"},
}};

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::optional<Method> ParseMethod(std::string_view name) {
  for (const auto& [method, text] : kMethodNames) {
    if (name == text) return method;
  }
  return std::nullopt;
}

const char* MethodName(Method method) {
  for (const auto& [candidate, text] : kMethodNames) {
    if (candidate == method) return text;
  }
  return "GET";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return AsciiLower(x) == AsciiLower(y);
         });
}

void HeaderMap::Set(std::string_view name, std::string value) {
  Remove(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void HeaderMap::Remove(std::string_view name) {
  std::erase_if(fields_, [&](const auto& field) { return EqualsIgnoreCase(field.first, name); });
}

std::optional<std::string_view> HeaderMap::Get(std::string_view name) const {
  for (const auto& [field_name, value] : fields_) {
    if (EqualsIgnoreCase(field_name, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::size_t HeaderMap::Count(std::string_view name) const {
  return static_cast<std::size_t>(std::count_if(fields_.begin(), fields_.end(), [&](const auto& f) {
    return EqualsIgnoreCase(f.first, name);
  }));
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return std::string_view(it->second);
}

std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lowered(type);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), AsciiLower);
  return lowered;
}

}  // namespace patchcast::api
