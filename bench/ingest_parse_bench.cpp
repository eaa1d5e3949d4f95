// ingest_parse_bench: the parsing half of issue 4's ingestion targets, printed with the machine.
//
//  1. A year of one-minute data (525,600 rows, RFC 3339 timestamps, integer login counts) as a
//     text/csv body and as a JSON body ({"points":[[ts, value], ...]}): parse time, median of 5
//     runs, as rows/s and MB/s. Aim: CSV >= 10 M rows/s on one core, so that parsing is a small
//     part of the end-to-end target (>= 1 M points/s through HTTP and storage).
//  2. Memory: the peak heap a parse adds, for those bodies and for 32 MiB ones, as a multiple of
//     the body size. Target: body + parse <= 4x the body (issue 4).
//  3. The timestamp parser on its own against calendars::ParseUtcDateTime (ns per call), the
//     figure behind api/point_text.h not reusing it.
//
// Usage: ingest_parse_bench   (no arguments; single-threaded; ~10 s)
#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "api/point_text.h"
#include "api/points_csv.h"
#include "api/points_json.h"
#include "bench/bench_support.h"
#include "calendars/time_text.h"

// Heap accounting: every allocation of the process goes through these, so the bench can report
// the peak bytes a parse adds on top of what is live before it.
namespace {
std::atomic<long long> g_live_bytes{0};
std::atomic<long long> g_peak_bytes{0};

void* Allocate(std::size_t size) {
  void* memory = std::malloc(size == 0 ? 1 : size);
  if (memory == nullptr) throw std::bad_alloc();
  const long long live = g_live_bytes += static_cast<long long>(malloc_usable_size(memory));
  long long peak = g_peak_bytes.load();
  while (live > peak && !g_peak_bytes.compare_exchange_weak(peak, live)) {
  }
  return memory;
}

void Release(void* memory) {
  if (memory == nullptr) return;
  g_live_bytes -= static_cast<long long>(malloc_usable_size(memory));
  std::free(memory);
}
}  // namespace

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new[](std::size_t size) { return Allocate(size); }
void operator delete(void* memory) noexcept { Release(memory); }
void operator delete[](void* memory) noexcept { Release(memory); }
void operator delete(void* memory, std::size_t) noexcept { Release(memory); }
void operator delete[](void* memory, std::size_t) noexcept { Release(memory); }

namespace {

using Clock = std::chrono::steady_clock;
using Seconds = std::chrono::duration<double>;

constexpr int kRuns = 5;
constexpr std::size_t kYearOfMinutes = 525'600;
constexpr std::size_t kBigBodyBytes = 32u << 20;

// Peak resident set (VmHWM) in KiB, from /proc/self/status.
long PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

// A plausible login count for minute `minute` of the year: a diurnal wave plus noise.
long LoginCount(std::size_t minute, unsigned& seed) {
  seed = seed * 1103515245u + 12345u;
  const std::size_t minute_of_day = minute % 1440;
  const long base = minute_of_day >= 420 && minute_of_day < 1140 ? 5200 : 900;
  return base + static_cast<long>((seed >> 16) % 1500);
}

// Rows of one-minute data from 2026-01-01T00:00:00Z until the body reaches `rows` rows or
// `max_bytes` bytes, whichever comes first. `json` selects {"points":[[ts,value],...]}.
std::string MakeBody(bool json, std::size_t rows, std::size_t max_bytes, std::size_t& written) {
  std::string body = json ? "{\"points\":[" : "ts,value\n";
  const std::chrono::sys_seconds start{std::chrono::seconds{1767225600}};  // 2026-01-01
  unsigned seed = 42;
  written = 0;
  for (std::size_t i = 0; i < rows && body.size() < max_bytes - 64; ++i) {
    const std::string ts = patchcast::calendars::FormatUtcDateTime(start + std::chrono::minutes{i});
    const std::string value = std::to_string(LoginCount(i, seed));
    if (json) {
      if (i > 0) body += ',';
      body += "[\"" + ts + "\"," + value + "]";
    } else {
      body += ts + "," + value + "\n";
    }
    ++written;
  }
  if (json) body += "]}";
  return body;
}

struct Figures {
  double median_seconds = 0;
  long long peak_heap_bytes = 0;  // the most a parse had allocated at once
  std::size_t points = 0;
};

template <typename Parse>
Figures Measure(const std::string& body, Parse parse, int runs) {
  Figures figures;
  std::vector<double> seconds;
  for (int run = 0; run < runs; ++run) {
    const long long live_before = g_live_bytes.load();
    g_peak_bytes = live_before;
    const auto start = Clock::now();
    auto parsed = parse(body, patchcast::api::ParseLimits{});
    const double elapsed = Seconds(Clock::now() - start).count();
    if (!parsed) {
      std::fprintf(stderr, "parse failed: %s\n", parsed.error().message.c_str());
      std::exit(1);
    }
    figures.points = parsed->points.size();
    figures.peak_heap_bytes = std::max(figures.peak_heap_bytes, g_peak_bytes.load() - live_before);
    seconds.push_back(elapsed);
  }
  std::sort(seconds.begin(), seconds.end());
  figures.median_seconds = seconds[seconds.size() / 2];
  return figures;
}

void Report(const char* name, const std::string& body, const Figures& figures) {
  const double mib = static_cast<double>(body.size()) / (1 << 20);
  std::printf(
      "%-5s %8zu rows %7.1f MiB  median %7.1f ms  %6.2f M rows/s  %7.1f MiB/s  "
      "parse peak heap %6.1f MiB = %.2fx body (body + parse = %.2fx)\n",
      name, figures.points, mib, figures.median_seconds * 1e3,
      static_cast<double>(figures.points) / figures.median_seconds / 1e6,
      mib / figures.median_seconds, static_cast<double>(figures.peak_heap_bytes) / (1 << 20),
      static_cast<double>(figures.peak_heap_bytes) / static_cast<double>(body.size()),
      1.0 + static_cast<double>(figures.peak_heap_bytes) / static_cast<double>(body.size()));
}

// ns per call of `parse` over `texts`, best of 5 passes.
template <typename Parse>
double NanosPerCall(const std::vector<std::string>& texts, Parse parse) {
  double best = 1e300;
  long long sink = 0;
  for (int pass = 0; pass < 5; ++pass) {
    const auto start = Clock::now();
    for (const std::string& text : texts) sink += parse(text);
    best = std::min(best, Seconds(Clock::now() - start).count());
  }
  if (sink == 42) std::printf(" ");
  return best * 1e9 / static_cast<double>(texts.size());
}

}  // namespace

int main() {
  std::printf("machine: %s, %u hardware threads; single-threaded run\n",
              patchcast::bench::CpuModel().c_str(), std::thread::hardware_concurrency());
  const auto csv = [](const std::string& body, const patchcast::api::ParseLimits& limits) {
    return patchcast::api::ParsePointsCsv(body, limits);
  };
  const auto json = [](const std::string& body, const patchcast::api::ParseLimits& limits) {
    return patchcast::api::ParsePointsJson(body, limits);
  };

  std::printf("\n1. a year of one-minute data (525,600 rows), median of %d runs\n", kRuns);
  std::size_t rows = 0;
  const long rss_before = PeakRssKib();
  {
    const std::string body = MakeBody(false, kYearOfMinutes, SIZE_MAX, rows);
    Report("csv", body, Measure(body, csv, kRuns));
  }
  {
    const std::string body = MakeBody(true, kYearOfMinutes, SIZE_MAX, rows);
    Report("json", body, Measure(body, json, kRuns));
  }

  std::printf("\n2. 32 MiB bodies (the same rows, continued), median of %d runs\n", kRuns);
  {
    const std::string body = MakeBody(false, SIZE_MAX, kBigBodyBytes, rows);
    Report("csv", body, Measure(body, csv, kRuns));
  }
  {
    const std::string body = MakeBody(true, SIZE_MAX, kBigBodyBytes, rows);
    Report("json", body, Measure(body, json, kRuns));
  }
  std::printf("process peak RSS (VmHWM) grew %.1f MiB over all of the above (bodies included)\n",
              static_cast<double>(PeakRssKib() - rss_before) / 1024);

  std::printf("\n3. one RFC 3339 timestamp, ns per call (best of 5 over 525,600 texts)\n");
  std::vector<std::string> texts;
  texts.reserve(kYearOfMinutes);
  const std::chrono::sys_seconds start{std::chrono::seconds{1767225600}};
  for (std::size_t i = 0; i < kYearOfMinutes; ++i) {
    texts.push_back(patchcast::calendars::FormatUtcDateTime(start + std::chrono::minutes{i}));
  }
  const double ours = NanosPerCall(texts, [](const std::string& text) {
    std::chrono::sys_seconds ts;
    return patchcast::api::ParseRfc3339(text, ts) == patchcast::api::TimestampError::kNone
               ? ts.time_since_epoch().count()
               : 0;
  });
  const double calendars = NanosPerCall(texts, [](const std::string& text) {
    const auto ts = patchcast::calendars::ParseUtcDateTime(text);
    return ts ? ts->time_since_epoch().count() : 0;
  });
  std::printf("api::ParseRfc3339 %.1f ns, calendars::ParseUtcDateTime %.1f ns (%.1fx)\n", ours,
              calendars, calendars / ours);
  return 0;
}
