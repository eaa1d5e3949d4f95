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

#include "calendars/result.h"

namespace patchcast::forecasting {

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
  // Per event: the number of bulletins announced for it, when known (the size predictor).
  std::vector<std::optional<double>> bulletins;

  std::size_t events() const { return offsets == 0 ? 0 : excess.size() / offsets; }
};

struct ResponseLearningOptions {
  // Below one hour the curve is smoothed with a centred moving average this wide (default 15 min,
  // three 5-minute steps): twelve noisy 5-minute medians otherwise put the peak on a noise spike.
  std::chrono::seconds smoothing{900};
  // The smallest number of events with a known bulletin count, and of distinct counts, before a
  // size relation is fitted. Defaults 5 and 3.
  std::size_t min_events_for_relation = 5;
  std::size_t min_distinct_bulletins = 3;
};

struct ResponseCurve {
  std::chrono::seconds step{3600};
  std::int64_t first_offset = 0;  // steps, as in ResponseObservations
  // Median excess per offset for an event of magnitude 1 (the historical median size).
  std::vector<double> excess;
  // Spread per offset: 1.4826 * median absolute deviation of the size-normalized excess.
  std::vector<double> spread;
  std::size_t events_used = 0;
  // Per past event: its magnitude relative to the median event (the median is 1).
  std::vector<double> magnitudes;

  // Size relation magnitude = intercept + per_bulletin * bulletins. Used only when it predicts the
  // past events' sizes better than their median does, leaving each event out in turn.
  bool uses_bulletins = false;
  double intercept = 1;
  double per_bulletin = 0;

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

  // The magnitude predicted for an event with `bulletins` (when known): the relation when in use,
  // else 1. Never negative.
  double Magnitude(std::optional<double> bulletins) const;
  // The excess at `offset` steps from the start (0 outside the window).
  double ExcessAt(std::int64_t offset) const;
};

// Learns the response curve from `observations` (at least one event). Method: the median excess per
// offset, smoothed below an hour; each event's magnitude by least squares against it; the median
// again of excess / magnitude (so large and small months share one shape), renormalized to a median
// magnitude of 1; the size relation by Theil-Sen when options allow and leave-one-out says it
// helps; then, for each event, the curve and size learned without it, and its residuals.
// Errors: kInvalidArgument when observations are empty or inconsistently sized.
Result<ResponseCurve> LearnResponseCurve(const ResponseObservations& observations,
                                         const ResponseLearningOptions& options);

}  // namespace patchcast::forecasting
