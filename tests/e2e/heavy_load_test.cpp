// Issue 13 items 2 and 6 end to end: JSON bodies are checked before they are built, heavy work has
// a bounded number of slots, and liveness needs no worker.
#include <fstream>
#include <string>

#include "tests/e2e/e2e.h"

namespace patchcast::testing {
namespace {

HttpReply PostJson(const ServerProcess& server, const std::string& path, const std::string& body) {
  return Call(server, MakeRequest("POST", path, {"Content-Type: application/json"}, body));
}

std::string MessageOf(const HttpReply& reply) { return Json(reply)["error"]["message"]; }

// The peak resident memory of process `pid` so far (VmHWM), in bytes.
long long PeakResidentBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.starts_with("VmHWM:")) return std::stoll(line.substr(6)) * 1024;
  }
  FAIL("no VmHWM in /proc/" << pid << "/status");
  return 0;
}

// Polls /metrics until heavy work holds `slots` slots; fails the test after 10 s. A state is
// awaited, not time: the request holding the slot is stalled by its own unsent bytes.
void AwaitSlotsInUse(const ServerProcess& server, double slots) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (MetricValue(server, "patchcast_heavy_work_in_use") != slots) {
    if (std::chrono::steady_clock::now() > deadline) FAIL("heavy work never held " << slots);
  }
}

// {"x":[[],[],…]} of about `bytes` bytes: issue 13's body, 25 bytes of memory per byte when parsed
// whole.
std::string EmptyArrays(std::size_t bytes) {
  std::string body = "{\"x\":[[]";
  body.reserve(bytes);
  while (body.size() + 5 < bytes) body += ",[]";
  return body + "]}";
}

TEST_CASE("a 32 MiB body of tiny JSON values is refused at its limit without being built") {
  auto server = StartServer();
  const long long peak_before = PeakResidentBytes(server->pid());
  const std::string body = EmptyArrays((32u << 20) - 64);
  const HttpReply reply = PostJson(*server, "/v1/series/s/forecast", body);
  CheckJsonError(reply, 400, "invalid_argument");
  CHECK(MessageOf(reply) ==
        "request body has more than 20000 JSON values (the limit of this request) at byte 60001");
  // Parsed whole, this body took +800 MB; now it costs about its own bytes.
  const long long growth = PeakResidentBytes(server->pid()) - peak_before;
  CHECK_MESSAGE(growth < 4 * static_cast<long long>(body.size()), "peak grew by " << growth);
  CHECK(Get(*server, "/healthz").status == 200);
}

TEST_CASE("deep nesting, huge strings and oversized simulations are named with their limit") {
  auto server = StartServer();
  SUBCASE("nesting") {
    const std::string body =
        "{\"a\":" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
    const HttpReply reply = PostJson(*server, "/v1/series/s/plan", body);
    CheckJsonError(reply, 400, "invalid_argument");
    CHECK(MessageOf(reply) == "request body nests JSON deeper than 32 levels at byte 37");
  }
  SUBCASE("a string") {
    const std::string body = "{\"notes\":\"" + std::string(10'000'000, 'n') + "\"}";
    const HttpReply reply = PostJson(*server, "/v1/calendars/microsoft/overrides", body);
    CheckJsonError(reply, 400, "invalid_argument");
    CHECK(MessageOf(reply) ==
          "request body has a JSON string of 10000000 bytes at byte 10; at most 65536 are "
          "allowed");
  }
  SUBCASE("a simulation of 10^7 values stops at its own, larger limit") {
    std::string body = R"({"demand":{"step_seconds":1,"values":[0)";
    for (int i = 1; i < 10'000'000; ++i) body += ",0";
    body += R"(]},"capacity":{"units":1,"unit_capacity":1}})";
    const HttpReply reply = PostJson(*server, "/v1/simulations", body);
    CheckJsonError(reply, 400, "invalid_argument");
    CHECK(MessageOf(reply).starts_with(
        "request body has more than 605800 JSON values (the limit of this request) at byte "));
  }
}

TEST_CASE("heavy requests beyond the slots get 503 with Retry-After while cheap reads go on") {
  auto server = StartServer(WithDemo({.args = {"--heavy-slots", "1", "--heavy-wait", "0"}}));
  CHECK(MetricValue(*server, "patchcast_heavy_work_slots") == 1);
  const std::string path = "/v1/series/demo-login/forecast";
  const std::string body = R"({"horizon_hours":24})";
  // The first forecast takes the slot at its headers and holds it while its body is unsent.
  auto holder = RawConnection::Open(server->port());
  REQUIRE(holder);
  const std::string held = MakeRequest("POST", path, {"Content-Type: application/json"}, body);
  REQUIRE(holder->Send(held.substr(0, held.size() - 5)));
  AwaitSlotsInUse(*server, 1);

  for (const char* heavy : {"/v1/series/demo-login/forecast", "/v1/series/demo-login/plan",
                            "/v1/series/demo-login/backtest", "/v1/simulations"}) {
    CAPTURE(heavy);
    const HttpReply busy = PostJson(*server, heavy, body);
    CheckJsonError(busy, 503, "unavailable");
    CHECK(busy.Header("Retry-After") == "1");
  }
  CHECK(MetricValue(*server, "patchcast_heavy_work_refused_total") == 4);
  CHECK(Get(*server, "/v1/series/demo-login").status == 200);
  CHECK(Get(*server, "/healthz").status == 200);

  REQUIRE(holder->Send(held.substr(held.size() - 5)));
  auto reply = holder->Read(std::chrono::seconds(60));
  REQUIRE(reply);
  CHECK(reply->status == 200);
  AwaitSlotsInUse(*server, 0);
  CHECK(PostJson(*server, path, body).status == 200);
}

TEST_CASE("GET /healthz answers 200 while every worker and queue slot is held") {
  // One head waiter hands heads on in the order they came: the holder's takes the worker first.
  auto server =
      StartServer({.args = {"--threads", "1", "--max-queue", "0", "--head-waiters", "1"}});
  // The one worker reads a body that is not coming yet.
  auto holder = RawConnection::Open(server->port());
  REQUIRE(holder);
  const std::string upload =
      MakeRequest("PUT", "/v1/series/s", {"Content-Type: application/json", "Connection: close"},
                  R"({"unit":"logins"})");
  REQUIRE(holder->Send(upload.substr(0, upload.size() - 4)));

  const HttpReply live = Get(*server, "/healthz");
  CHECK(live.status == 200);
  CHECK(Json(live)["status"] == "ok");
  CHECK(live.Header("Connection") == "close");
  CheckJsonError(Get(*server, "/v1"), 503, "unavailable");  // anything needing a worker is refused
  // A polled read needs no worker: the head waiter answers it.
  CHECK(Get(*server, "/v1/series").status == 200);
  auto head = RawConnection::Open(server->port());
  REQUIRE(head);
  REQUIRE(head->Send(MakeRequest("HEAD", "/healthz")));
  auto head_reply = head->Read(std::chrono::seconds(10), /*head_request=*/true);
  REQUIRE(head_reply);
  CHECK(head_reply->status == 200);

  REQUIRE(holder->Send(upload.substr(upload.size() - 4)));
  auto reply = holder->Read();
  REQUIRE(reply);
  CHECK(reply->status == 201);
  CHECK(holder->PeerClosed());
}

}  // namespace
}  // namespace patchcast::testing
