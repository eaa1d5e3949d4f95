#include "server/forecast_command.h"

#include <charconv>
#include <cstdio>
#include <map>

#include "api/forecast_json.h"
#include "api/point_text.h"

namespace patchcast::server {
namespace {

constexpr const char* kForecastHelp =
    "Usage: patchcast forecast --series ID [OPTIONS]\n"
    "       patchcast forecast --all [OPTIONS]\n\n"
    "Forecasts a series (or every series with points) from the service's database, stores the\n"
    "forecast (GET /v1/forecasts/{id}) and prints it. Exit status 1 if any forecast failed.\n\n"
    "  --series ID        the series to forecast\n"
    "  --all              every series with points; prints one JSON line per series\n"
    "  --horizon D        how far ahead: 168h (default), 7d, 90m; at most 31 days\n"
    "  --as-of T          RFC 3339 instant to forecast from (default: the end of the data)\n"
    "  --calendars a,b    event calendars (default microsoft)\n"
    "  --format F         json (default) or csv\n"
    "  --db PATH          the database (default var/patchcast.db, or PATCHCAST_DB)\n";

constexpr const char* kBacktestHelp =
    "Usage: patchcast backtest --series ID [OPTIONS]\n\n"
    "Replays forecasts as of the advance-notice Thursday before each of the last N releases and\n"
    "prints the per-event scorecard (JSON) against seasonal-naive and the baseline alone.\n\n"
    "  --series ID        the series\n"
    "  --events N         how many releases (default 12)\n"
    "  --horizon D        forecast horizon (default 168h)\n"
    "  --calendars a,b    event calendars (default microsoft)\n"
    "  --db PATH          the database (default var/patchcast.db, or PATCHCAST_DB)\n";

int UsageError(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "patchcast %s: %s\n\n%s", command.c_str(), message.c_str(),
               command == "forecast" ? kForecastHelp : kBacktestHelp);
  return 2;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

// Forecasts and stores `query`; returns the rendered document.
Result<nlohmann::json> ForecastAndStore(ForecastCommandContext& context,
                                        const forecasting::ForecastQuery& query) {
  auto run = context.service.Forecast(query);
  if (!run) return run.error();
  const api::ForecastHeader header{context.new_forecast_id(), query.series_id, run->as_of,
                                   std::chrono::floor<std::chrono::seconds>(context.clock.Now()),
                                   run->series.metadata.step_seconds};
  nlohmann::json document = api::ForecastJson(header, run->forecast);
  if (Status saved =
          context.forecasts.Save({header.id, header.series, header.generated_at, document.dump()});
      !saved) {
    return saved.error();
  }
  return document;
}

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  static const std::map<std::string_view, std::int64_t> kUnits = {
      {"", 3600}, {"h", 3600}, {"d", 86400}, {"m", 60}, {"s", 1}};
  auto multiplier = kUnits.find(unit);
  if (text.empty() || error != std::errc() || number <= 0 || multiplier == kUnits.end()) {
    return InvalidArgument("'" + std::string(text) + "' is not a duration such as 168h, 7d or 90m");
  }
  return std::chrono::seconds{number * multiplier->second};
}

int RunForecastCommand(const std::string& command, const std::vector<std::string>& args,
                       const ContextOpener& open) {
  const bool forecast = command == "forecast";
  std::map<std::string, std::string> values;
  bool all = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(forecast ? kForecastHelp : kBacktestHelp, stdout);
      return 0;
    }
    if (flag == "--all" && forecast) {
      all = true;
      continue;
    }
    static const std::vector<std::string> kForecastFlags = {"--series", "--horizon", "--as-of",
                                                            "--calendars", "--format"};
    static const std::vector<std::string> kBacktestFlags = {"--series", "--horizon", "--events",
                                                            "--calendars"};
    const auto& known = forecast ? kForecastFlags : kBacktestFlags;
    if (std::find(known.begin(), known.end(), flag) == known.end()) {
      return UsageError(command, "unknown option '" + flag + "'");
    }
    if (i + 1 >= args.size()) return UsageError(command, flag + " needs a value");
    values[flag] = args[++i];
  }
  if (all == (values.count("--series") > 0)) {
    return UsageError(command, forecast ? "give --series ID or --all" : "give --series ID");
  }
  std::chrono::seconds horizon{std::chrono::hours{168}};
  if (values.count("--horizon")) {
    auto parsed = ParseDuration(values["--horizon"]);
    if (!parsed) return UsageError(command, "--horizon: " + parsed.error().message);
    if (*parsed > api::kMaxHorizon) return UsageError(command, "--horizon: at most 31 days");
    horizon = *parsed;
  }
  std::vector<std::string> calendars = {"microsoft"};
  if (values.count("--calendars")) calendars = SplitCommas(values["--calendars"]);

  if (!forecast) {
    std::size_t events = 12;
    if (values.count("--events")) {
      int parsed = 0;
      const std::string& text = values["--events"];
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
      if (error != std::errc() || end != text.data() + text.size() || parsed < 1 || parsed > 60) {
        return UsageError(command, "--events must be an integer from 1 to 60");
      }
      events = static_cast<std::size_t>(parsed);
    }
    ForecastCommandContext* context = open();
    if (context == nullptr) return 1;
    forecasting::BacktestQuery query{values["--series"], events, horizon, calendars};
    auto result = context->service.Backtest(query);
    if (!result) {
      std::fprintf(stderr, "patchcast backtest: %s\n", result.error().message.c_str());
      return 1;
    }
    std::printf("%s\n", api::BacktestJson(query.series_id, *result).dump(2).c_str());
    return 0;
  }

  forecasting::ForecastQuery query;
  query.horizon = horizon;
  query.calendars = calendars;
  if (values.count("--as-of")) {
    auto as_of = api::ParseRfc3339Seconds(values["--as-of"]);
    if (!as_of) return UsageError(command, "--as-of: " + as_of.error().message);
    query.as_of = *as_of;
  }
  const std::string format = values.count("--format") ? values["--format"] : "json";
  if (format != "json" && format != "csv") return UsageError(command, "--format: json or csv");
  ForecastCommandContext* context = open();
  if (context == nullptr) return 1;

  if (!all) {
    query.series_id = values["--series"];
    auto document = ForecastAndStore(*context, query);
    if (!document) {
      std::fprintf(stderr, "patchcast forecast: %s\n", document.error().message.c_str());
      return 1;
    }
    if (format == "csv") {
      std::fputs(api::ForecastCsv(*document).value_or("").c_str(), stdout);
    } else {
      std::printf("%s\n", document->dump().c_str());
    }
    return 0;
  }

  auto listed = context->series.ListSeries("");
  if (!listed) {
    std::fprintf(stderr, "patchcast forecast: %s\n", listed.error().message.c_str());
    return 1;
  }
  int failures = 0;
  for (const forecasting::SeriesSummary& series : *listed) {
    if (series.point_count == 0) continue;
    query.series_id = series.metadata.id;
    auto document = ForecastAndStore(*context, query);
    nlohmann::json line = {{"series", query.series_id}};
    if (document) {
      line["forecast_id"] = (*document)["id"];
      line["events"] = (*document)["events"].size();
    } else {
      line["error"] = document.error().message;
      ++failures;
    }
    std::printf("%s\n", line.dump().c_str());
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace patchcast::server
