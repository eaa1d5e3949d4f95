#include "server/metrics.h"

#include <doctest/doctest.h>

#include "tests/support/exposition_check.h"
#include "tests/support/fake_services.h"

namespace patchcast::server {
namespace {

double Sample(const testing::ExpositionReport& report, const std::string& name,
              const std::map<std::string, std::string>& labels) {
  for (const auto& sample : report.samples) {
    if (sample.name == name && sample.labels == labels) return sample.value;
  }
  return -1;
}

TEST_CASE("requests are counted by route, method and status, with latency buckets") {
  HttpMetrics metrics;
  for (double seconds : {0.0002, 0.003, 0.2, 7.0}) {
    metrics.RequestStarted();
    metrics.RequestFinished("/v1/series/{id}", "GET", 200, seconds);
  }
  metrics.RequestStarted();
  metrics.RequestFinished("unmatched", "GET", 404, 0.0001);
  metrics.RequestStarted();  // still in flight
  std::string text;
  metrics.Render(text);
  auto report = testing::CheckExposition(text);
  CHECK(report.problems.empty());
  CHECK(Sample(report, "patchcast_http_requests_total",
               {{"route", "/v1/series/{id}"}, {"method", "GET"}, {"status", "200"}}) == 4);
  CHECK(Sample(report, "patchcast_http_requests_total",
               {{"route", "unmatched"}, {"method", "GET"}, {"status", "404"}}) == 1);
  const std::map<std::string, std::string> route = {{"route", "/v1/series/{id}"}};
  auto bucket = [&](const char* le) {
    auto labels = route;
    labels["le"] = le;
    return Sample(report, "patchcast_http_request_duration_seconds_bucket", labels);
  };
  CHECK(bucket("0.0005") == 1);
  CHECK(bucket("0.005") == 2);
  CHECK(bucket("0.25") == 3);
  CHECK(bucket("5") == 3);
  CHECK(bucket("+Inf") == 4);
  CHECK(Sample(report, "patchcast_http_request_duration_seconds_count", route) == 4);
  CHECK(Sample(report, "patchcast_http_request_duration_seconds_sum", route) ==
        doctest::Approx(7.2032));
  CHECK(Sample(report, "patchcast_http_requests_in_flight", {}) == 1);
}

TEST_CASE("the exporter adds database size, schema version and build info") {
  HttpMetrics http;
  testing::FakeStorage storage;
  storage.status = StorageStatus{3, 3, 123456};
  MetricsExporter exporter(http, storage, "9.9.9");
  auto report = testing::CheckExposition(exporter.RenderMetrics());
  CHECK(report.problems.empty());
  CHECK(Sample(report, "patchcast_database_bytes", {}) == 123456);
  CHECK(Sample(report, "patchcast_database_schema_version", {}) == 3);
  bool build_info = false;
  for (const auto& sample : report.samples) {
    build_info |= sample.name == "patchcast_build_info" && sample.labels.at("version") == "9.9.9";
  }
  CHECK(build_info);
}

TEST_CASE("label values are escaped as the format requires") {
  CHECK(EscapeLabelValue("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  HttpMetrics metrics;
  metrics.RequestStarted();
  metrics.RequestFinished("/odd\"route\\\n", "GET", 200, 0.1);
  std::string text;
  metrics.Render(text);
  auto report = testing::CheckExposition(text);
  CHECK(report.problems.empty());
  CHECK(Sample(report, "patchcast_http_requests_total",
               {{"route", "/odd\"route\\\n"}, {"method", "GET"}, {"status", "200"}}) == 1);
}

TEST_CASE("the exposition checker itself rejects malformed text") {
  CHECK_FALSE(testing::CheckExposition("no_newline 1").problems.empty());
  CHECK_FALSE(testing::CheckExposition("bad-name 1\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x{a=\"b} 1\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x 1 2 3\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x one\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("# TYPE x countr\nx 1\n").problems.empty());
  CHECK_FALSE(testing::CheckExposition("x 1\n# TYPE x counter\n").problems.empty());
  CHECK(testing::CheckExposition("# TYPE x counter\nx{a=\"\\n\"} +Inf 1700000000\n")
            .problems.empty());
}

}  // namespace
}  // namespace patchcast::server
