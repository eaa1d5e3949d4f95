// SimulateLoginStorm: what a login surge does to a service of given capacity, second by second
// (issue 6): fresh arrivals, a FIFO queue served at capacity, client timeouts, retries after
// backoff, optional admission control. It reports the queue, the waits, failed logins, retry
// amplification, the time to drain after the surge and whether the system fell into a metastable
// state; RecommendStormPolicy searches for an admission limit and a client retry policy that keep
// amplification at or below a target. Skype2007Scenario() is the August 2007 outage as an input.
//
// The model is a fluid queue at 1-second resolution (amounts are real numbers, not requests):
//  - Each second, fresh logins and the retries due arrive. With an admission limit, the arrivals
//    above it are rejected at once, in proportion across fresh and retried attempts; a rejected
//    attempt counts as an attempt and is retried (or fails) like a timed-out one.
//  - Admitted attempts join the tail of a FIFO queue; the service completes up to `capacity`
//    attempts a second from its head.
//  - An attempt still queued timeout seconds after it joined is abandoned by its client: it is
//    retried after the backoff delay if retries remain, else the login fails. Unless
//    server_drops_timed_out, the server does not learn of it (no deadline propagation): the
//    abandoned attempt stays queued and takes capacity when its turn comes ("wasted work"), the
//    mechanism of metastable retry storms (Bronson et al., "Metastable Failures in Distributed
//    Systems", HotOS 2021; Huang et al., OSDI 2022).
//  - Retry n (n = 1..max_retries) waits d = min(backoff_cap, backoff_base x 2^(n-1)) seconds,
//  spread
//    deterministically (no random numbers) and evenly over the whole seconds of [1, d] (full
//    jitter), [d/2, d] (equal jitter) or at d (no jitter); at least 1 s, the resolution (after
//    AWS's "Exponential Backoff And Jitter", 2015). Cohorts are kept in time-indexed rings.
//
// Pure and deterministic; no I/O, no clock. Thread-safe (shares nothing); the types are values,
// thread-compatible. Cost: O(seconds x max_retries); 7 days (604,800 s) take tens of ms.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/capacity_plan.h"

namespace patchcast::forecasting {

enum class Jitter { kNone, kFull, kEqual };
// "none", "full", "equal".
std::string_view ToString(Jitter jitter);

// How clients behave. Errors name these fields in snake_case (the JSON names).
struct ClientPolicy {
  std::chrono::seconds timeout{30};      // timeout_s: [1 s, 1 h]. Default 30 s
  int max_retries = 3;                   // [0, 50]. Default 3
  std::chrono::seconds backoff_base{1};  // backoff_base_s: >= 0 (0: retry at once). Default 1 s
  std::chrono::seconds backoff_cap{60};  // backoff_cap_s: [backoff_base, 1 h]. Default 60 s
  Jitter jitter = Jitter::kFull;

  friend bool operator==(const ClientPolicy&, const ClientPolicy&) = default;
};

// A rate that is constant within each step: per_second[i] holds on [i x step, (i + 1) x step)
// seconds from the simulation's start.
struct RateSeries {
  std::chrono::seconds step{1};
  std::vector<double> per_second;

  friend bool operator==(const RateSeries&, const RateSeries&) = default;
};

// A rate from an instant on: rate.per_second[i] holds on [start + i x step, start + (i + 1) x
// step).
struct TimedRate {
  std::chrono::sys_seconds start{};
  RateSeries rate;

  friend bool operator==(const TimedRate&, const TimedRate&) = default;
};

struct LoginStormInput {
  // Fresh logins per second. The simulation covers demand.per_second.size() x demand.step seconds
  // (at most 10 million).
  RateSeries demand;
  // Attempts the service completes per second (units x unit_capacity). The last value holds past
  // the series' end, so one value is a constant capacity. See CapacityFromPlan.
  RateSeries capacity;
  ClientPolicy client;
  // Attempts admitted per second; the rest are rejected at once. Default: no limit.
  std::optional<double> admission_limit_per_second;
  // See the header comment. Default false (the server serves abandoned attempts).
  bool server_drops_timed_out = false;
  // How long after the surge the backlog may take to drain before a retry-driven overload counts
  // as metastable. Default 1 h.
  std::chrono::seconds metastable_after{3600};
};

struct LoginStormReport {
  double fresh_logins = 0;
  double attempts = 0;           // fresh plus retried attempts, rejected ones included
  double succeeded_logins = 0;   // served within the client's timeout
  double failed_logins = 0;      // gave up after max_retries
  double in_flight_at_end = 0;   // queued (not yet abandoned) or waiting to retry at the end
  double rejected_attempts = 0;  // by the admission limit
  double wasted_work = 0;        // attempts served after their client had abandoned them
  double max_queue = 0;          // attempts queued, abandoned ones included
  // 99th percentile of the queueing wait of admitted attempts, timed-out ones counting at timeout.
  double p99_wait_seconds = 0;
  double retry_amplification = 1;  // attempts / fresh_logins (1 with no fresh logins)
  // The last second at which fresh logins alone exceed what the service takes in (capacity, or
  // the admission limit when lower). None: no surge.
  std::optional<std::chrono::seconds> surge_end;
  // From surge_end to the first second at which no attempt is queued or waiting to retry (under
  // one); 0 with no surge; none when that never happens within the simulation.
  std::optional<std::chrono::seconds> drain;
  // True when, within metastable_after of the surge's end (or by the end of the simulation, if
  // that leaves at least a minute), the backlog did not drain although fresh logins alone fit the
  // capacity, and the attempts (retries included) offered over that window exceeded it: retries
  // keep the load above capacity after the cause has gone.
  bool metastable = false;
};

// Runs the simulation. Errors (kInvalidArgument, naming the field): empty demand or capacity;
// a step below 1 s; a negative or non-finite rate; more than 10 million seconds; client fields
// out of range ("client.timeout_s: must be in [1, 3600] (got 0)"); a non-positive admission
// limit; a negative metastable_after.
Result<LoginStormReport> SimulateLoginStorm(const LoginStormInput& input);

struct StormRecommendation {
  std::optional<double> admission_limit_per_second;  // none: no admission control needed
  ClientPolicy client;
  LoginStormReport outcome;   // the input re-simulated with this policy
  bool meets_target = false;  // outcome: amplification <= target and not metastable
};

// Searches a fixed grid for a policy that keeps retry_amplification <= max_amplification without
// metastability: full-jitter exponential backoff (base, cap) in {(1, 30), (5, 300), (30, 900),
// (120, 1800), (600, 1800)} s, max_retries min(input's, 5) or 3, the input's timeout, with no
// admission limit or one at the smallest capacity of the span. Among the policies that meet the
// target it picks the fewest failed logins, then the lowest amplification, then the earliest in
// that order; when none meets it, the lowest amplification, with meets_target false. Runs 20
// simulations (about 1 s for 7 days at 1 s). Errors: those of SimulateLoginStorm; kInvalidArgument
// when max_amplification < 1.
Result<StormRecommendation> RecommendStormPolicy(const LoginStormInput& input,
                                                 double max_amplification = 1.2);

// The capacity a plan puts in service, in logins per second per plan step.
RateSeries CapacityFromPlan(const CapacityPlan& plan);

// The August 2007 Skype outage as a simulation input (the numbers are illustrative, chosen to
// match the public account: Skype's 16 August 2007 statement blamed "a massive restart of our
// users' computers across the globe within a very short timeframe as they re-booted after
// receiving a routine set of patches through Windows Update").
//  - 6 million users online; on an ordinary day each logs in twice: 12 million logins a day, a
//    daily cycle in UTC of mean x (1 + 0.45 cos(2 pi (hour - 15) / 24)), peaking at 15:00 UTC at
//    ordinary_peak_logins_per_second (201.4).
//  - Capacity sized for an ordinary day: ordinary peak x 1.3 (261.8 logins/s), constant.
//  - The reboot wave: Automatic Updates installs the 14 August patches at 03:00 local the next
//    night; half of the users online reboot and log in again, normally distributed around 03:15
//    local with a 15-minute standard deviation, in six zones (share of users, UTC offset in
//    August 2007): Tokyo 10 % (+9), Berlin 35 % (+2), London 10 % (+1), New York 25 % (-4),
//    Chicago 5 % (-5), Los Angeles 15 % (-7). The Berlin wave alone peaks near 550 logins/s.
//  - 48 hours from 2007-08-14 12:00 UTC at 60-second steps.
//  - Clients retry at once (no backoff, no jitter), up to 10 times, with a 30 s timeout; no
//    admission control; the server serves abandoned attempts.
// Simulated as is, it collapses: retries keep the load far above capacity after the waves have
// passed (metastable): amplification about 9.4, 22 million failed logins. Pre-scaled by a plan
// (unit_capacity 25/s, headroom 0.2, p99 = mean x 1.1) it holds with no retry at all. With
// admission control at capacity and patient full-jitter backoff (base 600 s, cap 1800 s, 5
// retries) it holds too: not metastable, amplification about 1.18 — but the 3 million reboot
// logins wait up to an hour and some 70,000 fail, because an ordinary day's capacity has only
// about 80-180 logins/s to spare at night (tests/forecasting/login_storm_test.cpp).
struct Skype2007 {
  LoginStormInput input;
  std::chrono::sys_seconds start{};  // the instant of simulation second 0
  double users_online = 6e6;
  double ordinary_day_logins = 12e6;
  double ordinary_peak_logins_per_second = 0;
  double capacity_logins_per_second = 0;
  double reboot_share = 0.5;
};
Skype2007 Skype2007Scenario();

}  // namespace patchcast::forecasting
