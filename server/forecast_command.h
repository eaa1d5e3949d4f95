// `patchcast forecast` and `patchcast backtest`: the forecasting service for cron jobs, on the
// service's database (WAL lets it run beside a live server) or through a running server (--url).
//
//   patchcast forecast --series ID [--horizon 168h] [--as-of T] [--format json|csv]
//                      [--calendars a,b] [--db PATH | --url URL [--token T]]
//   patchcast forecast --all [--horizon …]   forecasts and stores every series with points
//   patchcast forecast --all --plan [...]    and plans those with a capacity model instead
//   patchcast backtest --series ID [--events 12] [--horizon 168h] [--calendars a,b]
//                      [--db … | --url …]
#pragma once

#include <string>
#include <vector>

#include "server/command_report.h"
#include "server/command_runner.h"

namespace patchcast::server {

// Runs `command` ("forecast" or "backtest") with `args` (after the command, --db removed). Prints
// the forecast or backtest on io.out; with forecast --all, one JSON line per series with points on
// io.out, {"series","forecast_id","events"} or {"series","skipped"} (a series with too little
// history to forecast: less than a week), and one JSON line per failed series on io.err,
// {"series","error"} (command_report.h). With --all --plan, a series with a stored capacity model
// is planned as `patchcast plan` plans it and its line is PlanSummary's; the others' lines have
// "plan_id": null. Other errors go to io.err as a line of text. Returns an ExitStatus
// (command_report.h).
int RunForecastCommand(const std::string& command, const std::vector<std::string>& args,
                       const CommandIo& io);

}  // namespace patchcast::server
