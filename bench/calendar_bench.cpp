// calendar_bench: the performance targets of issue 3, printed with the machine they ran on.
//
//  1. Generating 200 years of events of every built-in calendar through the registry (the work of
//     GET /v1/events for a 200-year range, without JSON): median and minimum over 50 runs.
//     Target: median <= 2 ms.
//  2. Optional, with the base URL of a running server as the argument: N GETs of
//     /v1/events?from=2026-01-01&to=2026-12-31 over one keep-alive connection, median and p99.
//     PATCHCAST_TOKEN, when set, is sent as the bearer token.
//
// Usage: calendar_bench [BASE_URL [REQUESTS]]   e.g. calendar_bench http://127.0.0.1:8080 2000
// bench/run_calendar_bench.sh starts a server and runs both parts.
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/bench_support.h"
#include "calendars/calendar_registry.h"
#include "calendars/time_range.h"

namespace {

using Clock = std::chrono::steady_clock;
using Micros = std::chrono::duration<double, std::micro>;

constexpr int kGenerationRuns = 50;
constexpr int kDefaultRequests = 1000;
constexpr double kTargetMillis = 2.0;

// The q-quantile (0..1) of `samples`, nearest rank; sorts them.
double Quantile(std::vector<double>& samples, double q) {
  std::sort(samples.begin(), samples.end());
  const auto rank = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
  return samples[rank];
}

int BenchGeneration() {
  auto registry = patchcast::calendars::CalendarRegistry::Create({});
  if (!registry) {
    std::fprintf(stderr, "registry: %s\n", registry.error().message.c_str());
    return 1;
  }
  // 1926-01-01 .. 2125-12-31: the longest range the API accepts (just under 200 years).
  auto range =
      patchcast::calendars::UtcDayRange(date::year{1926} / 1 / 1, date::year{2125} / 12 / 31);
  if (!range) {
    std::fprintf(stderr, "range: %s\n", range.error().message.c_str());
    return 1;
  }
  const std::vector<std::string> ids = registry->CalendarIds();
  std::vector<double> micros;
  std::size_t events = 0;
  for (int run = 0; run < kGenerationRuns + 1; ++run) {
    const auto start = Clock::now();
    auto result = registry->Events(ids, *range);
    const auto elapsed = Micros(Clock::now() - start).count();
    if (!result) {
      std::fprintf(stderr, "events: %s\n", result.error().message.c_str());
      return 1;
    }
    events = result->size();
    if (run > 0) micros.push_back(elapsed);  // the first run warms caches (history, tz)
  }
  const double min = *std::min_element(micros.begin(), micros.end());
  const double median = Quantile(micros, 0.5);
  std::printf("generate 200 years (1926..2125) of %zu calendars: %zu events\n", ids.size(), events);
  std::printf("  median %.3f ms, min %.3f ms over %d runs (target <= %.1f ms): %s\n", median / 1000,
              min / 1000, kGenerationRuns, kTargetMillis,
              median / 1000 <= kTargetMillis ? "met" : "MISSED");
  return 0;
}

int BenchHttp(const std::string& base_url, int requests) {
  httplib::Client client(base_url);
  client.set_keep_alive(true);
  httplib::Headers headers;
  if (const char* token = std::getenv("PATCHCAST_TOKEN")) {
    headers.emplace("Authorization", std::string("Bearer ") + token);
  }
  const std::string path = "/v1/events?from=2026-01-01&to=2026-12-31";
  std::vector<double> micros;
  std::size_t bytes = 0;
  for (int i = 0; i < requests + 10; ++i) {
    const auto start = Clock::now();
    auto response = client.Get(path, headers);
    const auto elapsed = Micros(Clock::now() - start).count();
    if (!response || response->status != 200) {
      std::fprintf(stderr, "GET %s%s failed: %s\n", base_url.c_str(), path.c_str(),
                   response ? std::to_string(response->status).c_str()
                            : httplib::to_string(response.error()).c_str());
      return 1;
    }
    bytes = response->body.size();
    if (i >= 10) micros.push_back(elapsed);  // 10 warm-up requests
  }
  const double p99 = Quantile(micros, 0.99);
  const double median = Quantile(micros, 0.5);
  std::printf("GET %s (%zu bytes) x %d on one keep-alive connection:\n", path.c_str(), bytes,
              requests);
  std::printf("  median %.3f ms, p99 %.3f ms\n", median / 1000, p99 / 1000);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::printf("machine: %s, %u hardware threads\n", patchcast::bench::CpuModel().c_str(),
              std::thread::hardware_concurrency());
  if (int failed = BenchGeneration(); failed != 0) return failed;
  if (argc >= 2) {
    const int requests = argc >= 3 ? std::atoi(argv[2]) : kDefaultRequests;
    if (requests <= 0) {
      std::fprintf(stderr, "REQUESTS must be a positive number\n");
      return 2;
    }
    return BenchHttp(argv[1], requests);
  }
  return 0;
}
