// Runs one route of a Router as the dispatcher would, for the route-level tests of tests/api: the
// route is found for the method and path, the Request built, the handler run, and an Error turned
// into its JSON error response. Fails the test when no route matches. ErrorMessageOf reads the
// message of such an error response.
#pragma once

#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "api/authenticator.h"
#include "api/error_response.h"
#include "api/http_types.h"
#include "api/router.h"

namespace patchcast::testing {

struct RouteCall {
  api::Method method = api::Method::kGet;
  std::string path;
  std::multimap<std::string, std::string> query;
  std::string body;
  std::optional<api::Principal> principal;  // none: as on an open route
  api::HeaderMap headers;                   // e.g. Content-Type
};

inline api::Response SendToRoute(const api::Router& router, RouteCall call) {
  api::RouteLookup found = router.Find(call.method, call.path);
  REQUIRE_MESSAGE(found.route != nullptr, call.path);
  api::Request request;
  request.method = call.method;
  request.path = std::move(call.path);
  request.route = found.route->path;
  request.path_params = found.params;
  request.query = std::move(call.query);
  request.body = std::move(call.body);
  request.request_id = "test";
  request.principal = std::move(call.principal);
  request.headers = std::move(call.headers);
  Result<api::Response> outcome = found.route->handler(request);
  return outcome ? std::move(*outcome) : api::ErrorResponse(outcome.error(), "test");
}

// The "message" of a JSON error response (error_response.h).
inline std::string ErrorMessageOf(const api::Response& response) {
  return nlohmann::json::parse(response.body)["error"]["message"].get<std::string>();
}

}  // namespace patchcast::testing
