#include "server/command_line.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>
#include <map>

#include "api/forecast_json.h"
#include "api/point_text.h"
#include "api/timestamp_format.h"
#include "forecasting/series.h"

namespace patchcast::server {
namespace {

using Values = std::map<std::string, std::string, std::less<>>;

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

// "json", "json or csv", "json, csv or ics".
std::string OneOf(const std::vector<std::string_view>& choices) {
  std::string text;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) text += i + 1 == choices.size() ? " or " : ", ";
    text += choices[i];
  }
  return text;
}

constexpr std::string_view kSharedHelp =
    "  --calendars a,b    event calendars (default microsoft)\n"
    "  --db PATH          the database (default var/patchcast.db, or PATCHCAST_DB)\n"
    "  --url URL          a running server instead, e.g. http://127.0.0.1:8080; the bearer token\n"
    "                     comes from --token or PATCHCAST_TOKEN\n"
    "  --token TOKEN      API key for --url\n";

// The options with a value that `kind` takes.
bool TakesOption(CommandSpec::Kind kind, std::string_view option) {
  static constexpr std::array<std::string_view, 5> kShared = {"--series", "--horizon",
                                                              "--calendars", "--url", "--token"};
  if (std::find(kShared.begin(), kShared.end(), option) != kShared.end()) return true;
  if (kind == CommandSpec::Kind::kBacktest) return option == "--events";
  return option == "--as-of" || option == "--format";
}

// Sorts `args` into --all and the options' values; checks that each is one `spec` takes.
Result<Values> ReadOptions(const CommandSpec& spec, const std::vector<std::string>& args,
                           CommandLine& line) {
  const bool takes_all = spec.kind == CommandSpec::Kind::kMake;
  Values values;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& option = args[i];
    if (option == "--all" && takes_all) {
      line.all = true;
      continue;
    }
    if (option == "--plan" && spec.takes_plan) {
      line.plan = true;
      continue;
    }
    if (!TakesOption(spec.kind, option)) return InvalidArgument("unknown option '" + option + "'");
    if (i + 1 >= args.size()) return InvalidArgument(option + " needs a value");
    values[option] = args[++i];
  }
  return values;
}

Status ReadSeries(const CommandSpec& spec, const Values& values, CommandLine& line) {
  if (auto it = values.find("--series"); it != values.end()) line.series = it->second;
  if (line.all == !line.series.empty()) {
    return InvalidArgument(spec.kind == CommandSpec::Kind::kMake ? "give --series ID or --all"
                                                                 : "give --series ID");
  }
  if (line.plan && !line.all) {
    return InvalidArgument("--plan goes with --all (for one series, use patchcast plan)");
  }
  if (line.all) return {};
  if (Status valid = forecasting::ValidateSeriesId(line.series); !valid) {
    return InvalidArgument("--series: " + valid.error().message);
  }
  return {};
}

Status ReadTimes(const Values& values, CommandLine& line) {
  if (auto it = values.find("--horizon"); it != values.end()) {
    auto horizon = ParseDuration(it->second);
    if (!horizon) return InvalidArgument("--horizon: " + horizon.error().message);
    if (*horizon > api::kMaxHorizon) return InvalidArgument("--horizon: at most 31 days");
    line.horizon = *horizon;
  }
  if (auto it = values.find("--as-of"); it != values.end()) {
    auto as_of = api::ParseRfc3339Seconds(it->second);
    if (!as_of) return InvalidArgument("--as-of: " + as_of.error().message);
    line.as_of = *as_of;
  }
  return {};
}

Status ReadFormat(const CommandSpec& spec, const Values& values, CommandLine& line) {
  if (spec.formats.empty()) return {};
  line.format = spec.formats.front();
  if (auto it = values.find("--format"); it != values.end()) line.format = it->second;
  if (std::find(spec.formats.begin(), spec.formats.end(), line.format) == spec.formats.end()) {
    return InvalidArgument("--format: " + OneOf(spec.formats));
  }
  return {};
}

Status ReadEvents(const Values& values, CommandLine& line) {
  auto it = values.find("--events");
  if (it == values.end()) return {};
  const std::string& text = it->second;
  int events = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), events);
  if (error != std::errc() || end != text.data() + text.size() || events < 1 || events > 60) {
    return InvalidArgument("--events must be an integer from 1 to 60");
  }
  line.events = static_cast<std::size_t>(events);
  return {};
}

void ReadServer(const Values& values, const Environment& env, CommandLine& line) {
  if (auto it = values.find("--url"); it != values.end()) line.url = it->second;
  if (auto it = values.find("--token"); it != values.end()) {
    line.token = it->second;
  } else if (auto variable = env.find("PATCHCAST_TOKEN"); variable != env.end()) {
    line.token = variable->second;
  }
}

}  // namespace

std::string CommandHelp(const CommandSpec& spec) {
  return std::string(spec.help) + std::string(kSharedHelp);
}

bool AsksForHelp(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const std::string& arg) { return arg == "--help" || arg == "-h"; });
}

Result<CommandLine> ParseCommandLine(const CommandSpec& spec, const std::vector<std::string>& args,
                                     const Environment& env) {
  CommandLine line;
  auto values = ReadOptions(spec, args, line);
  if (!values) return values.error();
  if (Status read = ReadSeries(spec, *values, line); !read) return read.error();
  if (Status read = ReadTimes(*values, line); !read) return read.error();
  if (auto it = values->find("--calendars"); it != values->end()) {
    line.calendars = SplitCommas(it->second);
  }
  if (Status read = ReadFormat(spec, *values, line); !read) return read.error();
  if (Status read = ReadEvents(*values, line); !read) return read.error();
  ReadServer(*values, env, line);
  return line;
}

nlohmann::json RequestBody(const CommandLine& line) {
  nlohmann::json body = {{"horizon_hours", (line.horizon.count() + 3599) / 3600},
                         {"calendars", line.calendars}};
  if (line.as_of) body["as_of"] = api::FormatRfc3339(*line.as_of);
  return body;
}

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  std::int64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  static const std::map<std::string_view, std::int64_t> kUnits = {
      {"", 3600}, {"h", 3600}, {"d", 86400}, {"m", 60}, {"s", 1}};
  auto multiplier = kUnits.find(unit);
  if (text.empty() || error != std::errc() || number <= 0 || multiplier == kUnits.end() ||
      number > std::numeric_limits<std::int64_t>::max() / multiplier->second) {
    return InvalidArgument("'" + std::string(text) + "' is not a duration such as 168h, 7d or 90m");
  }
  return std::chrono::seconds{number * multiplier->second};
}

}  // namespace patchcast::server
