#include "forecasting/login_storm.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <vector>

#include "forecasting/capacity_plan.h"
#include "forecasting/forecast.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Demand of `rate` for `surge` seconds, then `after` for `tail` seconds; constant capacity.
LoginStormInput StepInput(double rate, std::int64_t surge, double after, std::int64_t tail,
                          double capacity) {
  LoginStormInput input;
  input.demand.step = seconds{1};
  input.demand.per_second.assign(static_cast<std::size_t>(surge), rate);
  input.demand.per_second.insert(input.demand.per_second.end(), static_cast<std::size_t>(tail),
                                 after);
  input.capacity = {seconds{1}, {capacity}};
  return input;
}

void CheckConservation(const LoginStormReport& r) {
  CHECK(r.fresh_logins ==
        doctest::Approx(r.succeeded_logins + r.failed_logins + r.in_flight_at_end).epsilon(1e-9));
}

// Base 80/s against 100/s of capacity, a 60-second surge to 300/s at t = 600 s, an hour after.
LoginStormInput Surge() {
  LoginStormInput input = StepInput(80, 600, 80, 4200, 100);
  for (std::size_t t = 600; t < 660; ++t) input.demand.per_second[t] = 300;
  input.client = {seconds{10}, 10, seconds{0}, seconds{0}, Jitter::kNone};
  return input;
}

TEST_CASE("without retries the queue follows the hand calculation") {
  // 20/s for 10 s into 10/s: cohort e (20 attempts) is served at seconds 2e and 2e + 1.
  SUBCASE("a timeout long enough for everyone") {
    LoginStormInput input = StepInput(20, 10, 0, 30, 10);
    input.client = {seconds{60}, 0, seconds{0}, seconds{0}, Jitter::kNone};
    const Result<LoginStormReport> r = SimulateLoginStorm(input);
    REQUIRE(r.has_value());
    CHECK(r->fresh_logins == 200);
    CHECK(r->succeeded_logins == 200);
    CHECK(r->failed_logins == 0);
    CHECK(r->max_queue == 100);  // after second 9: 200 arrived, 100 served
    // Waits: 10 at 0 s, 20 at each of 1..9 s, 10 at 10 s: the 99th percentile (198th) is 10 s.
    CHECK(r->p99_wait_seconds == 10);
    CHECK(r->retry_amplification == 1);
    REQUIRE(r->surge_end.has_value());
    CHECK(*r->surge_end == seconds{9});
    REQUIRE(r->drain.has_value());
    CHECK(*r->drain == seconds{10});  // empty after second 19
    CHECK_FALSE(r->metastable);
    CheckConservation(*r);
  }
  SUBCASE("a 5-second timeout, the server dropping what timed out") {
    // Cohorts 0..4 are served whole (waits <= 5 s); from cohort 5 on, only the 10 served at
    // second e + 5 make it, the other 10 time out and fail: 150 served, 50 failed.
    LoginStormInput input = StepInput(20, 10, 0, 30, 10);
    input.client = {seconds{5}, 0, seconds{0}, seconds{0}, Jitter::kNone};
    input.server_drops_timed_out = true;
    const Result<LoginStormReport> r = SimulateLoginStorm(input);
    REQUIRE(r.has_value());
    CHECK(r->succeeded_logins == doctest::Approx(150));
    CHECK(r->failed_logins == doctest::Approx(50));
    CHECK(r->wasted_work == 0);
    CHECK(r->max_queue == doctest::Approx(100));
    CHECK(*r->drain == seconds{5});  // the last cohort leaves at second 14
    CHECK(r->p99_wait_seconds == 5);
    CheckConservation(*r);
  }
  SUBCASE("a 5-second timeout, the server serving abandoned attempts") {
    LoginStormInput input = StepInput(20, 10, 0, 30, 10);
    input.client = {seconds{5}, 0, seconds{0}, seconds{0}, Jitter::kNone};
    const Result<LoginStormReport> r = SimulateLoginStorm(input);
    REQUIRE(r.has_value());
    CHECK(r->wasted_work > 0);
    CHECK(r->succeeded_logins < 150);
    CHECK(r->succeeded_logins + r->wasted_work == doctest::Approx(200));
    CheckConservation(*r);
  }
}

TEST_CASE("fresh logins are conserved: served, failed or still in flight") {
  for (const Jitter jitter : {Jitter::kNone, Jitter::kFull, Jitter::kEqual}) {
    for (const bool drops : {false, true}) {
      CAPTURE(ToString(jitter));
      CAPTURE(drops);
      LoginStormInput input = Surge();
      input.demand.per_second.resize(900);  // ends mid-storm: some still in flight
      input.client = {seconds{7}, 4, seconds{2}, seconds{40}, jitter};
      input.server_drops_timed_out = drops;
      input.admission_limit_per_second = 150;
      const Result<LoginStormReport> r = SimulateLoginStorm(input);
      REQUIRE(r.has_value());
      CheckConservation(*r);
      CHECK(r->attempts >= r->fresh_logins);
      CHECK(r->rejected_attempts > 0);
    }
  }
}

TEST_CASE("immediate retries against abandoned work fall into a metastable state") {
  const LoginStormInput input = Surge();
  const Result<LoginStormReport> storm = SimulateLoginStorm(input);
  REQUIRE(storm.has_value());
  // Fresh demand (80/s) fits the capacity again after second 659, yet the retries never let go.
  CHECK(*storm->surge_end == seconds{659});
  CHECK(storm->metastable);
  CHECK_FALSE(storm->drain.has_value());
  CHECK(storm->retry_amplification > 5);
  CheckConservation(*storm);

  SUBCASE("the same surge drains when the server drops what timed out") {
    LoginStormInput drops = input;
    drops.server_drops_timed_out = true;
    const Result<LoginStormReport> r = SimulateLoginStorm(drops);
    REQUIRE(r.has_value());
    CHECK_FALSE(r->metastable);
    REQUIRE(r->drain.has_value());
  }
  SUBCASE("and when there is no surge at all nothing queues") {
    const Result<LoginStormReport> r = SimulateLoginStorm(StepInput(80, 600, 80, 600, 100));
    REQUIRE(r.has_value());
    CHECK_FALSE(r->surge_end.has_value());
    CHECK(*r->drain == seconds{0});
    CHECK(r->max_queue == 0);
    CHECK_FALSE(r->metastable);
  }
}

TEST_CASE("the recommended policy keeps amplification within 1.2 when re-simulated") {
  const LoginStormInput input = Surge();
  const Result<StormRecommendation> rec = RecommendStormPolicy(input);
  REQUIRE(rec.has_value());
  CHECK(rec->meets_target);
  LoginStormInput again = input;
  again.client = rec->client;
  again.admission_limit_per_second = rec->admission_limit_per_second;
  const Result<LoginStormReport> r = SimulateLoginStorm(again);
  REQUIRE(r.has_value());
  CHECK(r->retry_amplification <= 1.2);
  CHECK_FALSE(r->metastable);
  CHECK(r->retry_amplification == rec->outcome.retry_amplification);
  CHECK(RecommendStormPolicy(input, 0.9).error().code == ErrorCode::kInvalidArgument);
}

// The scenario's demand as a forecast at 5-minute steps (p50 = mean, p90 +5 %, p99 +10 %) and the
// plan for it: the "with pre-scaling" case.
RateSeries PlannedCapacity(const Skype2007& scenario) {
  const seconds step{300};
  const RateSeries& demand = scenario.input.demand;
  const std::size_t per_bucket = static_cast<std::size_t>(step / demand.step);
  Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  for (std::size_t b = 0; b * per_bucket < demand.per_second.size(); ++b) {
    double count = 0;
    for (std::size_t i = b * per_bucket; i < (b + 1) * per_bucket; ++i) {
      count += demand.per_second[i] * static_cast<double>(demand.step.count());
    }
    ForecastPoint point;
    point.ts = scenario.start + step * static_cast<std::int64_t>(b);
    point.quantiles = {count, 1.05 * count, 1.1 * count};
    point.baseline = count;
    forecast.points.push_back(point);
  }
  CapacityModel model;
  model.unit_capacity = 25;
  model.headroom = 0.2;
  model.lead_time = minutes{15};
  model.min_units = 1;
  const Result<CapacityPlan> plan = PlanCapacity(forecast, step, model);
  REQUIRE(plan.has_value());
  return CapacityFromPlan(*plan);
}

TEST_CASE("the August 2007 scenario collapses as it was, and holds pre-scaled or throttled") {
  const Skype2007 scenario = Skype2007Scenario();
  CHECK(scenario.ordinary_peak_logins_per_second == doctest::Approx(201.39).epsilon(1e-3));
  CHECK(scenario.capacity_logins_per_second == doctest::Approx(261.81).epsilon(1e-3));
  CHECK(scenario.input.demand.per_second.size() == 2880);

  const Result<LoginStormReport> collapse = SimulateLoginStorm(scenario.input);
  REQUIRE(collapse.has_value());
  INFO("collapse: amplification " << collapse->retry_amplification << ", failed "
                                  << collapse->failed_logins << ", max queue "
                                  << collapse->max_queue);
  CHECK(collapse->metastable);
  CHECK(collapse->retry_amplification > 5);
  CHECK(collapse->failed_logins > 1e6);
  CheckConservation(*collapse);

  SUBCASE("pre-scaled by the plan") {
    LoginStormInput planned = scenario.input;
    planned.capacity = PlannedCapacity(scenario);
    const Result<LoginStormReport> r = SimulateLoginStorm(planned);
    REQUIRE(r.has_value());
    INFO("planned: amplification " << r->retry_amplification << ", p99 wait "
                                   << r->p99_wait_seconds);
    CHECK_FALSE(r->metastable);
    CHECK(r->retry_amplification <= 1.2);
    CHECK(r->failed_logins == 0);
  }
  SUBCASE("with jittered backoff and admission control at capacity") {
    LoginStormInput throttled = scenario.input;
    throttled.client = {seconds{30}, 5, seconds{600}, seconds{1800}, Jitter::kFull};
    throttled.admission_limit_per_second = scenario.capacity_logins_per_second;
    const Result<LoginStormReport> r = SimulateLoginStorm(throttled);
    REQUIRE(r.has_value());
    INFO("throttled: amplification " << r->retry_amplification << ", failed " << r->failed_logins
                                     << ", drain " << (r->drain ? r->drain->count() : -1));
    CHECK_FALSE(r->metastable);
    CHECK(r->retry_amplification <= 1.2);
    CHECK(r->drain.has_value());
    CHECK(r->failed_logins < 0.01 * r->fresh_logins);
  }
  SUBCASE("the recommendation holds it too") {
    const Result<StormRecommendation> rec = RecommendStormPolicy(scenario.input);
    REQUIRE(rec.has_value());
    INFO("recommended: admission "
         << rec->admission_limit_per_second.value_or(-1) << ", base "
         << rec->client.backoff_base.count() << ", cap " << rec->client.backoff_cap.count()
         << ", retries " << rec->client.max_retries << ", amplification "
         << rec->outcome.retry_amplification << ", failed " << rec->outcome.failed_logins);
    CHECK(rec->meets_target);
    CHECK_FALSE(rec->outcome.metastable);
    CHECK(rec->outcome.retry_amplification <= 1.2);
  }
}

TEST_CASE("the simulation is deterministic") {
  LoginStormInput input = Surge();
  input.client = {seconds{7}, 4, seconds{2}, seconds{40}, Jitter::kFull};
  input.admission_limit_per_second = 150;
  const Result<LoginStormReport> a = SimulateLoginStorm(input);
  const Result<LoginStormReport> b = SimulateLoginStorm(input);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(a->attempts == b->attempts);
  CHECK(a->succeeded_logins == b->succeeded_logins);
  CHECK(a->failed_logins == b->failed_logins);
  CHECK(a->max_queue == b->max_queue);
  CHECK(a->p99_wait_seconds == b->p99_wait_seconds);
  CHECK(a->drain == b->drain);
}

TEST_CASE("invalid storm inputs are errors that name the field") {
  const auto message = [](LoginStormInput input) {
    const Result<LoginStormReport> r = SimulateLoginStorm(input);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == ErrorCode::kInvalidArgument);
    return r.error().message;
  };
  LoginStormInput input = Surge();
  input.client.timeout = seconds{0};
  CHECK(message(input) == "client.timeout_s: must be in [1, 3600] (got 0)");
  input = Surge();
  input.client.max_retries = 51;
  CHECK(message(input) == "client.max_retries: must be in [0, 50] (got 51)");
  input = Surge();
  input.client.backoff_base = seconds{10};
  input.client.backoff_cap = seconds{5};
  CHECK(message(input) == "client.backoff_cap_s: must be in [10, 3600] (got 5)");
  input = Surge();
  input.admission_limit_per_second = 0;
  CHECK(message(input) == "admission_limit_per_s: must be positive and finite (got 0)");
  input = Surge();
  input.demand.per_second.clear();
  CHECK(message(input) == "demand: is empty");
  input = Surge();
  input.capacity.per_second = {-1};
  CHECK(message(input) == "capacity[0]: must be non-negative and finite (got -1)");
}

}  // namespace
}  // namespace patchcast::forecasting
