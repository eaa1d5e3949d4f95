// The telemetry routes as handlers, over the in-memory repository and a fixed clock: uploads in
// CSV and JSON read back with gaps, the future allowance and the point limit, deletion by range,
// and a key limited to a prefix that cannot tell another team's series from a missing one.
#include "api/series_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/fake_services.h"
#include "tests/support/in_memory_series_repository.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

const Principal kEveryone{"root", Scope::kAdmin, ""};
const Principal kTeamA{"team-a", Scope::kAdmin, "team-a."};

// 2026-11-01T00:00:00Z, 00:01 and 00:03: the 00:02 step is a gap.
const std::string kThreePoints = "ts,value\n1793491200,10\n1793491260,11\n1793491380,13\n";

struct Fixture {
  testing::InMemorySeriesRepository series;
  testing::FixedClock clock;  // 2026-11-18T11:06:40Z
  Router router;

  explicit Fixture(SeriesLimits limits = {}) { AddSeriesRoutes(router, series, clock, limits); }

  Response Send(Method method, const std::string& path, std::string body = "",
                const Principal& principal = kEveryone) {
    HeaderMap headers;
    headers.Set("Content-Type", body.starts_with("ts,") ? "text/csv" : "application/json");
    return testing::SendToRoute(router, {.method = method,
                                         .path = path,
                                         .body = std::move(body),
                                         .principal = principal,
                                         .headers = std::move(headers)});
  }
};

json Body(const Response& response) { return json::parse(response.body); }

TEST_CASE("points uploaded as CSV and as JSON read back in order, a gap as null") {
  Fixture f;
  const Response csv = f.Send(Method::kPost, "/v1/series/login/points", kThreePoints);
  REQUIRE(csv.status == 200);
  CHECK(Body(csv)["accepted"] == 3);
  CHECK(Body(csv)["first"] == "2026-11-01T00:00:00Z");
  CHECK(Body(csv)["last"] == "2026-11-01T00:03:00Z");
  const Response json_upload = f.Send(Method::kPost, "/v1/series/login/points",
                                      R"({"points":[["2026-11-01T00:04:00Z",14]]})");
  REQUIRE(json_upload.status == 200);

  const Response read = f.Send(Method::kGet, "/v1/series/login/points");
  REQUIRE(read.status == 200);
  const json points = Body(read)["points"];
  REQUIRE(points.size() == 5);
  CHECK(points[0] == json::array({"2026-11-01T00:00:00Z", 10}));
  CHECK(points[2][1].is_null());
  CHECK(points[4] == json::array({"2026-11-01T00:04:00Z", 14}));
  CHECK(Body(f.Send(Method::kGet, "/v1/series/login"))["point_count"] == 4);
}

TEST_CASE("a point beyond the clock's now plus the allowance is refused, and nothing stored") {
  Fixture f;
  // 2026-11-20T00:00:00Z: more than a day after the fixed clock.
  const Response response =
      f.Send(Method::kPost, "/v1/series/login/points", "ts,value\n1793491200,1\n1795132800,2\n");
  CHECK(response.status == 400);
  CHECK(Body(f.Send(Method::kGet, "/v1/series")).at("series").empty());
}

TEST_CASE("an upload over the point limit is 413, stating the limit") {
  Fixture f({.max_points_per_upload = 2});
  const Response response = f.Send(Method::kPost, "/v1/series/login/points", kThreePoints);
  CHECK(response.status == 413);
  CHECK(Body(response)["error"]["message"].get<std::string>().find('2') != std::string::npos);
}

TEST_CASE("points are deleted by range, and the count is answered") {
  Fixture f;
  REQUIRE(f.Send(Method::kPost, "/v1/series/login/points", kThreePoints).status == 200);
  testing::RouteCall call{Method::kDelete, "/v1/series/login/points"};
  call.query = {{"from", "2026-11-01T00:01:00Z"}, {"to", "2026-11-01T00:10:00Z"}};
  call.principal = kEveryone;
  const Response deleted = testing::SendToRoute(f.router, std::move(call));
  REQUIRE(deleted.status == 200);
  CHECK(Body(deleted)["deleted"] == 2);
  CHECK(Body(f.Send(Method::kGet, "/v1/series/login"))["point_count"] == 1);
}

TEST_CASE("a key limited to a prefix gets the same 404 for another team's series as for none") {
  Fixture f;
  REQUIRE(f.Send(Method::kPost, "/v1/series/team-b.login/points", kThreePoints).status == 200);
  REQUIRE(f.Send(Method::kPost, "/v1/series/team-a.login/points", kThreePoints).status == 200);
  const Response other = f.Send(Method::kGet, "/v1/series/team-b.login", "", kTeamA);
  const Response none = f.Send(Method::kGet, "/v1/series/team-a.none", "", kTeamA);
  CHECK(other.status == 404);
  CHECK(Body(other)["error"]["message"].get<std::string>().find("team-b.login") !=
        std::string::npos);
  CHECK(none.status == 404);
  const Response upload =
      f.Send(Method::kPost, "/v1/series/team-b.login/points", kThreePoints, kTeamA);
  CHECK(upload.status == 404);
  const json listed = Body(f.Send(Method::kGet, "/v1/series", "", kTeamA))["series"];
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["id"] == "team-a.login");
}

}  // namespace
}  // namespace patchcast::api
