// openapi.yaml must stay true to the code: every route in the service's table is documented, and
// every documented operation is a route.
#include "api/openapi.h"

#include <doctest/doctest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>

#include "api/routes.h"
#include "tests/support/fake_services.h"
#include "tests/support/in_memory_planning.h"
#include "tests/support/logged_run_now.h"

namespace patchcast::api {
namespace {

// Reads the operations of the `paths:` section, "METHOD /path" to its operationId ("" without one):
// a path is a two-space-indented key, an operation a four-space-indented HTTP method under it, and
// its operationId a six-space-indented key of the operation.
std::map<std::string, std::string> DocumentedOperations(std::string_view yaml) {
  std::map<std::string, std::string> operations;
  std::istringstream lines{std::string(yaml)};
  std::string line;
  std::string path;
  std::string operation;  // the operation being read; "" between operations
  bool in_paths = false;
  while (std::getline(lines, line)) {
    if (!line.empty() && line[0] != ' ') {
      in_paths = line == "paths:";
      continue;
    }
    if (!in_paths) continue;
    if (line.starts_with("  /") && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      operation.clear();
    } else if (line.starts_with("    ") && !line.starts_with("     ") && line.back() == ':') {
      std::string method = line.substr(4, line.size() - 5);
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      operation = ParseMethod(method) ? method + " " + path : "";
      if (!operation.empty()) operations[operation];
    } else if (constexpr std::string_view kId = "      operationId: ";
               !operation.empty() && line.starts_with(kId)) {
      operations[operation] = line.substr(kId.size());
    }
  }
  return operations;
}

TEST_CASE("openapi.yaml documents every route and only routes") {
  testing::FakeStorage storage;
  testing::FakeMetrics metrics;
  Router router;
  testing::InMemoryPlanning planning;
  testing::LoggedRunNow run_now(*planning.job, planning.schedules, planning.runs, planning.clock);
  AddAllRoutes(router, {storage,
                        metrics,
                        planning.clock,
                        *planning.calendars,
                        planning.series,
                        planning.settings_repository,
                        {*planning.service, *planning.planning, planning.forecasts, planning.mint},
                        {*planning.service, planning.plans, planning.clock, planning.settings,
                         *planning.maker},
                        {planning.series, planning.schedules, planning.runs, run_now,
                         *planning.calendars, planning.clock},
                        {planning.series, planning.scorecards, planning.clock},
                        {planning.series, planning.surge_alerts},
                        "test"});
  std::set<std::string> routes;
  for (const Route& route : router.routes()) {
    routes.insert(std::string(MethodName(route.method)) + " " + route.path);
  }
  std::map<std::string, std::string> documented = DocumentedOperations(OpenApiYaml());
  REQUIRE_FALSE(routes.empty());
  for (const std::string& route : routes) {
    CHECK_MESSAGE(documented.count(route) == 1, route << " is not in api/openapi.yaml");
  }
  for (const auto& entry : documented) {
    const std::string& operation = entry.first;
    CHECK_MESSAGE(routes.count(operation) == 1, operation << " is documented but not routed");
  }
}

TEST_CASE("every documented operation has an operationId of its own") {
  std::map<std::string, std::string> documented = DocumentedOperations(OpenApiYaml());
  REQUIRE(documented.size() > 40);
  std::map<std::string, std::string> owner;  // operationId -> the first operation with it
  for (const auto& entry : documented) {
    const std::string& operation = entry.first;
    const std::string& id = entry.second;
    CHECK_MESSAGE(!id.empty(), operation << " has no operationId");
    if (id.empty()) continue;
    const auto emplaced = owner.emplace(id, operation);
    CHECK_MESSAGE(emplaced.second,
                  operation << " has operationId '" << id << "' of " << emplaced.first->second);
  }
}

TEST_CASE("the compiled OpenAPI document is version 3.0") {
  CHECK(OpenApiYaml().starts_with("openapi: 3.0"));
}

}  // namespace
}  // namespace patchcast::api
