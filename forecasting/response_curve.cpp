#include "forecasting/response_curve.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "forecasting/robust_stats.h"

namespace patchcast::forecasting {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kNoSkip = std::numeric_limits<std::size_t>::max();

// Centred moving average over +-radius, ignoring NaN; NaN where the whole span is NaN.
std::vector<double> Smooth(std::span<const double> curve, std::size_t radius) {
  if (radius == 0) return {curve.begin(), curve.end()};
  std::vector<double> out(curve.size(), kNaN);
  for (std::size_t k = 0; k < curve.size(); ++k) {
    double sum = 0;
    int count = 0;
    const std::size_t lo = k >= radius ? k - radius : 0;
    const std::size_t hi = std::min(curve.size() - 1, k + radius);
    for (std::size_t j = lo; j <= hi; ++j) {
      if (!std::isnan(curve[j])) {
        sum += curve[j];
        ++count;
      }
    }
    if (count > 0) out[k] = sum / count;
  }
  return out;
}

// The median of sorted[] without one element equal to `removed`. sorted must contain it.
double MedianWithout(std::span<const double> sorted, double removed) {
  const std::size_t n = sorted.size();
  if (n <= 1) return kNaN;
  const auto rank = static_cast<std::size_t>(
      std::lower_bound(sorted.begin(), sorted.end(), removed) - sorted.begin());
  const auto at = [&](std::size_t p) { return p < rank ? sorted[p] : sorted[p + 1]; };
  const std::size_t m = n - 1;
  return m % 2 == 1 ? at(m / 2) : 0.5 * (at(m / 2 - 1) + at(m / 2));
}

// A row that sees less than this share of the curve's squared mass has no size of its own: an
// event whose window another event's surge claimed mostly, sized on a tail or a ring echo, would
// read as several times its real size, and every other event's size relative to it as a fraction.
constexpr double kMinSizedCoverage = 0.5;

// Least-squares magnitude of `row` against `curve`: sum(x c) / sum(c^2) over known offsets; NaN
// when those offsets hold less than kMinSizedCoverage of the curve's sum(c^2), and 1 (the median
// event) when the curve is flat.
double Project(std::span<const double> row, std::span<const double> curve) {
  double xc = 0;
  double cc = 0;
  double whole = 0;
  for (std::size_t k = 0; k < row.size(); ++k) {
    if (std::isnan(curve[k])) continue;
    whole += curve[k] * curve[k];
    if (std::isnan(row[k])) continue;
    xc += row[k] * curve[k];
    cc += curve[k] * curve[k];
  }
  if (whole <= 1e-12) return 1.0;
  return cc >= kMinSizedCoverage * whole ? xc / cc : kNaN;
}

// The median of the known (not NaN) values; NaN when there is none.
double KnownMedian(std::span<const double> values) {
  std::vector<double> known;
  for (const double v : values) {
    if (!std::isnan(v)) known.push_back(v);
  }
  return known.empty() ? kNaN : MedianInPlace(known);
}

using Predictor = SizeRelation::Predictor;

// One candidate size relation: a predictor, with or without the restart gate.
struct Candidate {
  Predictor predictor = Predictor::kNone;
  bool gate = false;
};

// Candidates from the simplest up (by number of fitted values), so that ties go to the simpler.
constexpr Candidate kCandidates[] = {
    {Predictor::kNone, false},
    {Predictor::kNone, true},
    {Predictor::kSeverity, false},
    {Predictor::kWeekend, false},
    {Predictor::kBulletins, false},
    {Predictor::kSeverity, true},
    {Predictor::kWeekend, true},
    {Predictor::kBulletins, true},
    {Predictor::kBulletinsAndSeverity, false},
    {Predictor::kBulletinsAndSeverity, true},
};

// The median slope (y[j] - y[i]) / (x[j] - x[i]) over pairs in the same group with x[i] != x[j]:
// Theil-Sen within groups, so that a difference between the groups' levels is not read as a
// slope. NaN when no pair qualifies.
double GroupedTheilSen(std::span<const double> x, std::span<const double> y,
                       std::span<const std::uint8_t> group) {
  std::vector<double> slopes;
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      if (group[i] != group[j] || x[i] == x[j]) continue;
      slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
    }
  }
  return slopes.empty() ? kNaN : MedianInPlace(slopes);
}

std::size_t DistinctCount(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return static_cast<std::size_t>(std::unique(values.begin(), values.end()) - values.begin());
}

// Sets `first` and `second` to the medians of a split's two sides; false, leaving them, when
// either side has fewer than `min_side` events.
bool SplitMedians(std::vector<double> (&sides)[2], std::size_t min_side, double& first,
                  double& second) {
  if (sides[0].size() < min_side || sides[1].size() < min_side) return false;
  first = MedianInPlace(sides[0]);
  second = MedianInPlace(sides[1]);
  return true;
}

// Fits `candidate` to the events other than `skip` (an index, or npos). Returns nullopt when the
// events do not support its predictor (too few counts, too few events on a side of a split).
// The gate takes the median magnitude of the events known to need no restart; when there are none
// it is the physical "no reboot, no wave" (0) for a reboot-driven response, else it is dropped.
std::optional<SizeRelation> Fit(Candidate candidate, std::span<const double> magnitudes,
                                std::span<const SizeAnnotations> annotations, std::size_t skip,
                                bool reboot_driven, const ResponseLearningOptions& options) {
  SizeRelation relation;
  relation.predictor = candidate.predictor;
  std::vector<double> all;
  std::vector<double> no_restart;
  std::vector<double> xs;
  std::vector<double> ys;
  std::vector<std::uint8_t> critical;  // per (xs, ys) point: 1 when critical
  std::vector<double> levels[2];       // non-critical, critical
  std::vector<double> by_day[2];       // weekday, weekend
  const bool uses_bulletins = relation.UsesBulletins();
  const bool uses_severity = relation.UsesSeverity();
  const bool uses_weekend = relation.UsesWeekend();
  for (std::size_t i = 0; i < magnitudes.size(); ++i) {
    if (i == skip || std::isnan(magnitudes[i])) continue;
    const SizeAnnotations& a = annotations[i];
    if (candidate.gate && a.restart_required == false) {
      no_restart.push_back(magnitudes[i]);
      continue;
    }
    all.push_back(magnitudes[i]);
    if ((uses_bulletins && !a.bulletins) || (uses_severity && !a.critical) ||
        (uses_weekend && !a.weekend)) {
      continue;
    }
    if (uses_weekend) by_day[*a.weekend ? 1 : 0].push_back(magnitudes[i]);
    if (uses_bulletins) {
      xs.push_back(*a.bulletins);
      ys.push_back(magnitudes[i]);
      critical.push_back(uses_severity && *a.critical ? 1 : 0);
    }
    if (uses_severity && !uses_bulletins) levels[*a.critical ? 1 : 0].push_back(magnitudes[i]);
  }
  relation.median = all.empty() ? 1.0 : MedianInPlace(all);
  relation.intercept = relation.median;
  relation.critical_intercept = relation.median;
  relation.weekend_intercept = relation.median;
  if (candidate.gate) {
    if (!no_restart.empty()) {
      relation.restart_gate = true;
      relation.no_restart_magnitude = MedianInPlace(no_restart);
    } else if (reboot_driven) {
      relation.restart_gate = true;
      relation.no_restart_magnitude = 0;
    }
  }
  const auto critical_count =
      static_cast<std::size_t>(std::count(critical.begin(), critical.end(), std::uint8_t{1}));
  switch (candidate.predictor) {
    case Predictor::kNone:
      break;
    case Predictor::kSeverity:
      if (!SplitMedians(levels, options.min_events_per_side, relation.intercept,
                        relation.critical_intercept)) {
        return std::nullopt;
      }
      break;
    case Predictor::kWeekend:
      if (!SplitMedians(by_day, options.min_events_per_side, relation.intercept,
                        relation.weekend_intercept)) {
        return std::nullopt;
      }
      break;
    case Predictor::kBulletins:
    case Predictor::kBulletinsAndSeverity: {
      if (xs.size() < options.min_events_for_relation ||
          DistinctCount(xs) < options.min_distinct_bulletins) {
        return std::nullopt;
      }
      double slope = 0;
      if (uses_severity) {
        if (critical_count < options.min_events_per_side ||
            xs.size() - critical_count < options.min_events_per_side) {
          return std::nullopt;
        }
        slope = GroupedTheilSen(xs, ys, critical);
        if (std::isnan(slope)) return std::nullopt;
      } else {
        slope = TheilSenSlope(xs, ys);
      }
      relation.per_bulletin = slope;
      for (std::size_t i = 0; i < xs.size(); ++i) {
        levels[critical[i]].push_back(ys[i] - slope * xs[i]);
      }
      if (!levels[0].empty()) relation.intercept = MedianInPlace(levels[0]);
      relation.critical_intercept =
          levels[1].empty() ? relation.intercept : MedianInPlace(levels[1]);
      break;
    }
  }
  return relation;
}

bool Allowed(Candidate candidate, const ResponseLearningOptions& options) {
  const bool bulletins = candidate.predictor == Predictor::kBulletins ||
                         candidate.predictor == Predictor::kBulletinsAndSeverity;
  const bool severity = candidate.predictor == Predictor::kSeverity ||
                        candidate.predictor == Predictor::kBulletinsAndSeverity;
  const bool weekend = candidate.predictor == Predictor::kWeekend;
  return (!bulletins || options.use_bulletins) && (!severity || options.use_severity) &&
         (!weekend || options.use_weekend) && (!candidate.gate || options.use_restart);
}

// Fits `candidate` without event `skip`, falling back to its gate with the median predictor
// when the remaining events do not support the predictor.
SizeRelation FitOrFallBack(Candidate candidate, std::span<const double> magnitudes,
                           std::span<const SizeAnnotations> annotations, std::size_t skip,
                           bool reboot_driven, const ResponseLearningOptions& options) {
  std::optional<SizeRelation> fit =
      Fit(candidate, magnitudes, annotations, skip, reboot_driven, options);
  if (fit) return *fit;
  return *Fit({Predictor::kNone, candidate.gate}, magnitudes, annotations, skip, reboot_driven,
              options);
}

// Chooses the size relation (see ResponseCurve::relation) and returns the candidate it came from.
Candidate ChooseRelation(std::span<const double> magnitudes,
                         std::span<const SizeAnnotations> annotations, bool reboot_driven,
                         const ResponseLearningOptions& options) {
  const bool any_no_restart =
      std::any_of(annotations.begin(), annotations.end(),
                  [](const SizeAnnotations& a) { return a.restart_required == false; });
  std::vector<double> scores;
  std::vector<Candidate> eligible;
  for (const Candidate& candidate : kCandidates) {
    if (!Allowed(candidate, options)) continue;
    // Without an event that needed no restart the gate changes no past event's prediction:
    // there is nothing to choose it by (the physical gate is added afterwards).
    if (candidate.gate && !any_no_restart) continue;
    if (!Fit(candidate, magnitudes, annotations, kNoSkip, reboot_driven, options)) continue;
    double error = 0;
    std::size_t count = 0;
    for (std::size_t i = 0; i < magnitudes.size(); ++i) {
      if (std::isnan(magnitudes[i])) continue;
      const SizeRelation loo =
          FitOrFallBack(candidate, magnitudes, annotations, i, reboot_driven, options);
      error += std::abs(magnitudes[i] - loo.Predict(annotations[i]));
      ++count;
    }
    scores.push_back(count > 0 ? error / static_cast<double>(count) : 0);
    eligible.push_back(candidate);
  }
  // eligible[0] is the plain median (always allowed and fitted).
  const double best = *std::min_element(scores.begin(), scores.end());
  for (std::size_t c = 0; c < eligible.size(); ++c) {
    if (scores[c] <= 1.02 * best + 1e-12) {
      return scores[c] < scores[0] ? eligible[c] : eligible[0];
    }
  }
  return eligible[0];
}

}  // namespace

bool SizeRelation::UsesBulletins() const {
  return predictor == Predictor::kBulletins || predictor == Predictor::kBulletinsAndSeverity;
}

bool SizeRelation::UsesSeverity() const {
  return predictor == Predictor::kSeverity || predictor == Predictor::kBulletinsAndSeverity;
}

bool SizeRelation::UsesWeekend() const { return predictor == Predictor::kWeekend; }

double SizeRelation::Predict(const SizeAnnotations& annotations) const {
  if (restart_gate && annotations.restart_required == false) {
    return std::max(0.0, no_restart_magnitude);
  }
  const bool bulletins = UsesBulletins();
  const bool severity = UsesSeverity();
  if ((bulletins && !annotations.bulletins) || (severity && !annotations.critical) ||
      (UsesWeekend() && !annotations.weekend)) {
    return std::max(0.0, median);
  }
  if (predictor == Predictor::kNone) return std::max(0.0, median);
  if (UsesWeekend()) return std::max(0.0, *annotations.weekend ? weekend_intercept : intercept);
  const double level = severity && *annotations.critical ? critical_intercept : intercept;
  return std::max(0.0, level + (bulletins ? per_bulletin * *annotations.bulletins : 0.0));
}

double ResponseCurve::ExcessAt(std::int64_t offset) const {
  const std::int64_t k = offset - first_offset;
  if (k < 0 || k >= static_cast<std::int64_t>(excess.size())) return 0;
  return excess[static_cast<std::size_t>(k)];
}

namespace {

// The events x offsets matrices of LearnResponseCurve, read by column (offset).
class Columns {
 public:
  Columns(std::size_t events, std::size_t offsets)
      : events_(events), offsets_(offsets), sorted_(events * offsets), counts_(offsets) {}

  // Per-offset medians of `matrix`'s columns (NaN where a column has no known value). Keeps each
  // column's known values sorted, for Sorted() and the leave-one-out medians.
  std::vector<double> Medians(const std::vector<double>& matrix) {
    std::vector<double> medians(offsets_, kNaN);
    for (std::size_t k = 0; k < offsets_; ++k) {
      double* column = sorted_.data() + k * events_;
      std::size_t n = 0;
      for (std::size_t i = 0; i < events_; ++i) {
        const double v = matrix[i * offsets_ + k];
        if (!std::isnan(v)) column[n++] = v;
      }
      counts_[k] = n;
      std::sort(column, column + n);
      if (n > 0) medians[k] = QuantileSorted({column, n}, 0.5);
    }
    return medians;
  }

  // Column k's known values, sorted, as of the last Medians().
  std::span<const double> Sorted(std::size_t k) const {
    return {sorted_.data() + k * events_, counts_[k]};
  }

 private:
  std::size_t events_;
  std::size_t offsets_;
  std::vector<double> sorted_;  // column-major
  std::vector<std::size_t> counts_;
};

// The shape every event's response shares, each event's size along it (1 = the median event),
// and each event's excess divided by its size (NaN for an event without a visible response).
struct Shape {
  std::vector<double> curve;
  std::vector<double> magnitudes;
  std::vector<double> normalized;
};

// Shape first, then sizes, then the shape of the size-normalized responses, smoothed over
// +-radius offsets. Leaves `columns` sorted on the normalized responses.
Shape FitShape(const ResponseObservations& obs, std::size_t radius, Columns& columns) {
  const std::size_t offsets = obs.offsets;
  const std::size_t events = obs.events();
  const auto row = [&](std::size_t i) {
    return std::span<const double>(obs.excess.data() + i * offsets, offsets);
  };
  // A month without a visible response says nothing about the shape.
  constexpr double kVisible = 0.05;
  Shape shape;
  shape.curve = Smooth(columns.Medians(obs.excess), radius);
  shape.magnitudes.resize(events);
  for (std::size_t i = 0; i < events; ++i) shape.magnitudes[i] = Project(row(i), shape.curve);
  // A row written by the first pass stays when its event drops below kVisible in the second; the
  // row of an event without a size (NaN) is left out.
  shape.normalized.assign(events * offsets, kNaN);
  const auto normalize = [&]() {
    for (std::size_t i = 0; i < events; ++i) {
      const double size = shape.magnitudes[i];
      const auto normalized = shape.normalized.begin() + static_cast<std::ptrdiff_t>(i * offsets);
      if (std::isnan(size)) {
        std::fill(normalized, normalized + static_cast<std::ptrdiff_t>(offsets), kNaN);
      } else if (size >= kVisible) {
        for (std::size_t k = 0; k < offsets; ++k) {
          normalized[static_cast<std::ptrdiff_t>(k)] = obs.excess[i * offsets + k] / size;
        }
      }
    }
  };
  normalize();
  const bool any_visible = std::any_of(shape.magnitudes.begin(), shape.magnitudes.end(),
                                       [](double m) { return m >= kVisible; });
  if (any_visible) {
    shape.curve = Smooth(columns.Medians(shape.normalized), radius);
    for (std::size_t i = 0; i < events; ++i) shape.magnitudes[i] = Project(row(i), shape.curve);
    const double median_magnitude = KnownMedian(shape.magnitudes);
    if (median_magnitude > 1e-9) {
      for (double& c : shape.curve) c *= median_magnitude;
      for (double& m : shape.magnitudes) m /= median_magnitude;
    }
    normalize();
  } else {
    std::fill(shape.magnitudes.begin(), shape.magnitudes.end(), 1.0);
    shape.normalized = obs.excess;
  }
  columns.Medians(shape.normalized);  // sorted for the spread and the leave-one-out medians
  return shape;
}

// The curve's excess: the smoothed shape, 0 where unknown.
std::vector<double> ExcessOf(const Shape& shape) {
  std::vector<double> excess(shape.curve.size());
  for (std::size_t k = 0; k < excess.size(); ++k) {
    excess[k] = std::isnan(shape.curve[k]) ? 0 : shape.curve[k];
  }
  return excess;
}

// The curve's excess and, per offset, the spread of the normalized responses around their raw
// median (1.4826 x the median absolute deviation).
void SetExcessAndSpread(const Shape& shape, const Columns& columns, ResponseCurve& curve) {
  const std::size_t offsets = shape.curve.size();
  curve.excess = ExcessOf(shape);
  curve.spread.assign(offsets, 0);
  std::vector<double> deviations;  // reused: this runs for every offset
  for (std::size_t k = 0; k < offsets; ++k) {
    const std::span<const double> column = columns.Sorted(k);
    if (column.empty()) continue;
    // Sorted already: its median without another partition.
    const double raw_median = QuantileSorted(column, 0.5);
    deviations.clear();
    for (const double v : column) deviations.push_back(std::abs(v - raw_median));
    curve.spread[k] = 1.4826 * MedianInPlace(deviations);
  }
  curve.magnitudes = shape.magnitudes;
}

// The size relation: the candidate that predicts past sizes best out of sample, if any beats the
// median. A reboot wave needs a restart: with no past event that said otherwise, an event known
// to need none is given no wave.
Candidate ChooseSizeRelation(const ResponseObservations& obs, std::span<const double> magnitudes,
                             const ResponseLearningOptions& options) {
  Candidate chosen = ChooseRelation(magnitudes, obs.annotations, obs.reboot_driven, options);
  if (!chosen.gate && obs.reboot_driven && options.use_restart &&
      std::none_of(obs.annotations.begin(), obs.annotations.end(),
                   [](const SizeAnnotations& a) { return a.restart_required == false; })) {
    chosen.gate = true;
  }
  return chosen;
}

double PeakExcess(const ResponseCurve& curve) {
  double peak = 0;
  for (const double c : curve.excess) peak = std::max(peak, std::abs(c));
  return peak;
}

// The noise floor: the spread of the excess where the curve is flat (within 5 % of its peak).
double NoiseFloor(const ResponseObservations& obs, const ResponseCurve& curve) {
  const double peak_excess = PeakExcess(curve);
  std::vector<double> flat;
  // Most of the window is flat, so nearly every value lands here: reserved once, not regrown.
  flat.reserve(obs.excess.size());
  for (std::size_t k = 0; k < obs.offsets; ++k) {
    if (std::abs(curve.excess[k]) > 0.05 * peak_excess) continue;
    for (std::size_t i = 0; i < obs.events(); ++i) {
      const double v = obs.excess[i * obs.offsets + k];
      if (!std::isnan(v)) flat.push_back(std::abs(v - curve.excess[k]));
    }
  }
  return flat.empty() ? curve.noise_floor : std::max(0.005, 1.4826 * MedianInPlace(flat));
}

// Leave each event out in turn: its curve from the other events' column medians, its size from
// the relation (or median) fitted without it; then record the residuals where the prediction
// acts, and the log ratio and timing of its actual peak (from the start on) to the predicted one.
class LeaveOneOut {
 public:
  LeaveOneOut(const ResponseObservations& obs, const Shape& shape, const Columns& columns,
              Candidate chosen, std::size_t radius, const ResponseLearningOptions& options)
      : obs_(obs),
        shape_(shape),
        columns_(columns),
        chosen_(chosen),
        radius_(radius),
        options_(options),
        first_after_start_(static_cast<std::size_t>(std::clamp<std::int64_t>(
            -obs.first_offset, 0, static_cast<std::int64_t>(obs.offsets)))) {}

  void Score(ResponseCurve& curve) const {
    const double active_threshold = std::max(0.02, 0.1 * PeakExcess(curve));
    for (std::size_t i = 0; i < obs_.events(); ++i) {
      const std::vector<double> predicted = PredictedWithout(i);
      for (std::size_t k = 0; k < obs_.offsets; ++k) {
        const double x = obs_.excess[i * obs_.offsets + k];
        if (!std::isnan(x) && std::abs(predicted[k]) >= active_threshold) {
          curve.active_residuals.push_back((x - predicted[k]) /
                                           (std::abs(predicted[k]) + curve.noise_floor));
        }
      }
      ScorePeak(i, predicted, curve);
    }
  }

 private:
  // Event i's excess per offset as predicted without it.
  std::vector<double> PredictedWithout(std::size_t i) const {
    std::vector<double> loo(obs_.offsets);
    for (std::size_t k = 0; k < obs_.offsets; ++k) {
      const double own = shape_.normalized[i * obs_.offsets + k];
      const std::span<const double> column = columns_.Sorted(k);
      loo[k] = std::isnan(own) ? (column.empty() ? kNaN : QuantileSorted(column, 0.5))
                               : MedianWithout(column, own);
    }
    const std::vector<double> loo_shape = Smooth(loo, radius_);
    const double size =
        FitOrFallBack(chosen_, shape_.magnitudes, obs_.annotations, i, obs_.reboot_driven, options_)
            .Predict(obs_.annotations[i]);
    std::vector<double> predicted(obs_.offsets);
    for (std::size_t k = 0; k < obs_.offsets; ++k) {
      predicted[k] = size * (std::isnan(loo_shape[k]) ? 0 : loo_shape[k]);
    }
    return predicted;
  }

  void ScorePeak(std::size_t i, const std::vector<double>& predicted, ResponseCurve& curve) const {
    double actual_peak = -1;
    double predicted_peak = -1;
    std::size_t actual_at = 0;
    std::size_t predicted_at = 0;
    std::size_t known = 0;
    for (std::size_t k = first_after_start_; k < obs_.offsets; ++k) {
      const double x = obs_.excess[i * obs_.offsets + k];
      const double b = obs_.baseline[i * obs_.offsets + k];
      if (std::isnan(b)) continue;
      if (b * (1 + predicted[k]) > predicted_peak) {
        predicted_peak = b * (1 + predicted[k]);
        predicted_at = k;
      }
      if (std::isnan(x)) continue;
      ++known;
      if (b * (1 + x) > actual_peak) {
        actual_peak = b * (1 + x);
        actual_at = k;
      }
    }
    // A window missing more than half its data would misplace the peak.
    if (2 * known >= obs_.offsets - first_after_start_ && actual_peak > 0 && predicted_peak > 0) {
      curve.peak_log_ratios.push_back(std::log(actual_peak / predicted_peak));
      curve.peak_timing_minutes.push_back(
          (static_cast<double>(actual_at) - static_cast<double>(predicted_at)) *
          static_cast<double>(obs_.step.count()) / 60.0);
    }
  }

  const ResponseObservations& obs_;
  const Shape& shape_;
  const Columns& columns_;
  const Candidate chosen_;
  const std::size_t radius_;
  const ResponseLearningOptions& options_;
  const std::size_t first_after_start_;
};

// Checks `obs` and starts its curve: step, first offset and events; `radius` is the shape's
// smoothing, in offsets.
Result<ResponseCurve> StartCurve(const ResponseObservations& obs,
                                 const ResponseLearningOptions& options, std::size_t& radius) {
  const std::size_t offsets = obs.offsets;
  const std::size_t events = obs.events();
  if (offsets == 0 || events == 0 || obs.excess.size() != events * offsets ||
      obs.baseline.size() != events * offsets || obs.annotations.size() != events) {
    return InvalidArgument("response observations are empty or inconsistently sized");
  }
  // Below an hour, the shape is smoothed over `options.smoothing`.
  radius = obs.step < std::chrono::hours{1}
               ? static_cast<std::size_t>(options.smoothing.count() / obs.step.count() / 2)
               : 0;
  ResponseCurve curve;
  curve.step = obs.step;
  curve.first_offset = obs.first_offset;
  curve.events_used = events;
  return curve;
}

}  // namespace

Result<ResponseCurve> LearnResponseCurve(const ResponseObservations& obs,
                                         const ResponseLearningOptions& options) {
  std::size_t radius = 0;
  Result<ResponseCurve> started = StartCurve(obs, options, radius);
  if (!started) return started;
  ResponseCurve& curve = *started;
  Columns columns(obs.events(), obs.offsets);
  const Shape shape = FitShape(obs, radius, columns);
  SetExcessAndSpread(shape, columns, curve);
  const Candidate chosen = ChooseSizeRelation(obs, shape.magnitudes, options);
  if (chosen.predictor != Predictor::kNone || chosen.gate) {
    curve.relation = FitOrFallBack(chosen, shape.magnitudes, obs.annotations, kNoSkip,
                                   obs.reboot_driven, options);
  }
  curve.noise_floor = NoiseFloor(obs, curve);
  if (obs.events() >= 2) LeaveOneOut(obs, shape, columns, chosen, radius, options).Score(curve);
  std::sort(curve.active_residuals.begin(), curve.active_residuals.end());
  std::sort(curve.peak_log_ratios.begin(), curve.peak_log_ratios.end());
  std::sort(curve.peak_timing_minutes.begin(), curve.peak_timing_minutes.end());
  return started;
}

Result<ResponseCurve> LearnResponseShape(const ResponseObservations& obs,
                                         const ResponseLearningOptions& options) {
  std::size_t radius = 0;
  Result<ResponseCurve> started = StartCurve(obs, options, radius);
  if (!started) return started;
  Columns columns(obs.events(), obs.offsets);
  started->excess = ExcessOf(FitShape(obs, radius, columns));
  return started;
}

}  // namespace patchcast::forecasting
