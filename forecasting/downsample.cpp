#include "forecasting/downsample.h"

#include <algorithm>
#include <cmath>

namespace patchcast::forecasting {
namespace {

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && a < 0); }

}  // namespace

std::optional<Aggregation> ParseAggregation(std::string_view name) {
  if (name == "sum") return Aggregation::kSum;
  if (name == "mean") return Aggregation::kMean;
  if (name == "max") return Aggregation::kMax;
  if (name == "min") return Aggregation::kMin;
  return std::nullopt;
}

std::chrono::seconds StepForAtMost(std::chrono::sys_seconds start, std::size_t count,
                                   std::chrono::seconds step, std::size_t max_points) {
  const std::int64_t first = start.time_since_epoch().count();
  const std::int64_t last =
      first + step.count() * std::max<std::int64_t>(static_cast<std::int64_t>(count) - 1, 0);
  // Buckets aligned to the epoch: a span of n widths may straddle n + 1 of them.
  const auto buckets = [&](std::int64_t width) {
    return FloorDiv(last, width) - FloorDiv(first, width) + 1;
  };
  const auto points = static_cast<std::int64_t>(max_points);
  const auto steps = std::max<std::int64_t>(1, static_cast<std::int64_t>(count));
  std::int64_t factor = std::max<std::int64_t>(1, (steps + points - 1) / points);
  for (int tries = 0; buckets(step.count() * factor) > points; ++tries) {
    factor = tries < 8 ? factor + 1 : factor * 2;
  }
  return step * factor;
}

Result<RegularSeries> Downsample(const RegularSeries& series, std::chrono::seconds step,
                                 Aggregation aggregation) {
  if (step.count() <= 0 || step.count() % series.step.count() != 0) {
    return InvalidArgument("step " + std::to_string(step.count()) +
                           " s is not a multiple of the "
                           "series' " +
                           std::to_string(series.step.count()) + " s step");
  }
  const std::int64_t width = step.count();
  const std::int64_t start = series.start.time_since_epoch().count();
  const std::int64_t first_bucket = FloorDiv(start, width);
  RegularSeries out{std::chrono::sys_seconds{std::chrono::seconds{first_bucket * width}}, step, {}};
  if (series.empty()) return out;
  const std::int64_t last_start =
      start + series.step.count() * static_cast<std::int64_t>(series.size() - 1);
  const auto buckets = static_cast<std::size_t>(FloorDiv(last_start, width) - first_bucket + 1);
  out.values.assign(buckets, kMissing);
  std::vector<std::uint32_t> counts(aggregation == Aggregation::kMean ? buckets : 0, 0);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double value = series.values[i];
    if (std::isnan(value)) continue;
    const std::int64_t t = start + series.step.count() * static_cast<std::int64_t>(i);
    const auto bucket = static_cast<std::size_t>(FloorDiv(t, width) - first_bucket);
    double& slot = out.values[bucket];
    if (std::isnan(slot)) {
      slot = value;
    } else if (aggregation == Aggregation::kMax) {
      slot = std::max(slot, value);
    } else if (aggregation == Aggregation::kMin) {
      slot = std::min(slot, value);
    } else {
      slot += value;
    }
    if (aggregation == Aggregation::kMean) ++counts[bucket];
  }
  if (aggregation == Aggregation::kMean) {
    for (std::size_t b = 0; b < buckets; ++b) {
      if (counts[b] > 0) out.values[b] /= counts[b];
    }
  }
  return out;
}

}  // namespace patchcast::forecasting
