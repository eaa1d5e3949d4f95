// The first steps of ForecastDemand (forecast.h): check the inputs, resolve the users' zones, lay
// the forecast grid over the series, place the events on its steps, and fit the weekly baseline on
// the steps no event touches. Internal to the forecasting module; pure functions of their inputs.
#pragma once

#include <span>
#include <vector>

#include "calendars/event.h"
#include "core/result.h"
#include "forecasting/forecast_context.h"

namespace patchcast::forecasting::forecast_steps {

// Checks what ForecastDemand cannot work with. Errors: kInvalidArgument for a step that does not
// divide a day, a quantile outside (0, 1), a horizon outside (0, 366 days], a negative event
// window, or a what-if multiplier that is negative or not finite.
Status Validate(const RegularSeries& history, const ForecastOptions& options);

// The zones of `zone_mix` with their shares, the largest share's zone dominant; UTC alone when the
// mix is empty. Errors: kInvalidArgument naming the entry whose zone is unknown.
Result<ZonePlan> ResolveZones(const std::vector<ZoneShare>& zone_mix);

// Sets the usable history, the event window in steps and the week slots of `ctx` (whose history
// and options must be set), and returns the forecast grid: the steps from the first at or after
// as_of, over the horizon. Errors: kUnprocessable when no data lies before as_of.
Result<Grid> LayOutGrid(Context& ctx, const date::time_zone& dominant);

// Which slots of the week are the weekend, for the users awake then (local 07:00 to 23:00; all of
// them when none is): in a mix of zones, Saturday 00:00 in Tokyo is a Friday afternoon in London
// and Chicago, whose users make most of the demand at that hour. Read at each slot's last step
// of the usable history; a slot without one (a daylight-saving gap) follows the profile's clock.
std::vector<std::uint8_t> WeekendSlots(const Context& ctx, const ZonePlan& zones);

// The events, one per id (the first in input order is kept), by start then id, each with the step
// of `history` that contains its start. The refs point into `events`.
std::vector<EventRef> IndexEvents(const RegularSeries& history,
                                  std::span<const calendars::Event> events,
                                  std::int64_t step_seconds);

// Sets each event's `weekend`: whether the step containing its start is on a weekend slot of the
// week (ctx.weekend_slots, which must be set), on the dominant zone's clock like the profile. A
// match on a Saturday draws another crowd than on a weekday, and the size relation may split on it
// (SizeAnnotations::weekend).
void MarkEventWeekends(std::vector<EventRef>& refs, const Context& ctx,
                       const date::time_zone& dominant);

// Reboot waves follow the users' local nights (03:00 local), not the release instant: a release at
// 10:00 Pacific falls an hour earlier or later on the clock of a zone whose daylight saving starts
// on another date (Europe's, in the weeks between the US and the EU changes) or not at all (Tokyo,
// and every summer). Aligned on the instant, twelve releases put a 20-minute spike at two or three
// offsets, and their median curve smears it. So each release's curve_index is moved to where its
// start falls on the dominant zone's usual clock: the most common local time of day of its
// calendar's release starts. Other kinds (custom events, notices) act at their own instant and
// are not moved, nor is a start more than three hours off the usual (an out-of-band update at
// another hour).
void AlignReleasesOnLocalNights(std::vector<EventRef>& refs, const date::time_zone& dominant,
                                std::int64_t step_seconds);

// Sets ctx.quiet: which usable steps the baseline may learn from, those outside every event's
// window and outside outages. A quarter-hour (a step, at steps of 15 minutes or more) under 0.3 of
// the same quarter-hour on both days either side (on the one of them that is known, at the
// history's ends or beside a gap) is an outage: a profile slot with two or three weeks takes
// nearly their mean, and one week's outage would halve it. A level shift moves the days either
// side too, and is kept; a minute's counting noise is not one at the scale of a quarter-hour.
//
// Events every day (a tournament's matches) leave no quiet step: then the quiet weeks are another
// regime, and a baseline, residuals and event levels taken from them describe a past that no
// longer holds (on the 1998 World Cup site, quiet May with its narrow noise for a June of
// matches). When no quiet step with data lies within the last two weeks, every step counts, and
// ctx.every_step_counts says so.
void MarkQuietSteps(Context& ctx, const std::vector<EventRef>& refs);

// A mix of zones whose daylight-saving changes fall on different dates (New York, Sydney, Tokyo)
// has a daily shape that moves on the dominant zone's clock whenever one of them changes: Sydney's
// morning comes an hour earlier or later on New York's clock. Sets ctx.clock_set: each usable
// step's set of clock offsets between the zones, kTodaysClocks for the offsets that hold at as_of,
// 1, 2, ... for the others in order of appearance (sets beyond 255 share the last number). Leaves
// it empty for a single zone or a mix that changes together.
void MarkClockSets(Context& ctx, const ZonePlan& zones, const Grid& grid);

// A profile taken over both sides of a change is the average of two shapes, partly an hour apart,
// with its ramps smeared. Returns ctx.quiet restricted to the steps on today's clocks, when at
// least a week's worth of the profile window's quiet steps are; otherwise ctx.quiet itself.
std::vector<std::uint8_t> QuietStepsOnTodaysClocks(const Context& ctx);

// True when the profile QuietStepsOnTodaysClocks gives describes today's clocks alone: a single
// zone, a mix that changes together, or a week's worth of quiet steps on today's clocks.
bool ProfileOnTodaysClocks(const Context& ctx);

// The options of the baseline fits: the forecast's, with ctx.weekend_slots, and without the level
// anchor or the shift within days when every step counts (MarkQuietSteps). The last week is then
// all event windows, and a level taken from it would hold the events' surges, which the forecast
// adds again as their excess.
BaselineFitOptions BaselineFitOptionsOf(const Context& ctx);

// Step 1: fits ctx.baseline, the weekly baseline of the `profile_quiet` steps, and sets
// ctx.epsilon, the series' small number (a thousandth of its median positive profile value).
// Errors: those of FitWeeklyBaseline.
Status FitBaseline(Context& ctx, std::span<const std::uint8_t> profile_quiet);

// Step 1, for past events on other clocks: fits ctx.clock_baselines, one per clock set other than
// today's, on the quiet steps of that set in the profile window before its last step, when a week's
// worth of them exists. A past release's surge is then measured against the shape its own weeks
// had, not against today's with the minority zones' hours an hour off.
void FitOtherClockBaselines(Context& ctx);

}  // namespace patchcast::forecasting::forecast_steps
