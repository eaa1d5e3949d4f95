// ScorecardStore: the storage port for forecast scorecards (forecast_accuracy.h, issue 15), kept
// apart from the forecasts they score so that accountability outlives the forecasts' retention,
// and what is due for scoring: kept forecasts with a window the series' points now cover that their
// scorecard does not (an event's window, or the whole horizon).
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

// A kept forecast with more to score.
struct DueScoring {
  std::string forecast_id;
  std::string series_id;
  std::chrono::sys_seconds horizon_end{};
  std::chrono::sys_seconds score_at{};  // StoredDocument::score_at

  friend bool operator==(const DueScoring&, const DueScoring&) = default;
};

class ScorecardStore {
 public:
  virtual ~ScorecardStore() = default;

  // Keeps `card`, replacing one kept for the same forecast, and records on the forecast, if it is
  // still kept, when it next has something to score (card.next_score_at; nothing once complete).
  // Errors: kNotFound "series 'x' does not exist"; store errors.
  virtual Status Keep(const ForecastScorecard& card) = 0;

  // The series' scorecards whose forecast was generated in [from, to), by generated_at. An unknown
  // series has none. Errors: store errors.
  virtual Result<std::vector<ForecastScorecard>> List(std::string_view series_id,
                                                      std::chrono::sys_seconds from,
                                                      std::chrono::sys_seconds to) const = 0;

  // Every series' latest complete scorecard (by horizon end), by series id. Errors: store errors.
  virtual Result<std::vector<ForecastScorecard>> LatestPerSeries() const = 0;

  // At most `limit` kept forecasts that are not hypothetical and whose score_at the series' latest
  // point has reached; the earliest score_at first. Errors: store errors.
  virtual Result<std::vector<DueScoring>> Due(std::size_t limit) const = 0;
};

}  // namespace patchcast::forecasting
