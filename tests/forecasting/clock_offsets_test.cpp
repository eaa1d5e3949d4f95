#include "forecasting/clock_offsets.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using testing::Utc;
using testing::Zone;

// New York moved to summer time at 2024-03-10T07:00Z, Sydney to winter time at
// 2024-04-06T16:00Z.
std::vector<ZoneWeight> NewYorkAndSydney() {
  return {{&Zone("America/New_York"), 0.6}, {&Zone("Australia/Sydney"), 0.4}};
}

TEST_CASE("ClockOffsets gives each zone's offset from the first, and until when it holds") {
  ClockOffsets offsets(NewYorkAndSydney());
  // New York UTC-5, Sydney UTC+11: 16 hours apart.
  CHECK(offsets.At(Utc("2024-02-01T00:00:00Z")) == std::vector<std::int64_t>{16 * 3600});
  CHECK(offsets.HeldUntil() == Utc("2024-03-10T07:00:00Z"));
  // New York UTC-4, Sydney still UTC+11.
  CHECK(offsets.At(Utc("2024-03-10T07:00:00Z")) == std::vector<std::int64_t>{15 * 3600});
  CHECK(offsets.HeldUntil() == Utc("2024-04-06T16:00:00Z"));
  // Sydney UTC+10.
  CHECK(offsets.At(Utc("2024-04-06T16:00:00Z")) == std::vector<std::int64_t>{14 * 3600});
  CHECK(offsets.HeldUntil() == Utc("2024-10-05T16:00:00Z"));  // Sydney's summer time
}

TEST_CASE("ClockOffsets of one zone is empty, held until that zone's next change") {
  ClockOffsets offsets({{&Zone("Europe/Berlin"), 1.0}});
  CHECK(offsets.At(Utc("2024-01-15T00:00:00Z")).empty());
  CHECK(offsets.HeldUntil() == Utc("2024-03-31T01:00:00Z"));
}

}  // namespace
}  // namespace patchcast::forecasting
