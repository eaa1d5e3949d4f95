// Capacity schedules: which steps are still to come, how merging fits a schedule into an
// orchestrator's limit without ever lowering capacity, and which earlier starts a new schedule
// leaves behind. Known answers on small schedules, and the no-under-provisioning rule checked at
// every minute of a long pseudo-random one.
#include "forecasting/capacity_schedule.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

namespace patchcast::forecasting {
namespace {

using std::chrono::minutes;
using std::chrono::sys_seconds;

// 2026-11-10T00:00:00Z plus `m` minutes.
sys_seconds At(std::int64_t m) {
  return sys_seconds{std::chrono::seconds{1'794'268'800}} + minutes{m};
}

// The units `steps` run at instant `t` (0 before the first step).
int UnitsAt(const std::vector<CapacityStep>& steps, sys_seconds t) {
  int units = 0;
  for (const CapacityStep& step : steps) {
    if (step.start <= t) units = step.units;
  }
  return units;
}

TEST_CASE("upcoming steps start after the instant, sorted, one per start with the most units") {
  const std::vector<CapacityStep> steps = {{At(30), 8}, {At(0), 4},  {At(10), 6},
                                           {At(10), 9}, {At(10), 7}, {At(20), 5}};
  CHECK(UpcomingSteps(steps, At(-1)) ==
        std::vector<CapacityStep>{{At(0), 4}, {At(10), 9}, {At(20), 5}, {At(30), 8}});
  SUBCASE("a step at the instant itself is past: an orchestrator cannot schedule now") {
    CHECK(UpcomingSteps(steps, At(10)) == std::vector<CapacityStep>{{At(20), 5}, {At(30), 8}});
  }
  SUBCASE("nothing after the last step") { CHECK(UpcomingSteps(steps, At(30)).empty()); }
}

TEST_CASE("merging is a no-op within the limit") {
  const std::vector<CapacityStep> steps = {{At(0), 5}, {At(10), 10}, {At(20), 6}};
  CHECK(MergeSteps(steps, At(40), 3) == steps);
  CHECK(MergeSteps(steps, At(40), 125) == steps);
  CHECK(MergeSteps({}, At(40), 1).empty());
}

TEST_CASE("merging takes the pair that adds the fewest unit-minutes and keeps the larger units") {
  // 0-10: 5, 10-20: 10, 20-30: 6, 30-40: 6.
  const std::vector<CapacityStep> steps = {{At(0), 5}, {At(10), 10}, {At(20), 6}, {At(30), 6}};
  SUBCASE("equal neighbours merge first, for free") {
    CHECK(MergeSteps(steps, At(40), 3) ==
          std::vector<CapacityStep>{{At(0), 5}, {At(10), 10}, {At(20), 6}});
  }
  SUBCASE("then raising 0-10 to 10 (50 unit-minutes) beats raising 20-40 to 10 (80)") {
    CHECK(MergeSteps(steps, At(40), 2) == std::vector<CapacityStep>{{At(0), 10}, {At(20), 6}});
  }
  SUBCASE("down to one step: the first start with the peak") {
    CHECK(MergeSteps(steps, At(40), 1) == std::vector<CapacityStep>{{At(0), 10}});
  }
  SUBCASE("the last step lasts until the end: a later end makes raising it dearer") {
    // Raising 30-end from 4 to 6 costs 2 x (end - 30); raising 20-30 from 6 to 10 costs 40.
    const std::vector<CapacityStep> falling = {{At(0), 5}, {At(10), 10}, {At(20), 6}, {At(30), 4}};
    CHECK(MergeSteps(falling, At(40), 3) ==
          std::vector<CapacityStep>{{At(0), 5}, {At(10), 10}, {At(20), 6}});
    CHECK(MergeSteps(falling, At(100), 3) ==
          std::vector<CapacityStep>{{At(0), 5}, {At(10), 10}, {At(30), 4}});
  }
}

TEST_CASE("on equal cost the earlier pair merges") {
  const std::vector<CapacityStep> steps = {{At(0), 1}, {At(10), 2}, {At(20), 1}};
  CHECK(MergeSteps(steps, At(30), 2) == std::vector<CapacityStep>{{At(0), 2}, {At(20), 1}});
}

TEST_CASE("a fitted schedule never runs fewer units than the plan at any minute") {
  // A week of pseudo-random actions every 20 to 60 minutes, 1 to 40 units (a fixed LCG, so the
  // test is the same on every run), fitted into 125 and into 10 steps.
  std::vector<CapacityStep> plan;
  std::uint32_t state = 12345;
  auto next = [&state](std::uint32_t range) {
    state = state * 1'103'515'245u + 12'345u;
    return static_cast<int>((state >> 16) % range);
  };
  for (std::int64_t m = 0; m < 7 * 24 * 60; m += 20 + next(41))
    plan.push_back({At(m), 1 + next(40)});
  REQUIRE(plan.size() > 200);
  const sys_seconds after = At(600);
  const sys_seconds end = At(7 * 24 * 60);
  const std::vector<CapacityStep> upcoming = UpcomingSteps(plan, after);
  for (std::size_t limit : {125u, 10u}) {
    CAPTURE(limit);
    const std::vector<CapacityStep> fitted = FitSchedule(plan, after, end, limit);
    CHECK(fitted.size() == limit);
    CHECK(fitted.front().start == upcoming.front().start);
    int lower = 0;
    int higher = 0;
    for (sys_seconds t = upcoming.front().start; t < end; t += minutes{1}) {
      lower += UnitsAt(fitted, t) < UnitsAt(upcoming, t);
      higher += UnitsAt(fitted, t) > UnitsAt(upcoming, t);
    }
    CHECK(lower == 0);
    CHECK(higher > 0);  // merging did raise capacity somewhere
  }
}

TEST_CASE("orphaned starts: earlier starts in the new schedule's span that it does not reuse") {
  const std::vector<sys_seconds> scheduled = {At(50), At(0),  At(20),  At(20),
                                              At(30), At(90), At(100), At(5)};
  const std::vector<CapacityStep> kept = {{At(20), 3}, {At(40), 4}};
  // After 10, within [0, 100): 20 is reused, 90 is inside, 100 is the end (outside), 0 and 5
  // are not after 10.
  CHECK(OrphanedStarts(scheduled, kept, At(10), At(0), At(100)) ==
        std::vector<sys_seconds>{At(30), At(50), At(90)});
  SUBCASE("before the new schedule's span: its plan says nothing there") {
    CHECK(OrphanedStarts(scheduled, kept, At(-10), At(25), At(100)) ==
          std::vector<sys_seconds>{At(30), At(50), At(90)});
  }
  SUBCASE("none") { CHECK(OrphanedStarts({}, kept, At(10), At(0), At(100)).empty()); }
}

}  // namespace
}  // namespace patchcast::forecasting
