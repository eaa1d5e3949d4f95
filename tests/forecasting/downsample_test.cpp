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
  // A year of minutes from an epoch-aligned start into at most 1,000 points: 526 minutes a point.
  const sys_seconds aligned{seconds{0}};
  CHECK(StepForAtMost(aligned, 525'600, seconds{60}, 1000) == seconds{526 * 60});
  CHECK(StepForAtMost(aligned, 10, seconds{60}, 1000) == seconds{60});
}

TEST_CASE("buckets straddling the span's ends still fit in max_points") {
  // 2026-11-01T00:00Z plus ten years of 5-minute steps, into few points: epoch-aligned buckets of
  // span / N would give N + 1.
  const sys_seconds start{seconds{1'793'491'200}};
  const std::size_t count = 10 * 105'120;
  for (const std::size_t max_points : {1u, 2u, 7u, 100u, 101u, 499u, 1000u}) {
    CAPTURE(max_points);
    const seconds step = StepForAtMost(start, count, seconds{300}, max_points);
    CHECK(step.count() % 300 == 0);
    RegularSeries series{start, seconds{300}, std::vector<double>(count, 1.0)};
    auto coarse = Downsample(series, step, Aggregation::kSum);
    REQUIRE(coarse);
    CHECK(coarse->size() <= max_points);
    CHECK(coarse->size() >= max_points / 2);  // not needlessly coarse
    double total = 0;
    for (double v : coarse->values) total += v;
    CHECK(total == static_cast<double>(count));  // nothing dropped
  }
}

TEST_CASE("aggregation names parse strictly") {
  CHECK(ParseAggregation("mean") == Aggregation::kMean);
  CHECK_FALSE(ParseAggregation("avg"));
  CHECK_FALSE(ParseAggregation("SUM"));
}

}  // namespace
}  // namespace patchcast::forecasting
