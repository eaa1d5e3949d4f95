// ValidateRebootPrior: every parameter's range is enforced, named and reported with its value.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "forecasting/reboot_prior.h"

namespace patchcast::forecasting {
namespace {

std::string ErrorOf(const RebootPrior& prior) {
  Status valid = ValidateRebootPrior(prior);
  REQUIRE_FALSE(valid);
  CHECK(valid.error().code == ErrorCode::kInvalidArgument);
  return valid.error().message;
}

TEST_CASE("the default prior is valid") { CHECK(ValidateRebootPrior(RebootPrior{})); }

TEST_CASE("shares outside [0, 1] are refused, with the value") {
  RebootPrior prior;
  prior.auto_update_share = 1.5;
  CHECK(ErrorOf(prior) == "auto_update_share: must be in [0, 1] (got 1.5)");
  prior = {};
  prior.powered_on_share = -0.1;
  CHECK(ErrorOf(prior) == "powered_on_share: must be in [0, 1] (got -0.1)");
}

TEST_CASE("hours of the day are in [0, 24)") {
  RebootPrior prior;
  prior.install_hour_local = 0;
  CHECK(ValidateRebootPrior(prior));
  prior.install_hour_local = 24;
  CHECK(ErrorOf(prior) == "install_hour_local: must be in [0, 24) (got 24)");
  prior = {};
  prior.morning_boot_hour_local = -1;
  CHECK(ErrorOf(prior).starts_with("morning_boot_hour_local:"));
}

TEST_CASE("spreads must be positive where they divide") {
  RebootPrior prior;
  prior.detection_spread_hours = 0;
  CHECK(ErrorOf(prior) == "detection_spread_hours: must be in (0, 168] (got 0)");
  prior = {};
  prior.morning_boot_spread_hours = 0;
  CHECK(ErrorOf(prior).starts_with("morning_boot_spread_hours:"));
}

TEST_CASE("non-finite values are refused") {
  RebootPrior prior;
  prior.strength = std::numeric_limits<double>::quiet_NaN();
  CHECK(ErrorOf(prior) == "strength: must be in [0, 100] (got nan)");
  prior = {};
  prior.logins_per_reboot = std::numeric_limits<double>::infinity();
  CHECK(ErrorOf(prior).starts_with("logins_per_reboot:"));
}

TEST_CASE("rings are counted and each is checked by index") {
  RebootPrior prior;
  prior.rings.assign(kMaxRings + 1, RingEcho{});
  CHECK(ErrorOf(prior) == "rings: at most 10 are allowed (got 11)");
  prior.rings = {{std::chrono::hours{72}, 0.25}, {std::chrono::hours{400}, 0.1}};
  CHECK(ErrorOf(prior) == "rings[1].delay_hours: must be in (0, 336] (got 400)");
  prior.rings = {{std::chrono::hours{72}, 3}};
  CHECK(ErrorOf(prior) == "rings[0].share: must be in [0, 2] (got 3)");
}

TEST_CASE("min_events is bounded") {
  RebootPrior prior;
  prior.min_events = -1;
  CHECK(ErrorOf(prior) == "min_events: must be in [0, 1000] (got -1)");
}

}  // namespace
}  // namespace patchcast::forecasting
