#include "forecasting/robust_stats.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <utility>
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

TEST_CASE("the robust sd: 1.4826 times the median absolute deviation, blind to one outlier") {
  // Median 3; deviations 2, 1, 0, 1, 97: their median 1.
  const std::vector<double> values = {1, 2, 3, 4, 100};
  CHECK(RobustSd(values) == doctest::Approx(1.4826));
  CHECK(values == std::vector<double>{1, 2, 3, 4, 100});  // left as it was
  CHECK(std::isnan(RobustSd(std::vector<double>{})));
}

TEST_CASE("the weighted median of nothing is NaN") {
  std::vector<std::pair<double, double>> none;
  CHECK(std::isnan(WeightedMedian(none)));
}

TEST_CASE("the weighted median is the smallest value whose cumulative weight reaches half") {
  using Pairs = std::vector<std::pair<double, double>>;
  SUBCASE("equal weights: the plain median of an odd count") {
    Pairs pairs = {{3, 1}, {1, 1}, {2, 1}};
    CHECK(WeightedMedian(pairs) == 2);
  }
  SUBCASE("a heavy value pulls the median to it") {
    Pairs high = {{1, 1}, {2, 1}, {10, 5}};  // total 7: 1, 2 < 3.5 <= 7
    CHECK(WeightedMedian(high) == 10);
    Pairs low = {{10, 1}, {2, 1}, {1, 5}};  // 5 >= 3.5 at once
    CHECK(WeightedMedian(low) == 1);
  }
  SUBCASE("a cumulative weight exactly at half: the lower value, not the mean") {
    Pairs two = {{2, 1}, {1, 1}};  // 1 of 2 at the value 1
    CHECK(WeightedMedian(two) == 1);
    Pairs four = {{4, 1}, {3, 1}, {2, 1}, {1, 1}};  // 2 of 4 at the value 2
    CHECK(WeightedMedian(four) == 2);
    Pairs uneven = {{1, 0.25}, {2, 0.75}, {3, 1}};  // 1 of 2 at the value 2
    CHECK(WeightedMedian(uneven) == 2);
  }
  SUBCASE("tied values add their weights") {
    Pairs pairs = {{5, 1}, {1, 1.5}, {5, 1}};  // 1.5 < 1.75; 2.5 at 5
    CHECK(WeightedMedian(pairs) == 5);
  }
  SUBCASE("one pair") {
    Pairs one = {{-3.5, 0.1}};
    CHECK(WeightedMedian(one) == -3.5);
  }
}

TEST_CASE("the weighted median sorts its input and does not depend on its order") {
  std::vector<std::pair<double, double>> pairs = {{4, 1}, {-1, 2}, {7, 0.5}, {2, 3}};
  std::vector<std::pair<double, double>> reversed(pairs.rbegin(), pairs.rend());
  // Sorted: -1 (2), 2 (3), 4 (1), 7 (0.5); total 6.5, half 3.25: 2 < 3.25 <= 5 at the value 2.
  CHECK(WeightedMedian(pairs) == 2);
  CHECK(std::is_sorted(pairs.begin(), pairs.end()));
  CHECK(WeightedMedian(reversed) == 2);
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

TEST_CASE("NormalSliceMidpoint is the normal's quantile at each equal slice's midpoint") {
  CHECK(NormalSliceMidpoint(0, 5) == NormalQuantile(0.1));
  CHECK(NormalSliceMidpoint(2, 5) == doctest::Approx(0).epsilon(1e-9));
  CHECK(NormalSliceMidpoint(4, 5) == NormalQuantile(0.9));
  CHECK(NormalSliceMidpoint(0, 1) == doctest::Approx(0).epsilon(1e-9));
}

}  // namespace
}  // namespace patchcast::forecasting
