// The command lines of the cron commands (`patchcast forecast`, `plan` and `backtest`): which
// options a command takes, what its arguments ask for, and the request body of the HTTP API that
// asks the same. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "server/config.h"

namespace patchcast::server {

// What a command takes, besides --help (and --db, which main takes out first): every command takes
// --series, --horizon, --calendars, --url and --token; a command that makes and stores a document
// per series (forecast, plan) also --all, --as-of and --format; a backtest also --events.
struct CommandSpec {
  enum class Kind { kMake, kBacktest };

  std::string_view name;  // "forecast": in messages, "patchcast forecast: …"
  // Its --help text up to the options that every command shares (CommandHelp adds them).
  std::string_view help;
  Kind kind = Kind::kMake;
  std::vector<std::string_view> formats;  // kMake: --format's values, its default first
  bool takes_plan = false;                // --plan, with --all (forecast)
};

// The whole --help text of `spec`: its own, then the lines of --calendars, --db, --url, --token.
std::string CommandHelp(const CommandSpec& spec);

// What the arguments ask for. Members a command does not take keep their defaults.
struct CommandLine {
  bool all = false;    // --all
  bool plan = false;   // --plan: with --all, also plan the series with a capacity model
  std::string series;  // --series; empty with --all
  std::chrono::seconds horizon{std::chrono::hours{168}};  // --horizon, at most api::kMaxHorizon
  std::optional<std::chrono::sys_seconds> as_of;          // --as-of; none: the end of the data
  std::vector<std::string> calendars{"microsoft"};        // --calendars a,b
  std::string format;                                     // --format; default formats[0]
  std::size_t events = 12;                                // --events, 1 to 60
  std::string url;    // --url: a running server; empty: the database
  std::string token;  // --token, else PATCHCAST_TOKEN from `env`, else empty
};

// True when `args` ask for help (--help or -h anywhere).
bool AsksForHelp(const std::vector<std::string>& args);

// Parses `args` (after the command, without --db) as `spec` says, over `env` (the PATCHCAST_*
// variables). Errors (kInvalidArgument), the message naming the option: "unknown option '--x'",
// "--series needs a value", "give --series ID or --all",
// "--series: series id 'a/b' has '/' at position 1; …", "--horizon: '1w' is not a duration such as
// 168h, 7d or 90m", "--horizon: at most 31 days", "--as-of: …", "--format: json, csv or ics",
// "--events must be an integer from 1 to 60", "--plan goes with --all (for one series, use
// patchcast plan)". ("give --series ID" for a backtest, which takes no --all.)
Result<CommandLine> ParseCommandLine(const CommandSpec& spec, const std::vector<std::string>& args,
                                     const Environment& env);

// The body of the HTTP API's forecast, plan and backtest requests that asks what `line` does:
// {"horizon_hours" (the horizon rounded up to whole hours),"calendars"(,"as_of")}.
nlohmann::json RequestBody(const CommandLine& line);

// Parses a duration like "168h", "7d", "90m" or "3600s"; a bare number is hours. Returns
// kInvalidArgument "'<text>' is not a duration such as 168h, 7d or 90m" for anything else, zero
// and negative durations included.
Result<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace patchcast::server
