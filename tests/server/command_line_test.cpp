// The cron commands' command lines: options each command takes, defaults, the token's sources,
// and the usage errors, each naming the option.
#include "server/command_line.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/point_text.h"

namespace patchcast::server {
namespace {

const CommandSpec kSpec{
    "plan", "Usage: patchcast plan\n", CommandSpec::Kind::kMake, {"json", "csv", "ics"}};
const CommandSpec kNoAll{
    "backtest", "Usage: patchcast backtest\n", CommandSpec::Kind::kBacktest, {}};

Result<CommandLine> Parse(const std::vector<std::string>& args, const Environment& env = {}) {
  return ParseCommandLine(kSpec, args, env);
}

TEST_CASE("a bare --series takes every default") {
  auto line = Parse({"--series", "login"});
  REQUIRE(line);
  CHECK_FALSE(line->all);
  CHECK(line->series == "login");
  CHECK(line->horizon == std::chrono::hours{168});
  CHECK_FALSE(line->as_of);
  CHECK(line->calendars == std::vector<std::string>{"microsoft"});
  CHECK(line->format == "json");
  CHECK(line->url.empty());
  CHECK(line->token.empty());
}

TEST_CASE("every option is read, in any order") {
  auto line = Parse(
      {"--format", "ics", "--all", "--horizon", "2d", "--as-of", "2026-11-14T00:00:00Z",
       "--calendars", "microsoft,,adobe", "--url", "http://127.0.0.1:9", "--token", "pc_flag"},
      {{"PATCHCAST_TOKEN", "pc_env"}});
  REQUIRE(line);
  CHECK(line->all);
  CHECK(line->series.empty());
  CHECK(line->horizon == std::chrono::hours{48});
  CHECK(line->as_of == api::ParseRfc3339Seconds("2026-11-14T00:00:00Z").value());
  CHECK(line->calendars == std::vector<std::string>{"microsoft", "adobe"});
  CHECK(line->format == "ics");
  CHECK(line->url == "http://127.0.0.1:9");
  CHECK(line->token == "pc_flag");  // the flag wins over the variable
}

TEST_CASE("the token comes from PATCHCAST_TOKEN without --token") {
  auto line = Parse({"--all", "--url", "http://x"}, {{"PATCHCAST_TOKEN", "pc_env"}});
  REQUIRE(line);
  CHECK(line->token == "pc_env");
}

TEST_CASE("usage errors name the option") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{}, "give --series ID or --all"},
      {{"--series", "a", "--all"}, "give --series ID or --all"},
      {{"--series"}, "--series needs a value"},
      {{"--series", "a", "--unit-capacity", "5"}, "unknown option '--unit-capacity'"},
      {{"--all", "--horizon", "1w"}, "--horizon: '1w' is not a duration such as 168h, 7d or 90m"},
      {{"--all", "--horizon", "32d"}, "--horizon: at most 31 days"},
      {{"--all", "--format", "xml"}, "--format: json, csv or ics"},
      {{"--all", "--events", "3"}, "unknown option '--events'"},
  };
  for (const Case& c : cases) {
    auto line = Parse(c.args);
    REQUIRE_FALSE(line);
    CHECK(line.error().code == ErrorCode::kInvalidArgument);
    CHECK(line.error().message == c.message);
  }
  // The rest of these messages are the series id's and the timestamp's own.
  auto bad_id = Parse({"--series", "a/b"});
  REQUIRE_FALSE(bad_id);
  CHECK(bad_id.error().message.starts_with("--series: series id 'a/b' has '/'"));
  auto bad_time = Parse({"--all", "--as-of", "2026-02-30T00:00:00Z"});
  REQUIRE_FALSE(bad_time);
  CHECK(bad_time.error().message.starts_with("--as-of: "));
}

TEST_CASE("a command without --all or --format refuses them, and reads --events") {
  CHECK(ParseCommandLine(kNoAll, {"--all"}, {}).error().message == "unknown option '--all'");
  CHECK(ParseCommandLine(kNoAll, {}, {}).error().message == "give --series ID");
  CHECK(ParseCommandLine(kNoAll, {"--series", "a", "--format", "csv"}, {}).error().message ==
        "unknown option '--format'");
  auto line = ParseCommandLine(kNoAll, {"--series", "a", "--events", "60"}, {});
  REQUIRE(line);
  CHECK(line->events == 60);
  CHECK(line->format.empty());
  for (const char* events : {"0", "61", "2x", ""}) {
    CHECK(ParseCommandLine(kNoAll, {"--series", "a", "--events", events}, {}).error().message ==
          "--events must be an integer from 1 to 60");
  }
}

TEST_CASE("a command's help ends with the options every command takes") {
  const std::string help = CommandHelp(kSpec);
  CHECK(help.starts_with("Usage: patchcast plan\n  --calendars a,b "));
  CHECK(help.find("\n  --db PATH ") != std::string::npos);
  CHECK(help.ends_with("\n  --token TOKEN      API key for --url\n"));
}

TEST_CASE("help is asked for with --help or -h anywhere") {
  CHECK(AsksForHelp({"--series", "a", "--help"}));
  CHECK(AsksForHelp({"-h"}));
  CHECK_FALSE(AsksForHelp({"--series", "--help-me"}));
}

TEST_CASE("the API request body rounds the horizon up to whole hours") {
  CommandLine line;
  line.horizon = std::chrono::minutes{90};
  line.calendars = {"microsoft", "adobe"};
  CHECK(RequestBody(line) ==
        nlohmann::json{{"horizon_hours", 2}, {"calendars", {"microsoft", "adobe"}}});
  line.as_of = api::ParseRfc3339Seconds("2026-11-14T00:00:00Z").value();
  CHECK(RequestBody(line)["as_of"] == "2026-11-14T00:00:00Z");
}

TEST_CASE("durations take h, d, m and s, and a bare number is hours") {
  CHECK(ParseDuration("168h").value() == std::chrono::hours{168});
  CHECK(ParseDuration("7d").value() == std::chrono::hours{168});
  CHECK(ParseDuration("90m").value() == std::chrono::minutes{90});
  CHECK(ParseDuration("3600s").value() == std::chrono::hours{1});
  CHECK(ParseDuration("24").value() == std::chrono::hours{24});
  for (const char* bad : {"0h", "-1h", "1w", "", "h", "99999999999999999d"}) {
    auto parsed = ParseDuration(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().message ==
          "'" + std::string(bad) + "' is not a duration such as 168h, 7d or 90m");
  }
}

}  // namespace
}  // namespace patchcast::server
