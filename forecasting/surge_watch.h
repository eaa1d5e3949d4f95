// SurgeWatch: is a surge under way bigger than forecast? (issue 15). While a release rolls, each
// arriving point is compared with the forecast in force when the release began: a surge is above
// forecast once the actual stays above the forecast's p99 for `steps_above_p99` steps in a row, or
// goes over its p90 times `p90_ratio` at any step. It is over once the actual has stayed at or
// under the p90 for `steps_above_p99` steps in a row again (so one quiet step does not flap it).
//
// Pure functions of their inputs; value types, thread-compatible.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "forecasting/forecast_record.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting {

struct SurgeRule {
  int steps_above_p99 =
      3;  // consecutive steps above p99 that raise the alert, and quiet ones that clear it
  double p90_ratio = 1.5;  // one step over p90 times this raises it at once

  friend bool operator==(const SurgeRule&, const SurgeRule&) = default;
};

// Why an episode was raised.
enum class SurgeReason : std::uint8_t { kAboveP99, kOverP90Ratio };

// "above_p99", "over_p90_ratio".
std::string_view ToString(SurgeReason reason);

// The strict inverse of ToString; kInvalidArgument naming the text and the accepted names.
Result<SurgeReason> ParseSurgeReason(std::string_view text);

// One stretch of a surge above forecast.
struct SurgeEpisode {
  std::chrono::sys_seconds started{};             // the step at which the rule first held
  std::optional<std::chrono::sys_seconds> ended;  // the step after which it was quiet again
  SurgeReason reason = SurgeReason::kAboveP99;
  double peak_ratio = 0;  // the largest actual / forecast p90 in the episode
  std::chrono::sys_seconds peak_at{};

  friend bool operator==(const SurgeEpisode&, const SurgeEpisode&) = default;
};

// The episodes of `actual` against `forecast` over [from, to), by start. Steps without an actual
// or a forecast value are skipped (they neither raise nor clear). The forecast's p90 and p99 are
// its levels 0.9 and 0.99 (the highest level stands in for a missing one).
std::vector<SurgeEpisode> FindSurges(const ForecastRecord& forecast, const RegularSeries& actual,
                                     std::chrono::sys_seconds from, std::chrono::sys_seconds to,
                                     const SurgeRule& rule);

}  // namespace patchcast::forecasting
