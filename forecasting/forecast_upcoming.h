// Steps 3, 4 and 6 of ForecastDemand (forecast.h): the upcoming events. Each is sized from what
// its advance notice announced (and any what-if), events close together form one reboot wave,
// each event's excess over the baseline blends its group's learned curve with the prior's wave,
// and an event already under way is resized by what has been observed of it. Internal to the
// forecasting module; pure functions of their inputs.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "forecasting/forecast_context.h"

namespace patchcast::forecasting::forecast_steps {

// Step 3 (and the prior's shape of step 4): one Upcoming per relevant event, in the order of
// `refs`: its expected size through its group's size relation, the prior's size (0 for a release
// known to need no restart), the prior's wave over its window when the group gives the prior any
// weight (of the median size, exp(-magnitude_log_sd^2 / 2) of the expected one the prior's physics
// gives; laid on the install hours the group's learned curve shows, within the prior's timing
// spread: LearnedTimingShift), and the baseline's daily volume that scales that wave.
std::vector<Upcoming> SizeUpcomingEvents(const Context& ctx, const std::vector<EventRef>& refs,
                                         const std::vector<Group>& groups, const ZonePlan& zones);

// The shift in steps, within +-reach, that lays the prior's wave `prior` best on the learned
// curve's excess `learned` (both per window offset) over offsets [from, to): the largest overlap
// of the learned curve's rise with the shifted wave, the nearest shift on a tie, 0 when nothing
// overlaps. The series' own past releases show its install hours; the prior only guesses them.
std::int64_t LearnedTimingShift(std::span<const double> learned, std::span<const double> prior,
                                std::size_t from, std::size_t to, std::int64_t reach);

// `wave` moved `shift` steps later (earlier when negative), 0 where nothing moves in.
std::vector<double> ShiftedWave(std::span<const double> wave, std::int64_t shift);

// Sets each what-if's multiplier on its event. Errors: kInvalidArgument naming an event that does
// not act within the horizon.
Status ApplyWhatIfs(const ForecastOptions& options, const std::vector<EventRef>& refs,
                    std::vector<Upcoming>& upcoming);

// Reboot waves: upcoming events starting within merge_window of their wave's first event. Within a
// wave uplifts combine by maximum, across waves by sum.
struct Waves {
  std::vector<std::size_t> of;  // the wave of each upcoming event
  std::size_t count = 0;
};

// Numbers the waves of `upcoming` (sorted by start, as SizeUpcomingEvents leaves them) in order.
Waves GroupWaves(const std::vector<EventRef>& refs, const std::vector<Upcoming>& upcoming,
                 std::chrono::seconds merge_window);

// Step 4: an upcoming event's excess over the baseline at a step: the learned curve and the
// prior's wave blended by the group's prior weight, each scaled by its size. A reboot-driven
// event's learned curve acts from its release's step on. Borrows its arguments, which must
// outlive it.
class ExcessModel {
 public:
  ExcessModel(const Context& ctx, const std::vector<EventRef>& refs,
              const std::vector<Group>& groups)
      : ctx_(&ctx), refs_(&refs), groups_(&groups) {}

  // The excess of `up` at step index i (from history.start) where the baseline is b, with the
  // prior's wave read as `timing` says; 0 outside its window. With `severity`, also the part due
  // to what was announced: the excess minus that of a median past event, through the size
  // relation and the prior's restart rule.
  double At(const Upcoming& up, std::int64_t i, double b, PriorTiming timing,
            double* severity = nullptr) const;

  // The same at the prior's hours, without the what-if multiplier: a what-if applies to the
  // realised size.
  double Unscaled(const Upcoming& up, std::int64_t i, double b) const;

 private:
  const Context* ctx_;
  const std::vector<EventRef>* refs_;
  const std::vector<Group>* groups_;
};

// Step 6: events under way at as_of. The observed part of a wave's window says how large it is
// turning out. Per wave (events combined as in the forecast), the realised scale is the weighted
// median of observed / expected excess over the observed steps where the wave acts (weights:
// expected excess squared, as least squares would give; a median, so that an incident's dip or a
// spike in the observed part does not carry it), after the other waves' expected excess is taken
// off, and at most 5. It is shrunk toward the expected size by the share of the wave's first pass
// (its first 36 hours: every zone's install night and next morning) that has been observed: a few
// hours into a release only the first zones' reboots are in, and they guide the zones still to
// come (follow the sun) as far as they are a share of the whole. Sets observed_scale and
// observed_share; waves with nothing observed keep 1 and 0.
void UpdateEventsUnderWay(const Context& ctx, const std::vector<EventRef>& refs, const Waves& waves,
                          const ExcessModel& excess, const date::time_zone& dominant,
                          std::vector<Upcoming>& upcoming);

}  // namespace patchcast::forecasting::forecast_steps
