#include "server/forecast_command.h"

#include <httplib.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "api/forecast_json.h"
#include "api/point_text.h"
#include "api/timestamp_format.h"

namespace patchcast::server {
namespace {

constexpr const char* kForecastHelp =
    "Usage: patchcast forecast --series ID [OPTIONS]\n"
    "       patchcast forecast --all [OPTIONS]\n\n"
    "Forecasts a series (or every series with points), stores the forecast (GET\n"
    "/v1/forecasts/{id}) and prints it. Works on the service's database, or through a running\n"
    "server with --url. Exit status 1 if any forecast failed, 2 for a usage error.\n\n"
    "  --series ID        the series to forecast\n"
    "  --all              every series with points; prints one JSON line per series\n"
    "  --horizon D        how far ahead: 168h (default), 7d, 90m; at most 31 days\n"
    "  --as-of T          RFC 3339 instant to forecast from (default: the end of the data)\n"
    "  --calendars a,b    event calendars (default microsoft)\n"
    "  --format F         json (default) or csv\n"
    "  --db PATH          the database (default var/patchcast.db, or PATCHCAST_DB)\n"
    "  --url URL          a running server instead, e.g. http://127.0.0.1:8080; the bearer token\n"
    "                     comes from --token or PATCHCAST_TOKEN\n"
    "  --token TOKEN      API key for --url\n";

constexpr const char* kBacktestHelp =
    "Usage: patchcast backtest --series ID [OPTIONS]\n\n"
    "Replays forecasts as of the advance-notice Thursday before each of the last N releases and\n"
    "prints the per-event scorecard (JSON) against seasonal-naive and the baseline alone.\n\n"
    "  --series ID        the series\n"
    "  --events N         how many releases (default 12)\n"
    "  --horizon D        forecast horizon (default 168h)\n"
    "  --calendars a,b    event calendars (default microsoft)\n"
    "  --db PATH          the database (default var/patchcast.db, or PATCHCAST_DB)\n"
    "  --url URL          a running server instead; --token or PATCHCAST_TOKEN for its key\n"
    "  --token TOKEN      API key for --url\n";

// What the command line asks for.
struct CommandLine {
  bool forecast = true;  // false: backtest
  bool all = false;
  std::string series;
  std::chrono::seconds horizon{std::chrono::hours{168}};
  std::optional<std::chrono::sys_seconds> as_of;
  std::vector<std::string> calendars{"microsoft"};
  std::string format = "json";
  std::size_t events = 12;
  std::string url;
  std::string token;
};

int UsageError(bool forecast, const std::string& message) {
  std::fprintf(stderr, "patchcast %s: %s\n\n%s", forecast ? "forecast" : "backtest",
               message.c_str(), forecast ? kForecastHelp : kBacktestHelp);
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

// Parses the arguments; returns the usage error's message on failure.
Result<CommandLine> Parse(bool forecast, const std::vector<std::string>& args) {
  CommandLine line;
  line.forecast = forecast;
  std::map<std::string, std::string> values;
  static const std::vector<std::string> kForecastFlags = {
      "--series", "--horizon", "--as-of", "--calendars", "--format", "--url", "--token"};
  static const std::vector<std::string> kBacktestFlags = {"--series",    "--horizon", "--events",
                                                          "--calendars", "--url",     "--token"};
  const auto& known = forecast ? kForecastFlags : kBacktestFlags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--all" && forecast) {
      line.all = true;
      continue;
    }
    if (std::find(known.begin(), known.end(), flag) == known.end()) {
      return InvalidArgument("unknown option '" + flag + "'");
    }
    if (i + 1 >= args.size()) return InvalidArgument(flag + " needs a value");
    values[flag] = args[++i];
  }
  line.series = values["--series"];
  if (line.all == !line.series.empty()) {
    return InvalidArgument(forecast ? "give --series ID or --all" : "give --series ID");
  }
  if (values.count("--horizon")) {
    auto horizon = ParseDuration(values["--horizon"]);
    if (!horizon) return InvalidArgument("--horizon: " + horizon.error().message);
    if (*horizon > api::kMaxHorizon) return InvalidArgument("--horizon: at most 31 days");
    line.horizon = *horizon;
  }
  if (values.count("--as-of")) {
    auto as_of = api::ParseRfc3339Seconds(values["--as-of"]);
    if (!as_of) return InvalidArgument("--as-of: " + as_of.error().message);
    line.as_of = *as_of;
  }
  if (values.count("--calendars")) line.calendars = SplitCommas(values["--calendars"]);
  if (values.count("--format")) line.format = values["--format"];
  if (line.format != "json" && line.format != "csv") {
    return InvalidArgument("--format: json or csv");
  }
  if (values.count("--events")) {
    int events = 0;
    const std::string& text = values["--events"];
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), events);
    if (error != std::errc() || end != text.data() + text.size() || events < 1 || events > 60) {
      return InvalidArgument("--events must be an integer from 1 to 60");
    }
    line.events = static_cast<std::size_t>(events);
  }
  line.url = values["--url"];
  line.token = values.count("--token")                     ? values["--token"]
               : std::getenv("PATCHCAST_TOKEN") != nullptr ? std::getenv("PATCHCAST_TOKEN")
                                                           : "";
  return line;
}

// The request body both paths send: what the HTTP API takes.
nlohmann::json RequestBody(const CommandLine& line) {
  // The API takes whole hours.
  nlohmann::json body = {{"horizon_hours", (line.horizon.count() + 3599) / 3600},
                         {"calendars", line.calendars}};
  if (!line.forecast) body["events"] = line.events;
  if (line.as_of) body["as_of"] = api::FormatRfc3339(*line.as_of);
  return body;
}

// Forecasts and stores one series on the database; returns the rendered document.
Result<nlohmann::json> ForecastAndStore(ForecastCommandContext& context, const CommandLine& line,
                                        const std::string& series_id) {
  forecasting::ForecastQuery query;
  query.series_id = series_id;
  query.horizon = line.horizon;
  query.as_of = line.as_of;
  query.calendars = line.calendars;
  auto run = context.service.Forecast(query);
  if (!run) return run.error();
  const api::ForecastHeader header{context.new_forecast_id(), series_id, run->as_of,
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

int Failure(const CommandLine& line, const std::string& message) {
  std::fprintf(stderr, "patchcast %s: %s\n", line.forecast ? "forecast" : "backtest",
               message.c_str());
  return 1;
}

int RunLocal(const CommandLine& line, ForecastCommandContext& context) {
  if (!line.forecast) {
    auto result =
        context.service.Backtest({line.series, line.events, line.horizon, line.calendars});
    if (!result) return Failure(line, result.error().message);
    std::printf("%s\n", api::BacktestJson(line.series, *result).dump(2).c_str());
    return 0;
  }
  if (!line.all) {
    auto document = ForecastAndStore(context, line, line.series);
    if (!document) return Failure(line, document.error().message);
    if (line.format == "csv") {
      std::fputs(api::ForecastCsv(*document).value_or("").c_str(), stdout);
    } else {
      std::printf("%s\n", document->dump().c_str());
    }
    return 0;
  }
  auto listed = context.series.ListSeries("");
  if (!listed) return Failure(line, listed.error().message);
  int failures = 0;
  for (const forecasting::SeriesSummary& series : *listed) {
    if (series.point_count == 0) continue;
    auto document = ForecastAndStore(context, line, series.metadata.id);
    nlohmann::json result = {{"series", series.metadata.id}};
    if (document) {
      result["forecast_id"] = (*document)["id"];
      result["events"] = (*document)["events"].size();
    } else {
      result["error"] = document.error().message;
      ++failures;
    }
    std::printf("%s\n", result.dump().c_str());
  }
  return failures == 0 ? 0 : 1;
}

// Calls a running server. Returns the body of a 2xx reply, or the error message.
Result<std::string> Call(httplib::Client& client, const std::string& method,
                         const std::string& path, const std::string& body) {
  auto reply = method == "GET" ? client.Get(path.c_str())
                               : client.Post(path.c_str(), body, "application/json");
  if (!reply) return Unavailable("cannot reach the server: " + httplib::to_string(reply.error()));
  if (reply->status / 100 == 2) return reply->body;
  auto error = nlohmann::json::parse(reply->body, nullptr, false);
  const std::string message = error.is_object() && error.contains("error")
                                  ? error["error"].value("message", reply->body)
                                  : reply->body;
  return Internal("HTTP " + std::to_string(reply->status) + ": " + message);
}

int RunRemote(const CommandLine& line) {
  httplib::Client client(line.url);
  client.set_connection_timeout(10);
  client.set_read_timeout(120);
  if (!line.token.empty()) client.set_bearer_token_auth(line.token.c_str());
  const std::string body = RequestBody(line).dump();
  if (!line.forecast) {
    auto result = Call(client, "POST", "/v1/series/" + line.series + "/backtest", body);
    if (!result) return Failure(line, result.error().message);
    std::printf("%s", result->c_str());
    return 0;
  }
  const std::string query = line.format == "csv" ? "?format=csv" : "";
  if (!line.all) {
    auto result = Call(client, "POST", "/v1/series/" + line.series + "/forecast" + query, body);
    if (!result) return Failure(line, result.error().message);
    std::printf("%s", result->c_str());
    return 0;
  }
  auto listed = Call(client, "GET", "/v1/series", "");
  if (!listed) return Failure(line, listed.error().message);
  const nlohmann::json all = nlohmann::json::parse(*listed);
  int failures = 0;
  for (const auto& series : all["series"]) {
    if (series["point_count"] == 0) continue;
    const std::string id = series["id"];
    auto result = Call(client, "POST", "/v1/series/" + id + "/forecast", body);
    nlohmann::json line_out = {{"series", id}};
    if (result) {
      auto document = nlohmann::json::parse(*result);
      line_out["forecast_id"] = document["id"];
      line_out["events"] = document["events"].size();
    } else {
      line_out["error"] = result.error().message;
      ++failures;
    }
    std::printf("%s\n", line_out.dump().c_str());
  }
  return failures == 0 ? 0 : 1;
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
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(forecast ? kForecastHelp : kBacktestHelp, stdout);
      return 0;
    }
  }
  auto line = Parse(forecast, args);
  if (!line) return UsageError(forecast, line.error().message);
  if (!line->url.empty()) return RunRemote(*line);
  ForecastCommandContext* context = open();
  if (context == nullptr) return 1;
  return RunLocal(*line, *context);
}

}  // namespace patchcast::server
