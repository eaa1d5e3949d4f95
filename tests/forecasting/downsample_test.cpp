#include "forecasting/downsample.h"

#include <doctest/doctest.h>

#include <cmath>

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

RegularSeries Minutes(std::int64_t start, std::vector<double> values) {
  return {sys_seconds{seconds{start}}, seconds{60}, std::move(values)};
}

TEST_CASE("buckets aggregate by sum, mean, max and min, skipping gaps") {
  // 00:01 .. 00:06 into 5-minute buckets [00:00, 00:05) and [00:05, 00:10).
  RegularSeries series = Minutes(60, {1, 2, kMissing, 4, 5, 6});
  auto sum = Downsample(series, seconds{300}, Aggregation::kSum);
  REQUIRE(sum);
  CHECK(sum->start == sys_seconds{seconds{0}});
  CHECK(sum->values == std::vector<double>{7, 11});
  CHECK(Downsample(series, seconds{300}, Aggregation::kMean)->values ==
        std::vector<double>{7.0 / 3, 5.5});
  CHECK(Downsample(series, seconds{300}, Aggregation::kMax)->values == std::vector<double>{4, 6});
  CHECK(Downsample(series, seconds{300}, Aggregation::kMin)->values == std::vector<double>{1, 5});
}

TEST_CASE("a bucket without any value stays a gap, never zero") {
  RegularSeries series = Minutes(0, {1, kMissing, kMissing, kMissing, 2});
  auto out = Downsample(series, seconds{120}, Aggregation::kSum);
  REQUIRE(out);
  REQUIRE(out->values.size() == 3);
  CHECK(out->values[0] == 1);
  CHECK(std::isnan(out->values[1]));
  CHECK(out->values[2] == 2);
}

TEST_CASE("the target step must be a multiple of the series' step") {
  auto out = Downsample(Minutes(0, {1, 2}), seconds{90}, Aggregation::kSum);
  REQUIRE_FALSE(out);
  CHECK(out.error().message == "step 90 s is not a multiple of the series' 60 s step");
  CHECK(Downsample(Minutes(0, {1, 2}), seconds{60}, Aggregation::kSum)->values ==
        std::vector<double>{1, 2});
}

TEST_CASE("the step for at most N points is the smallest multiple that fits") {
  // A year of minutes into at most 1,000 points: 526 minutes a point.
  CHECK(StepForAtMost(seconds{525'600 * 60}, seconds{60}, 1000) == seconds{526 * 60});
  CHECK(StepForAtMost(seconds{600}, seconds{60}, 1000) == seconds{60});
}

TEST_CASE("aggregation names parse strictly") {
  CHECK(ParseAggregation("mean") == Aggregation::kMean);
  CHECK_FALSE(ParseAggregation("avg"));
  CHECK_FALSE(ParseAggregation("SUM"));
}

}  // namespace
}  // namespace patchcast::forecasting
