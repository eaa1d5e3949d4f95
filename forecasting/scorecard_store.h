// ScorecardStore: the storage port for forecast scorecards (forecast_accuracy.h, issue 15), kept
// apart from the forecasts they score so that accountability outlives the forecasts' retention,
// and what is due for scoring: kept forecasts whose horizon the series' points now cover.
//
// Implementations must be thread-safe; Keep is durable when it returns success.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/forecast_accuracy.h"

namespace patchcast::forecasting {

// A kept forecast awaiting its scorecard.
struct DueScoring {
  std::string forecast_id;
  std::string series_id;
  std::chrono::sys_seconds horizon_end{};

  friend bool operator==(const DueScoring&, const DueScoring&) = default;
};

class ScorecardStore {
 public:
  virtual ~ScorecardStore() = default;

  // Keeps `card`, replacing one kept for the same forecast. Errors: kNotFound "series 'x' does not
  // exist"; store errors.
  virtual Status Keep(const ForecastScorecard& card) = 0;

  // The series' scorecards whose forecast was generated in [from, to), by generated_at. An unknown
  // series has none. Errors: store errors.
  virtual Result<std::vector<ForecastScorecard>> List(std::string_view series_id,
                                                      std::chrono::sys_seconds from,
                                                      std::chrono::sys_seconds to) const = 0;

  // Every series' latest scorecard (by horizon end), by series id. Errors: store errors.
  virtual Result<std::vector<ForecastScorecard>> LatestPerSeries() const = 0;

  // At most `limit` kept forecasts that are not hypothetical, have no scorecard yet, and whose
  // horizon end the series' latest point has reached; the oldest horizon first. Errors: store
  // errors.
  virtual Result<std::vector<DueScoring>> Due(std::size_t limit) const = 0;
};

}  // namespace patchcast::forecasting
