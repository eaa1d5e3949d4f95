#include "forecasting/robust_stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace patchcast::forecasting {

double MedianInPlace(std::span<double> values) {
  const std::size_t n = values.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
  std::nth_element(values.begin(), middle, values.end());
  const double upper = *middle;
  if (n % 2 == 1) return upper;
  // For an even count the lower middle is the largest element of the left partition.
  const double lower = *std::max_element(values.begin(), middle);
  return 0.5 * (lower + upper);
}

double RobustSd(std::span<const double> values) {
  std::vector<double> deviations(values.begin(), values.end());
  const double centre = MedianInPlace(deviations);
  for (std::size_t i = 0; i < values.size(); ++i) deviations[i] = std::abs(values[i] - centre);
  return 1.4826 * MedianInPlace(deviations);
}

double WeightedMedian(std::vector<std::pair<double, double>>& value_weight) {
  if (value_weight.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(value_weight.begin(), value_weight.end());
  double total = 0;
  for (const auto& [value, weight] : value_weight) total += weight;
  double cumulative = 0;
  for (const auto& [value, weight] : value_weight) {
    cumulative += weight;
    if (cumulative >= 0.5 * total) return value;
  }
  return value_weight.back().first;
}

double QuantileSorted(std::span<const double> sorted, double q) {
  const std::size_t n = sorted.size();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const double position = std::clamp(q, 0.0, 1.0) * static_cast<double>(n - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, n - 1);
  const double fraction = position - static_cast<double>(below);
  return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

double TheilSenSlope(std::span<const double> x, std::span<const double> y) {
  std::vector<double> slopes;
  slopes.reserve(x.size() * (x.size() - (x.empty() ? 0 : 1)) / 2);
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = i + 1; j < x.size(); ++j) {
      if (x[j] != x[i]) slopes.push_back((y[j] - y[i]) / (x[j] - x[i]));
    }
  }
  if (slopes.empty()) return 0;
  return MedianInPlace(slopes);
}

double NormalQuantile(double p) {
  // P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution
  // function" (2003): rational approximations on the central region and the two tails.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  const double pc = std::clamp(p, 1e-12, 1.0 - 1e-12);
  constexpr double kLow = 0.02425;
  if (pc < kLow) {
    const double q = std::sqrt(-2 * std::log(pc));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (pc > 1 - kLow) {
    const double q = std::sqrt(-2 * std::log(1 - pc));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = pc - 0.5;
  const double r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double NormalSliceMidpoint(std::size_t index, std::size_t count) {
  return NormalQuantile((static_cast<double>(index) + 0.5) / static_cast<double>(count));
}

}  // namespace patchcast::forecasting
