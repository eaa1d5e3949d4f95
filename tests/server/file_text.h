// ReadAll: everything written to a FILE* so far, for tests of code that writes to one.
#pragma once

#include <cstdio>
#include <string>

namespace patchcast::server {

inline std::string ReadAll(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char chunk[4096];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) text.append(chunk, n);
  return text;
}

}  // namespace patchcast::server
