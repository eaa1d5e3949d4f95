// Stable names for enum values, as the API and storage spell them: a table of (value, name) pairs
// and its two lookups, so each enum states its names once.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "core/result.h"

namespace patchcast {

template <typename Enum, std::size_t N>
using EnumNames = std::array<std::pair<Enum, std::string_view>, N>;

// The name of `value`, or "unknown" for a value the table lacks.
template <typename Enum, std::size_t N>
std::string_view NameOf(const EnumNames<Enum, N>& names, Enum value) {
  for (const auto& [candidate, name] : names) {
    if (candidate == value) return name;
  }
  return "unknown";
}

// The value named exactly `text`; else kInvalidArgument "unknown <what> 'x' (expected one of a,
// b, c)".
template <typename Enum, std::size_t N>
Result<Enum> ParseName(const EnumNames<Enum, N>& names, std::string_view what,
                       std::string_view text) {
  std::string expected;
  for (const auto& [value, name] : names) {
    if (name == text) return value;
    if (!expected.empty()) expected += ", ";
    expected += name;
  }
  return InvalidArgument("unknown " + std::string(what) + " '" + std::string(text) +
                         "' (expected one of " + expected + ")");
}

}  // namespace patchcast
