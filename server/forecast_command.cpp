#include "server/forecast_command.h"

#include <httplib.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
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
    "server with --url. With --all, one JSON line per series on stdout (its forecast id, or\n"
    "\"skipped\" for a series with under a week of history) and one per failure on stderr.\n\n"
    "Exit status: 0 every series forecast; 1 some series failed; 2 usage error; 3 database or\n"
    "server unreachable; 4 none failed but some were skipped (too little history yet).\n\n"
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
  return kExitUsage;
}

// Tallies the series of a --all run and prints each one's line: results on stdout, failures on
// stderr, all as JSON lines.
class AllSeriesReport {
 public:
  void Forecast(const std::string& series, const nlohmann::json& document) {
    Print(stdout, {{"series", series},
                   {"forecast_id", document["id"]},
                   {"events", document["events"].size()}});
  }
  // A series the forecaster cannot use yet (kUnprocessable: too little history) is skipped; any
  // other error is a failure.
  void Error(const std::string& series, const patchcast::Error& error) {
    if (error.code == ErrorCode::kUnprocessable) {
      ++skipped_;
      Print(stdout, {{"series", series}, {"skipped", error.message}});
    } else {
      ++failed_;
      Print(stderr, {{"series", series}, {"error", error.message}});
    }
  }
  int Status() const { return failed_ > 0 ? kExitFailed : skipped_ > 0 ? kExitSkipped : kExitOk; }

 private:
  static void Print(std::FILE* stream, const nlohmann::json& line) {
    std::fprintf(stream, "%s\n", line.dump().c_str());
  }
  int failed_ = 0;
  int skipped_ = 0;
};

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

// Prints `error` on stderr; returns kExitUnreachable for an unreachable server or database
// (kUnavailable), else kExitFailed.
int Failure(const CommandLine& line, const patchcast::Error& error) {
  std::fprintf(stderr, "patchcast %s: %s\n", line.forecast ? "forecast" : "backtest",
               error.message.c_str());
  return error.code == ErrorCode::kUnavailable ? kExitUnreachable : kExitFailed;
}

int RunLocal(const CommandLine& line, ForecastCommandContext& context) {
  if (!line.forecast) {
    auto result =
        context.service.Backtest({line.series, line.events, line.horizon, line.calendars});
    if (!result) return Failure(line, result.error());
    std::printf("%s\n", api::BacktestJson(line.series, *result).dump(2).c_str());
    return kExitOk;
  }
  if (!line.all) {
    auto document = ForecastAndStore(context, line, line.series);
    if (!document) return Failure(line, document.error());
    if (line.format == "csv") {
      std::fputs(api::ForecastCsv(*document).value_or("").c_str(), stdout);
    } else {
      std::printf("%s\n", document->dump().c_str());
    }
    return kExitOk;
  }
  auto listed = context.series.ListSeries("");
  if (!listed) return Failure(line, listed.error());
  AllSeriesReport report;
  for (const forecasting::SeriesSummary& series : *listed) {
    if (series.point_count == 0) continue;
    auto document = ForecastAndStore(context, line, series.metadata.id);
    if (document) {
      report.Forecast(series.metadata.id, *document);
    } else {
      report.Error(series.metadata.id, document.error());
    }
  }
  return report.Status();
}

// Why a call to `url` got no HTTP reply, in words (httplib names its errors in one word).
std::string Unreachable(const std::string& url, httplib::Error error) {
  std::string why;
  switch (error) {
    case httplib::Error::Connection:
      why = "could not connect (is the server running, and is the address right?)";
      break;
    case httplib::Error::ConnectionTimeout:
      why = "the connection timed out after 10 s";
      break;
    case httplib::Error::Read:
      why = "the connection broke, or no reply came within 120 s";
      break;
    case httplib::Error::Write:
      why = "the connection broke while sending the request";
      break;
    default:
      why = httplib::to_string(error);
  }
  return "cannot reach the server at " + url + ": " + why;
}

// Calls the running server at `url`. Returns the body of a 2xx reply; else kUnavailable when no
// reply came, kUnprocessable for a 422 (a series too short to forecast), kInternal otherwise, with
// the server's message.
Result<std::string> Call(httplib::Client& client, const std::string& url, const std::string& method,
                         const std::string& path, const std::string& body) {
  auto reply = method == "GET" ? client.Get(path.c_str())
                               : client.Post(path.c_str(), body, "application/json");
  if (!reply) return Unavailable(Unreachable(url, reply.error()));
  if (reply->status / 100 == 2) return reply->body;
  auto error = nlohmann::json::parse(reply->body, nullptr, false);
  const std::string message =
      "HTTP " + std::to_string(reply->status) + ": " +
      (error.is_object() && error.contains("error") ? error["error"].value("message", reply->body)
                                                    : reply->body);
  if (reply->status == 422) return Unprocessable(message);
  return Internal(message);
}

int RunRemote(const CommandLine& line) {
  httplib::Client client(line.url);
  client.set_connection_timeout(10);
  client.set_read_timeout(120);
  if (!line.token.empty()) client.set_bearer_token_auth(line.token.c_str());
  const std::string body = RequestBody(line).dump();
  const auto call = [&](const std::string& method, const std::string& path,
                        const std::string& request_body) {
    return Call(client, line.url, method, path, request_body);
  };
  if (!line.forecast) {
    auto result = call("POST", "/v1/series/" + line.series + "/backtest", body);
    if (!result) return Failure(line, result.error());
    std::printf("%s", result->c_str());
    return kExitOk;
  }
  const std::string query = line.format == "csv" ? "?format=csv" : "";
  if (!line.all) {
    auto result = call("POST", "/v1/series/" + line.series + "/forecast" + query, body);
    if (!result) return Failure(line, result.error());
    std::printf("%s", result->c_str());
    return kExitOk;
  }
  auto listed = call("GET", "/v1/series", "");
  if (!listed) return Failure(line, listed.error());
  const nlohmann::json all = nlohmann::json::parse(*listed);
  AllSeriesReport report;
  for (const auto& series : all["series"]) {
    if (series["point_count"] == 0) continue;
    const std::string id = series["id"];
    auto result = call("POST", "/v1/series/" + id + "/forecast", body);
    if (!result && result.error().code == ErrorCode::kUnavailable) {
      return Failure(line, result.error());  // the server went away: the rest would fail too
    }
    if (result) {
      report.Forecast(id, nlohmann::json::parse(*result));
    } else {
      report.Error(id, result.error());
    }
  }
  return report.Status();
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
  if (context == nullptr) return kExitUnreachable;
  return RunLocal(*line, *context);
}

}  // namespace patchcast::server
