// ForecastService: runs ForecastDemand, Backtest and BacktestPlans for a stored series — reads its
// history through the series port, takes the events of the asked calendars from the catalog, and
// calls the pure model. Shared by the HTTP API and the `patchcast forecast` command.
//
// No I/O of its own and no clock: the ports do the reading, as_of is a parameter (default: the end
// of the series' data). Thread-safe when the ports are.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/backtest.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/forecast.h"
#include "forecasting/plan_backtest.h"
#include "forecasting/series_repository.h"

namespace patchcast::forecasting {

struct ForecastQuery {
  std::string series_id;
  std::chrono::seconds horizon{std::chrono::hours{168}};
  std::optional<std::chrono::sys_seconds> as_of;  // default: the end of the series' data
  std::vector<double> quantiles{0.5, 0.9, 0.99};
  std::vector<std::string> calendars{"microsoft"};
  std::vector<WhatIf> what_if;
  bool explain = false;
};

struct BacktestQuery {
  std::string series_id;
  std::size_t events = 12;
  std::chrono::seconds horizon{std::chrono::hours{168}};
  std::vector<std::string> calendars{"microsoft"};
};

struct PlanBacktestQuery {
  std::string series_id;
  std::size_t events = 12;
  std::chrono::seconds horizon{std::chrono::hours{168}};
  std::vector<std::string> calendars{"microsoft"};
  CapacityModel model;  // the capacity model every replayed plan is made with
};

struct ForecastRun {
  SeriesSummary series;
  std::chrono::sys_seconds as_of{};
  Forecast forecast;
};

// Where a series' own reboot-wave prior comes from (its stored settings). Implementations must be
// thread-safe.
class RebootPriorSource {
 public:
  virtual ~RebootPriorSource() = default;
  // Returns the series' prior: its stored one, or RebootPrior's defaults. Errors: store errors.
  virtual Result<RebootPrior> PriorFor(std::string_view series_id) const = 0;
};

class ForecastService {
 public:
  // How much history before as_of a forecast learns from: 400 days, a year of events and more.
  static constexpr std::chrono::days kHistory{400};

  // The ports must outlive the service. Without `priors`, every series has the default prior.
  ForecastService(const SeriesRepository& series, const CalendarCatalog& calendars,
                  const RebootPriorSource* priors = nullptr)
      : series_(series), calendars_(calendars), priors_(priors) {}

  // Forecasts query.series_id. Errors: kNotFound for the series or a calendar; kUnprocessable
  // "series 'x' has no points yet"; ForecastDemand's errors.
  Result<ForecastRun> Forecast(const ForecastQuery& query) const;

  // Replays forecasts as of the advance notice before each of the last query.events releases.
  // Errors as for Forecast, and Backtest's.
  Result<BacktestResult> Backtest(const BacktestQuery& query) const;

  // Replays the capacity plans of the last query.events releases and scores them against the
  // demand that came (plan_backtest.h). Errors as for Forecast, and BacktestPlans'.
  Result<PlanBacktestResult> BacktestPlans(const PlanBacktestQuery& query) const;

 private:
  struct Inputs {
    SeriesSummary series;
    RegularSeries history;
    std::vector<calendars::Event> events;
    RebootPrior prior;
  };
  // Reads the history up to `as_of` and the events that can act on [history start, as_of +
  // horizon).
  Result<Inputs> Load(const std::string& series_id, std::optional<std::chrono::sys_seconds> as_of,
                      std::chrono::seconds horizon,
                      const std::vector<std::string>& calendar_ids) const;

  // The options every run on the series shares: its zone mix and its prior (moved out of
  // `inputs`).
  static ForecastOptions SeriesOptions(Inputs& inputs);

  const SeriesRepository& series_;
  const CalendarCatalog& calendars_;
  const RebootPriorSource* priors_;
};

}  // namespace patchcast::forecasting
