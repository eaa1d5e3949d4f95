#include "api/message_syntax.h"

#include <algorithm>

#include "api/quoted_input.h"

namespace patchcast::api {
namespace {

// RFC 9110 section 5.6.2: tchar.
bool IsTokenChar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return kSymbols.find(c) != std::string_view::npos;
}

// RFC 9110 section 5.5: a field value holds visible characters, spaces, tabs and obs-text; any
// other control character (NUL, a bare CR or LF, DEL) is invalid. cpp-httplib percent-decodes
// header values, so "%0d%0a" arrives as CR LF and is refused the same: the two cannot be told
// apart here, and neither belongs in a value.
bool IsControlInValue(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return (byte < 0x20 && byte != '\t') || byte == 0x7f;
}

}  // namespace

std::optional<std::string> MessageSyntaxError(const RequestHead& head) {
  for (const auto& [name, value] : head.headers.fields()) {
    if (name.empty() || !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return "header name " + QuotedInput(name) +
             " is not an RFC 9110 token (whitespace before the colon, or an obs-fold line)";
    }
    if (std::any_of(value.begin(), value.end(), IsControlInValue)) {
      return "header " + QuotedInput(name) +
             " has a control character (NUL, CR or another) in its value, as sent or "
             "percent-escaped";
    }
  }
  const std::size_t hosts = head.headers.Count("Host");
  if (hosts > 1) return "Host appears " + std::to_string(hosts) + " times";
  if (hosts == 0 && head.version == "HTTP/1.1") return "HTTP/1.1 request without a Host header";
  return std::nullopt;
}

}  // namespace patchcast::api
