#include "server/polled_read.h"

#include <algorithm>
#include <array>

namespace patchcast::server {
namespace {

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ContainsIgnoringCase(std::string_view text, std::string_view lowercase_word) {
  const auto found =
      std::search(text.begin(), text.end(), lowercase_word.begin(), lowercase_word.end(),
                  [](char a, char b) { return AsciiLower(a) == b; });
  return found != text.end();
}

bool MayHaveBody(std::string_view head) {
  constexpr std::array<std::string_view, 2> kBodyHeaders = {"content-length", "transfer-encoding"};
  return std::any_of(kBodyHeaders.begin(), kBodyHeaders.end(),
                     [head](std::string_view name) { return ContainsIgnoringCase(head, name); });
}

}  // namespace

bool IsPolledRead(std::string_view head, const api::Router& router) {
  const std::size_t method_end = head.find(' ');
  if (method_end == std::string_view::npos) return false;
  const std::optional<api::Method> method = api::ParseMethod(head.substr(0, method_end));
  if (method != api::Method::kGet && method != api::Method::kHead) return false;
  const std::size_t target_begin = method_end + 1;
  const std::size_t target_end = head.find_first_of(" \r\n", target_begin);
  if (target_end == std::string_view::npos) return false;
  const std::string_view target = head.substr(target_begin, target_end - target_begin);
  const api::Route* route = router.Find(*method, target.substr(0, target.find('?'))).route;
  return route != nullptr && route->polled && !MayHaveBody(head);
}

}  // namespace patchcast::server
