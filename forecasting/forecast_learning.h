// Step 2 of ForecastDemand (forecast.h): what past events teach. Events are grouped by (calendar,
// kind); each group with enough past events learns a response curve from the excess over the
// baseline around their starts, and gets the weight the reboot-wave prior keeps beside it.
// Internal to the forecasting module; pure functions of their inputs.
#pragma once

#include <cstddef>
#include <vector>

#include "core/result.h"
#include "forecasting/forecast_context.h"

namespace patchcast::forecasting::forecast_steps {

// The level of the series around a past event starting at step `index`, relative to the baseline
// profile: the median ratio over the quiet steps of the three weeks before its window (what a
// forecaster would have known), moved to the last two days' level when the series rose far within
// them, as the forecast's own level is (LevelAfterRiseWithinDays, with the baseline fit's
// shift_ratio: not when every step counts); else the median ratio over the three weeks after its
// window, else the baseline's trend level. `scratch` is reused between calls.
double PastEventLevel(const Context& ctx, std::int64_t index, std::vector<double>& scratch);

// Groups the events by (calendar, kind), in the order of their first event, and marks each event
// relevant (its window reaches into the forecast) and past (learned from). An event under way at
// as_of is relevant, not past: a few hours of its window would give a noisy size.
std::vector<Group> GroupEvents(const Context& ctx, const Grid& grid, std::vector<EventRef>& refs);

// Learns each group's response curve from its past events, twice: the first pass fits only the
// shape, to find where each group acts (LearnResponseShape); the second leaves out the steps where
// a wave of another kind acts, so that overlapping events are not each credited with the other's
// surge. An overlap with an event of the group's own kind stays in both rows (the forecast counts
// it once). Sets each group's prior weight: 1 without a curve, strength / (strength + events) with
// one, 0 without the prior. Returns the number of past events learned from. Errors: those of
// LearnResponseCurve.
Result<std::size_t> LearnResponses(const Context& ctx, std::vector<EventRef>& refs,
                                   std::vector<Group>& groups);

}  // namespace patchcast::forecasting::forecast_steps
