// Shared helpers of the end-to-end tests: start the real server, or fail the test with its log.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>

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
