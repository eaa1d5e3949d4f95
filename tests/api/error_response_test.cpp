#include "api/error_response.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

namespace patchcast::api {
namespace {

TEST_CASE("every domain error code maps to its status") {
  CHECK(HttpStatusFor(ErrorCode::kInvalidArgument) == 400);
  CHECK(HttpStatusFor(ErrorCode::kNotFound) == 404);
  CHECK(HttpStatusFor(ErrorCode::kConflict) == 409);
  CHECK(HttpStatusFor(ErrorCode::kUnprocessable) == 422);
  CHECK(HttpStatusFor(ErrorCode::kInternal) == 500);
  CHECK(HttpStatusFor(ErrorCode::kUnavailable) == 503);
  CHECK(HttpStatusFor(ErrorCode::kInsufficientStorage) == 507);
}

TEST_CASE("an error body has code, message, details and request id") {
  Error error = InvalidArgument("row 3: value -1 is negative");
  error.details = {"row 3: negative", "row 9: NaN"};
  Response response = ErrorResponse(error, "req-1");
  CHECK(response.status == 400);
  CHECK(response.content_type == "application/json");
  auto body = nlohmann::json::parse(response.body);
  CHECK(body["error"]["code"] == "invalid_argument");
  CHECK(body["error"]["message"] == "row 3: value -1 is negative");
  CHECK(body["error"]["details"].size() == 2);
  CHECK(body["error"]["request_id"] == "req-1");
}

TEST_CASE("an unavailable store asks the client to retry") {
  Response response = ErrorResponse(Unavailable("database is busy"), "r");
  CHECK(response.status == 503);
  CHECK(response.headers.Get("Retry-After") == "1");
}

TEST_CASE("bytes that are not UTF-8 in a message do not break the JSON body") {
  Response response = ErrorResponse(404, "not_found", "no route for path /\xff\xfe", "r");
  CHECK(nlohmann::json::accept(response.body));
}

}  // namespace
}  // namespace patchcast::api
