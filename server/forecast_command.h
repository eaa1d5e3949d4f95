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

// Exit statuses of `patchcast forecast` and `patchcast backtest`, for cron jobs.
enum ExitStatus : int {
  kExitOk = 0,           // every series asked for was forecast
  kExitFailed = 1,       // at least one series failed (an unknown series, a store error, ...)
  kExitUsage = 2,        // the command line is wrong; nothing was done
  kExitUnreachable = 3,  // the database could not be opened, or the server could not be reached
  kExitSkipped = 4,      // none failed, but some series were skipped: too little history yet
};

// Runs `command` ("forecast" or "backtest") with `args` (after the command, --db removed). Prints
// the forecast or backtest on stdout; with forecast --all, one JSON line per series on stdout,
// {"series","forecast_id","events"} or {"series","skipped"} (a series with too little history
// to forecast: less than a week), and one JSON line per failed series on stderr,
// {"series","error"}. Other errors go to stderr as a line of text. Returns an ExitStatus: a
// failure outranks a skip.
int RunForecastCommand(const std::string& command, const std::vector<std::string>& args,
                       const ContextOpener& open);

// Parses a duration like "168h", "7d", "90m" or "3600s"; a bare number is hours. Returns
// kInvalidArgument naming `text`.
Result<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace patchcast::server
