#include "forecasting/reboot_prior.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "forecasting/robust_stats.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::Utc;
using testing::Zone;

// Offset in hours of the largest step of `shape` from the window start.
std::ptrdiff_t PeakStep(const std::vector<double>& shape) {
  return std::max_element(shape.begin(), shape.end()) - shape.begin();
}

TEST_CASE("the prior's waves carry every restart's logins") {
  const RebootPrior prior;
  const std::vector<ZoneWeight> zones = {{&Zone("Europe/Berlin"), 0.6},
                                         {&Zone("America/New_York"), 0.4}};
  const auto release = Utc("2024-03-12T17:00:00Z");
  const std::vector<double> shape =
      RebootWaveShape(release, release, hours{1}, -48, 12 * 24, zones, prior);
  const double total = std::accumulate(shape.begin(), shape.end(), 0.0);
  // machines 0.5 x automatic 0.5 x 1 login, first wave plus rings 0.25 and 0.15.
  CHECK(total == doctest::Approx(0.25 * 1.4).epsilon(1e-3));
  // Nothing before the release.
  CHECK(std::accumulate(shape.begin(), shape.begin() + 48, 0.0) < 1e-9);
}

TEST_CASE("the wave comes at the install hour on each zone's wall clock") {
  RebootPrior prior;
  prior.powered_on_share = 1;  // only the 03:00 wave
  prior.rings.clear();
  prior.detection_spread_hours = 2;
  prior.restart_delay_minutes = 17.5;                // centres the wave inside a 5-minute step
  const auto release = Utc("2024-01-09T18:00:00Z");  // Tuesday 19:00 in Berlin, 13:00 in New York
  const auto one_zone = [&](std::string_view name) {
    const std::vector<ZoneWeight> zones = {{&Zone(name), 1.0}};
    return RebootWaveShape(release, release, minutes{5}, 0, 3 * 288, zones, prior);
  };
  // 03:00 local + 17.5 min restart delay: the step 02:15Z in Berlin, 08:15Z in New York.
  const std::ptrdiff_t berlin = PeakStep(one_zone("Europe/Berlin"));
  const std::ptrdiff_t new_york = PeakStep(one_zone("America/New_York"));
  CHECK(release + minutes{5 * berlin} == Utc("2024-01-10T02:15:00Z"));
  CHECK(release + minutes{5 * new_york} == Utc("2024-01-10T08:15:00Z"));
}

TEST_CASE("ring echoes repeat the wave days later") {
  RebootPrior prior;
  prior.powered_on_share = 1;
  prior.detection_spread_hours = 2;
  prior.rings = {{hours{72}, 0.5}};
  const std::vector<ZoneWeight> zones = {{&Zone("UTC"), 1.0}};
  const auto release = Utc("2024-01-09T18:00:00Z");
  const std::vector<double> shape =
      RebootWaveShape(release, release, hours{1}, 0, 240, zones, prior);
  // First wave in the step 03:00Z-04:00Z on Wednesday (9 h after release), echo 72 h later.
  CHECK(PeakStep(shape) == 9);
  CHECK(shape[9 + 72] == doctest::Approx(0.5 * shape[9]).epsilon(1e-6));
}

TEST_CASE("SpreadOverTiming: the wave's expected value under a normal timing error") {
  // A one-step spike in the middle of thirteen, spread with a standard deviation of 1 step: the
  // kernel reaches 3 steps either way with weights exp(-d^2 / 2), and fits whole around it.
  std::vector<double> spike(13, 0.0);
  spike[6] = 1;
  const std::vector<double> spread = SpreadOverTiming(spike, 1.0);
  REQUIRE(spread.size() == spike.size());
  const double whole = 1 + 2 * (std::exp(-0.5) + std::exp(-2.0) + std::exp(-4.5));
  CHECK(spread[6] == doctest::Approx(1 / whole));
  CHECK(spread[5] == doctest::Approx(std::exp(-0.5) / whole));
  CHECK(spread[7] == doctest::Approx(std::exp(-0.5) / whole));
  CHECK(spread[4] == doctest::Approx(std::exp(-2.0) / whole));
  CHECK(spread[3] == doctest::Approx(std::exp(-4.5) / whole));
  CHECK(spread[9] == doctest::Approx(std::exp(-4.5) / whole));
  // Four steps away is beyond the kernel's reach.
  CHECK(spread[2] == 0);
  CHECK(spread[10] == 0);
  // At the ends the kernel is cut and renormalised over what remains: at step 3 of four, offsets
  // -3..0.
  const double cut = 1 + std::exp(-0.5) + std::exp(-2.0) + std::exp(-4.5);
  const std::vector<double> at_end = SpreadOverTiming(std::vector<double>{0, 0, 0, 1}, 1.0);
  CHECK(at_end[3] == doctest::Approx(1 / cut));
  CHECK(at_end[0] == doctest::Approx(std::exp(-4.5) / cut));
  // The spike's logins are kept where the kernel fits: 1 in all.
  CHECK(std::accumulate(spread.begin(), spread.end(), 0.0) == doctest::Approx(1).epsilon(1e-12));
}

TEST_CASE("SpreadOverTiming leaves the wave alone without a timing error, and keeps a level") {
  const std::vector<double> wave = {0.1, 0.4, 0.2, 0.0};
  CHECK(SpreadOverTiming(wave, 0) == wave);
  CHECK(SpreadOverTiming(wave, -1) == wave);
  const std::vector<double> level(12, 0.3);
  for (double v : SpreadOverTiming(level, 2.5)) CHECK(v == doctest::Approx(0.3));
}

TEST_CASE("MedianOverTimingAndSize: a spike narrower than the timing's uncertainty flattens") {
  // With a standard deviation of 1 step, 9 of the 21 equally likely timing errors round to 0
  // steps: a one-step spike is where it was in fewer than half of them, so its median is 0,
  // whatever its size.
  std::vector<double> spike(13, 0.0);
  spike[6] = 1;
  for (double size_log_sd : {0.0, 1.0}) {
    for (double v : MedianOverTimingAndSize(spike, 1.0, size_log_sd)) CHECK(v == 0);
  }
  // With 2.5 steps, 9 errors fall within one step either way: a three-step wave flattens too.
  std::vector<double> narrow(21, 0.0);
  for (std::size_t k = 9; k <= 11; ++k) narrow[k] = 0.5;
  for (double v : MedianOverTimingAndSize(narrow, 2.5, 0)) CHECK(v == 0);
}

TEST_CASE("MedianOverTimingAndSize keeps a wave broader than the uncertainty, at its place") {
  // Nine steps at 0.5 with 2.5 steps of uncertainty: at the wave's first step, 12 of the 21
  // errors (-8..0 steps) still put it there; a step before it, only 9 (-9..-1).
  std::vector<double> broad(21, 0.0);
  for (std::size_t k = 6; k <= 14; ++k) broad[k] = 0.5;
  CHECK(MedianOverTimingAndSize(broad, 2.5, 0) == broad);
  SUBCASE("an uncertain size lowers its flanks, not its core") {
    // At the first step, 9 of the 21 timings give 0 and 12 give the wave: of their 105 outcomes
    // with five equally likely sizes, 45 are 0 and the middle one is the wave at its smallest
    // size, the normal's quantile at 0.1 (the first slice's midpoint), e^-1.28 of it at sd 1.
    // At the centre, every timing (-5..5 steps) puts the wave there: the median size, 0.5.
    const std::vector<double> median = MedianOverTimingAndSize(broad, 2.5, 1.0);
    CHECK(median[6] == doctest::Approx(0.5 * std::exp(NormalQuantile(0.1))));
    CHECK(median[14] == doctest::Approx(0.5 * std::exp(NormalQuantile(0.1))));
    CHECK(median[10] == doctest::Approx(0.5));
    CHECK(median[5] == 0);
    CHECK(median[15] == 0);
  }
}

TEST_CASE("MedianOverTimingAndSize is the 53rd of the 105 outcomes, step by step") {
  // Every outcome written out: the wave moved by each of 21 equally likely timing errors (the
  // normal's slice midpoints, rounded to steps) times each of 5 equally likely sizes, and the
  // middle of the 105 taken. A wave of distinct heights, so that a neighbouring rank differs.
  std::vector<double> wave(40, 0.0);
  for (std::size_t k = 8; k < 32; ++k) wave[k] = 0.1 + 0.01 * static_cast<double>((k * 7) % 23);
  const double sd_steps = 3.0;
  const double size_log_sd = 0.8;
  const std::vector<double> median = MedianOverTimingAndSize(wave, sd_steps, size_log_sd);
  REQUIRE(median.size() == wave.size());
  const auto n = static_cast<std::ptrdiff_t>(wave.size());
  std::size_t checked = 0;
  for (std::ptrdiff_t k = 0; k < n; ++k) {
    std::vector<double> outcomes;
    std::size_t absent = 0;
    for (std::size_t s = 0; s < 21; ++s) {
      const std::ptrdiff_t from = k - std::lround(sd_steps * NormalSliceMidpoint(s, 21));
      const double timed = from >= 0 && from < n ? wave[static_cast<std::size_t>(from)] : 0.0;
      absent += timed > 0 ? 0 : 1;
      for (std::size_t m = 0; m < 5; ++m) {
        outcomes.push_back(timed * std::exp(size_log_sd * NormalSliceMidpoint(m, 5)));
      }
    }
    if (2 * absent > 21) {
      CHECK(median[static_cast<std::size_t>(k)] == 0);
      continue;
    }
    std::nth_element(outcomes.begin(), outcomes.begin() + 52, outcomes.end());
    CAPTURE(k);
    CHECK(median[static_cast<std::size_t>(k)] == outcomes[52]);
    ++checked;
  }
  CHECK(checked >= 24);
}

TEST_CASE("MedianOverTimingAndSize leaves the wave alone without a timing error") {
  const std::vector<double> wave = {0.1, 0.4, 0.2, 0.0};
  CHECK(MedianOverTimingAndSize(wave, 0, 1.0) == wave);
  CHECK(MedianOverTimingAndSize(wave, -1, 1.0) == wave);
}

TEST_CASE("following the sun, the zones whose install night has begun, in the mix's order") {
  // A release at 18:00Z on 8 December 2026: 03:00 is 18:00Z in Tokyo (the release itself),
  // 02:00Z the next day in Berlin, 08:00Z in New York and 11:00Z in Los Angeles.
  const std::vector<ZoneWeight> zones = {{&Zone("Europe/Berlin"), 0.4},
                                         {&Zone("America/New_York"), 0.3},
                                         {&Zone("America/Los_Angeles"), 0.15},
                                         {&Zone("Asia/Tokyo"), 0.15},
                                         {nullptr, 0.1}};
  const RebootPrior prior;
  const auto release = Utc("2026-12-08T18:00:00Z");
  const auto reached = [&](const char* at) {
    return ZonesInstalledBy(zones, prior, release, Utc(at));
  };
  CHECK(reached("2026-12-08T17:59:59Z").empty());
  CHECK(reached("2026-12-08T18:00:00Z") == std::vector<std::string>{"Asia/Tokyo"});
  CHECK(reached("2026-12-09T04:00:00Z") == std::vector<std::string>{"Europe/Berlin", "Asia/Tokyo"});
  CHECK(reached("2026-12-09T11:00:00Z") ==
        std::vector<std::string>{"Europe/Berlin", "America/New_York", "America/Los_Angeles",
                                 "Asia/Tokyo"});
  // A fleet that installs at 01:00 local: Tokyo's 01:00 came before the release, so its night is
  // the next one.
  RebootPrior early;
  early.install_hour_local = 1;
  CHECK(ZonesInstalledBy(zones, early, release, Utc("2026-12-09T04:00:00Z")) ==
        std::vector<std::string>{"Europe/Berlin"});
}

}  // namespace
}  // namespace patchcast::forecasting
