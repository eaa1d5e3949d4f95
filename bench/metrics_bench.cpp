// metrics_bench: the cost of GET /metrics's per-series plan and forecast gauges (issue 6) with
// many stored plans, printed with the machine it ran on.
//
// A SQLite store in a temporary directory gets N series (default 200), each with a 7-day plan at
// 5-minute steps (2,016 buckets, about 250 KiB rendered, as POST …/plan stores) and its forecast
// (2,016 points at 3 quantiles with explanations, about 200 KiB). Then it times, through the real
// MetricsExporter and SeriesGaugeCollector:
//  - the scrapes after a restart, which read and digest every document once, a budget's worth
//    at a time;
//  - the steady-state scrape (median of 50), which lists the latest keys and reads no document;
//  - for comparison, what a scrape would cost without the digests: reading every latest document
//    (LatestPerSeries with documents) and parsing each with nlohmann::json.
//
// Usage: build/metrics_bench [SERIES]
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "api/forecast_document.h"
#include "api/plan_document.h"
#include "bench/bench_support.h"
#include "forecasting/plan_in_service.h"
#include "server/metrics.h"
#include "server/series_gauge_collector.h"
#include "server/storage/sqlite_document_repository.h"
#include "server/storage/sqlite_series_repository.h"
#include "server/storage/sqlite_store.h"
#include "server/system_clock.h"

namespace {

namespace fc = patchcast::forecasting;
using Steady = std::chrono::steady_clock;
using Millis = std::chrono::duration<double, std::milli>;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr int kSteps = 7 * 24 * 12;  // 7 days at 5 minutes
// An unrestricted key: the scrape renders every series.
const patchcast::api::Principal kEveryone{"bench", patchcast::api::Scope::kRead, ""};

template <typename T>
T OrDie(patchcast::Result<T> result, const char* what) {
  if (!result) {
    std::fprintf(stderr, "%s: %s\n", what, result.error().message.c_str());
    std::exit(1);
  }
  return std::move(*result);
}

void OrDie(const patchcast::Status& status, const char* what) {
  if (!status) {
    std::fprintf(stderr, "%s: %s\n", what, status.error().message.c_str());
    std::exit(1);
  }
}

double MaxRssMiB() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// A forecast and its plan starting at `start`, with a daily cycle and a surge.
void Documents(const std::string& series, sys_seconds start, sys_seconds now, std::mt19937& random,
               std::string& forecast_text, std::string& plan_text, const std::string& fc_id,
               const std::string& plan_id) {
  std::uniform_real_distribution<double> noise(0.9, 1.1);
  fc::Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  fc::CapacityPlan plan;
  plan.step = minutes{5};
  int peak = 0;
  for (int i = 0; i < kSteps; ++i) {
    const double hour = (i % 288) / 12.0;
    const double median = 3000 * (1 + 0.4 * std::sin(hour / 24 * 6.283)) * noise(random) +
                          (i > 1000 && i < 1100 ? 9000 : 0);
    const sys_seconds ts = start + minutes{5 * i};
    forecast.points.push_back({ts, median * 0.95, {median, median * 1.15, median * 1.35}});
    forecast.explanations.push_back(
        {median * 0.95, {{"microsoft-2026-12-08-release", median * 0.03}}, median * 0.02});
    fc::PlanBucket bucket;
    bucket.ts = ts;
    bucket.demand_logins_per_second = median * 1.35 / 300;
    bucket.units = static_cast<int>(std::ceil(bucket.demand_logins_per_second * 1.2 / 0.5));
    bucket.capacity_logins_per_second = bucket.units * 0.5;
    bucket.p_exceed = 0.004;
    peak = std::max(peak, bucket.units);
    plan.buckets.push_back(bucket);
  }
  plan.fallback_units = peak;
  const fc::ForecastRecord forecast_record{.id = fc_id,
                                           .series_id = series,
                                           .as_of = start,
                                           .generated_at = now,
                                           .step = minutes{5},
                                           .hypothetical = false,
                                           .forecast = forecast};
  forecast_text = patchcast::api::ForecastDocument(forecast_record).dump();
  const fc::PlanRecord record{.id = plan_id,
                              .series_id = series,
                              .forecast_id = fc_id,
                              .as_of = start,
                              .generated_at = now,
                              .valid_until = fc::PlanValidUntil(start, minutes{kSteps * 5}),
                              .quantile = 0.99,
                              .unit_capacity = 0.5,
                              .plan = std::move(plan)};
  plan_text = patchcast::api::PlanDocument(record).dump();
}

}  // namespace

int main(int argc, char** argv) {
  const int series_count = argc > 1 ? std::atoi(argv[1]) : 200;
  std::printf("metrics_bench on %s\n", patchcast::bench::MachineDescription().c_str());
  const auto dir = std::filesystem::temp_directory_path() /
                   ("patchcast-metrics-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    patchcast::storage::StoreOptions options;
    options.path = dir / "bench.db";
    auto store = OrDie(patchcast::storage::SqliteStore::Open(options), "open the store");
    patchcast::storage::SqliteSeriesRepository series(store->writes(), store->readers());
    patchcast::storage::SqliteDocumentRepository plans(fc::DocumentKind::kPlan, store->writes(),
                                                       store->readers());
    patchcast::storage::SqliteDocumentRepository forecasts(fc::DocumentKind::kForecast,
                                                           store->writes(), store->readers());
    patchcast::server::SystemClock clock;
    const sys_seconds now = std::chrono::floor<seconds>(clock.Now());
    const sys_seconds start = std::chrono::floor<minutes>(now) - minutes{60};

    std::mt19937 random(7);
    std::size_t plan_bytes = 0, forecast_bytes = 0;
    for (int s = 0; s < series_count; ++s) {
      char id[32];
      std::snprintf(id, sizeof id, "series-%03d", s);
      const std::vector<fc::Point> points = {{start - minutes{5}, 1}};
      OrDie(series.WritePoints({id, seconds{300}, "logins", "", {}}, points,
                               fc::OnConflict::kReplace),
            "write a series");
      std::string forecast_text, plan_text;
      Documents(id, start, now, random, forecast_text, plan_text, std::string("fc-") + id,
                std::string("plan-") + id);
      plan_bytes += plan_text.size();
      forecast_bytes += forecast_text.size();
      OrDie(forecasts.Save({.id = std::string("fc-") + id,
                            .series_id = id,
                            .generated_at = now,
                            .valid_until = std::nullopt,
                            .document = std::move(forecast_text)}),
            "save a forecast");
      OrDie(plans.Save({std::string("plan-") + id, id, now, now + std::chrono::hours{24},
                        std::move(plan_text)}),
            "save a plan");
    }
    std::printf("stored: %d series, each a plan (%.0f KiB) and a forecast (%.0f KiB) of %d steps\n",
                series_count, static_cast<double>(plan_bytes) / series_count / 1024,
                static_cast<double>(forecast_bytes) / series_count / 1024, kSteps);

    patchcast::server::HttpMetrics http;
    patchcast::server::SeriesGaugeCollector collector(plans, forecasts, clock);
    patchcast::server::MetricsExporter exporter(http, *store, "bench", &collector);

    const double rss_before = MaxRssMiB();
    // After a restart: scrapes until every document is digested, each within the budget.
    std::vector<double> warming;
    for (;;) {
      auto t0 = Steady::now();
      std::string text = exporter.RenderMetrics(kEveryone);
      warming.push_back(Millis(Steady::now() - t0).count());
      if (text.find("patchcast_series_documents_pending 0\n") != std::string::npos) break;
    }
    double warming_total = 0;
    for (double ms : warming) warming_total += ms;
    std::printf(
        "after a restart: %zu scrapes to digest every document (budget %zu MiB a scrape), "
        "longest %.0f ms, %.0f ms in all\n",
        warming.size(), patchcast::server::SeriesGaugeCollector::kDefaultDigestBytesPerScrape >> 20,
        *std::max_element(warming.begin(), warming.end()), warming_total);
    std::vector<double> warm;
    std::size_t lines = 0;
    for (int i = 0; i < 50; ++i) {
      auto t0 = Steady::now();
      std::string text = exporter.RenderMetrics(kEveryone);
      warm.push_back(Millis(Steady::now() - t0).count());
      lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    }
    std::sort(warm.begin(), warm.end());
    std::printf("steady scrape, median of 50: %.2f ms (min %.2f, max %.2f), %zu lines\n", warm[25],
                warm[0], warm[49], lines);
    std::printf("peak RSS grew by %.1f MiB over the scrapes (digests of %d plans and forecasts)\n",
                MaxRssMiB() - rss_before, series_count);

    // Without the digests: every scrape would read and parse every latest document.
    auto t0 = Steady::now();
    auto all_plans = OrDie(plans.LatestPerSeries(fc::WithDocuments::kYes), "list plans");
    auto all_forecasts =
        OrDie(forecasts.LatestPerSeries(fc::WithDocuments::kYes), "list forecasts");
    const double read_ms = Millis(Steady::now() - t0).count();
    std::size_t parsed = 0;
    for (const auto& plan : all_plans) {
      auto record = patchcast::api::ReadPlanDocument(plan.document);
      parsed += record && fc::ReplicasAt(*record, now).replicas >= 0;
    }
    for (const auto& forecast : all_forecasts) {
      parsed += nlohmann::json::parse(forecast.document).size() > 0;
    }
    const double naive_ms = Millis(Steady::now() - t0).count();
    std::printf(
        "for comparison, reading all %zu latest documents: %.1f ms; reading and parsing them: %.1f "
        "ms\n",
        parsed, read_ms, naive_ms);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
