#include "api/quoted_input.h"

namespace patchcast::api {

std::string QuotedInput(std::string_view text) {
  if (text.size() <= kMaxQuotedInputBytes) return "'" + std::string(text) + "'";
  std::size_t cut = kMaxQuotedInputBytes;
  // Back up over continuation bytes (10xxxxxx) so that the prefix ends on a whole character.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "'" + std::string(text.substr(0, cut)) + "…' (" + std::to_string(text.size()) + " bytes)";
}

}  // namespace patchcast::api
