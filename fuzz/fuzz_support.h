// What the fuzz targets share: the input as text, a check that stops the run when an invariant
// breaks (so that libFuzzer saves the input, as it does for a crash or a sanitizer report), and
// numbers written so that they read back exactly.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace patchcast::fuzz {

inline std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Aborts with `what` on stderr unless `holds`.
inline void Expect(bool holds, const char* what) {
  if (holds) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

// Appends the shortest decimal text that reads back as `value` (std::to_chars), e.g. "1e+15".
inline void AppendNumber(std::string& out, double value) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, value);
  Expect(error == std::errc(), "std::to_chars fits a double in 32 bytes");
  out.append(text, end);
}

}  // namespace patchcast::fuzz
