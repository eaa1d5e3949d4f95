#include "forecasting/response_curve.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "forecasting/robust_stats.h"

namespace patchcast::forecasting {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

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

struct Relation {
  bool uses_bulletins = false;
  double intercept = 1;
  double per_bulletin = 0;
  double Predict(std::optional<double> bulletins) const {
    if (!uses_bulletins || !bulletins) return intercept;
    return std::max(0.0, intercept + per_bulletin * *bulletins);
  }
};

// Fits magnitude = a + b * bulletins over the events in `use` (Theil-Sen), or the median magnitude
// when too few events carry a count. `skip` (an index, or npos) leaves one event out.
Relation FitRelation(std::span<const double> magnitudes,
                     std::span<const std::optional<double>> bulletins, std::size_t skip,
                     bool allow_bulletins, const ResponseLearningOptions& options) {
  std::vector<double> all;
  std::vector<double> xs;
  std::vector<double> ys;
  for (std::size_t i = 0; i < magnitudes.size(); ++i) {
    if (i == skip || std::isnan(magnitudes[i])) continue;
    all.push_back(magnitudes[i]);
    if (bulletins[i]) {
      xs.push_back(*bulletins[i]);
      ys.push_back(magnitudes[i]);
    }
  }
  Relation relation;
  relation.intercept = all.empty() ? 1.0 : MedianInPlace(all);
  if (!allow_bulletins || xs.size() < options.min_events_for_relation) return relation;
  std::vector<double> distinct = xs;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  if (distinct.size() < options.min_distinct_bulletins) return relation;
  const double slope = TheilSenSlope(xs, ys);
  std::vector<double> intercepts(xs.size());
  for (std::size_t i = 0; i < xs.size(); ++i) intercepts[i] = ys[i] - slope * xs[i];
  relation.uses_bulletins = true;
  relation.per_bulletin = slope;
  relation.intercept = MedianInPlace(intercepts);
  return relation;
}

}  // namespace

double ResponseCurve::Magnitude(std::optional<double> bulletins) const {
  if (!uses_bulletins || !bulletins) return 1.0;  // the median event
  return std::max(0.0, intercept + per_bulletin * *bulletins);
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
      obs.baseline.size() != events * offsets || obs.bulletins.size() != events) {
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

  // The size relation: kept only when it beats the median size out of sample.
  const Relation full = FitRelation(magnitudes, obs.bulletins, events, true, options);
  bool use_relation = full.uses_bulletins;
  if (use_relation) {
    std::vector<double> relation_errors;
    std::vector<double> median_errors;
    for (std::size_t i = 0; i < events; ++i) {
      if (!obs.bulletins[i]) continue;
      const Relation with = FitRelation(magnitudes, obs.bulletins, i, true, options);
      const Relation without = FitRelation(magnitudes, obs.bulletins, i, false, options);
      relation_errors.push_back(std::abs(magnitudes[i] - with.Predict(obs.bulletins[i])));
      median_errors.push_back(std::abs(magnitudes[i] - without.Predict(obs.bulletins[i])));
    }
    use_relation = MedianInPlace(relation_errors) < MedianInPlace(median_errors);
  }
  curve.uses_bulletins = use_relation;
  curve.intercept = use_relation ? full.intercept : 1.0;
  curve.per_bulletin = use_relation ? full.per_bulletin : 0.0;

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
      const Relation relation = FitRelation(magnitudes, obs.bulletins, i, use_relation, options);
      const double size = relation.Predict(obs.bulletins[i]);
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
