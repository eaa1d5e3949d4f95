// CommandFixture: a cron command run in local mode over in-memory planning (in_memory_planning.h):
// its stdout and stderr captured, whether it opened the database, and a database that can be made
// unreachable. For the tests of `patchcast forecast` and `patchcast plan`. Not thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "server/command_runner.h"
#include "tests/support/in_memory_planning.h"

namespace patchcast::server {

struct CommandFixture {
  testing::InMemoryPlanning planning;
  std::optional<CommandContext> context;
  bool opened = false;         // the command asked for the database
  bool database_down = false;  // then it gets none: exit 3
  Environment env;
  std::ostringstream out;
  std::ostringstream err;

  // Runs `command` (RunPlanCommand, or RunForecastCommand bound to "forecast") with `args`.
  int Run(const std::function<int(const std::vector<std::string>&, const CommandIo&)>& command,
          const std::vector<std::string>& args) {
    out.str("");
    err.str("");
    const CommandIo io{
        env,
        [this]() -> CommandContext* {
          opened = true;
          if (database_down) return nullptr;
          context.emplace(CommandContext{planning.series, *planning.service, *planning.planning,
                                         planning.settings, *planning.maker, planning.mint});
          return &*context;
        },
        out, err};
    return command(args, io);
  }
};

}  // namespace patchcast::server
