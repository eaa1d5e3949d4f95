// The service's own endpoints, against the real binary.
#include <regex>

#include "tests/e2e/e2e.h"
#include "tests/support/exposition_check.h"

namespace patchcast::testing {
namespace {

TEST_CASE("a fresh server is alive and ready with a migrated database") {
  auto server = StartServer();
  HttpReply health = Get(*server, "/healthz");
  CHECK(health.status == 200);
  CHECK(Json(health)["status"] == "ok");
  HttpReply ready = Get(*server, "/readyz");
  CHECK(ready.status == 200);
  CHECK(Json(ready)["status"] == "ready");
  CHECK(Json(ready)["schema_version"].get<int>() >= 1);
  if (!SuiteOnPostgres()) CHECK(std::filesystem::exists(server->db()));
}

TEST_CASE("HEAD answers like GET without a body") {
  auto server = StartServer();
  HttpReply head = Call(*server, MakeRequest("HEAD", "/healthz"));
  CHECK(head.status == 200);
  CHECK(head.body.empty());
  CHECK(head.Header("Content-Length") == std::to_string(Get(*server, "/healthz").body.size()));
}

TEST_CASE("the index lists every endpoint with its scope and the OpenAPI document is served") {
  auto server = StartServer();
  auto index = Json(Get(*server, "/v1"));
  bool found_metrics = false;
  for (const auto& endpoint : index["endpoints"]) {
    if (endpoint["path"] == "/metrics") found_metrics = endpoint["scope"] == "read";
  }
  CHECK(found_metrics);
  HttpReply openapi = Get(*server, "/openapi.yaml");
  CHECK(openapi.status == 200);
  CHECK(openapi.Header("Content-Type") == "application/yaml");
  CHECK(openapi.body.starts_with("openapi: 3.0"));
}

TEST_CASE("every /metrics line is valid exposition format and requests are counted") {
  auto server = StartServer();
  Get(*server, "/healthz");
  Get(*server, "/nowhere");
  HttpReply metrics = Get(*server, "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.Header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  ExpositionReport report = CheckExposition(metrics.body);
  for (const std::string& problem : report.problems) CHECK_MESSAGE(false, problem);
  auto value = [&](const std::string& name, std::map<std::string, std::string> labels) {
    for (const auto& sample : report.samples) {
      if (sample.name == name && sample.labels == labels) return sample.value;
    }
    return -1.0;
  };
  CHECK(value("patchcast_http_requests_total",
              {{"route", "/healthz"}, {"method", "GET"}, {"status", "200"}}) == 1);
  CHECK(value("patchcast_http_requests_total",
              {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}) == 1);
  CHECK(value("patchcast_http_request_duration_seconds_count", {{"route", "/healthz"}}) == 1);
  CHECK(value("patchcast_http_requests_in_flight", {}) == 1);  // this scrape
  CHECK(value("patchcast_database_bytes", {}) > 0);
  bool has_build_info = false;
  for (const auto& sample : report.samples) has_build_info |= sample.name == "patchcast_build_info";
  CHECK(has_build_info);
}

TEST_CASE("a GET carries a strong ETag and If-None-Match gives 304 without a body") {
  auto server = StartServer();
  HttpReply first = Get(*server, "/v1");
  const std::string etag = first.Header("ETag");
  REQUIRE(std::regex_match(etag, std::regex("\"[0-9a-f]+-[0-9a-f]+\"")));
  HttpReply again = Get(*server, "/v1", {"If-None-Match: " + etag});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(again.Header("ETag") == etag);
  CHECK(Get(*server, "/v1", {"If-None-Match: \"stale\""}).status == 200);
}

TEST_CASE("unknown paths and methods get JSON 404 and 405 with Allow") {
  auto server = StartServer();
  CheckJsonError(Get(*server, "/v2/whatever"), 404, "not_found");
  HttpReply wrong_method = Call(*server, MakeRequest("DELETE", "/healthz"));
  CheckJsonError(wrong_method, 405, "method_not_allowed");
  CHECK(wrong_method.Header("Allow") == "GET, HEAD, OPTIONS");
}

TEST_CASE("every response, errors included, carries the security headers and a request id") {
  auto server = StartServer();
  for (const char* path : {"/healthz", "/missing"}) {
    HttpReply reply = Get(*server, path);
    CHECK(reply.Header("X-Content-Type-Options") == "nosniff");
    CHECK(reply.Header("X-Frame-Options") == "DENY");
    CHECK_FALSE(reply.Header("Cache-Control").empty());
    CHECK_FALSE(reply.Header("X-Request-Id").empty());
  }
}

TEST_CASE("a well-formed X-Request-Id is echoed and a malformed one replaced") {
  auto server = StartServer();
  CHECK(Get(*server, "/healthz", {"X-Request-Id: abc-123"}).Header("X-Request-Id") == "abc-123");
  CHECK(Get(*server, "/healthz", {"X-Request-Id: bad id!"}).Header("X-Request-Id") != "bad id!");
}

TEST_CASE("each request writes one JSON access-log line") {
  auto server = StartServer();
  Get(*server, "/healthz", {"X-Request-Id: trace-me-1"});
  REQUIRE(server->WaitForLog("trace-me-1", std::chrono::seconds(5)));
  std::string log = server->Log();
  std::size_t start = log.rfind('\n', log.find("trace-me-1")) + 1;
  auto line = nlohmann::json::parse(log.substr(start, log.find('\n', start) - start));
  CHECK(line["msg"] == "request");
  CHECK(line["method"] == "GET");
  CHECK(line["route"] == "/healthz");
  CHECK(line["status"] == 200);
  CHECK(line["remote"] == "127.0.0.1");
  CHECK(line["duration_ms"].is_number());
  CHECK(line["bytes"].get<int>() > 0);
  CHECK(line.contains("time"));
  CHECK(line.contains("key"));
}

TEST_CASE("CORS is off by default and allows only the configured origin") {
  auto closed = StartServer();
  CHECK(Get(*closed, "/healthz", {"Origin: https://grafana.example"})
            .Header("Access-Control-Allow-Origin")
            .empty());
  auto open = StartServer({.args = {"--cors-origin", "https://grafana.example"}});
  CHECK(Get(*open, "/healthz", {"Origin: https://grafana.example"})
            .Header("Access-Control-Allow-Origin") == "https://grafana.example");
  CHECK(Get(*open, "/healthz", {"Origin: https://evil.example"})
            .Header("Access-Control-Allow-Origin")
            .empty());
}

}  // namespace
}  // namespace patchcast::testing
