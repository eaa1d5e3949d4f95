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

// Least-squares magnitude of `row` against `curve`: sum(x c) / sum(c^2) over known offsets.
double Project(std::span<const double> row, std::span<const double> curve) {
  double xc = 0;
  double cc = 0;
  for (std::size_t k = 0; k < row.size(); ++k) {
    if (std::isnan(row[k]) || std::isnan(curve[k])) continue;
    xc += row[k] * curve[k];
    cc += curve[k] * curve[k];
  }
  return cc > 1e-12 ? xc / cc : 1.0;
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
    {Predictor::kBulletins, false},
    {Predictor::kSeverity, true},
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

// Fits `candidate` to the events other than `skip` (an index, or npos). Returns nullopt when the
// events do not support its predictor (too few counts, too few events on a side of severity).
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
  const bool uses_bulletins = relation.UsesBulletins();
  const bool uses_severity = relation.UsesSeverity();
  for (std::size_t i = 0; i < magnitudes.size(); ++i) {
    if (i == skip || std::isnan(magnitudes[i])) continue;
    const SizeAnnotations& a = annotations[i];
    if (candidate.gate && a.restart_required == false) {
      no_restart.push_back(magnitudes[i]);
      continue;
    }
    all.push_back(magnitudes[i]);
    if ((uses_bulletins && !a.bulletins) || (uses_severity && !a.critical)) continue;
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
      if (levels[0].size() < options.min_events_per_severity ||
          levels[1].size() < options.min_events_per_severity) {
        return std::nullopt;
      }
      relation.intercept = MedianInPlace(levels[0]);
      relation.critical_intercept = MedianInPlace(levels[1]);
      break;
    case Predictor::kBulletins:
    case Predictor::kBulletinsAndSeverity: {
      if (xs.size() < options.min_events_for_relation ||
          DistinctCount(xs) < options.min_distinct_bulletins) {
        return std::nullopt;
      }
      double slope = 0;
      if (uses_severity) {
        if (critical_count < options.min_events_per_severity ||
            xs.size() - critical_count < options.min_events_per_severity) {
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
  return (!bulletins || options.use_bulletins) && (!severity || options.use_severity) &&
         (!candidate.gate || options.use_restart);
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

double SizeRelation::Predict(const SizeAnnotations& annotations) const {
  if (restart_gate && annotations.restart_required == false) {
    return std::max(0.0, no_restart_magnitude);
  }
  const bool bulletins = UsesBulletins();
  const bool severity = UsesSeverity();
  if ((bulletins && !annotations.bulletins) || (severity && !annotations.critical)) {
    return std::max(0.0, median);
  }
  if (predictor == Predictor::kNone) return std::max(0.0, median);
  const double level = severity && *annotations.critical ? critical_intercept : intercept;
  return std::max(0.0, level + (bulletins ? per_bulletin * *annotations.bulletins : 0.0));
}

double ResponseCurve::ExcessAt(std::int64_t offset) const {
  const std::int64_t k = offset - first_offset;
  if (k < 0 || k >= static_cast<std::int64_t>(excess.size())) return 0;
  return excess[static_cast<std::size_t>(k)];
}

Result<ResponseCurve> LearnResponseCurve(const ResponseObservations& obs,
                                         const ResponseLearningOptions& options) {
  const std::size_t offsets = obs.offsets;
  const std::size_t events = obs.events();
  if (offsets == 0 || events == 0 || obs.excess.size() != events * offsets ||
      obs.baseline.size() != events * offsets || obs.annotations.size() != events) {
    return InvalidArgument("response observations are empty or inconsistently sized");
  }
  const std::size_t radius =
      obs.step < std::chrono::hours{1}
          ? static_cast<std::size_t>(options.smoothing.count() / obs.step.count() / 2)
          : 0;
  const auto row = [&](const std::vector<double>& matrix, std::size_t i) {
    return std::span<const double>(matrix.data() + i * offsets, offsets);
  };

  // Per-offset medians of a matrix's columns; `sorted` receives each column's sorted known values
  // (column-major, with its count in `counts`) for the leave-one-out medians below.
  std::vector<double> sorted(events * offsets);
  std::vector<std::size_t> counts(offsets);
  const auto column_medians = [&](const std::vector<double>& matrix) {
    std::vector<double> medians(offsets, kNaN);
    for (std::size_t k = 0; k < offsets; ++k) {
      double* column = sorted.data() + k * events;
      std::size_t n = 0;
      for (std::size_t i = 0; i < events; ++i) {
        const double v = matrix[i * offsets + k];
        if (!std::isnan(v)) column[n++] = v;
      }
      counts[k] = n;
      std::sort(column, column + n);
      if (n > 0) medians[k] = QuantileSorted({column, n}, 0.5);
    }
    return medians;
  };

  ResponseCurve curve;
  curve.step = obs.step;
  curve.first_offset = obs.first_offset;
  curve.events_used = events;

  // Shape first, then sizes, then the shape of size-normalized responses.
  std::vector<double> shape = Smooth(column_medians(obs.excess), radius);
  std::vector<double> magnitudes(events);
  for (std::size_t i = 0; i < events; ++i) magnitudes[i] = Project(row(obs.excess, i), shape);
  std::vector<double> normalized(events * offsets, kNaN);
  const auto normalize = [&]() {
    for (std::size_t i = 0; i < events; ++i) {
      // A month without a visible response says nothing about the shape.
      if (magnitudes[i] < 0.05) continue;
      for (std::size_t k = 0; k < offsets; ++k) {
        normalized[i * offsets + k] = obs.excess[i * offsets + k] / magnitudes[i];
      }
    }
  };
  normalize();
  const bool any_shape =
      std::any_of(magnitudes.begin(), magnitudes.end(), [](double m) { return m >= 0.05; });
  if (any_shape) {
    shape = Smooth(column_medians(normalized), radius);
    for (std::size_t i = 0; i < events; ++i) magnitudes[i] = Project(row(obs.excess, i), shape);
    std::vector<double> copy = magnitudes;
    const double median_magnitude = MedianInPlace(copy);
    if (median_magnitude > 1e-9) {
      for (double& c : shape) c *= median_magnitude;
      for (double& m : magnitudes) m /= median_magnitude;
    }
    normalize();
  } else {
    std::fill(magnitudes.begin(), magnitudes.end(), 1.0);
    normalized = obs.excess;
  }
  // Columns sorted for the leave-one-out medians; shape stays the smoothed full median.
  std::vector<double> raw_medians = column_medians(normalized);
  curve.excess.resize(offsets);
  curve.spread.assign(offsets, 0);
  double peak_excess = 0;
  for (std::size_t k = 0; k < offsets; ++k) {
    curve.excess[k] = std::isnan(shape[k]) ? 0 : shape[k];
    peak_excess = std::max(peak_excess, std::abs(curve.excess[k]));
    std::vector<double> deviations;
    const double* column = sorted.data() + k * events;
    for (std::size_t j = 0; j < counts[k]; ++j) {
      deviations.push_back(std::abs(column[j] - raw_medians[k]));
    }
    if (!deviations.empty()) curve.spread[k] = 1.4826 * MedianInPlace(deviations);
  }
  curve.magnitudes = magnitudes;

  // The size relation: the candidate that predicts past sizes best out of sample, if any beats the
  // median. A reboot wave needs a restart: with no past event that said otherwise, an event known
  // to need none is given no wave.
  Candidate chosen = ChooseRelation(magnitudes, obs.annotations, obs.reboot_driven, options);
  if (!chosen.gate && obs.reboot_driven && options.use_restart &&
      std::none_of(obs.annotations.begin(), obs.annotations.end(),
                   [](const SizeAnnotations& a) { return a.restart_required == false; })) {
    chosen.gate = true;
  }
  const bool plain = chosen.predictor == Predictor::kNone && !chosen.gate;
  if (!plain) {
    curve.relation =
        FitOrFallBack(chosen, magnitudes, obs.annotations, kNoSkip, obs.reboot_driven, options);
  }

  // Noise floor: the spread of the excess where the curve is flat.
  {
    std::vector<double> flat;
    for (std::size_t k = 0; k < offsets; ++k) {
      if (std::abs(curve.excess[k]) > 0.05 * peak_excess) continue;
      for (std::size_t i = 0; i < events; ++i) {
        const double v = obs.excess[i * offsets + k];
        if (!std::isnan(v)) flat.push_back(std::abs(v - curve.excess[k]));
      }
    }
    if (!flat.empty()) curve.noise_floor = std::max(0.005, 1.4826 * MedianInPlace(flat));
  }

  // Leave one event out: its curve from the other events' column medians, its size from the
  // relation (or median) fitted without it.
  if (events >= 2) {
    const double active_threshold = std::max(0.02, 0.1 * peak_excess);
    std::vector<double> loo(offsets);
    const auto first_after_start = static_cast<std::size_t>(
        std::clamp<std::int64_t>(-obs.first_offset, 0, static_cast<std::int64_t>(offsets)));
    for (std::size_t i = 0; i < events; ++i) {
      for (std::size_t k = 0; k < offsets; ++k) {
        const double own = normalized[i * offsets + k];
        std::span<const double> column(sorted.data() + k * events, counts[k]);
        loo[k] = std::isnan(own) ? (counts[k] > 0 ? QuantileSorted(column, 0.5) : kNaN)
                                 : MedianWithout(column, own);
      }
      const std::vector<double> loo_shape = Smooth(loo, radius);
      const double size =
          FitOrFallBack(chosen, magnitudes, obs.annotations, i, obs.reboot_driven, options)
              .Predict(obs.annotations[i]);
      double actual_peak = -1;
      double predicted_peak = -1;
      std::size_t actual_at = 0;
      std::size_t predicted_at = 0;
      std::size_t known = 0;
      for (std::size_t k = 0; k < offsets; ++k) {
        const double x = obs.excess[i * offsets + k];
        const double b = obs.baseline[i * offsets + k];
        const double c = std::isnan(loo_shape[k]) ? 0 : loo_shape[k];
        const double predicted = size * c;
        if (!std::isnan(x) && std::abs(predicted) >= active_threshold) {
          curve.active_residuals.push_back((x - predicted) /
                                           (std::abs(predicted) + curve.noise_floor));
        }
        if (k < first_after_start || std::isnan(b)) continue;
        if (b * (1 + predicted) > predicted_peak) {
          predicted_peak = b * (1 + predicted);
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
      if (2 * known >= offsets - first_after_start && actual_peak > 0 && predicted_peak > 0) {
        curve.peak_log_ratios.push_back(std::log(actual_peak / predicted_peak));
        curve.peak_timing_minutes.push_back(
            (static_cast<double>(actual_at) - static_cast<double>(predicted_at)) *
            static_cast<double>(obs.step.count()) / 60.0);
      }
    }
  }
  std::sort(curve.active_residuals.begin(), curve.active_residuals.end());
  std::sort(curve.peak_log_ratios.begin(), curve.peak_log_ratios.end());
  std::sort(curve.peak_timing_minutes.begin(), curve.peak_timing_minutes.end());
  return curve;
}

}  // namespace patchcast::forecasting
