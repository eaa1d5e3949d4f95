// The on-disk layout of series values: fixed-length chunks of the step grid, one row per chunk.
//
// A year of 1-minute data is 525,600 points; forecasts read it whole, often. One row per point
// would make that half a million B-tree entries with a timestamp each. Instead the grid makes
// timestamps implicit: point k of a series with step s sits at k*s seconds since the Unix epoch,
// chunk floor(k / kChunkSteps) holds points [c*kChunkSteps, (c+1)*kChunkSteps) as packed
// little-endian IEEE-754 doubles, and a gap is a quiet NaN (stored values are always finite). A
// year of 1-minute data is 129 rows of at most 32 KiB; reading it is one range scan of the primary
// key (series_id, chunk) and a memcpy per row. Trailing gaps are not stored, so a chunk still being
// filled costs only what it holds. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

namespace patchcast::storage {

inline constexpr std::int64_t kChunkSteps = 4096;
inline constexpr double kGap = std::numeric_limits<double>::quiet_NaN();

struct ChunkPosition {
  std::int64_t chunk = 0;   // which chunk
  std::int64_t offset = 0;  // index within the chunk, 0 <= offset < kChunkSteps
};

// Returns where grid index `step_index` (>= 0) lives.
constexpr ChunkPosition Locate(std::int64_t step_index) {
  return {step_index / kChunkSteps, step_index % kChunkSteps};
}

// Writes `values` (at most kChunkSteps; NaN for gaps) as a chunk blob into `blob`, without its
// trailing gaps. An all-gap chunk encodes as an empty blob.
void EncodeChunk(std::span<const double> values, std::string& blob);

// Decodes `blob` into `values` (kChunkSteps long): the stored prefix, then gaps. Returns false if
// the blob's length is not a whole number of doubles or exceeds a chunk.
bool DecodeChunk(std::string_view blob, std::span<double> values);

}  // namespace patchcast::storage
