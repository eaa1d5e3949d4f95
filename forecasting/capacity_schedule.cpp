#include "forecasting/capacity_schedule.h"

#include <algorithm>
#include <cstdint>

namespace patchcast::forecasting {
namespace {

// How long step `i` of `steps` lasts: until the next start, the last until `end`; never negative.
std::int64_t LengthSeconds(const std::vector<CapacityStep>& steps, std::size_t i,
                           std::chrono::sys_seconds end) {
  const std::chrono::sys_seconds until = i + 1 < steps.size() ? steps[i + 1].start : end;
  return std::max<std::int64_t>(0, (until - steps[i].start).count());
}

// The unit-seconds that merging steps i and i + 1 adds: each is raised to the larger of the two
// for its own length. Units fit in int and lengths are at most a plan's horizon (31 days, 2.7e6
// s), so the product stays far inside int64.
std::int64_t MergeCost(const std::vector<CapacityStep>& steps, std::size_t i,
                       std::chrono::sys_seconds end) {
  const int units = std::max(steps[i].units, steps[i + 1].units);
  return static_cast<std::int64_t>(units - steps[i].units) * LengthSeconds(steps, i, end) +
         static_cast<std::int64_t>(units - steps[i + 1].units) * LengthSeconds(steps, i + 1, end);
}

}  // namespace

std::vector<CapacityStep> UpcomingSteps(std::span<const CapacityStep> steps,
                                        std::chrono::sys_seconds after) {
  std::vector<CapacityStep> upcoming;
  for (const CapacityStep& step : steps) {
    if (step.start > after) upcoming.push_back(step);
  }
  std::stable_sort(upcoming.begin(), upcoming.end(),
                   [](const CapacityStep& a, const CapacityStep& b) { return a.start < b.start; });
  std::vector<CapacityStep> merged;
  for (const CapacityStep& step : upcoming) {
    if (!merged.empty() && merged.back().start == step.start) {
      merged.back().units = std::max(merged.back().units, step.units);
    } else {
      merged.push_back(step);
    }
  }
  return merged;
}

std::vector<CapacityStep> MergeSteps(std::vector<CapacityStep> steps, std::chrono::sys_seconds end,
                                     std::size_t max_steps) {
  while (steps.size() > std::max<std::size_t>(max_steps, 1)) {
    std::size_t best = 0;
    std::int64_t best_cost = MergeCost(steps, 0, end);
    for (std::size_t i = 1; i + 1 < steps.size(); ++i) {
      const std::int64_t cost = MergeCost(steps, i, end);
      if (cost < best_cost) {
        best = i;
        best_cost = cost;
      }
    }
    steps[best].units = std::max(steps[best].units, steps[best + 1].units);
    steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  return steps;
}

std::vector<CapacityStep> FitSchedule(std::span<const CapacityStep> steps,
                                      std::chrono::sys_seconds after, std::chrono::sys_seconds end,
                                      std::size_t max_steps) {
  return MergeSteps(UpcomingSteps(steps, after), end, max_steps);
}

std::vector<std::chrono::sys_seconds> OrphanedStarts(
    std::span<const std::chrono::sys_seconds> scheduled, std::span<const CapacityStep> kept,
    std::chrono::sys_seconds after, std::chrono::sys_seconds from, std::chrono::sys_seconds to) {
  std::vector<std::chrono::sys_seconds> orphaned;
  for (std::chrono::sys_seconds start : scheduled) {
    if (start <= after || start < from || start >= to) continue;
    const bool overwritten = std::any_of(
        kept.begin(), kept.end(), [&](const CapacityStep& step) { return step.start == start; });
    if (!overwritten) orphaned.push_back(start);
  }
  std::sort(orphaned.begin(), orphaned.end());
  orphaned.erase(std::unique(orphaned.begin(), orphaned.end()), orphaned.end());
  return orphaned;
}

}  // namespace patchcast::forecasting
