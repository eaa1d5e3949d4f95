// How the cron commands (`patchcast forecast`, `plan`, `backtest`) run, and what they reach besides
// their arguments: the environment, the database's services (opened only once the arguments are
// valid, and only when a command runs on the database rather than through a server), stdout and
// stderr.
//
// References only: main builds what they refer to and keeps it alive while the command runs.
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "api/plan_maker.h"
#include "api/record_mint.h"
#include "api/series_settings.h"
#include "core/result.h"
#include "forecasting/forecast_service.h"
#include "forecasting/planning_service.h"
#include "forecasting/series_repository.h"
#include "server/command_line.h"
#include "server/config.h"

namespace patchcast::server {

// The services on the database.
struct CommandContext {
  forecasting::SeriesRepository& series;
  const forecasting::ForecastService& service;   // backtests
  const forecasting::PlanningService& planning;  // makes and keeps forecasts
  const api::SeriesSettings& settings;           // which series have a capacity model
  const api::PlanMaker& plan_maker;              // makes and keeps plans as POST …/plan does
  const api::RecordMint& mint;                   // a new forecast's id and time
};

// Opens the database; returns null (having said why on stderr) when it cannot.
using ContextOpener = std::function<CommandContext*()>;

struct CommandIo {
  const Environment& env;  // the PATCHCAST_* variables (PATCHCAST_TOKEN)
  ContextOpener open;      // called at most once, and only in local mode
  std::ostream& out;       // results
  std::ostream& err;       // failures and usage errors
};

// Runs a command: prints its help on io.out for --help or -h (kExitOk); else parses `args` as
// `spec` says (a usage error is printed with the help: kExitUsage) and runs `remote` for --url,
// else `local` on the database (kExitUnreachable when it cannot be opened). Returns their status.
int RunCommand(const CommandSpec& spec, const std::vector<std::string>& args, const CommandIo& io,
               const std::function<int(const CommandLine&)>& remote,
               const std::function<int(const CommandLine&, CommandContext&)>& local);

// The ids of the series with at least one point, in ListSeries' order. Errors: ListSeries'.
Result<std::vector<std::string>> SeriesWithPoints(const forecasting::SeriesRepository& series);

}  // namespace patchcast::server
