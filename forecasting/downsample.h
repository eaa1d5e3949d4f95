// Downsampling a regular series to a coarser step, for dashboards that ask for ~1,000 points over a
// year. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting {

enum class Aggregation { kSum, kMean, kMax, kMin };

// Parses "sum", "mean", "max" or "min"; nullopt otherwise.
std::optional<Aggregation> ParseAggregation(std::string_view name);

// Returns a multiple of `step` (at least `step`) whose epoch-aligned buckets, as Downsample makes
// them, cover the `count` steps of `step` from `start` in at most `max_points` buckets: the
// smallest such multiple, or, when even that takes more than a few tries (a handful of points
// over a long span), a multiple at most twice as large. Precondition: step > 0, max_points > 0.
std::chrono::seconds StepForAtMost(std::chrono::sys_seconds start, std::size_t count,
                                   std::chrono::seconds step, std::size_t max_points);

// Aggregates `series` into buckets of `step` aligned to the Unix epoch (a bucket starts at a
// multiple of `step`), from the bucket holding series.start to the one holding its last step.
// Missing values are skipped; a bucket with no value is missing (NaN), never 0, so a gap stays a
// gap. Errors: kInvalidArgument when `step` is not a positive multiple of series.step ("step 90 s
// is not a multiple of the series' 60 s step").
Result<RegularSeries> Downsample(const RegularSeries& series, std::chrono::seconds step,
                                 Aggregation aggregation);

}  // namespace patchcast::forecasting
