// The plan document: a kept plan rendered as the API serves and storage keeps it, read back into
// the same record, and refused with a message naming the part when it is not a plan.
#include "api/plan_document.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/forecasting/plan_record_fixture.h"

namespace patchcast::api {
namespace {

using forecasting::PlanRecord;
using forecasting::testing::SamplePlanRecord;
using nlohmann::json;

// The record as its document keeps it: figures rounded, the planner's own fields left out.
PlanRecord AsKept(PlanRecord record) {
  for (forecasting::PlanBucket& bucket : record.plan.buckets) {
    bucket.median_logins_per_second = 0;
    bucket.required_units = 0;
  }
  record.plan.summary.depth_logins_per_second = 0;
  return record;
}

std::string ErrorOf(const json& document) {
  auto read = ReadPlanDocument(document.dump());
  REQUIRE_FALSE(read);
  CHECK(read.error().code == ErrorCode::kInternal);
  return read.error().message;
}

TEST_CASE("a plan document carries the plan, its buckets, actions and the shortfall at risk") {
  const json document = PlanDocument(SamplePlanRecord());
  CHECK(document["id"] == "plan-1");
  CHECK(document["series"] == "demo-login");
  CHECK(document["forecast_id"] == "fc-1");
  CHECK(document["as_of"] == "2026-12-08T16:00:00Z");
  CHECK(document["valid_until"] == "2026-12-08T16:15:00Z");
  CHECK(document["step_seconds"] == 300);
  CHECK(document["mode"] == "recommend");
  CHECK(document["unit_capacity"] == 25.0);
  REQUIRE(document["buckets"].size() == 3);
  CHECK(document["buckets"][1] == json{{"ts", "2026-12-08T16:05:00Z"},
                                       {"demand", 20.0},
                                       {"units", 4},
                                       {"capacity", 100.0},
                                       {"p_exceed", 0.01},
                                       {"at_risk", true},
                                       {"shortfall", {{"units", 1}, {"logins_per_second", 5.0}}}});
  CHECK_FALSE(document["buckets"][0].contains("shortfall"));
  CHECK(document["actions"][0] == json{{"at", "2026-12-08T15:50:00Z"},
                                       {"ready", "2026-12-08T16:05:00Z"},
                                       {"kind", "scale_out"},
                                       {"units", 4},
                                       {"late", true},
                                       {"reason", "microsoft 2026-12-08 release: +48 h wave"},
                                       {"event_id", "microsoft:2026-12-08:release"}});
  CHECK(document["summary"]["cost"].is_null());
  CHECK(document["fallback_units"] == 4);
}

TEST_CASE("figures are rounded as the API shows them") {
  PlanRecord record = SamplePlanRecord();
  record.plan.buckets[0].demand_logins_per_second = 10.123456;
  record.plan.buckets[0].p_exceed = 0.0123456789;
  record.plan.summary.unit_hours = 2.345678;
  const json document = PlanDocument(record);
  CHECK(document["buckets"][0]["demand"] == 10.12);
  CHECK(document["buckets"][0]["p_exceed"] == 0.012346);
  CHECK(document["summary"]["unit_hours"] == 2.35);
}

TEST_CASE("a plan document reads back into the record it was rendered from") {
  PlanRecord record = SamplePlanRecord();
  record.plan.mode = forecasting::PlanMode::kForecastOnly;
  record.plan.actions.push_back(record.plan.actions[0]);
  record.plan.actions[1].kind = forecasting::ActionKind::kScaleIn;
  record.plan.actions[1].event_id.clear();  // null in the document
  record.plan.summary.peak_units = 4;
  record.plan.summary.cost = 1.25;
  record.plan.summary.at_risk_buckets = 1;
  record.plan.summary.vs_static.unit_hours = 1;
  record.plan.summary.vs_reactive.under_provisioned_minutes = 10;
  record.plan.buckets[0].median_logins_per_second = 7;  // the planner's own: not kept
  auto read = ReadPlanDocument(PlanDocument(record).dump());
  REQUIRE(read);
  CHECK(*read == AsKept(record));
  CHECK(PlanDocument(*read) == PlanDocument(record));
}

TEST_CASE("a document that is not a plan is refused naming what is wrong") {
  const json good = PlanDocument(SamplePlanRecord());
  SUBCASE("not JSON, or not an object") {
    CHECK_FALSE(ReadPlanDocument("{\"id\":"));
    CHECK(ErrorOf(json::array()).find("not a JSON object") != std::string::npos);
  }
  SUBCASE("a member missing, at the top or in a part") {
    for (const char* member : {"buckets", "generated_at", "step_seconds", "summary", "actions"}) {
      CAPTURE(member);
      json document = good;
      document.erase(member);
      CHECK(ErrorOf(document) ==
            "stored plan document 'plan-1': the document has no '" + std::string(member) + "'");
    }
    json document = good;
    document["buckets"][2].erase("units");
    CHECK(ErrorOf(document) == "stored plan document 'plan-1': bucket 2 has no 'units'");
    document = good;
    document["buckets"][1].erase("shortfall");
    CHECK(ErrorOf(document) == "stored plan document 'plan-1': bucket 1 has no 'shortfall'");
  }
  SUBCASE("a member of the wrong type") {
    json document = good;
    document["buckets"][1]["units"] = "three";
    CHECK(ErrorOf(document) ==
          "stored plan document 'plan-1': bucket 1 'units' is of the wrong type");
    document = good;
    document["actions"][0]["event_id"] = 7;
    CHECK(ErrorOf(document).find("action 0 'event_id' is not a string or null") !=
          std::string::npos);
  }
  SUBCASE("values outside the format") {
    json document = good;
    document["mode"] = "yolo";
    CHECK(ErrorOf(document).find("'mode' is not forecast_only or recommend") != std::string::npos);
    document = good;
    document["actions"][0]["kind"] = "scale_sideways";
    CHECK(ErrorOf(document).find("action 0 'kind'") != std::string::npos);
    document = good;
    document["step_seconds"] = 0;
    CHECK(ErrorOf(document).find("'step_seconds' is below 1") != std::string::npos);
    document = good;
    document["generated_at"] = "yesterday";
    CHECK(ErrorOf(document).find("'generated_at'") != std::string::npos);
  }
  SUBCASE("no buckets, or buckets out of order") {
    json document = good;
    document["buckets"] = json::array();
    CHECK(ErrorOf(document).find("'buckets' is empty") != std::string::npos);
    document = good;
    std::swap(document["buckets"][0], document["buckets"][1]);
    CHECK(ErrorOf(document).find("bucket 1 does not start after the one before") !=
          std::string::npos);
  }
}

}  // namespace
}  // namespace patchcast::api
