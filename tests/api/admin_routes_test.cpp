#include "api/admin_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_services.h"

namespace patchcast::api {
namespace {

struct AdminFixture {
  testing::FakeStorage storage;
  testing::FixedClock clock;
  Router router;

  AdminFixture() { AddAdminRoutes(router, storage, clock); }

  Result<Response> Call(Method method, const std::string& path, std::string body = "") {
    RouteLookup lookup = router.Find(method, path);
    REQUIRE(lookup.route != nullptr);
    Request request;
    request.method = method;
    request.path = path;
    request.body = std::move(body);
    request.principal = Principal{"ops", Scope::kAdmin, "team-a."};
    return lookup.route->handler(request);
  }
};

TEST_CASE("whoami describes the calling key") {
  AdminFixture f;
  auto response = f.Call(Method::kGet, "/v1/whoami");
  REQUIRE(response);
  auto body = nlohmann::json::parse(response->body);
  CHECK(body == nlohmann::json{{"name", "ops"}, {"scope", "admin"}, {"series_prefix", "team-a."}});
}

TEST_CASE("a backup takes an optional label and answers 201 with its name") {
  AdminFixture f;
  auto unlabelled = f.Call(Method::kPost, "/v1/admin/backups");
  REQUIRE(unlabelled);
  CHECK(unlabelled->status == 201);
  auto labelled = f.Call(Method::kPost, "/v1/admin/backups", R"({"label":"nightly"})");
  REQUIRE(labelled);
  CHECK(nlohmann::json::parse(labelled->body)["name"] == "backup-nightly.db");
  auto listed = f.Call(Method::kGet, "/v1/admin/backups");
  REQUIRE(listed);
  CHECK(nlohmann::json::parse(listed->body)["backups"].size() == 2);
}

TEST_CASE("a backup request with a bad body names the problem") {
  AdminFixture f;
  auto check_error = [&](const std::string& body, const std::string& expected) {
    auto response = f.Call(Method::kPost, "/v1/admin/backups", body);
    REQUIRE_FALSE(response);
    CHECK(response.error().code == ErrorCode::kInvalidArgument);
    CHECK_MESSAGE(response.error().message.find(expected) != std::string::npos,
                  response.error().message);
  };
  check_error("{", "not valid JSON");
  check_error("[1]", "must be a JSON object");
  check_error(R"({"lable":"x"})", "unknown field 'lable'");
  check_error(R"({"label":7})", "field 'label' must be a string, not number");
  CHECK(f.storage.backups.empty());
}

}  // namespace
}  // namespace patchcast::api
