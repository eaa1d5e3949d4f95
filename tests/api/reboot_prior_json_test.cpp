// The JSON mapping of the reboot-wave prior: every parameter reads back as written, and the
// defaults fill what a body leaves out.
#include "api/reboot_prior_json.h"

#include <doctest/doctest.h>

namespace patchcast::api {
namespace {

using nlohmann::json;

TEST_CASE("an empty body is the default prior") {
  auto prior = ParseRebootPrior(json::object());
  REQUIRE(prior);
  CHECK(*prior == forecasting::RebootPrior{});
}

TEST_CASE("a prior with every parameter changed renders and reads back equal") {
  forecasting::RebootPrior prior;
  prior.auto_update_share = 0.7;
  prior.install_hour_local = 2.5;
  prior.detection_spread_hours = 30;
  prior.powered_on_share = 0.6;
  prior.morning_boot_hour_local = 9;
  prior.morning_boot_spread_hours = 1.5;
  prior.restart_delay_minutes = 5;
  prior.restart_spread_minutes = 10;
  prior.rings = {{std::chrono::hours{48}, 0.3}};
  prior.logins_per_reboot = 2;
  prior.machines_per_daily_login = 0.8;
  prior.magnitude_log_sd = 0.3;
  prior.peak_timing_spread_hours = 2;
  prior.strength = 1.5;
  prior.min_events = 5;
  const json rendered = RebootPriorJson(prior);
  CHECK(rendered["rings"] == json::parse(R"([{"delay_hours": 48, "share": 0.3}])"));
  auto read = ParseRebootPrior(rendered);
  REQUIRE(read);
  CHECK(*read == prior);
}

TEST_CASE("an empty rings list means no rings; an absent one keeps the default rings") {
  auto none = ParseRebootPrior(json{{"rings", json::array()}});
  REQUIRE(none);
  CHECK(none->rings.empty());
  auto kept = ParseRebootPrior(json{{"strength", 1}});
  REQUIRE(kept);
  CHECK(kept->rings == forecasting::RebootPrior{}.rings);
}

TEST_CASE("more than ten rings are refused before they are read") {
  json rings = json::array();
  for (int i = 0; i < 11; ++i) rings.push_back({{"delay_hours", 24 + i}, {"share", 0.1}});
  auto prior = ParseRebootPrior(json{{"rings", rings}});
  REQUIRE_FALSE(prior);
  CHECK(prior.error().message == "field 'rings' has 11 entries; at most 10 are allowed");
}

}  // namespace
}  // namespace patchcast::api
