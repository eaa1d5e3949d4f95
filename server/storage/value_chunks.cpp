#include "server/storage/value_chunks.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>

namespace patchcast::storage {

// Blobs are little-endian; every platform Debian 12 builds this for on x86-64 and arm64 is too,
// so encoding is a copy. A big-endian port would byte-swap here.
static_assert(std::endian::native == std::endian::little, "value chunks assume little-endian");

void EncodeChunk(std::span<const double> values, std::string& blob) {
  std::size_t stored = values.size();
  while (stored > 0 && std::isnan(values[stored - 1])) --stored;
  blob.resize(stored * sizeof(double));
  if (stored > 0) std::memcpy(blob.data(), values.data(), blob.size());
}

bool DecodeChunk(std::string_view blob, std::span<double> values) {
  if (blob.size() % sizeof(double) != 0 || blob.size() / sizeof(double) > values.size()) {
    return false;
  }
  const std::size_t stored = blob.size() / sizeof(double);
  if (stored > 0) std::memcpy(values.data(), blob.data(), blob.size());
  std::fill(values.begin() + static_cast<std::ptrdiff_t>(stored), values.end(), kGap);
  return true;
}

}  // namespace patchcast::storage
