#include "server/command_runner.h"

#include "server/command_report.h"

namespace patchcast::server {

int RunCommand(const CommandSpec& spec, const std::vector<std::string>& args, const CommandIo& io,
               const std::function<int(const CommandLine&)>& remote,
               const std::function<int(const CommandLine&, CommandContext&)>& local) {
  if (AsksForHelp(args)) {
    io.out << CommandHelp(spec) << std::flush;
    return kExitOk;
  }
  auto line = ParseCommandLine(spec, args, io.env);
  if (!line) return UsageError(io.err, spec, line.error().message);
  if (!line->url.empty()) return remote(*line);
  CommandContext* context = io.open();
  if (context == nullptr) return kExitUnreachable;
  return local(*line, *context);
}

Result<std::vector<std::string>> SeriesWithPoints(const forecasting::SeriesRepository& series) {
  auto listed = series.ListSeries("");
  if (!listed) return listed.error();
  std::vector<std::string> ids;
  for (const forecasting::SeriesSummary& summary : *listed) {
    if (summary.point_count > 0) ids.push_back(summary.metadata.id);
  }
  return ids;
}

}  // namespace patchcast::server
