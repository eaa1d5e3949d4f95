// The calendar routes as handlers: requests in, responses or errors out, over a real catalog with
// the in-memory repository and a fixed clock.
#include "api/calendar_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/error_response.h"
#include "tests/support/fake_services.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

struct Fixture {
  testing::InMemoryCalendarRepository repository;
  testing::FixedClock clock;  // 2026-11-18
  std::unique_ptr<forecasting::CalendarCatalog> catalog;
  Router router;

  Fixture() {
    auto opened = forecasting::CalendarCatalog::Open(repository, testing::SequentialIds{});
    REQUIRE(opened.has_value());
    catalog = std::move(*opened);
    AddCalendarRoutes(router, *catalog, clock);
  }

  Response Send(Method method, const std::string& path,
                std::multimap<std::string, std::string> query = {}, std::string body = "") {
    return testing::SendToRoute(router, {method, path, std::move(query), std::move(body), {}});
  }
  json SendJson(Method method, const std::string& path,
                std::multimap<std::string, std::string> query = {}, std::string body = "") {
    return json::parse(Send(method, path, std::move(query), std::move(body)).body);
  }
};

void CheckError(const Response& response, int status, const std::string& message_part) {
  CHECK(response.status == status);
  const json body = json::parse(response.body);
  CHECK_MESSAGE(body["error"]["message"].get<std::string>().find(message_part) != std::string::npos,
                body["error"]["message"]);
}

TEST_CASE("GET /v1/calendars lists the built-ins") {
  Fixture f;
  const json body = f.SendJson(Method::kGet, "/v1/calendars");
  REQUIRE(body["calendars"].size() == 5);
  CHECK(body["calendars"][0]["id"] == "microsoft");
  CHECK(body["calendars"][0]["type"] == "builtin");
  CHECK(body["calendars"][0]["timezone"] == "America/Los_Angeles");
}

TEST_CASE("events of August 2007 hold the release at 17:00Z and its advance notice") {
  Fixture f;
  const json body = f.SendJson(Method::kGet, "/v1/calendars/microsoft/events",
                               {{"from", "2007-08-01"}, {"to", "2007-08-31"}});
  CHECK(body["from"] == "2007-08-01");
  CHECK(body["to"] == "2007-08-31");
  bool release = false;
  bool notice = false;
  for (const json& event : body["events"]) {
    if (event["id"] == "microsoft:2007-08-14:release") {
      release = event["start"] == "2007-08-14T17:00:00Z";
      CHECK(event["local_start"] == "2007-08-14T10:00:00");
    }
    if (event["kind"] == "advance_notice") {
      notice = event["start"].get<std::string>().starts_with("2007-08-09");
    }
  }
  CHECK(release);
  CHECK(notice);
}

TEST_CASE("the range defaults to today and the following 364 days") {
  Fixture f;
  const json body = f.SendJson(Method::kGet, "/v1/events", {{"calendar", "microsoft"}});
  CHECK(body["from"] == "2026-11-18");
  CHECK(body["to"] == "2027-11-17");
  CHECK(body["calendars"] == json{"microsoft"});
  CHECK(body["events"].size() >= 12);
}

TEST_CASE("bad queries are 400 or 404 naming the parameter") {
  Fixture f;
  CheckError(f.Send(Method::kGet, "/v1/events", {{"from", "2026-02-30"}}), 400,
             "query parameter 'from': '2026-02-30' is not a valid date");
  CheckError(f.Send(Method::kGet, "/v1/events", {{"from", "2026-03-01"}, {"to", "2026-02-01"}}),
             400, "range start 2026-03-01 is after its end 2026-02-01");
  CheckError(f.Send(Method::kGet, "/v1/events", {{"from", "1900-01-01"}, {"to", "2199-12-31"}}),
             400, "spans more than 200 years");
  CheckError(f.Send(Method::kGet, "/v1/events", {{"calendar", "microsoft,nope"}}), 404,
             "calendar 'nope' does not exist");
  CheckError(f.Send(Method::kGet, "/v1/events", {{"calendar", "microsoft,"}}), 400,
             "query parameter 'calendar' has an empty calendar id");
  CheckError(f.Send(Method::kGet, "/v1/events", {{"form", "2026-01-01"}}), 400,
             "unknown query parameter 'form' (this route takes from, to, calendar)");
  CheckError(f.Send(Method::kGet, "/v1/events", {{"from", "2026-01-01"}, {"from", "2026-02-01"}}),
             400, "query parameter 'from' is given more than once");
  CheckError(f.Send(Method::kGet, "/v1/calendars/nope/events"), 404,
             "calendar 'nope' does not exist");
  CheckError(f.Send(Method::kGet, "/v1/calendars", {{"x", "1"}}), 400,
             "unknown query parameter 'x' (this route takes none)");
  CheckError(f.Send(Method::kGet, "/v1/events/next", {{"kind", "release"}}), 400,
             "query parameter 'calendar' is required");
  CheckError(f.Send(Method::kGet, "/v1/events/next", {{"calendar", "microsoft"}, {"kind", "big"}}),
             400, "query parameter 'kind': unknown event kind 'big'");
}

TEST_CASE("too many events is 422 asking for a narrower range") {
  Fixture f;
  REQUIRE(f.Send(Method::kPost, "/v1/calendars", {},
                 R"({"id":"daily","name":"Daily","timezone":"UTC","rrule":"FREQ=DAILY",
                     "dtstart":"1900-01-01"})")
              .status == 201);
  CheckError(f.Send(Method::kGet, "/v1/calendars/daily/events",
                    {{"from", "1900-01-01"}, {"to", "2099-01-01"}}),
             422, "narrow the range");
}

TEST_CASE("next event: the first release after now, or after a given instant") {
  Fixture f;
  const json now =
      f.SendJson(Method::kGet, "/v1/events/next", {{"calendar", "microsoft"}, {"kind", "release"}});
  CHECK(now["event"]["id"] == "microsoft:2026-12-08:release");
  const json after = f.SendJson(
      Method::kGet, "/v1/events/next",
      {{"calendar", "microsoft"}, {"kind", "release"}, {"after", "2007-11-01T00:00:00Z"}});
  CHECK(after["event"]["start"] == "2007-11-13T18:00:00Z");
}

TEST_CASE("a custom calendar is created, read, listed, feeds events and is deleted") {
  Fixture f;
  const Response created = f.Send(Method::kPost, "/v1/calendars", {},
                                  R"({"id":"ops","name":"Ops","timezone":"Europe/Berlin",
                                      "rrule":"FREQ=MONTHLY;BYDAY=2TU","dtstart":"2026-01-13T10:00",
                                      "duration_minutes":60})");
  REQUIRE(created.status == 201);
  CHECK(created.headers.Get("Location") == "/v1/calendars/ops");
  const json calendar = json::parse(created.body);
  CHECK(calendar["type"] == "custom");
  CHECK(calendar["definition"]["rrule"] == "FREQ=MONTHLY;BYDAY=2TU");

  CHECK(f.SendJson(Method::kGet, "/v1/calendars/ops")["definition"]["dtstart"] ==
        "2026-01-13T10:00:00");
  CHECK(f.SendJson(Method::kGet, "/v1/calendars")["calendars"].size() == 6);
  const json events = f.SendJson(Method::kGet, "/v1/calendars/ops/events",
                                 {{"from", "2026-07-01"}, {"to", "2026-07-31"}});
  REQUIRE(events["events"].size() == 1);
  CHECK(events["events"][0]["start"] == "2026-07-14T08:00:00Z");  // 10:00 CEST
  CHECK(events["events"][0]["end"] == "2026-07-14T09:00:00Z");
  CHECK(events["events"][0]["source"] == "api");

  CheckError(f.Send(Method::kPost, "/v1/calendars", {},
                    R"({"id":"ops","name":"Ops","timezone":"UTC","dates":["2026-01-01"]})"),
             409, "calendar 'ops' already exists");
  CheckError(f.Send(Method::kPost, "/v1/calendars", {},
                    R"({"id":"microsoft","name":"M","timezone":"UTC","dates":["2026-01-01"]})"),
             409, "taken by a built-in calendar");

  CHECK(f.Send(Method::kDelete, "/v1/calendars/ops").status == 204);
  CheckError(f.Send(Method::kGet, "/v1/calendars/ops"), 404, "calendar 'ops' does not exist");
  CheckError(f.Send(Method::kDelete, "/v1/calendars/microsoft"), 409, "built in");
}

TEST_CASE("overrides change the events and can be listed, read and removed") {
  Fixture f;
  const Response cancelled = f.Send(Method::kPost, "/v1/calendars/microsoft/overrides", {},
                                    R"({"date":"2026-12-08","action":"cancel","kind":"release"})");
  REQUIRE(cancelled.status == 201);
  const json cancel = json::parse(cancelled.body);
  CHECK(cancel["id"] == "ovr-1");
  CHECK(cancelled.headers.Get("Location") == "/v1/calendars/microsoft/overrides/ovr-1");
  const Response annotated = f.Send(
      Method::kPost, "/v1/calendars/microsoft/overrides", {},
      R"({"date":"2027-01-12","action":"annotate","bulletins":12,"max_severity":"critical"})");
  REQUIRE(annotated.status == 201);

  const json events = f.SendJson(Method::kGet, "/v1/calendars/microsoft/events",
                                 {{"from", "2026-12-01"}, {"to", "2027-01-31"}});
  bool december_release = false;
  for (const json& event : events["events"]) {
    if (event["id"] == "microsoft:2026-12-08:release") december_release = true;
    if (event["id"] == "microsoft:2027-01-12:release") {
      CHECK(event["bulletins"] == 12);
      CHECK(event["max_severity"] == "critical");
      CHECK(event["source"] == "override");
    }
  }
  CHECK_FALSE(december_release);

  const json listed = f.SendJson(Method::kGet, "/v1/calendars/microsoft/overrides");
  REQUIRE(listed["overrides"].size() == 2);
  CHECK(listed["overrides"][0] == cancel);
  CHECK(f.SendJson(Method::kGet, "/v1/calendars/microsoft/overrides/ovr-1") == cancel);

  CHECK(f.Send(Method::kDelete, "/v1/calendars/microsoft/overrides/ovr-1").status == 204);
  CheckError(f.Send(Method::kGet, "/v1/calendars/microsoft/overrides/ovr-1"), 404,
             "calendar 'microsoft' has no override 'ovr-1'");
  CheckError(f.Send(Method::kPost, "/v1/calendars/nope/overrides", {},
                    R"({"date":"2026-12-08","action":"cancel"})"),
             404, "calendar 'nope' does not exist");
  CheckError(f.Send(Method::kPost, "/v1/calendars/microsoft/overrides", {},
                    R"({"date":"2026-12-08","action":"annotate"})"),
             400, "annotat");
}

TEST_CASE("the ICS feed holds the same events as the JSON list") {
  Fixture f;
  const Response feed =
      f.Send(Method::kGet, "/v1/events.ics", {{"from", "2026-01-01"}, {"to", "2026-12-31"}});
  REQUIRE(feed.status == 200);
  CHECK(feed.content_type == "text/calendar; charset=utf-8");
  const json list =
      f.SendJson(Method::kGet, "/v1/events", {{"from", "2026-01-01"}, {"to", "2026-12-31"}});
  REQUIRE(list["events"].size() > 50);
  for (const json& event : list["events"]) {
    CHECK(feed.body.find("UID:" + event["id"].get<std::string>() + "@patchcast\r\n") !=
          std::string::npos);
  }
  const Response one = f.Send(Method::kGet, "/v1/calendars/sap/events.ics",
                              {{"from", "2026-01-01"}, {"to", "2026-12-31"}});
  CHECK(one.body.find("X-WR-CALNAME:Patchcast: SAP Security Patch Day\r\n") != std::string::npos);
}

}  // namespace
}  // namespace patchcast::api
