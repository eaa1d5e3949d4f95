#include "server/storage/value_chunks.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace patchcast::storage {
namespace {

TEST_CASE("grid indices map to a chunk and an offset within it") {
  CHECK(Locate(0).chunk == 0);
  CHECK(Locate(kChunkSteps - 1).offset == kChunkSteps - 1);
  CHECK(Locate(kChunkSteps).chunk == 1);
  CHECK(Locate(kChunkSteps).offset == 0);
  // 2026-11-01T00:00Z on a 60 s grid.
  const std::int64_t index = 1'793'491'200 / 60;
  CHECK(Locate(index).chunk * kChunkSteps + Locate(index).offset == index);
}

TEST_CASE("a chunk round-trips its values and gaps, without storing trailing gaps") {
  std::vector<double> values(kChunkSteps, kGap);
  values[0] = 12.0;
  values[5] = 0.0;
  values[100] = 1e15;
  std::string blob;
  EncodeChunk(values, blob);
  CHECK(blob.size() == 101 * sizeof(double));
  std::vector<double> decoded(kChunkSteps, 7.0);
  REQUIRE(DecodeChunk(blob, decoded));
  CHECK(decoded[0] == 12.0);
  CHECK(std::isnan(decoded[1]));
  CHECK(decoded[5] == 0.0);
  CHECK(decoded[100] == 1e15);
  CHECK(std::isnan(decoded[101]));
  CHECK(std::isnan(decoded[kChunkSteps - 1]));
}

TEST_CASE("an all-gap chunk is an empty blob") {
  std::vector<double> values(kChunkSteps, kGap);
  std::string blob = "stale";
  EncodeChunk(values, blob);
  CHECK(blob.empty());
  std::vector<double> decoded(kChunkSteps, 1.0);
  REQUIRE(DecodeChunk(blob, decoded));
  CHECK(std::isnan(decoded[0]));
}

TEST_CASE("a blob of the wrong length is refused") {
  std::vector<double> decoded(kChunkSteps);
  CHECK_FALSE(DecodeChunk(std::string(7, 'x'), decoded));
  CHECK_FALSE(DecodeChunk(std::string((kChunkSteps + 1) * sizeof(double), '\0'), decoded));
}

}  // namespace
}  // namespace patchcast::storage
