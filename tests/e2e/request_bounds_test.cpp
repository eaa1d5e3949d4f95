// Request bounds end to end (issue 13): oversized text and out-of-range numbers are refused with
// the JSON 400 error naming the field and its limit, store nothing, and echo no huge input.
#include <string>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

using nlohmann::json;

HttpReply PostJson(const ServerProcess& server, const std::string& path, const std::string& body) {
  return Call(server, MakeRequest("POST", path, {"Content-Type: application/json"}, body));
}

std::string MessageOf(const HttpReply& reply) { return Json(reply)["error"]["message"]; }

TEST_CASE("an override with notes over 4096 bytes is refused and not stored") {
  auto server = StartServer();
  const std::string path = "/v1/calendars/microsoft/overrides";
  const auto annotate = [](std::size_t notes_bytes) {
    return json{
        {"date", "2026-12-08"}, {"action", "annotate"}, {"notes", std::string(notes_bytes, 'n')}}
        .dump();
  };
  const HttpReply oversized = PostJson(*server, path, annotate(4097));
  CheckJsonError(oversized, 400, "invalid_argument");
  CHECK(MessageOf(oversized) == "field 'notes' is 4097 bytes long; at most 4096 are allowed");
  const HttpReply huge = PostJson(*server, path, annotate(3'000'000));
  CheckJsonError(huge, 400, "invalid_argument");
  CHECK(huge.body.size() < 1000);
  CHECK(Json(Get(*server, path))["overrides"].empty());

  const HttpReply at_limit = PostJson(*server, path, annotate(4096));
  CHECK(at_limit.status == 201);
  CHECK(Json(Get(*server, path))["overrides"].size() == 1);
}

TEST_CASE("an unknown key of 60 kB is echoed as a short prefix") {
  // 60 kB: a longer key is refused before the body is built (heavy_load_test.cpp).
  auto server = StartServer();
  const std::string body = json{{std::string(60'000, 'k'), 1}}.dump();
  const HttpReply reply = PostJson(*server, "/v1/calendars", body);
  CheckJsonError(reply, 400, "invalid_argument");
  CHECK(MessageOf(reply) ==
        "unknown field '" + std::string(64, 'k') + "…' (60000 bytes) in the request body");
}

TEST_CASE("a plan with headroom 1e308 is refused naming the range, and no plan is stored") {
  auto server = StartServer(WithDemo());
  const HttpReply reply = PostJson(*server, "/v1/series/demo-login/plan",
                                   R"({"unit_capacity":5,"horizon_hours":2,"headroom":1e308})");
  CheckJsonError(reply, 400, "invalid_argument");
  CHECK(MessageOf(reply) == "field 'headroom' must be between 0 and 10, not 1e+308");
  CheckJsonError(Get(*server, "/v1/series/demo-login/plans/latest"), 404, "not_found");
}

}  // namespace
}  // namespace patchcast::testing
