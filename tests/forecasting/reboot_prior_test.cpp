#include "forecasting/reboot_prior.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>

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

}  // namespace
}  // namespace patchcast::forecasting
