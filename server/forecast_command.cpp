#include "server/forecast_command.h"

#include "api/forecast_document.h"
#include "api/forecast_json.h"
#include "api/plan_document.h"
#include "server/command_line.h"
#include "server/command_report.h"
#include "server/plan_command.h"
#include "server/remote_api.h"

namespace patchcast::server {
namespace {

constexpr std::string_view kForecastHelp =
    "Usage: patchcast forecast --series ID [OPTIONS]\n"
    "       patchcast forecast --all [--plan] [OPTIONS]\n\n"
    "Forecasts a series (or every series with points), stores the forecast (GET\n"
    "/v1/forecasts/{id}) and prints it. Works on the service's database, or through a running\n"
    "server with --url. With --all, one JSON line per series on stdout (its forecast id, or\n"
    "\"skipped\" for a series with under a week of history) and one per failure on stderr.\n"
    "With --all --plan, the weekly job in one command: a series with a stored capacity model is\n"
    "planned as `patchcast plan` plans it (its fresh forecast is kept with the plan, and its line\n"
    "is the plan's), the others are forecast (their line has \"plan_id\": null).\n\n"
    "Exit status: 0 every series forecast (and planned); 1 some series failed; 2 usage error;\n"
    "3 database or server unreachable; 4 none failed but some were skipped (too little history\n"
    "yet).\n\n"
    "  --series ID        the series to forecast\n"
    "  --all              every series with points; prints one JSON line per series\n"
    "  --plan             with --all: also plan every series that has a capacity model\n"
    "  --horizon D        how far ahead: 168h (default), 7d, 90m; at most 31 days\n"
    "  --as-of T          RFC 3339 instant to forecast from (default: the end of the data)\n"
    "  --format F         json (default) or csv\n";

constexpr std::string_view kBacktestHelp =
    "Usage: patchcast backtest --series ID [OPTIONS]\n\n"
    "Replays forecasts as of the advance-notice Thursday before each of the last N releases and\n"
    "prints the per-event scorecard (JSON) against seasonal-naive and the baseline alone.\n\n"
    "  --series ID        the series\n"
    "  --events N         how many releases (default 12)\n"
    "  --horizon D        forecast horizon (default 168h)\n";

const CommandSpec kForecast{
    "forecast", kForecastHelp, CommandSpec::Kind::kMake, {"json", "csv"}, /*takes_plan=*/true};
const CommandSpec kBacktest{"backtest", kBacktestHelp, CommandSpec::Kind::kBacktest, {}};

// The members of a forecast's --all line after "series".
nlohmann::json ForecastSummary(const nlohmann::json& document) {
  return {{"forecast_id", document["id"]}, {"events", document["events"].size()}};
}

// With --plan, a plan's line is PlanSummary's, a forecast's ForecastSummary's with no plan id.
nlohmann::json ForecastOrPlanSummary(const nlohmann::json& document) {
  if (document.contains("buckets")) return PlanSummary(document);
  nlohmann::json line = ForecastSummary(document);
  line["plan_id"] = nullptr;
  return line;
}

SummarizeSeries SummaryFor(const CommandLine& line) {
  return line.plan ? ForecastOrPlanSummary : ForecastSummary;
}

// Forecasts and keeps one series on the database; returns the kept forecast.
Result<forecasting::ForecastRecord> ForecastAndKeep(CommandContext& context,
                                                    const CommandLine& line,
                                                    const std::string& series_id) {
  forecasting::ForecastQuery query;
  query.series_id = series_id;
  query.horizon = line.horizon;
  query.as_of = line.as_of;
  query.calendars = line.calendars;
  return context.planning.MakeForecast(query, context.mint.Forecast());
}

// The kept forecast as --format asks: its document on one line, or CSV.
Result<std::string> Rendered(const CommandLine& line,
                             const Result<forecasting::ForecastRecord>& record) {
  if (!record) return record.error();
  if (line.format == "csv") return api::ForecastCsv(*record);
  return api::ForecastDocument(*record).dump() + "\n";
}

int ForecastLocal(const CommandLine& line, CommandContext& context, const CommandIo& io) {
  if (!line.all) {
    return PrintOutcome(io.out, io.err, kForecast,
                        Rendered(line, ForecastAndKeep(context, line, line.series)));
  }
  const nlohmann::json plan_request = RequestBody(line);
  const auto make = [&](const std::string& series_id) -> Result<nlohmann::json> {
    if (line.plan) {
      auto planned = HasCapacityModel(context.settings, series_id);
      if (!planned) return planned.error();
      if (*planned) {
        auto plan = context.plan_maker.Make(series_id, plan_request);
        if (!plan) return plan.error();
        return api::PlanDocument(*plan);
      }
    }
    auto record = ForecastAndKeep(context, line, series_id);
    if (!record) return record.error();
    return api::ForecastDocument(*record);
  };
  return RunAllSeries(kForecast, SeriesWithPoints(context.series), make, SummaryFor(line), io.out,
                      io.err);
}

int BacktestLocal(const CommandLine& line, CommandContext& context, const CommandIo& io) {
  auto result = context.service.Backtest({line.series, line.events, line.horizon, line.calendars});
  if (!result) return Failure(io.err, kBacktest, result.error());
  return PrintOutcome(io.out, io.err, kBacktest,
                      api::BacktestJson(line.series, *result).dump(2) + "\n");
}

int ForecastRemote(const CommandLine& line, const CommandIo& io) {
  RemoteApi remote(line.url, line.token);
  const std::string body = RequestBody(line).dump();
  if (line.all) {
    const auto make = [&](const std::string& series_id) -> Result<nlohmann::json> {
      if (line.plan) {
        auto planned = HasCapacityModel(remote, series_id);
        if (!planned) return planned.error();
        if (*planned) return remote.PostJson("/v1/series/" + series_id + "/plan", body);
      }
      return remote.PostJson("/v1/series/" + series_id + "/forecast", body);
    };
    return RunAllSeries(kForecast, remote.SeriesWithPoints(), make, SummaryFor(line), io.out,
                        io.err);
  }
  const std::string query = line.format == "csv" ? "?format=csv" : "";
  return PrintOutcome(io.out, io.err, kForecast,
                      remote.Post("/v1/series/" + line.series + "/forecast" + query, body));
}

int BacktestRemote(const CommandLine& line, const CommandIo& io) {
  RemoteApi remote(line.url, line.token);
  nlohmann::json body = RequestBody(line);
  body["events"] = line.events;
  return PrintOutcome(io.out, io.err, kBacktest,
                      remote.Post("/v1/series/" + line.series + "/backtest", body.dump()));
}

}  // namespace

int RunForecastCommand(const std::string& command, const std::vector<std::string>& args,
                       const CommandIo& io) {
  const bool forecast = command == "forecast";
  return RunCommand(
      forecast ? kForecast : kBacktest, args, io,
      [&](const CommandLine& line) {
        return forecast ? ForecastRemote(line, io) : BacktestRemote(line, io);
      },
      [&](const CommandLine& line, CommandContext& context) {
        return forecast ? ForecastLocal(line, context, io) : BacktestLocal(line, context, io);
      });
}

}  // namespace patchcast::server
