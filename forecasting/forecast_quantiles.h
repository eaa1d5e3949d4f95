// Step 5 of ForecastDemand (forecast.h): from the baseline and the upcoming events' excess to each
// forecast step's quantiles. Quiet steps take the empirical quantiles of the baseline's rolling
// out-of-sample residuals at their horizon day; steps where a learned event dominates take its
// curve's normalized residuals; steps where the prior dominates, a log-normal size factor on top
// of the quiet band, reaching for the wave's height within the prior's timing spread. Internal to
// the forecasting module; pure functions of their inputs.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "forecasting/forecast_context.h"
#include "forecasting/forecast_upcoming.h"

namespace patchcast::forecasting::forecast_steps {

// What each forecast step needs to turn into quantiles.
struct StepState {
  double baseline = 0;
  double excess = 0;                 // combined median excess over the baseline, at least -1
  double excess_spread = 0;          // the same with the prior's waves' expected values
  double excess_at_prior_hours = 0;  // the same with the prior's waves at their hours
  std::size_t horizon_day = 0;       // whole days from as_of, at most kHorizonDays - 1
  std::ptrdiff_t dominant = -1;      // index into `upcoming` of the largest contributor
};

// Residuals log((value + eps) / (baseline + eps)) of the baseline fitted at rolling weekly origins
// before as_of, on the quiet steps of the week after each origin, by horizon day. When a bucket is
// thin (under 30), every bucket gets the pooled residuals; when even those are few (a history
// under two weeks), each quiet step of the profile window against the same time on the nearest
// earlier day of its kind (weekday or weekend); when there are none, a single 0. Each
// bucket is sorted and centred on its median, so that a quiet step's p50 is its baseline.
std::array<std::vector<double>, kHorizonDays> QuietResiduals(const Context& ctx);

// Each forecast step's baseline, combined median excess (maximum within a wave, sum across waves,
// but the maximum again across the waves of one kind of event that act at the step; the prior's
// waves as their median over their timing, again as their expected value, and again at their
// hours) and its dominant event; with `explanations`, why each point has its median value.
std::vector<StepState> CombineEventsAtSteps(const Context& ctx, const Grid& grid,
                                            const std::vector<EventRef>& refs,
                                            const std::vector<Upcoming>& upcoming,
                                            const Waves& waves, const ExcessModel& excess,
                                            std::vector<PointExplanation>* explanations);

// Whether a group's own residuals give the bands where it dominates (it has a curve with
// residuals, and the prior weighs less than half, or nothing when there is no prior, and then from
// at least three sized past events); else the prior's do. Two events' leave-one-out residuals
// each predict one event from the other alone, and say nothing of how far the next one may be
// (with two past releases, p99 coverage of the window was under 84 % in a tenth of the family's
// draws); without a prior they are still the best there is.
bool LearnedBands(const Group& group);

// The value of a forecast step at a quantile level. Borrows its arguments, which must outlive it.
class StepQuantiles {
 public:
  StepQuantiles(const Context& ctx, const std::vector<EventRef>& refs,
                const std::vector<Group>& groups, const std::vector<Upcoming>& upcoming,
                const std::vector<StepState>& states);

  // Step j's value at level q in (0, 1); never negative. Not monotone in q by itself:
  // QuantilePoints makes it so. With PriorTiming::kMedian, the forecast's own: the median follows
  // the prior's median waves and the upper levels reach for their expected values (all of the way
  // from q = 0.9). With PriorTiming::kAtItsHours, the value the step would have if the prior's
  // waves came at their hours (what an event's peak reports).
  double At(std::size_t j, double q, PriorTiming timing = PriorTiming::kMedian) const;

 private:
  bool PriorDriven(const StepState& state) const;
  // The largest excess at the prior's hours within the prior's timing spread of each prior-driven
  // step; 0 elsewhere.
  std::vector<double> PriorTimingEnvelope() const;

  const Context* ctx_;
  const std::vector<EventRef>* refs_;
  const std::vector<Group>* groups_;
  const std::vector<Upcoming>* upcoming_;
  const std::vector<StepState>* states_;
  std::array<std::vector<double>, kHorizonDays> quiet_residuals_;
  std::vector<double> timing_envelope_;  // per step
};

// The forecast points: each step's quantiles at every level (ascending), made monotone in the
// level.
std::vector<ForecastPoint> QuantilePoints(const Context& ctx, const Grid& grid,
                                          const std::vector<StepState>& states,
                                          const StepQuantiles& quantiles,
                                          const std::vector<double>& levels);

}  // namespace patchcast::forecasting::forecast_steps
