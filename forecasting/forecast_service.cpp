#include "forecasting/forecast_service.h"

namespace patchcast::forecasting {
namespace {

// Past events act up to 8 days after their start and upcoming ones from 2 days before it
// (ForecastOptions' default window); the event query reaches that far on both sides.
constexpr std::chrono::hours kEventReach{8 * 24};

// The most steps a history read may hold: 400 days of 1-minute data is 576,000.
constexpr std::size_t kMaxHistorySteps = 1'000'000;

}  // namespace

Result<ForecastService::Inputs> ForecastService::Load(
    const std::string& series_id, std::optional<std::chrono::sys_seconds> as_of,
    std::chrono::seconds horizon, const std::vector<std::string>& calendar_ids) const {
  auto summary = series_.GetSeries(series_id);
  if (!summary) return summary.error();
  const std::chrono::seconds step = summary->metadata.step_seconds;
  if (!summary->last || step.count() <= 0) {
    return Unprocessable("series '" + series_id + "' has no points yet");
  }
  const std::chrono::sys_seconds end = as_of.value_or(*summary->last + step);
  const std::chrono::sys_seconds begin = std::max(*summary->first, end - kHistory);
  if (begin >= end) {
    return Unprocessable("series '" + series_id + "' has no points before as_of");
  }
  auto history = series_.ReadRange(series_id, begin, end, kMaxHistorySteps);
  if (!history) return history.error();
  const auto snapshot = calendars_.Snapshot();
  auto events = snapshot->registry.Events(
      calendar_ids,
      calendars::TimeRange{history->start - kEventReach, end + horizon + kEventReach});
  if (!events) return events.error();
  // An advance notice announces a release; it restarts no machine. Passed to the model it would
  // learn the release's wave as its own (its window covers the release) and mask it from the
  // release's curve. Its content (bulletins, severity) is on the release event already.
  std::erase_if(*events, [](const calendars::Event& event) {
    return event.kind == calendars::EventKind::kAdvanceNotice;
  });
  RebootPrior prior;
  if (priors_ != nullptr) {
    auto stored = priors_->PriorFor(series_id);
    if (!stored) return stored.error();
    prior = std::move(*stored);
  }
  return Inputs{std::move(*summary), std::move(*history), std::move(*events), std::move(prior)};
}

ForecastOptions ForecastService::SeriesOptions(Inputs& inputs) {
  ForecastOptions options;
  options.zone_mix = inputs.series.metadata.zone_mix;
  options.prior = std::move(inputs.prior);
  return options;
}

Result<ForecastRun> ForecastService::Forecast(const ForecastQuery& query) const {
  auto inputs = Load(query.series_id, query.as_of, query.horizon, query.calendars);
  if (!inputs) return inputs.error();
  ForecastOptions options = SeriesOptions(*inputs);
  options.horizon = query.horizon;
  options.as_of = inputs->history.end();
  options.quantiles = query.quantiles;
  options.what_if = query.what_if;
  options.explain = query.explain;
  auto forecast = ForecastDemand(inputs->history, inputs->events, options);
  if (!forecast) return forecast.error();
  return ForecastRun{std::move(inputs->series), *options.as_of, std::move(*forecast)};
}

Result<BacktestResult> ForecastService::Backtest(const BacktestQuery& query) const {
  auto inputs = Load(query.series_id, std::nullopt, std::chrono::seconds{0}, query.calendars);
  if (!inputs) return inputs.error();
  return forecasting::Backtest(inputs->history, inputs->events, SeriesOptions(*inputs),
                               query.events, query.horizon);
}

Result<PlanBacktestResult> ForecastService::BacktestPlans(const PlanBacktestQuery& query) const {
  auto inputs = Load(query.series_id, std::nullopt, std::chrono::seconds{0}, query.calendars);
  if (!inputs) return inputs.error();
  return forecasting::BacktestPlans(inputs->history, inputs->events, SeriesOptions(*inputs),
                                    query.model, query.events, query.horizon);
}

}  // namespace patchcast::forecasting
