// The last step of ForecastDemand (forecast.h): each upcoming event's peak, and the summary of
// what the forecast learned from. Internal to the forecasting module; pure functions.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "forecasting/forecast_context.h"
#include "forecasting/forecast_quantiles.h"

namespace patchcast::forecasting::forecast_steps {

// An upcoming event's peak: the step of its window (from its start, within the forecast) where the
// median forecast is highest. A group with a curve that the prior weighs under half and at least
// three past peaks gives the peak's heights from its leave-one-out peak errors (the ratio of each
// past event's highest value to the highest its curve predicted, which holds the series' noise at
// the top of a spike) and the 10-90 % timing window from its leave-one-out timing errors.
// Otherwise the window is the prior's timing spread, and each height is the larger of the step's
// quantile and the median's peak lifted by that quantile of `quiet_peak_log_ratios`
// (QuietDailyPeakLogRatios). The window is clamped to the event's window and contains the peak.
// When the window lies before as_of, the peak is the start with NaN heights. `forecast` must hold
// the points and quantile levels.
EventForecast ForecastEventPeak(const Context& ctx, const Grid& grid, const EventRef& ref,
                                const Group& group, const Upcoming& up,
                                const std::vector<StepState>& states,
                                const StepQuantiles& quantiles, const Forecast& forecast,
                                std::span<const double> quiet_peak_log_ratios);

// The log of each recent quiet day's highest value over its baseline's highest, sorted: how far
// the series' own noise lifts a day's top above the smooth profile (little at hourly steps, more
// at minutes). Days of the last profile_weeks weeks with at least 80 % of their steps quiet and
// known; empty when there is none.
std::vector<double> QuietDailyPeakLogRatios(const Context& ctx);

// What the forecast learned from: the events used, the largest prior weight among the upcoming
// events' groups (or among the groups with past events when none is upcoming) and the model kind
// it gives, and the span of history with data before as_of.
ModelSummary SummarizeModel(const Context& ctx, const std::vector<EventRef>& refs,
                            const std::vector<Group>& groups, const std::vector<Upcoming>& upcoming,
                            std::size_t events_used);

}  // namespace patchcast::forecasting::forecast_steps
