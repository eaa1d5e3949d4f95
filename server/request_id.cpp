#include "server/request_id.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string_view>

namespace patchcast::server {

bool IsAcceptableRequestId(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  });
}

std::string NewRequestId() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string id;
  id.reserve(32);
  for (int half = 0; half < 2; ++half) {
    const std::uint64_t bits = generator();
    for (int shift = 60; shift >= 0; shift -= 4) id += kDigits[(bits >> shift) & 0xf];
  }
  return id;
}

}  // namespace patchcast::server
