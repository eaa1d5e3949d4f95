#include "forecasting/forecast_accounting.h"

#include <algorithm>

namespace patchcast::forecasting {
namespace {

// Seasonal naive repeats the last known week, reaching back as many weeks as the horizon spans,
// plus a week for gaps; a month's horizon reads about nine weeks of points.
constexpr std::chrono::days kWeek{7};
constexpr std::size_t kMaxScoredSteps = 200'000;

std::chrono::sys_seconds ReadFrom(const ForecastRecord& record) {
  const auto horizon = HorizonEnd(record) - record.as_of;
  const auto weeks = std::chrono::ceil<std::chrono::weeks>(horizon) + std::chrono::weeks{1};
  return record.as_of - std::max<std::chrono::seconds>(weeks, kWeek);
}

// A forecast that cannot be scored for a reason a later pass would meet again (its points are now
// at another step, say) gets a scorecard with nothing scored, so that it does not stay due.
bool IsLasting(const Error& error) {
  return error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kUnprocessable;
}

ForecastScorecard Unscored(const DueScoring& due, std::chrono::sys_seconds now) {
  ForecastScorecard card;
  card.forecast_id = due.forecast_id;
  card.series_id = due.series_id;
  card.scored_at = now;
  card.horizon_end = due.horizon_end;
  return card;
}

}  // namespace

Result<AccountingPass> ForecastAccounting::ScoreDue(std::chrono::sys_seconds now,
                                                    std::size_t limit) const {
  auto due = scorecards_.Due(limit);
  if (!due) return due.error();
  AccountingPass pass;
  for (const DueScoring& forecast : *due) {
    auto card = Score(forecast, now);
    if (!card) {
      pass.failed.push_back({forecast, card.error()});
      if (IsLasting(card.error())) static_cast<void>(scorecards_.Keep(Unscored(forecast, now)));
    } else if (Status kept = scorecards_.Keep(*card); !kept) {
      pass.failed.push_back({forecast, kept.error()});
    } else {
      pass.scored.push_back(std::move(*card));
    }
  }
  return pass;
}

Result<ForecastScorecard> ForecastAccounting::Score(const DueScoring& due,
                                                    std::chrono::sys_seconds now) const {
  auto record = forecasts_.Get(due.forecast_id);
  if (!record) return record.error();
  auto series = series_.GetSeries(due.series_id);
  if (!series) return series.error();
  // ReadRange fills the steps past the last point with gaps: read only as far as the points go, so
  // that ScoreForecast scores the windows they cover and no more.
  const auto covered_end = series->last ? *series->last + record->step : record->as_of;
  const auto to = std::clamp(covered_end, record->as_of, HorizonEnd(*record) + record->step);
  auto actual = series_.ReadRange(due.series_id, ReadFrom(*record), to, kMaxScoredSteps);
  if (!actual) return actual.error();
  return ScoreForecast(*record, *actual, now);
}

}  // namespace patchcast::forecasting
