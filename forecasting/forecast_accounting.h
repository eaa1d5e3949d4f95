// ForecastAccounting: holds kept forecasts to account (issue 15). Each pass scores the forecasts
// with a window the series' points now cover, an event's or the whole horizon
// (ScorecardStore::Due), against those points and seasonal naive (forecast_accuracy.h), and keeps
// the scorecards: partial ones until the whole horizon is scored.
//
// Reads no clock: the caller passes the instant of scoring. Thread-safe when the ports are.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

#include "forecasting/record_store.h"
#include "forecasting/scorecard_store.h"
#include "forecasting/series_repository.h"

namespace patchcast::forecasting {

// What a pass did: the scorecards kept, and the forecasts it could not score (with why).
struct AccountingPass {
  std::vector<ForecastScorecard> scored;
  struct Failure {
    DueScoring due;
    Error error;
  };
  std::vector<Failure> failed;
};

class ForecastAccounting {
 public:
  // Forecasts scored in one pass at most: a pass stays short however much is due.
  static constexpr std::size_t kPerPass = 50;

  // The references must outlive this.
  ForecastAccounting(const ForecastStore& forecasts, const SeriesRepository& series,
                     ScorecardStore& scorecards)
      : forecasts_(forecasts), series_(series), scorecards_(scorecards) {}

  // Scores and keeps up to `limit` of the forecasts due, the earliest due first. A forecast
  // that cannot be scored is reported in `failed`: left due after a store error, given a
  // scorecard with nothing scored when a later pass would fail the same way (its series' points
  // are now at another step). A store error listing what is due fails the pass.
  Result<AccountingPass> ScoreDue(std::chrono::sys_seconds now, std::size_t limit = kPerPass) const;

 private:
  Result<ForecastScorecard> Score(const DueScoring& due, std::chrono::sys_seconds now) const;

  const ForecastStore& forecasts_;
  const SeriesRepository& series_;
  ScorecardStore& scorecards_;
};

}  // namespace patchcast::forecasting
