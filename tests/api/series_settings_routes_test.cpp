// The series settings routes as handlers: the prior and capacity model in force, stored, replaced
// and returned to the defaults, with bad input named; and SeriesSettings reading them back for
// forecasts and plans.
#include "api/series_settings_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/error_response.h"
#include "api/series_settings.h"
#include "tests/support/fake_services.h"
#include "tests/support/in_memory_series_repository.h"
#include "tests/support/in_memory_series_settings_repository.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

struct Fixture {
  testing::InMemorySeriesRepository series;
  testing::InMemorySeriesSettingsRepository settings;
  testing::FixedClock clock;
  Router router;
  Principal principal{"test", Scope::kAdmin, ""};

  Fixture() {
    REQUIRE(series.PutSeries({"login", std::chrono::seconds{3600}, "logins", "", {}}));
    AddSeriesSettingsRoutes(router, {series, settings, clock});
  }

  Response Send(Method method, const std::string& path, std::string body = "") {
    return testing::SendToRoute(router, {method, path, {}, std::move(body), principal});
  }
};

TEST_CASE("a series without a prior of its own answers the defaults, not stored") {
  Fixture f;
  const Response response = f.Send(Method::kGet, "/v1/series/login/reboot-prior");
  REQUIRE(response.status == 200);
  const json body = json::parse(response.body);
  CHECK(body["series"] == "login");
  CHECK(body["stored"] == false);
  CHECK(body["updated_at"].is_null());
  const forecasting::RebootPrior defaults;
  CHECK(body["reboot_prior"]["install_hour_local"] == defaults.install_hour_local);
  CHECK(body["reboot_prior"]["rings"].size() == defaults.rings.size());
}

TEST_CASE("a stored prior is answered in full and used by forecasts") {
  Fixture f;
  const Response put = f.Send(Method::kPut, "/v1/series/login/reboot-prior",
                              R"({"install_hour_local": 2, "rings": []})");
  REQUIRE(put.status == 200);
  const json stored = json::parse(put.body);
  CHECK(stored["stored"] == true);
  CHECK(stored["updated_at"] == "2026-11-18T11:06:40Z");
  CHECK(stored["reboot_prior"]["install_hour_local"] == 2.0);
  CHECK(stored["reboot_prior"]["rings"].empty());
  // Members left out take the defaults.
  CHECK(stored["reboot_prior"]["auto_update_share"] ==
        forecasting::RebootPrior{}.auto_update_share);

  const json got = json::parse(f.Send(Method::kGet, "/v1/series/login/reboot-prior").body);
  CHECK(got == stored);

  SeriesSettings settings(f.settings);
  auto prior = settings.PriorFor("login");
  REQUIRE(prior);
  CHECK(prior->install_hour_local == 2.0);
  CHECK(prior->rings.empty());
  auto other = settings.PriorFor("another");
  REQUIRE(other);
  CHECK(*other == forecasting::RebootPrior{});
}

TEST_CASE("deleting a prior returns the series to the defaults") {
  Fixture f;
  REQUIRE(f.Send(Method::kPut, "/v1/series/login/reboot-prior", R"({"strength": 4})").status ==
          200);
  CHECK(f.Send(Method::kDelete, "/v1/series/login/reboot-prior").status == 204);
  const json got = json::parse(f.Send(Method::kGet, "/v1/series/login/reboot-prior").body);
  CHECK(got["stored"] == false);
  CHECK(got["reboot_prior"]["strength"] == forecasting::RebootPrior{}.strength);
}

TEST_CASE("bad priors are refused naming the field") {
  Fixture f;
  const auto refused = [&](const char* body) {
    const Response response = f.Send(Method::kPut, "/v1/series/login/reboot-prior", body);
    CHECK(response.status == 400);
    return testing::ErrorMessageOf(response);
  };
  CHECK(refused(R"({"install_hour_local": 25})") ==
        "install_hour_local: must be in [0, 24) (got 25)");
  CHECK(refused(R"({"auto_update_share": "half"})") ==
        "field 'auto_update_share' must be a number, not string");
  CHECK(refused(R"({"install_hour": 3})").find("install_hour") != std::string::npos);
  CHECK(refused(R"({"rings": [{"delay_hours": 0, "share": 0.2}]})") ==
        "rings[0].delay_hours: must be in (0, 336] (got 0)");
  CHECK(refused(R"({"rings": [{"delay_hours": 72}]})").find("rings[0]") != std::string::npos);
  CHECK(refused(R"({"min_events": -1})").find("min_events") != std::string::npos);
  CHECK(refused("[1]").find("object") != std::string::npos);
  // Nothing was stored by the refusals.
  CHECK(json::parse(f.Send(Method::kGet, "/v1/series/login/reboot-prior").body)["stored"] == false);
}

TEST_CASE("settings of an unknown series, or one the key may not see, are 404") {
  Fixture f;
  CHECK(f.Send(Method::kGet, "/v1/series/ghost/reboot-prior").status == 404);
  CHECK(f.Send(Method::kPut, "/v1/series/ghost/capacity-model", R"({"unit_capacity": 1})").status ==
        404);
  CHECK(f.Send(Method::kDelete, "/v1/series/ghost/capacity-model").status == 404);
  f.principal.series_prefix = "team-b.";
  const Response hidden = f.Send(Method::kGet, "/v1/series/login/capacity-model");
  CHECK(hidden.status == 404);
  CHECK(testing::ErrorMessageOf(hidden) == "series 'login' does not exist");
}

TEST_CASE("a series without a capacity model answers the defaults with unit_capacity unknown") {
  Fixture f;
  const json body = json::parse(f.Send(Method::kGet, "/v1/series/login/capacity-model").body);
  CHECK(body["stored"] == false);
  CHECK(body["capacity_model"]["unit_capacity"].is_null());
  CHECK(body["capacity_model"]["lead_time_minutes"] == 15);
  SeriesSettings settings(f.settings);
  auto model = settings.CapacityModelFor("login");
  REQUIRE(model);
  CHECK_FALSE(model->has_value());
}

TEST_CASE("a stored capacity model is answered in full and read back for plans") {
  Fixture f;
  const Response put = f.Send(Method::kPut, "/v1/series/login/capacity-model",
                              R"({"unit_capacity": 50, "max_units": 30, "mode": "forecast_only"})");
  REQUIRE(put.status == 200);
  const json body = json::parse(put.body);
  CHECK(body["capacity_model"]["unit_capacity"] == 50.0);
  CHECK(body["capacity_model"]["max_units"] == 30);
  CHECK(body["capacity_model"]["headroom"] == forecasting::CapacityModel{}.headroom);
  SeriesSettings settings(f.settings);
  auto model = settings.CapacityModelFor("login");
  REQUIRE(model);
  REQUIRE(model->has_value());
  CHECK((*model)->unit_capacity == 50);
  CHECK((*model)->max_units == 30);
  CHECK((*model)->mode == forecasting::PlanMode::kForecastOnly);
}

TEST_CASE("a stored setting that fails today's checks is a 422 saying how to fix it") {
  Fixture f;
  // Stored before numeric fields had ranges; a document that is not JSON stays a server error.
  REQUIRE(f.settings.Put({"login",
                          std::string(forecasting::kCapacityModelSetting),
                          {},
                          R"({"unit_capacity": 5, "headroom": 1e308})"}));
  REQUIRE(f.settings.Put({"login", std::string(forecasting::kRebootPriorSetting), {}, "[1]"}));
  SeriesSettings settings(f.settings);
  const auto model = settings.CapacityModelFor("login");
  REQUIRE_FALSE(model);
  CHECK(model.error().code == ErrorCode::kUnprocessable);
  CHECK(model.error().message.find("headroom") != std::string::npos);
  CHECK(model.error().message.find("PUT /v1/series/login/capacity-model") != std::string::npos);
  const auto prior = settings.PriorFor("login");
  REQUIRE_FALSE(prior);
  CHECK(prior.error().code == ErrorCode::kInternal);
}

TEST_CASE("bad capacity models are refused naming the field") {
  Fixture f;
  const auto refused = [&](const char* body) {
    const Response response = f.Send(Method::kPut, "/v1/series/login/capacity-model", body);
    CHECK(response.status == 400);
    return testing::ErrorMessageOf(response);
  };
  CHECK(refused(R"({"max_units": 3})") == "field 'unit_capacity' is required");
  CHECK(refused(R"({"unit_capacity": 0})").find("unit_capacity") != std::string::npos);
  CHECK(refused(R"({"unit_capacity": 1, "min_units": 5, "max_units": 3})").find("min_units") !=
        std::string::npos);
  CHECK(refused(R"({"unit_capacity": 1, "quantile": 1})").find("quantile") != std::string::npos);
  CHECK(refused(R"({"unit_capacity": 1, "lead_time_minutes": 50000})").find("lead_time_minutes") !=
        std::string::npos);
  CHECK(refused(R"({"unit_capacity": 1, "horizon_hours": 24})").find("horizon_hours") !=
        std::string::npos);
}

}  // namespace
}  // namespace patchcast::api
