// QuotedInput: a piece of request input (a field name, a value, a query parameter) as error
// messages echo it, cut so that a huge input cannot make a huge error body (issue 13).
//
// Pure function; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace patchcast::api {

// Bytes of an input that an error message echoes; longer inputs are cut.
inline constexpr std::size_t kMaxQuotedInputBytes = 64;

// Returns `text` in single quotes: "'abc'". Longer than kMaxQuotedInputBytes, it keeps the first
// kMaxQuotedInputBytes bytes (fewer when that would split a UTF-8 sequence), then "…" and the
// full length: "'aaaa…' (10485760 bytes)".
std::string QuotedInput(std::string_view text);

}  // namespace patchcast::api
