// Shared helpers of the end-to-end tests: start the real server, or fail the test with its log.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/raw_http.h"
#include "tests/support/server_process.h"

namespace patchcast::testing {

inline std::unique_ptr<ServerProcess> StartServer(const ServerOptions& options = {}) {
  std::string failure;
  auto server = ServerProcess::Start(options, &failure);
  if (!server) FAIL(failure);
  return server;
}

// Sends `request` to `server` and returns the reply, failing the test if there is none.
inline HttpReply Call(const ServerProcess& server, const std::string& request) {
  auto reply = Exchange(server.port(), request);
  if (!reply) FAIL("no reply to: " << request.substr(0, request.find('\r')));
  return *reply;
}

inline HttpReply Get(const ServerProcess& server, const std::string& path,
                     const std::vector<std::string>& headers = {}) {
  return Call(server, MakeRequest("GET", path, headers));
}

inline nlohmann::json Json(const HttpReply& reply) {
  auto parsed = nlohmann::json::parse(reply.body, nullptr, false);
  if (parsed.is_discarded()) FAIL("not JSON: " << reply.body);
  return parsed;
}

// The value of the unlabelled sample `name` in GET /metrics; fails the test if there is none.
double MetricValue(const ServerProcess& server, const std::string& name);

// The --demo data of the e2e tests ends at this fixed instant, so that its releases never depend on
// the day the suite runs: a year of 5-minute logins whose last release (2026-11-10) and its
// reboot wave lie inside it. Fixed data elsewhere in the suite lies before it too, so the suite
// runs at any instant after it.
inline constexpr const char* kDemoEnd = "2026-11-14T00:00:00Z";

// `options` with the demo series loaded, ending at kDemoEnd.
inline ServerOptions WithDemo(ServerOptions options = {}) {
  options.args.insert(options.args.begin(), {"--demo", "--demo-end", kDemoEnd});
  return options;
}

// A --demo server (WithDemo) that authenticates with one API key, made by `patchcast keys new`.
struct KeyedServer {
  std::unique_ptr<TempDir> dir = std::make_unique<TempDir>();  // holds the keys file
  std::string token;                                           // the key's bearer token
  std::unique_ptr<ServerProcess> server;
};

// Starts a KeyedServer whose key has `scope` ("read", "write" or "admin"); fails the test if the
// key cannot be made or the server does not start.
KeyedServer StartDemoServerWithKey(const std::string& scope);

// A Microsoft release of the demo data and the advance notice that announces it.
struct DemoRelease {
  std::string id;      // "microsoft:2026-11-10:release"
  std::string start;   // RFC 3339, UTC
  std::string notice;  // the advance notice's start, RFC 3339, UTC
};

// The last Microsoft release whose three days of reboot waves lie inside the demo data, paired with
// the advance notice whose `announces` is its date (never by position: from a Thursday to the
// Tuesday after it, the last notice and the last release in a range belong to different months).
// Fails the test if there is none.
DemoRelease LastDemoRelease(const ServerProcess& server);

// `text` (RFC 3339, UTC, whole seconds) moved by `seconds`.
std::string SecondsAfter(const std::string& text, long long seconds);

inline std::string HoursAfter(const std::string& text, int hours) {
  return SecondsAfter(text, static_cast<long long>(hours) * 3600);
}

// Checks `reply` is the service's JSON error with `status` and `code`.
inline void CheckJsonError(const HttpReply& reply, int status, const std::string& code) {
  CHECK(reply.status == status);
  CHECK(reply.Header("Content-Type") == "application/json");
  auto body = Json(reply);
  CHECK(body["error"]["code"] == code);
  CHECK(body["error"]["message"].is_string());
  CHECK(body["error"]["request_id"] == reply.Header("X-Request-Id"));
}

}  // namespace patchcast::testing
