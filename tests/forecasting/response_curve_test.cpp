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

// Annotations with only a bulletin count.
std::vector<SizeAnnotations> WithBulletins(const std::vector<std::optional<double>>& bulletins) {
  std::vector<SizeAnnotations> out(bulletins.size());
  for (std::size_t i = 0; i < bulletins.size(); ++i) out[i].bulletins = bulletins[i];
  return out;
}

// Observations of `sizes.size()` events, each InjectedExcess * size, hourly, window -48..+192 h,
// with a deterministic +-noise alternating by event and offset.
ResponseObservations Injected(const std::vector<double>& sizes,
                              const std::vector<SizeAnnotations>& annotations, double noise) {
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
  obs.annotations = annotations;
  return obs;
}

TEST_CASE("LearnResponseShape: the full curve's excess, without its sizes, spreads or scores") {
  const std::vector<double> sizes = {1, 0.5, 2, 1.2, 0.8};
  ResponseObservations obs = Injected(sizes, std::vector<SizeAnnotations>(5), 0.05);
  obs.step = std::chrono::minutes{30};  // below an hour: the shape is smoothed, as in the full
  const Result<ResponseCurve> full = LearnResponseCurve(obs, {});
  const Result<ResponseCurve> shape = LearnResponseShape(obs, {});
  REQUIRE(full.has_value());
  REQUIRE(shape.has_value());
  CHECK(shape->excess == full->excess);
  CHECK(shape->step == full->step);
  CHECK(shape->first_offset == full->first_offset);
  CHECK(shape->events_used == 5);
  CHECK(shape->magnitudes.empty());
  CHECK(shape->active_residuals.empty());
  CHECK_FALSE(full->active_residuals.empty());
  obs.annotations.pop_back();
  CHECK_FALSE(LearnResponseShape(obs, {}).has_value());  // inconsistently sized
}

TEST_CASE("a known injected response on N events is learned, peak time exact") {
  const std::vector<double> sizes = {1, 1, 1, 1, 1, 1, 1, 1};
  const Result<ResponseCurve> curve =
      LearnResponseCurve(Injected(sizes, std::vector<SizeAnnotations>(8), 0.02), {});
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
      LearnResponseCurve(Injected(sizes, std::vector<SizeAnnotations>(7), 0.0), {});
  REQUIRE(curve.has_value());
  // The median size is 1.0, so the curve is the injected one and each magnitude its size.
  CHECK(curve->ExcessAt(14) == doctest::Approx(1.5).epsilon(1e-6));
  for (std::size_t e = 0; e < sizes.size(); ++e) {
    CHECK(curve->magnitudes[e] == doctest::Approx(sizes[e]).epsilon(1e-6));
  }
  CHECK(curve->relation == SizeRelation{});
  CHECK(curve->Magnitude({.bulletins = 9.0}) == 1);
}

TEST_CASE("an event seen only on its window's tail has no size and does not reshape the curve") {
  // Event 1's window up to +60 h was claimed by another event's surge (NaN); what is left shows
  // another month's ring at +72 h three times this shape's. Sized on that tail it would read as
  // 1.5 to 3 times event 0, and the median event would be halfway.
  ResponseObservations obs = Injected({1, 1}, std::vector<SizeAnnotations>(2), 0.0);
  for (std::size_t k = 0; k < obs.offsets; ++k) {
    const std::int64_t offset = obs.first_offset + static_cast<std::int64_t>(k);
    double& excess = obs.excess[obs.offsets + k];
    excess = offset <= 60 ? std::nan("") : 3 * InjectedExcess(hours{offset});
  }
  const Result<ResponseCurve> curve = LearnResponseCurve(obs, {});
  REQUIRE(curve.has_value());
  CHECK(curve->magnitudes[0] == doctest::Approx(1).epsilon(1e-6));
  CHECK(std::isnan(curve->magnitudes[1]));
  CHECK(curve->ExcessAt(14) == doctest::Approx(1.5).epsilon(1e-6));
  CHECK(curve->ExcessAt(39) == doctest::Approx(0.6).epsilon(1e-6));
  CHECK(curve->Magnitude({}) == 1);
}

TEST_CASE("the size relation on bulletins is used when it predicts sizes out of sample") {
  std::vector<double> sizes;
  std::vector<std::optional<double>> bulletins;
  for (int b : {2, 4, 6, 8, 10, 12, 5, 7}) {
    bulletins.push_back(b);
    sizes.push_back(0.4 + 0.1 * b);
  }
  const Result<ResponseCurve> curve =
      LearnResponseCurve(Injected(sizes, WithBulletins(bulletins), 0.0), {});
  REQUIRE(curve.has_value());
  REQUIRE(curve->relation.predictor == SizeRelation::Predictor::kBulletins);
  // Sizes are relative to the median event (bulletins 6.5: size 1.05).
  CHECK(curve->Magnitude({.bulletins = 12.0}) / curve->Magnitude({.bulletins = 2.0}) ==
        doctest::Approx(1.6 / 0.6));
  CHECK(curve->Magnitude({}) == doctest::Approx(1));
}

TEST_CASE("a size relation that does not help is not used") {
  const std::vector<double> sizes = {1.0, 1.3, 0.7, 1.0, 1.3, 0.7, 1.0, 1.3};
  const std::vector<std::optional<double>> bulletins = {3, 3, 3, 9, 9, 9, 6, 6};
  const Result<ResponseCurve> curve =
      LearnResponseCurve(Injected(sizes, WithBulletins(bulletins), 0.0), {});
  REQUIRE(curve.has_value());
  CHECK(curve->relation == SizeRelation{});
}

TEST_CASE("weekend matches draw less: the weekend enters the size relation") {
  // Matches every day, those on a weekend a third of the size of the others, +-5 % within each.
  std::vector<double> sizes;
  std::vector<SizeAnnotations> annotations;
  for (int e = 0; e < 14; ++e) {
    const bool weekend = e % 7 >= 5;
    sizes.push_back((weekend ? 0.5 : 1.5) * (1 + 0.05 * ((e % 4) - 1.5) / 1.5));
    annotations.push_back({.weekend = weekend});
  }
  const Result<ResponseCurve> curve = LearnResponseCurve(Injected(sizes, annotations, 0.01), {});
  REQUIRE(curve.has_value());
  CHECK(curve->relation.predictor == SizeRelation::Predictor::kWeekend);
  CHECK(curve->Magnitude({.weekend = false}) / curve->Magnitude({.weekend = true}) ==
        doctest::Approx(3).epsilon(0.08));
  // Not known: the median event.
  CHECK(curve->Magnitude({}) == doctest::Approx(1).epsilon(0.05));

  SUBCASE("and is left out when the options say so") {
    ResponseLearningOptions options;
    options.use_weekend = false;
    const Result<ResponseCurve> off =
        LearnResponseCurve(Injected(sizes, annotations, 0.01), options);
    REQUIRE(off.has_value());
    CHECK(off->relation == SizeRelation{});
  }
  SUBCASE("one weekend event is too few to split on") {
    for (int e = 0; e < 14; ++e) annotations[static_cast<std::size_t>(e)].weekend = e == 5;
    const Result<ResponseCurve> one = LearnResponseCurve(Injected(sizes, annotations, 0.01), {});
    REQUIRE(one.has_value());
    CHECK(one->relation.predictor != SizeRelation::Predictor::kWeekend);
  }
}

TEST_CASE("critical months are larger: severity enters the size relation") {
  // No bulletin counts; critical months twice the size of the others, +-5 % within each side.
  std::vector<double> sizes;
  std::vector<SizeAnnotations> annotations;
  for (int e = 0; e < 12; ++e) {
    const bool critical = e % 3 != 0;
    sizes.push_back((critical ? 1.2 : 0.6) * (1 + 0.05 * ((e % 4) - 1.5) / 1.5));
    annotations.push_back({.critical = critical});
  }
  const Result<ResponseCurve> curve = LearnResponseCurve(Injected(sizes, annotations, 0.01), {});
  REQUIRE(curve.has_value());
  CHECK(curve->relation.predictor == SizeRelation::Predictor::kSeverity);
  CHECK_FALSE(curve->relation.restart_gate);
  CHECK(curve->Magnitude({.critical = true}) / curve->Magnitude({.critical = false}) ==
        doctest::Approx(2).epsilon(0.08));
  // Unknown severity: the median event.
  CHECK(curve->Magnitude({}) == doctest::Approx(1).epsilon(0.05));

  SUBCASE("and is left out when the options say so") {
    ResponseLearningOptions options;
    options.use_severity = false;
    const Result<ResponseCurve> off =
        LearnResponseCurve(Injected(sizes, annotations, 0.01), options);
    REQUIRE(off.has_value());
    CHECK(off->relation == SizeRelation{});
  }
}

TEST_CASE("bulletins and severity together: one slope, a level per side") {
  // size = (critical ? 0.8 : 0.4) + 0.05 * bulletins: severity alone or bulletins alone miss part.
  std::vector<double> sizes;
  std::vector<SizeAnnotations> annotations;
  const int counts[] = {2, 9, 5, 12, 4, 7, 10, 3, 8, 6, 11, 5, 9, 2};
  for (int e = 0; e < 14; ++e) {
    const bool critical = e % 2 == 0;
    sizes.push_back((critical ? 0.8 : 0.4) + 0.05 * counts[e]);
    annotations.push_back({.bulletins = counts[e], .critical = critical});
  }
  const Result<ResponseCurve> curve = LearnResponseCurve(Injected(sizes, annotations, 0.0), {});
  REQUIRE(curve.has_value());
  CHECK(curve->relation.predictor == SizeRelation::Predictor::kBulletinsAndSeverity);
  const auto size = [&](double bulletins, bool critical) {
    return curve->Magnitude({.bulletins = bulletins, .critical = critical});
  };
  CHECK(size(10, true) / size(4, false) == doctest::Approx((0.8 + 0.5) / (0.4 + 0.2)));
  CHECK(size(6, true) / size(6, false) == doctest::Approx((0.8 + 0.3) / (0.4 + 0.3)));
}

TEST_CASE("severity that does not predict size is not used") {
  std::vector<double> sizes;
  std::vector<SizeAnnotations> annotations;
  for (int e = 0; e < 12; ++e) {
    sizes.push_back(1 + 0.2 * ((e * 5) % 7 - 3) / 3.0);
    annotations.push_back({.critical = e % 2 == 0});
  }
  const Result<ResponseCurve> curve = LearnResponseCurve(Injected(sizes, annotations, 0.0), {});
  REQUIRE(curve.has_value());
  CHECK(curve->relation == SizeRelation{});
}

// Twelve months of a reboot-driven response; `quiet` of them needed no restart and had size
// `quiet_size`; the others sizes 0.9 .. 1.2.
ResponseObservations RestartMonths(const std::vector<int>& quiet, double quiet_size) {
  std::vector<double> sizes;
  std::vector<SizeAnnotations> annotations;
  for (int e = 0; e < 12; ++e) {
    const bool restart = std::find(quiet.begin(), quiet.end(), e) == quiet.end();
    sizes.push_back(restart ? 0.9 + 0.1 * (e % 4) : quiet_size);
    annotations.push_back({.restart_required = restart});
  }
  ResponseObservations obs = Injected(sizes, annotations, 0.01);
  obs.reboot_driven = true;
  return obs;
}

TEST_CASE("months that needed no restart had no wave: the restart gate is learned") {
  const Result<ResponseCurve> curve = LearnResponseCurve(RestartMonths({2, 6, 9}, 0.0), {});
  REQUIRE(curve.has_value());
  CHECK(curve->relation.restart_gate);
  CHECK(curve->Magnitude({.restart_required = false}) < 0.05);
  // The restarting months are sized among themselves: their median (1.0 .. 1.1) relative to the
  // median of all twelve.
  CHECK(curve->Magnitude({.restart_required = true}) ==
        doctest::Approx(curve->Magnitude({})).epsilon(1e-9));
  CHECK(curve->Magnitude({.restart_required = true}) > 1.0);
  // The shape is learned from the months with a wave only: a restarting month of the median
  // restarting size (1.0) peaks at 1.5.
  CHECK(curve->ExcessAt(14) * curve->Magnitude({.restart_required = true}) ==
        doctest::Approx(1.5).epsilon(0.03));
  const auto worst_residual = [](const ResponseCurve& c) {
    return std::max(std::abs(c.active_residuals.front()), std::abs(c.active_residuals.back()));
  };
  // The months without a wave are predicted as such, so none is a -100 % miss.
  CHECK(worst_residual(*curve) < 0.5);

  SUBCASE("and is left out when the options say so") {
    ResponseLearningOptions options;
    options.use_restart = false;
    const Result<ResponseCurve> off = LearnResponseCurve(RestartMonths({2, 6, 9}, 0.0), options);
    REQUIRE(off.has_value());
    CHECK_FALSE(off->relation.restart_gate);
    CHECK(off->Magnitude({.restart_required = false}) > 0.5);
    CHECK(worst_residual(*off) > 0.9);
  }
}

TEST_CASE("with no past month that needed no restart, physics says such a month has no wave") {
  ResponseObservations obs = RestartMonths({}, 0.0);
  SUBCASE("a reboot wave") {
    const Result<ResponseCurve> curve = LearnResponseCurve(obs, {});
    REQUIRE(curve.has_value());
    CHECK(curve->Magnitude({.restart_required = false}) == 0);
    CHECK(curve->Magnitude({.restart_required = true}) == doctest::Approx(1));
  }
  SUBCASE("a response that is not a reboot wave keeps its size") {
    obs.reboot_driven = false;
    const Result<ResponseCurve> curve = LearnResponseCurve(obs, {});
    REQUIRE(curve.has_value());
    CHECK(curve->Magnitude({.restart_required = false}) == doctest::Approx(1));
  }
}

TEST_CASE("past months without restarts that still surged overrule the physics") {
  const Result<ResponseCurve> curve = LearnResponseCurve(RestartMonths({1, 5, 8}, 1.0), {});
  REQUIRE(curve.has_value());
  CHECK(curve->Magnitude({.restart_required = false}) ==
        doctest::Approx(curve->Magnitude({.restart_required = true})).epsilon(0.1));
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
