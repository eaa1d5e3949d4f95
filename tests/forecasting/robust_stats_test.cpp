#include "forecasting/robust_stats.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace patchcast::forecasting {
namespace {

TEST_CASE("the median of an odd and an even count, and of nothing") {
  std::vector<double> odd = {5, 1, 3};
  CHECK(MedianInPlace(odd) == 3);
  std::vector<double> even = {4, 1, 3, 2};
  CHECK(MedianInPlace(even) == 2.5);
  std::vector<double> none;
  CHECK(std::isnan(MedianInPlace(none)));
}

TEST_CASE("empirical quantiles interpolate between order statistics (Hyndman-Fan 7)") {
  const std::vector<double> sorted = {0, 10, 20, 30, 40};
  CHECK(QuantileSorted(sorted, 0.0) == 0);
  CHECK(QuantileSorted(sorted, 0.5) == 20);
  CHECK(QuantileSorted(sorted, 0.9) == doctest::Approx(36));
  CHECK(QuantileSorted(sorted, 1.5) == 40);  // clamped
  CHECK(std::isnan(QuantileSorted({}, 0.5)));
}

TEST_CASE("the Theil-Sen slope ignores an outlying point") {
  const std::vector<double> x = {0, 1, 2, 3, 4, 5, 6};
  const std::vector<double> y = {1, 3, 5, 7, 100, 11, 13};  // 2x + 1, one wild value
  CHECK(TheilSenSlope(x, y) == doctest::Approx(2));
  CHECK(TheilSenSlope(std::vector<double>{1, 1}, std::vector<double>{0, 5}) == 0);
}

TEST_CASE("the normal quantile function matches tabulated values") {
  CHECK(NormalQuantile(0.5) == doctest::Approx(0).epsilon(1e-9));
  CHECK(NormalQuantile(0.975) == doctest::Approx(1.959964).epsilon(1e-6));
  CHECK(NormalQuantile(0.01) == doctest::Approx(-2.326348).epsilon(1e-6));
  CHECK(NormalQuantile(0.999) == doctest::Approx(3.090232).epsilon(1e-6));
}

}  // namespace
}  // namespace patchcast::forecasting
