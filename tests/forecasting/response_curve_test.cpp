#include "forecasting/response_curve.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using testing::InjectedExcess;

// Observations of `sizes.size()` events, each InjectedExcess * size, hourly, window -48..+192 h,
// with a deterministic +-noise alternating by event and offset.
ResponseObservations Injected(const std::vector<double>& sizes,
                              const std::vector<std::optional<double>>& bulletins, double noise) {
  ResponseObservations obs;
  obs.step = hours{1};
  obs.first_offset = -48;
  obs.offsets = 241;
  for (std::size_t e = 0; e < sizes.size(); ++e) {
    for (std::size_t k = 0; k < obs.offsets; ++k) {
      const seconds offset = hours{obs.first_offset + static_cast<std::int64_t>(k)};
      const double wobble = ((e * 7 + k * 3) % 5 == 0 ? 1 : -1) * noise * ((e + k) % 3) / 2;
      obs.excess.push_back(sizes[e] * InjectedExcess(offset) + wobble);
      obs.baseline.push_back(200);
    }
  }
  obs.bulletins = bulletins;
  return obs;
}

TEST_CASE("a known injected response on N events is learned, peak time exact") {
  const std::vector<double> sizes = {1, 1, 1, 1, 1, 1, 1, 1};
  const Result<ResponseCurve> curve =
      LearnResponseCurve(Injected(sizes, std::vector<std::optional<double>>(8), 0.02), {});
  REQUIRE(curve.has_value());
  CHECK(curve->events_used == 8);
  double worst = 0;
  for (std::int64_t h = -48; h <= 192; ++h) {
    worst = std::max(worst, std::abs(curve->ExcessAt(h) - InjectedExcess(hours{h})));
  }
  CHECK(worst < 0.03);
  const auto peak = std::max_element(curve->excess.begin(), curve->excess.end());
  CHECK(peak - curve->excess.begin() + curve->first_offset == 14);
  CHECK(curve->ExcessAt(-100) == 0);  // outside the window
  // Leave-one-out: the peak is predicted at the right time every time.
  REQUIRE(curve->peak_timing_minutes.size() == 8);
  CHECK(curve->peak_timing_minutes.front() == 0);
  CHECK(curve->peak_timing_minutes.back() == 0);
}

TEST_CASE("events of different sizes share one shape, scaled to a median size of 1") {
  const std::vector<double> sizes = {0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 0.9};
  const Result<ResponseCurve> curve =
      LearnResponseCurve(Injected(sizes, std::vector<std::optional<double>>(7), 0.0), {});
  REQUIRE(curve.has_value());
  // The median size is 1.0, so the curve is the injected one and each magnitude its size.
  CHECK(curve->ExcessAt(14) == doctest::Approx(1.5).epsilon(1e-6));
  for (std::size_t e = 0; e < sizes.size(); ++e) {
    CHECK(curve->magnitudes[e] == doctest::Approx(sizes[e]).epsilon(1e-6));
  }
  CHECK_FALSE(curve->uses_bulletins);
  CHECK(curve->Magnitude(9.0) == 1);
}

TEST_CASE("the size relation on bulletins is used when it predicts sizes out of sample") {
  std::vector<double> sizes;
  std::vector<std::optional<double>> bulletins;
  for (int b : {2, 4, 6, 8, 10, 12, 5, 7}) {
    bulletins.push_back(b);
    sizes.push_back(0.4 + 0.1 * b);
  }
  const Result<ResponseCurve> curve = LearnResponseCurve(Injected(sizes, bulletins, 0.0), {});
  REQUIRE(curve.has_value());
  REQUIRE(curve->uses_bulletins);
  // Sizes are relative to the median event (bulletins 6.5: size 1.05).
  CHECK(curve->Magnitude(12.0) / curve->Magnitude(2.0) == doctest::Approx(1.6 / 0.6));
  CHECK(curve->Magnitude(std::nullopt) == 1);
}

TEST_CASE("a size relation that does not help is not used") {
  const std::vector<double> sizes = {1.0, 1.3, 0.7, 1.0, 1.3, 0.7, 1.0, 1.3};
  const std::vector<std::optional<double>> bulletins = {3, 3, 3, 9, 9, 9, 6, 6};
  const Result<ResponseCurve> curve = LearnResponseCurve(Injected(sizes, bulletins, 0.0), {});
  REQUIRE(curve.has_value());
  CHECK_FALSE(curve->uses_bulletins);
}

TEST_CASE("inconsistent observations are refused") {
  ResponseObservations obs;
  obs.offsets = 3;
  obs.excess = {0, 1};
  const Result<ResponseCurve> curve = LearnResponseCurve(obs, {});
  REQUIRE_FALSE(curve.has_value());
  CHECK(curve.error().code == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace patchcast::forecasting
