#include "forecasting/login_storm.h"

#include <date/date.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numbers>
#include <string>
#include <tuple>
#include <utility>

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;

constexpr std::int64_t kMaxSeconds = 10'000'000;
constexpr std::int64_t kMaxWaitSeconds = 3600;
constexpr int kMaxRetries = 50;
// Below one attempt, the backlog counts as drained.
constexpr double kDrained = 1;

std::string Number(double value) {
  std::string text = std::to_string(value);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

Status ValidateRates(const RateSeries& series, const std::string& field) {
  if (series.per_second.empty()) return InvalidArgument(field + ": is empty");
  if (series.step < seconds{1}) return InvalidArgument(field + ".step: must be at least 1 s");
  for (std::size_t i = 0; i < series.per_second.size(); ++i) {
    const double rate = series.per_second[i];
    if (!std::isfinite(rate) || rate < 0) {
      return InvalidArgument(field + "[" + std::to_string(i) +
                             "]: must be non-negative and finite (got " + Number(rate) + ")");
    }
  }
  return {};
}

Status Validate(const LoginStormInput& input) {
  if (Status ok = ValidateRates(input.demand, "demand"); !ok) return ok;
  if (Status ok = ValidateRates(input.capacity, "capacity"); !ok) return ok;
  if (static_cast<double>(input.demand.per_second.size()) *
          static_cast<double>(input.demand.step.count()) >
      static_cast<double>(kMaxSeconds)) {
    return InvalidArgument("demand: covers more than " + std::to_string(kMaxSeconds) + " seconds");
  }
  const ClientPolicy& client = input.client;
  const auto range = [](const std::string& field, std::int64_t value, std::int64_t low,
                        std::int64_t high) -> Status {
    if (value >= low && value <= high) return {};
    return InvalidArgument("client." + field + ": must be in [" + std::to_string(low) + ", " +
                           std::to_string(high) + "] (got " + std::to_string(value) + ")");
  };
  if (Status ok = range("timeout_s", client.timeout.count(), 1, kMaxWaitSeconds); !ok) return ok;
  if (Status ok = range("max_retries", client.max_retries, 0, kMaxRetries); !ok) return ok;
  if (Status ok = range("backoff_base_s", client.backoff_base.count(), 0, kMaxWaitSeconds); !ok) {
    return ok;
  }
  if (Status ok = range("backoff_cap_s", client.backoff_cap.count(), client.backoff_base.count(),
                        kMaxWaitSeconds);
      !ok) {
    return ok;
  }
  if (input.admission_limit_per_second && !(std::isfinite(*input.admission_limit_per_second) &&
                                            *input.admission_limit_per_second > 0)) {
    return InvalidArgument("admission_limit_per_s: must be positive and finite (got " +
                           Number(*input.admission_limit_per_second) + ")");
  }
  if (input.metastable_after < seconds{0}) {
    return InvalidArgument("metastable_after: must not be negative");
  }
  return {};
}

// The rate of `series` at second t (the last value past its end).
double RateAt(const RateSeries& series, std::int64_t t) {
  const auto i = static_cast<std::size_t>(t / series.step.count());
  return series.per_second[std::min(i, series.per_second.size() - 1)];
}

// The whole seconds over which retry n (1-based) re-enters: [lo, hi] after its client gives up.
std::pair<std::int64_t, std::int64_t> RetryOffsets(const ClientPolicy& client, int n) {
  // base x 2^(n-1), capped; the shift stays small because the cap is at most an hour.
  double delay = static_cast<double>(client.backoff_base.count());
  for (int i = 1; i < n && delay < static_cast<double>(client.backoff_cap.count()); ++i) delay *= 2;
  const auto d = std::max<std::int64_t>(
      1, std::min(client.backoff_cap.count(), static_cast<std::int64_t>(std::llround(delay))));
  switch (client.jitter) {
    case Jitter::kFull:
      return {1, d};
    case Jitter::kEqual:
      return {std::max<std::int64_t>(1, (d + 1) / 2), d};
    case Jitter::kNone:
      break;
  }
  return {d, d};
}

// The simulation's state: rings indexed by second modulo their size.
class Simulator {
 public:
  explicit Simulator(const LoginStormInput& input)
      : Simulator(input, input.client, input.admission_limit_per_second) {}

  // Simulates `input` as if its clients followed `client` and the server admitted at most
  // `admission_limit` logins a second: a policy to try, without copying the input's series.
  Simulator(const LoginStormInput& input, const ClientPolicy& client,
            std::optional<double> admission_limit)
      : input_(input),
        client_(client),
        admission_limit_(admission_limit),
        classes_(static_cast<std::size_t>(client_.max_retries) + 1),
        window_(static_cast<std::size_t>(client_.timeout.count()) + 1),
        live_amounts_(window_ * classes_, 0.0),
        live_initial_(window_, 0.0),
        live_remaining_(window_, 0.0),
        wait_histogram_(window_, 0.0),
        arrivals_(classes_, 0.0),
        retry_rate_(classes_, 0.0) {
    std::int64_t longest = 1;
    for (int n = 1; n <= client_.max_retries; ++n) {
      offsets_.push_back(RetryOffsets(client_, n));
      longest = std::max(longest, offsets_.back().second);
    }
    ring_ = static_cast<std::size_t>(longest) + 2;
    retry_diff_.assign(ring_ * classes_, 0.0);
  }

  LoginStormReport Run() {
    const std::int64_t total =
        static_cast<std::int64_t>(input_.demand.per_second.size()) * input_.demand.step.count();
    const double admission = admission_limit_.value_or(std::numeric_limits<double>::infinity());
    // The surge's end: the last second at which fresh logins alone exceed the intake.
    std::optional<std::int64_t> surge_end;
    for (std::int64_t t = total; t-- > 0;) {
      if (RateAt(input_.demand, t) > std::min(RateAt(input_.capacity, t), admission)) {
        surge_end = t;
        break;
      }
    }
    // The metastability window (surge_end, judge_end].
    const std::int64_t judge_end =
        surge_end ? std::min(total - 1, *surge_end + input_.metastable_after.count()) : -1;
    double window_fresh = 0, window_capacity = 0, window_attempts = 0;
    std::optional<std::int64_t> drained_at;

    for (std::int64_t t = 0; t < total; ++t) {
      const double fresh = RateAt(input_.demand, t);
      const double capacity = RateAt(input_.capacity, t);
      report_.fresh_logins += fresh;
      Arrive(t, fresh);
      const double offered = Sum(arrivals_);
      report_.attempts += offered;
      Admit(t, offered, admission);
      Serve(t, capacity);
      Expire(t);
      const double queued = dead_ + live_total_;
      report_.max_queue = std::max(report_.max_queue, queued);
      if (surge_end && t > *surge_end && t <= judge_end) {
        window_fresh += fresh;
        window_capacity += capacity;
        window_attempts += offered;
      }
      if (surge_end && !drained_at && t >= *surge_end && queued + pending_ < kDrained) {
        drained_at = t;
      }
    }

    report_.in_flight_at_end = live_total_ + pending_;
    report_.retry_amplification =
        report_.fresh_logins > 0 ? report_.attempts / report_.fresh_logins : 1;
    report_.p99_wait_seconds = Percentile(0.99);
    if (surge_end) {
      report_.surge_end = seconds{*surge_end};
      if (drained_at) report_.drain = seconds{*drained_at - *surge_end};
      const bool undrained = !drained_at || *drained_at > judge_end;
      report_.metastable = undrained && judge_end - *surge_end >= 60 &&
                           window_fresh <= window_capacity && window_attempts > window_capacity;
    } else {
      report_.drain = seconds{0};
    }
    return report_;
  }

 private:
  static double Sum(const std::vector<double>& values) {
    double sum = 0;
    for (double v : values) sum += v;
    return sum;
  }

  // Fresh logins and the retries due at second t into arrivals_.
  void Arrive(std::int64_t t, double fresh) {
    double* diff = &retry_diff_[static_cast<std::size_t>(t) % ring_ * classes_];
    arrivals_[0] = fresh;
    for (std::size_t k = 1; k < classes_; ++k) {
      retry_rate_[k] += diff[k];
      diff[k] = 0;
      // The running sum of a difference array can drift a hair below zero.
      arrivals_[k] = std::max(0.0, retry_rate_[k]);
      pending_ -= arrivals_[k];
    }
    if (pending_ < 0) pending_ = 0;
  }

  // Rejects what exceeds the admission limit; queues the rest as the cohort of second t.
  void Admit(std::int64_t t, double offered, double admission) {
    const double admitted_share = offered > admission ? admission / offered : 1.0;
    const std::size_t slot = static_cast<std::size_t>(t) % window_;
    double* amounts = &live_amounts_[slot * classes_];
    double cohort = 0;
    for (std::size_t k = 0; k < classes_; ++k) {
      const double admitted = arrivals_[k] * admitted_share;
      amounts[k] = admitted;
      cohort += admitted;
      const double rejected = arrivals_[k] - admitted;
      if (rejected > 0) {
        report_.rejected_attempts += rejected;
        Abandon(t, k, rejected);
      }
    }
    live_initial_[slot] = cohort;
    live_remaining_[slot] = cohort;
    live_total_ += cohort;
  }

  // Serves up to `capacity` from the head: abandoned attempts first (they are older), then the
  // live cohorts in order of arrival.
  void Serve(std::int64_t t, double capacity) {
    double budget = capacity;
    const double wasted = std::min(dead_, budget);
    dead_ -= wasted;
    budget -= wasted;
    report_.wasted_work += wasted;
    oldest_ = std::max(oldest_, t - client_.timeout.count());
    while (budget > 0 && oldest_ <= t) {
      const std::size_t slot = static_cast<std::size_t>(oldest_) % window_;
      const double served = std::min(live_remaining_[slot], budget);
      live_remaining_[slot] -= served;
      live_total_ -= served;
      budget -= served;
      report_.succeeded_logins += served;
      wait_histogram_[static_cast<std::size_t>(t - oldest_)] += served;
      if (live_remaining_[slot] > 0) break;
      ++oldest_;
    }
    if (live_total_ < 0) live_total_ = 0;
  }

  // The cohort that has now waited `timeout` seconds is abandoned by its clients.
  void Expire(std::int64_t t) {
    const std::int64_t entered = t - client_.timeout.count();
    if (entered < 0) return;
    const std::size_t slot = static_cast<std::size_t>(entered) % window_;
    const double remaining = live_remaining_[slot];
    if (remaining > 0) {
      const double share = remaining / live_initial_[slot];
      const double* amounts = &live_amounts_[slot * classes_];
      for (std::size_t k = 0; k < classes_; ++k) Abandon(t, k, amounts[k] * share);
      wait_histogram_.back() += remaining;
      live_total_ -= remaining;
      if (live_total_ < 0) live_total_ = 0;
      if (!input_.server_drops_timed_out) dead_ += remaining;
    }
    live_remaining_[slot] = 0;
    oldest_ = std::max(oldest_, entered + 1);
  }

  // Attempts of class k (k previous attempts) given up at second t: retried or failed.
  void Abandon(std::int64_t t, std::size_t k, double amount) {
    if (amount <= 0) return;
    if (k + 1 >= classes_) {
      report_.failed_logins += amount;
      return;
    }
    const auto [lo, hi] = offsets_[k];  // retry number k + 1
    const double rate = amount / static_cast<double>(hi - lo + 1);
    const std::size_t next = k + 1;
    retry_diff_[static_cast<std::size_t>(t + lo) % ring_ * classes_ + next] += rate;
    retry_diff_[static_cast<std::size_t>(t + hi + 1) % ring_ * classes_ + next] -= rate;
    pending_ += amount;
  }

  double Percentile(double p) const {
    const double total = Sum(wait_histogram_);
    if (total <= 0) return 0;
    double cumulative = 0;
    for (std::size_t w = 0; w < wait_histogram_.size(); ++w) {
      cumulative += wait_histogram_[w];
      if (cumulative >= p * total) return static_cast<double>(w);
    }
    return static_cast<double>(wait_histogram_.size() - 1);
  }

  const LoginStormInput& input_;
  const ClientPolicy client_;
  const std::optional<double> admission_limit_;
  const std::size_t classes_;           // attempt classes 0..max_retries
  const std::size_t window_;            // timeout + 1: the live cohorts
  std::vector<double> live_amounts_;    // window x classes: admitted per class
  std::vector<double> live_initial_;    // per cohort: admitted in total
  std::vector<double> live_remaining_;  // per cohort: not yet served
  std::vector<double> wait_histogram_;  // by whole seconds waited; the last bin holds timeouts
  std::vector<double> arrivals_;        // this second, per class
  std::vector<double> retry_rate_;      // running sum of retry_diff_, per class
  std::vector<std::pair<std::int64_t, std::int64_t>> offsets_;  // per retry number - 1
  std::size_t ring_ = 0;
  std::vector<double> retry_diff_;  // ring x classes: difference array of retry rates
  std::int64_t oldest_ = 0;         // the oldest cohort that may still hold live attempts
  double live_total_ = 0;
  double dead_ = 0;     // abandoned attempts still queued
  double pending_ = 0;  // attempts waiting to retry
  LoginStormReport report_;
};

}  // namespace

std::string_view ToString(Jitter jitter) {
  switch (jitter) {
    case Jitter::kNone:
      return "none";
    case Jitter::kFull:
      return "full";
    case Jitter::kEqual:
      return "equal";
  }
  return "none";
}

Result<LoginStormReport> SimulateLoginStorm(const LoginStormInput& input) {
  if (Status valid = Validate(input); !valid) return valid.error();
  return Simulator(input).Run();
}

Result<StormRecommendation> RecommendStormPolicy(const LoginStormInput& input,
                                                 double max_amplification) {
  if (Status valid = Validate(input); !valid) return valid.error();
  if (!(max_amplification >= 1)) {
    return InvalidArgument("max_amplification: must be at least 1 (got " +
                           Number(max_amplification) + ")");
  }
  const double smallest_capacity =
      *std::min_element(input.capacity.per_second.begin(), input.capacity.per_second.end());
  std::vector<std::optional<double>> limits = {std::nullopt};
  if (smallest_capacity > 0) limits.push_back(smallest_capacity);
  // From snappy to patient: a surge that lasts hours needs retries spread over hours.
  const std::vector<std::pair<int, int>> backoffs = {
      {1, 30}, {5, 300}, {30, 900}, {120, 1800}, {600, 1800}};
  std::vector<int> retries = {std::min(input.client.max_retries, 5)};
  if (retries.front() > 3) retries.push_back(3);

  std::optional<StormRecommendation> best;
  const auto better = [&](const StormRecommendation& a, const StormRecommendation& b) {
    if (a.meets_target != b.meets_target) return a.meets_target;
    if (!a.meets_target) return a.outcome.retry_amplification < b.outcome.retry_amplification;
    return std::tie(a.outcome.failed_logins, a.outcome.retry_amplification) <
           std::tie(b.outcome.failed_logins, b.outcome.retry_amplification);
  };
  for (const std::optional<double>& limit : limits) {
    for (const auto& [base, cap] : backoffs) {
      for (int max_retries : retries) {
        StormRecommendation option;
        option.admission_limit_per_second = limit;
        option.client = input.client;
        option.client.jitter = Jitter::kFull;
        option.client.backoff_base = seconds{base};
        option.client.backoff_cap = seconds{cap};
        option.client.max_retries = max_retries;
        option.outcome = Simulator(input, option.client, limit).Run();
        option.meets_target =
            option.outcome.retry_amplification <= max_amplification && !option.outcome.metastable;
        if (!best || better(option, *best)) best = std::move(option);
      }
    }
  }
  return std::move(*best);
}

RateSeries CapacityFromPlan(const CapacityPlan& plan) {
  RateSeries series;
  series.step = plan.step;
  series.per_second.reserve(plan.buckets.size());
  for (const PlanBucket& bucket : plan.buckets) {
    series.per_second.push_back(bucket.capacity_logins_per_second);
  }
  return series;
}

Skype2007 Skype2007Scenario() {
  Skype2007 scenario;
  scenario.start = date::sys_days{date::year{2007} / 8 / 14} + std::chrono::hours{12};
  const double mean = scenario.ordinary_day_logins / 86400;
  constexpr double kCycle = 0.45;
  scenario.ordinary_peak_logins_per_second = mean * (1 + kCycle);
  scenario.capacity_logins_per_second = scenario.ordinary_peak_logins_per_second * 1.3;

  struct Zone {
    double share;
    double utc_offset_hours;
  };
  constexpr Zone kZones[] = {{0.10, 9}, {0.35, 2}, {0.10, 1}, {0.25, -4}, {0.05, -5}, {0.15, -7}};
  constexpr double kWaveLocalHour = 3.25;  // 03:00 install, ~15 min to reboot
  constexpr double kWaveSdSeconds = 15 * 60;
  // Seconds from the start (14 Aug 12:00 UTC) to 03:15 local on 15 August in each zone.
  const auto wave_centre = [&](const Zone& zone) {
    return (24 - 12 + kWaveLocalHour - zone.utc_offset_hours) * 3600;
  };

  constexpr std::int64_t kStepSeconds = 60;
  constexpr std::int64_t kSteps = 48 * 60;
  LoginStormInput& input = scenario.input;
  input.demand.step = seconds{kStepSeconds};
  input.demand.per_second.resize(kSteps);
  for (std::int64_t i = 0; i < kSteps; ++i) {
    const double t = static_cast<double>(i * kStepSeconds) + kStepSeconds / 2.0;  // mid-step
    const double utc_hour = std::fmod(12 + t / 3600, 24);
    double rate = mean * (1 + kCycle * std::cos(2 * std::numbers::pi * (utc_hour - 15) / 24));
    for (const Zone& zone : kZones) {
      const double z = (t - wave_centre(zone)) / kWaveSdSeconds;
      rate += scenario.users_online * zone.share * scenario.reboot_share * std::exp(-0.5 * z * z) /
              (kWaveSdSeconds * std::sqrt(2 * std::numbers::pi));
    }
    input.demand.per_second[static_cast<std::size_t>(i)] = rate;
  }
  input.capacity = {seconds{kStepSeconds}, {scenario.capacity_logins_per_second}};
  input.client = {seconds{30}, 10, seconds{0}, seconds{0}, Jitter::kNone};
  return scenario;
}

}  // namespace patchcast::forecasting
