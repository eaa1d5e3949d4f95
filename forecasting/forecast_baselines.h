// Step 1, on the forecast's side: each forecast step's baseline, and what the days since the last
// clock change teach it.
//
// A zone mix's profile describes one set of clock offsets between its zones. When one of them
// changed its clock under a week before as_of (the forecast is made on the Thursday after Europe's
// or the US's Sunday change), too few quiet steps lie on today's clocks for a profile of their own
// (QuietStepsOnTodaysClocks), and the profile comes from weeks on which the changed zones' hours
// lay an hour away on the dominant zone's clock: its ramps are an hour off for them until a week
// has passed. The days since the change show by how much, at each time of day: their demand over
// the profile's. That ratio, taken per time of day and applied to the rest of the week, moves the
// ramps without knowing which zone makes which part of the demand. Internal to the forecasting
// module; pure functions of their inputs.
#pragma once

#include <span>
#include <vector>

#include "forecasting/forecast_context.h"

namespace patchcast::forecasting::forecast_steps {

// Per slot of the day (on the dominant zone's clock), the median ratio of the quiet steps since
// today's clocks began to ctx.baseline, over the median of all those ratios (so that only the
// shape moves, not the level), pooled over neighbouring slots like the profile, shrunk toward 1
// by the days it rests on and kept within [0.25, 4]. Empty when there is no correction to make: a
// single zone, a mix that changes together, a week of quiet steps on today's clocks (the
// profile's own), or under two days of them.
std::vector<double> RecentClockCorrection(const Context& ctx);

// Each step of `grid`: ctx.baseline at the step's slot, times `correction` at its slot of the day
// while the step is still on as_of's clocks (none when `correction` is empty).
std::vector<double> ForecastBaselines(const Context& ctx, const ZonePlan& zones, const Grid& grid,
                                      std::span<const double> correction);

}  // namespace patchcast::forecasting::forecast_steps
