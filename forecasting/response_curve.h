// ResponseCurve: how one kind of event (one calendar and event kind, e.g. Microsoft's monthly
// release) moves demand around its start, learned from past occurrences (issue 5, model steps 2, 3
// and 5): the median excess over the baseline per offset from the release instant, the spread per
// offset, the fitted relation between an event's size and what is announced about it, and the
// leave-one-event-out residuals the forecast's quantiles and peak windows come from.
//
// Value types and pure functions; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/result.h"

namespace patchcast::forecasting {

// What was known about an event before it happened, the predictors of its size: what an advance
// notice announced (Microsoft's gave the number of bulletins, the highest severity and whether a
// restart is required), and the day it falls on. Any may be unknown.
struct SizeAnnotations {
  std::optional<double> bulletins;       // number of security bulletins
  std::optional<bool> critical;          // the highest severity is critical
  std::optional<bool> restart_required;  // false: machines install without restarting
  // The event starts on a weekend day for most of the series' users: a match or a launch on a
  // Saturday draws another crowd than on a weekday, against a baseline that has its own weekend.
  std::optional<bool> weekend;

  friend bool operator==(const SizeAnnotations&, const SizeAnnotations&) = default;
};

// What the past occurrences of one kind of event showed, aligned on their start. Row i is event i,
// column k the step at offset first_offset + k steps from the step containing its start.
struct ResponseObservations {
  std::chrono::seconds step{3600};
  std::int64_t first_offset = 0;  // in steps; negative: the window opens before the start
  std::size_t offsets = 0;        // columns
  // events x offsets, row-major: value / baseline - 1 (the excess), NaN when unknown.
  std::vector<double> excess;
  // events x offsets: the baseline used (same units as the series), NaN when unknown.
  std::vector<double> baseline;
  // Per event: what its advance notice announced (the size predictors).
  std::vector<SizeAnnotations> annotations;
  // True when the response is a reboot wave (releases): an event known to need no restart then
  // has no response, unless past events that needed none show otherwise. Default false.
  bool reboot_driven = false;

  std::size_t events() const { return offsets == 0 ? 0 : excess.size() / offsets; }
};

struct ResponseLearningOptions {
  // Below one hour the curve is smoothed with a centred moving average this wide (default 15 min,
  // three 5-minute steps): twelve noisy 5-minute medians otherwise put the peak on a noise spike.
  std::chrono::seconds smoothing{900};
  // The smallest number of events with a known bulletin count, and of distinct counts, before a
  // size relation on bulletins is fitted. Defaults 5 and 3.
  std::size_t min_events_for_relation = 5;
  std::size_t min_distinct_bulletins = 3;
  // The smallest number of events on each side of a split (critical or not, weekend or not)
  // before it enters a size relation. Default 2: most months have a critical bulletin, so the
  // other side is thin, and leave-one-out still decides whether the split helps.
  std::size_t min_events_per_side = 2;
  // Which annotations a size relation may use. Default all.
  bool use_bulletins = true;
  bool use_severity = true;
  bool use_restart = true;
  bool use_weekend = true;
};

// The size relation (issue 5, model step 3): an event's magnitude relative to the median past
// event, from its annotations. A restart gate first: with it, an event known to need no restart
// has no_restart_magnitude. Every other event follows the predictor:
//   kNone                  median
//   kBulletins             intercept + per_bulletin * bulletins
//   kSeverity              critical ? critical_intercept : intercept
//   kBulletinsAndSeverity  (critical ? critical_intercept : intercept) + per_bulletin * bulletins
//   kWeekend               weekend ? weekend_intercept : intercept
// and an event missing an annotation its predictor needs gets `median`. Never negative.
// Default-constructed: every event has magnitude 1.
struct SizeRelation {
  enum class Predictor : std::uint8_t {
    kNone,
    kBulletins,
    kSeverity,
    kBulletinsAndSeverity,
    kWeekend
  };
  Predictor predictor = Predictor::kNone;
  bool restart_gate = false;
  double no_restart_magnitude = 1;
  // The median magnitude of the events the predictor was fitted on (under the gate, those not
  // known to need no restart).
  double median = 1;
  double intercept = 1;
  double critical_intercept = 1;
  double weekend_intercept = 1;
  double per_bulletin = 0;

  double Predict(const SizeAnnotations& annotations) const;
  bool UsesBulletins() const;
  bool UsesSeverity() const;
  bool UsesWeekend() const;

  friend bool operator==(const SizeRelation&, const SizeRelation&) = default;
};

struct ResponseCurve {
  std::chrono::seconds step{3600};
  std::int64_t first_offset = 0;  // steps, as in ResponseObservations
  // Median excess per offset for an event of magnitude 1 (the historical median size).
  std::vector<double> excess;
  // Spread per offset: 1.4826 * median absolute deviation of the size-normalized excess.
  std::vector<double> spread;
  std::size_t events_used = 0;
  // Per past event: its magnitude relative to the median event (the median is 1); NaN for an
  // event whose known steps cover less than half of the curve's squared mass (another event's
  // surge claimed most of its window), which then neither sizes nor shapes the curve.
  std::vector<double> magnitudes;

  // The size relation: of the candidates the options allow (the median; bulletins; severity;
  // both; the weekend; each with and without the restart gate), the simplest whose mean absolute
  // error predicting each past event's magnitude with that event left out is within 2 % of the
  // best, and only when it beats the median so; otherwise the median (every event 1). A
  // reboot-driven curve whose past events all needed a restart (or did not say) gets the physical
  // gate anyway: an event known to need no restart causes no reboot wave (magnitude 0).
  SizeRelation relation;

  // Leave-one-event-out residuals, each sorted ascending:
  //  - normalized residuals (actual - predicted excess) / (|predicted excess| + noise_floor) at
  //    offsets where the event acts (predicted excess >= 10 % of the curve's peak);
  std::vector<double> active_residuals;
  //  - log(actual peak / predicted peak) over offsets >= 0;
  std::vector<double> peak_log_ratios;
  //  - actual minus predicted peak time, minutes.
  std::vector<double> peak_timing_minutes;
  // 1.4826 * MAD of the excess at offsets where the curve is flat: the series' own noise.
  double noise_floor = 0.01;

  // The magnitude predicted for an event with these annotations (relation.Predict). Never negative.
  double Magnitude(const SizeAnnotations& annotations) const {
    return relation.Predict(annotations);
  }
  // The excess at `offset` steps from the start (0 outside the window).
  double ExcessAt(std::int64_t offset) const;
};

// Learns the response curve from `observations` (at least one event). Method: the median excess per
// offset, smoothed below an hour; each event's magnitude by least squares against it; the median
// again of excess / magnitude (so large and small months share one shape), renormalized to a median
// magnitude of 1; the size relation as described at ResponseCurve::relation (slopes by Theil-Sen,
// levels by medians); then, for each event, the curve and size learned without it, and its
// residuals.
// Errors: kInvalidArgument when observations are empty or inconsistently sized.
Result<ResponseCurve> LearnResponseCurve(const ResponseObservations& observations,
                                         const ResponseLearningOptions& options);

// The shape alone, for finding where a response acts: LearnResponseCurve's excess (and step,
// first_offset and events_used), without the spreads, sizes, size relation, noise floor and
// leave-one-out scores, which cost most of its time. Errors: those of LearnResponseCurve.
Result<ResponseCurve> LearnResponseShape(const ResponseObservations& observations,
                                         const ResponseLearningOptions& options);

}  // namespace patchcast::forecasting
