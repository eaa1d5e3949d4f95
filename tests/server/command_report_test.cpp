// How the cron commands report: an --all run's JSON lines on stdout and stderr and its exit
// status, failures and usage errors.
#include "server/command_report.h"

#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace patchcast::server {
namespace {

using nlohmann::json;

const CommandSpec kSpec{"plan", "Usage: patchcast plan …\n", CommandSpec::Kind::kMake, {"json"}};

// An --all run over fixed outcomes: a series id not in `outcomes` is made as {"id": "doc-<id>"}.
struct AllRun {
  std::map<std::string, Error> outcomes;
  std::vector<std::string> made;  // the series `make` was called for, in order
  std::ostringstream out;
  std::ostringstream err;

  int Run(const Result<std::vector<std::string>>& series_ids) {
    const auto make = [&](const std::string& id) -> Result<json> {
      made.push_back(id);
      if (auto it = outcomes.find(id); it != outcomes.end()) return it->second;
      return json{{"id", "doc-" + id}, {"actions", {1, 2, 3}}};
    };
    const auto summarize = [](const json& document) {
      return json{{"plan_id", document["id"]}, {"actions", document["actions"].size()}};
    };
    return RunAllSeries(kSpec, series_ids, make, summarize, out, err);
  }
};

TEST_CASE("every series made: one line each on stdout, its summary and series, and exit 0") {
  AllRun run;
  CHECK(run.Run(std::vector<std::string>{"a", "b"}) == kExitOk);
  CHECK(run.out.str() ==
        "{\"actions\":3,\"plan_id\":\"doc-a\",\"series\":\"a\"}\n"
        "{\"actions\":3,\"plan_id\":\"doc-b\",\"series\":\"b\"}\n");
  CHECK(run.err.str().empty());
}

TEST_CASE("no series: nothing printed, exit 0") {
  AllRun run;
  CHECK(run.Run(std::vector<std::string>{}) == kExitOk);
  CHECK(run.out.str().empty());
  CHECK(run.err.str().empty());
}

TEST_CASE(
    "too little history is a skip on stdout (exit 4); any other error a failure on stderr "
    "(exit 1), which outranks a skip") {
  AllRun run;
  run.outcomes.emplace("young", Unprocessable("history before as_of covers 2 days"));
  SUBCASE("skipped only") {
    CHECK(run.Run(std::vector<std::string>{"a", "young"}) == kExitSkipped);
    CHECK(run.err.str().empty());
  }
  SUBCASE("skipped and failed") {
    run.outcomes.emplace("bad", NotFound("calendar 'nosuch' does not exist"));
    CHECK(run.Run(std::vector<std::string>{"bad", "young", "a"}) == kExitFailed);
    CHECK(run.err.str() == "{\"error\":\"calendar 'nosuch' does not exist\",\"series\":\"bad\"}\n");
    CHECK(run.made == std::vector<std::string>{"bad", "young", "a"});  // a failure goes on
  }
  CHECK(run.out.str().find(
            "{\"series\":\"young\",\"skipped\":\"history before as_of covers 2 days\"}\n") !=
        std::string::npos);
  CHECK(run.out.str().find("\"series\":\"a\"") != std::string::npos);
}

TEST_CASE("an unreachable database or server stops the run with exit 3") {
  AllRun run;
  run.outcomes.emplace("b", Unavailable("cannot reach the server at http://x: could not connect"));
  CHECK(run.Run(std::vector<std::string>{"a", "b", "c"}) == kExitUnreachable);
  CHECK(run.made == std::vector<std::string>{"a", "b"});
  CHECK(run.err.str() ==
        "patchcast plan: cannot reach the server at http://x: could not connect\n");
  CHECK(run.out.str() == "{\"actions\":3,\"plan_id\":\"doc-a\",\"series\":\"a\"}\n");
}

TEST_CASE("a listing that fails is the run's failure, as Failure prints it") {
  AllRun failed;
  CHECK(failed.Run(Internal("disk I/O error")) == kExitFailed);
  CHECK(failed.err.str() == "patchcast plan: disk I/O error\n");
  CHECK(failed.made.empty());
  AllRun unreachable;
  CHECK(unreachable.Run(Unavailable("database is busy")) == kExitUnreachable);
}

TEST_CASE("a single result is printed as it is; an error as Failure prints it") {
  std::ostringstream out, err;
  CHECK(PrintOutcome(out, err, kSpec, std::string("ts,units\n")) == kExitOk);
  CHECK(out.str() == "ts,units\n");
  CHECK(PrintOutcome(out, err, kSpec, InvalidArgument("field 'unit_capacity' is required")) ==
        kExitFailed);
  CHECK(err.str() == "patchcast plan: field 'unit_capacity' is required\n");
  CHECK(out.str() == "ts,units\n");
}

TEST_CASE("a usage error prints the message, then the help, and is exit 2") {
  std::ostringstream err;
  CHECK(UsageError(err, kSpec, "give --series ID or --all") == kExitUsage);
  CHECK(err.str() == "patchcast plan: give --series ID or --all\n\n" + CommandHelp(kSpec));
  CHECK(CommandHelp(kSpec).starts_with("Usage: patchcast plan …\n"));
}

}  // namespace
}  // namespace patchcast::server
