// `patchcast forecast` and `patchcast backtest`: the forecasting service for cron jobs, on the
// service's database (WAL lets it run beside a live server) or through a running server (--url).
//
//   patchcast forecast --series ID [--horizon 168h] [--as-of T] [--format json|csv]
//                      [--calendars a,b] [--db PATH | --url URL [--token T]]
//   patchcast forecast --all [--horizon …]   forecasts and stores every series with points
//   patchcast backtest --series ID [--events 12] [--horizon 168h] [--calendars a,b] [--db … | --url
//   …]
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "forecasting/clock.h"
#include "forecasting/forecast_repository.h"
#include "forecasting/forecast_service.h"
#include "forecasting/series_repository.h"

namespace patchcast::server {

struct ForecastCommandContext {
  forecasting::SeriesRepository& series;
  forecasting::ForecastRepository& forecasts;
  const forecasting::ForecastService& service;
  const Clock& clock;
  std::function<std::string()> new_forecast_id;
};

// Opens the database once the arguments are known to be valid; returns null (having said why on
// stderr) when it cannot.
using ContextOpener = std::function<ForecastCommandContext*()>;

// Runs `command` ("forecast" or "backtest") with `args` (after the command, --db removed). Prints
// the forecast or backtest on stdout (forecast --all: one line per series) and errors on stderr.
// Returns 0, 1 if the database cannot be opened or any forecast failed, 2 for a usage error.
int RunForecastCommand(const std::string& command, const std::vector<std::string>& args,
                       const ContextOpener& open);

// Parses a duration like "168h", "7d", "90m" or "3600s"; a bare number is hours. Returns
// kInvalidArgument naming `text`.
Result<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace patchcast::server
