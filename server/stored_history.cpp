#include "server/stored_history.h"

#include <algorithm>

namespace patchcast::server {

Status ForEachPointWindow(const forecasting::SeriesRepository& repository,
                          const forecasting::SeriesSummary& series,
                          const std::function<Status(const forecasting::RegularSeries&)>& visit) {
  if (!series.first || !series.last) return {};
  const std::chrono::seconds step = series.metadata.step_seconds;
  const std::chrono::sys_seconds end = *series.last + step;
  const auto window = step * static_cast<std::int64_t>(kStepsPerWindow);
  for (std::chrono::sys_seconds from = *series.first; from < end; from += window) {
    const std::chrono::sys_seconds to = std::min(end, from + window);
    auto steps = repository.ReadRange(series.metadata.id, from, to, kStepsPerWindow);
    if (!steps) return steps.error();
    if (Status visited = visit(*steps); !visited) return visited;
  }
  return {};
}

}  // namespace patchcast::server
