#include "forecasting/quantile_function.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace patchcast::forecasting {
namespace {

double Logit(double p) { return std::log(p / (1 - p)); }
double Logistic(double x) { return 1 / (1 + std::exp(-x)); }

// The scale of the exponential upper tail implied by the two highest levels (0: no spread).
double UpperTheta(std::span<const double> levels, std::span<const double> values) {
  const std::size_t k = levels.size();
  if (k < 2) return 0;
  return (values[k - 1] - values[k - 2]) / std::log((1 - levels[k - 2]) / (1 - levels[k - 1]));
}
double LowerTheta(std::span<const double> levels, std::span<const double> values) {
  if (levels.size() < 2) return 0;
  return (values[1] - values[0]) / std::log(levels[1] / levels[0]);
}

}  // namespace

double QuantileAt(std::span<const double> levels, std::span<const double> values, double p) {
  const std::size_t k = levels.size();
  if (p >= levels[k - 1]) {
    return values[k - 1] + UpperTheta(levels, values) * std::log((1 - levels[k - 1]) / (1 - p));
  }
  if (p <= levels[0]) {
    return std::max(0.0, values[0] - LowerTheta(levels, values) * std::log(levels[0] / p));
  }
  std::size_t j = 0;
  while (levels[j + 1] <= p) ++j;  // levels[j] <= p < levels[j + 1]
  const double t = (Logit(p) - Logit(levels[j])) / (Logit(levels[j + 1]) - Logit(levels[j]));
  return values[j] + t * (values[j + 1] - values[j]);
}

double ExceedanceProbability(std::span<const double> levels, std::span<const double> values,
                             double x) {
  const std::size_t k = levels.size();
  if (x < 0) return 1;
  if (x >= values[k - 1]) {
    const double theta = UpperTheta(levels, values);
    if (x == values[k - 1]) return 1 - levels[k - 1];
    return theta > 0 ? (1 - levels[k - 1]) * std::exp(-(x - values[k - 1]) / theta) : 0.0;
  }
  if (x < values[0]) {
    const double theta = LowerTheta(levels, values);
    return theta > 0 ? 1 - levels[0] * std::exp(-(values[0] - x) / theta) : 1.0;
  }
  std::size_t j = 0;
  while (values[j + 1] <= x) ++j;  // values[j] <= x < values[j + 1], j + 1 < k
  const double t = (x - values[j]) / (values[j + 1] - values[j]);
  return 1 - Logistic(Logit(levels[j]) + t * (Logit(levels[j + 1]) - Logit(levels[j])));
}

}  // namespace patchcast::forecasting
