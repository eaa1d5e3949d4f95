// Capacity schedules: a plan's scaling actions seen as capacity targets that an orchestrator runs
// at given instants (AWS scheduled actions, issue 12), fitted to what the orchestrator can hold:
// only the targets still to come, at most a given number of them, and never less capacity than
// the plan asks. Also which targets of earlier schedules a new one leaves behind.
//
// Pure functions; thread-safe. CapacityStep is a value; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <vector>

namespace patchcast::forecasting {

// A capacity target: run `units` from `start` until the next step of its schedule starts (the
// last step until the schedule's end).
struct CapacityStep {
  std::chrono::sys_seconds start{};
  int units = 0;

  friend bool operator==(const CapacityStep&, const CapacityStep&) = default;
};

// Returns the steps of `steps` (any order) that start after `after`, sorted by start. Steps with
// the same start become one with the most units among them (a plan issues every late scale-out at
// its first bucket, so several may share a start). Steps at or before `after` are left out: an
// orchestrator cannot schedule the past; the target in force at `after` is not repeated.
std::vector<CapacityStep> UpcomingSteps(std::span<const CapacityStep> steps,
                                        std::chrono::sys_seconds after);

// Merges adjacent steps of `steps` until at most `max_steps` remain, and returns them. `steps`
// must be sorted by start with distinct starts; `end` closes the last step (a start at or after
// `end` gives its step no length). A merged step starts where its first step starts and runs the
// most units of the steps it replaces, so from the first start to `end` the capacity is never
// lower than `steps` asks at any instant (it is higher where a merge raised it). Each merge takes
// the adjacent pair whose merging adds the fewest unit-seconds, the earlier pair on a tie: a
// greedy heuristic, not a proven optimum. Returns `steps` unchanged when it has at most
// `max_steps`. Precondition: max_steps >= 1. O(n^2) for n steps (a plan has at most a few
// thousand).
std::vector<CapacityStep> MergeSteps(std::vector<CapacityStep> steps, std::chrono::sys_seconds end,
                                     std::size_t max_steps);

// The schedule an orchestrator holding at most `max_steps` targets should run from `after` on:
// MergeSteps(UpcomingSteps(steps, after), end, max_steps). Precondition: max_steps >= 1.
std::vector<CapacityStep> FitSchedule(std::span<const CapacityStep> steps,
                                      std::chrono::sys_seconds after, std::chrono::sys_seconds end,
                                      std::size_t max_steps);

// The starts in `scheduled` (earlier schedules' step starts, any order, repeats allowed) that lie
// after `after`, at or after `from` and before `to`, and start no step of `kept`: the targets a
// schedule `kept` covering [from, to) leaves behind, which would otherwise still run. Sorted,
// without repeats; empty when there are none.
std::vector<std::chrono::sys_seconds> OrphanedStarts(
    std::span<const std::chrono::sys_seconds> scheduled, std::span<const CapacityStep> kept,
    std::chrono::sys_seconds after, std::chrono::sys_seconds from, std::chrono::sys_seconds to);

}  // namespace patchcast::forecasting
