// Unit tests of the forecast's quantile function (quantile_function.h), on hand-computed values.
#include "forecasting/quantile_function.h"

#include <doctest/doctest.h>

#include <vector>

namespace patchcast::forecasting {
namespace {

TEST_CASE("the quantile function interpolates in log-odds with exponential tails") {
  const std::vector<double> levels = {0.5, 0.9, 0.99};
  const std::vector<double> values = {100, 150, 200};
  CHECK(QuantileAt(levels, values, 0.5) == doctest::Approx(100));
  CHECK(QuantileAt(levels, values, 0.99) == doctest::Approx(200));
  // Midway in log-odds between 0.5 (0) and 0.9 (ln 9): p = 0.75 (ln 3) -> 100 + 50 / 2.
  CHECK(QuantileAt(levels, values, 0.75) == doctest::Approx(125));
  // Upper tail: theta = 50 / ln(10); 0.999 is one more decade: 200 + 50.
  CHECK(QuantileAt(levels, values, 0.999) == doctest::Approx(250));
  CHECK(ExceedanceProbability(levels, values, 250) == doctest::Approx(0.001));
  CHECK(ExceedanceProbability(levels, values, 200) == doctest::Approx(0.01));
  CHECK(ExceedanceProbability(levels, values, 150) == doctest::Approx(0.1));
  CHECK(ExceedanceProbability(levels, values, 100) == doctest::Approx(0.5));
  CHECK(ExceedanceProbability(levels, values, -1) == 1);
  for (const double p : {0.2, 0.3, 0.6, 0.8, 0.95, 0.995, 0.9999}) {
    CAPTURE(p);
    CHECK(ExceedanceProbability(levels, values, QuantileAt(levels, values, p)) ==
          doctest::Approx(1 - p));
  }
  double previous = 1;
  for (double x = 0; x <= 400; x += 5) {
    const double exceed = ExceedanceProbability(levels, values, x);
    CHECK(exceed <= previous);
    CHECK(exceed >= 0);
    previous = exceed;
  }
  // A single level has no spread: nothing above it.
  const std::vector<double> one_level = {0.9};
  const std::vector<double> one_value = {10};
  CHECK(ExceedanceProbability(one_level, one_value, 10) == doctest::Approx(0.1));
  CHECK(ExceedanceProbability(one_level, one_value, 10.5) == 0);
  CHECK(QuantileAt(one_level, one_value, 0.99) == doctest::Approx(10));
}

}  // namespace
}  // namespace patchcast::forecasting
