// Admission of heavy routes by the dispatcher (api/work_limiter.h), with a fake limiter.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/dispatcher.h"
#include "tests/support/fake_services.h"

namespace patchcast::api {
namespace {

// A limiter of `slots` slots that never waits: what is free is taken, the rest refused.
class FakeLimiter : public WorkLimiter {
 public:
  explicit FakeLimiter(int slots) : free_(slots) {}
  bool TryAcquire() override {
    ++attempts;
    if (free_ == 0) return false;
    --free_;
    return true;
  }
  void Release() override { ++free_; }
  int free() const { return free_; }

  int attempts = 0;

 private:
  int free_;
};

struct HeavyFixture {
  Router router;
  testing::FakeAuthenticator authenticator;
  FakeLimiter limiter{1};
  int forecasts_run = 0;

  HeavyFixture() {
    router.Add({Method::kPost,
                "/v1/series/{id}/forecast",
                Scope::kRead,
                {"application/json"},
                [this](const Request&) -> Result<Response> {
                  ++forecasts_run;
                  return Response{};
                },
                "",
                /*heavy=*/true});
    router.Add({Method::kGet,
                "/v1/series",
                Scope::kRead,
                {},
                [](const Request&) -> Result<Response> { return Response{}; },
                ""});
  }

  Dispatcher MakeDispatcher() { return Dispatcher(router, authenticator, {{}, "", &limiter}); }
};

RequestHead ForecastHead(std::string length = "2") {
  return {"POST",
          "/v1/series/s/forecast",
          {{"Content-Type", "application/json"}, {"Content-Length", std::move(length)}}};
}

TEST_CASE("a heavy route takes a slot at screening and holds it while its screening lives") {
  HeavyFixture f;
  Dispatcher dispatcher = f.MakeDispatcher();
  {
    Screening screening = dispatcher.Screen(ForecastHead(), "rid");
    CHECK_FALSE(screening.rejection);
    CHECK(screening.permit.held());
    CHECK(f.limiter.free() == 0);
    Response response = dispatcher.Handle(screening, Request{});
    CHECK(response.status == 200);
    CHECK(f.forecasts_run == 1);
    CHECK(f.limiter.free() == 0);  // until the server hands the response over
    screening.permit.Reset();
    CHECK(f.limiter.free() == 1);
    screening.permit.Reset();  // idempotent
    CHECK(f.limiter.free() == 1);
  }
  Screening dropped = dispatcher.Screen(ForecastHead(), "rid");
  CHECK(f.limiter.free() == 0);
  dropped = Screening{};  // a moved-over permit gives its slot back
  CHECK(f.limiter.free() == 1);
}

TEST_CASE("a heavy request finding no slot is refused with 503 and Retry-After, unread") {
  HeavyFixture f;
  Dispatcher dispatcher = f.MakeDispatcher();
  Screening holder = dispatcher.Screen(ForecastHead(), "rid-1");
  REQUIRE(holder.permit.held());
  Screening refused = dispatcher.Screen(ForecastHead(), "rid-2");
  REQUIRE(refused.rejection);
  CHECK_FALSE(refused.permit.held());
  const Response& busy = *refused.rejection;
  CHECK(busy.status == 503);
  CHECK(busy.headers.Get("Retry-After") == "1");
  CHECK(busy.close_connection);  // its 2-byte body is left unread
  auto body = nlohmann::json::parse(busy.body);
  CHECK(body["error"]["code"] == "unavailable");
  CHECK(body["error"]["request_id"] == "rid-2");
  CHECK(body["error"]["message"] ==
        "server busy: as many forecasts, plans, backtests and simulations as it runs at once are "
        "running; retry later");
  CHECK_FALSE(dispatcher.Screen(ForecastHead("0"), "rid-3").rejection->close_connection);
  CHECK(f.forecasts_run == 0);

  holder.permit.Reset();
  CHECK_FALSE(dispatcher.Screen(ForecastHead(), "rid-4").rejection);
}

TEST_CASE("light routes and requests the guard refuses never touch the limiter") {
  HeavyFixture f;
  Dispatcher dispatcher = f.MakeDispatcher();
  CHECK_FALSE(dispatcher.Screen({"GET", "/v1/series", {}}, "rid").rejection);
  Screening wrong_type = dispatcher.Screen(
      {"POST", "/v1/series/s/forecast", {{"Content-Type", "text/csv"}, {"Content-Length", "2"}}},
      "rid");
  REQUIRE(wrong_type.rejection);
  CHECK(wrong_type.rejection->status == 415);
  CHECK(f.limiter.attempts == 0);
  CHECK(f.limiter.free() == 1);
}

TEST_CASE("without a limiter heavy routes run unbounded") {
  HeavyFixture f;
  Dispatcher dispatcher(f.router, f.authenticator, {});
  Screening first = dispatcher.Screen(ForecastHead(), "rid");
  Screening second = dispatcher.Screen(ForecastHead(), "rid");
  CHECK_FALSE(first.rejection);
  CHECK_FALSE(second.rejection);
  CHECK_FALSE(first.permit.held());
}

}  // namespace
}  // namespace patchcast::api
