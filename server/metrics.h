// Prometheus metrics of the HTTP layer, and the exporter behind GET /metrics.
//
// Text exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
// Route labels are route templates ("/v1/series/{id}"), never raw paths, so cardinality stays
// bounded whatever clients send. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "api/metrics_source.h"
#include "forecasting/run_log.h"
#include "forecasting/scorecard_store.h"
#include "forecasting/storage.h"
#include "forecasting/surge_alert_log.h"
#include "server/series_gauge_collector.h"
#include "server/work_slots.h"

namespace patchcast::server {

class HttpMetrics {
 public:
  // Upper bounds of the latency histogram's buckets, in seconds.
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void RequestStarted() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  // Counts a finished request: `route` is its template, or "unmatched".
  void RequestFinished(const std::string& route, const std::string& method, int status,
                       double seconds);

  std::int64_t in_flight() const { return in_flight_.load(std::memory_order_relaxed); }

  // Connections open and waiting for a request's head (idle between requests, or receiving one)
  // change by `delta`: each head waiter tells its own changes.
  void AddConnectionsWaiting(std::int64_t delta) {
    connections_waiting_.fetch_add(delta, std::memory_order_relaxed);
  }

  // Appends the HTTP families to `out`.
  void Render(std::string& out) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // not cumulative; summed on render
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> durations_;
  std::atomic<std::int64_t> in_flight_{0};
  std::atomic<std::int64_t> connections_waiting_{0};
};

// Renders the HTTP families, the database's, the build's and, given a collector, the per-series
// plan and forecast gauges: patchcast_planned_units, patchcast_plan_age_seconds,
// patchcast_plan_stale, patchcast_forecast_demand{level}, patchcast_forecast_step_seconds
// (all labelled by series, and only for the series the viewer may see),
// patchcast_series_document_errors and patchcast_series_documents_pending (process-wide counts),
// given the heavy-work slots, patchcast_heavy_work_slots, patchcast_heavy_work_in_use and
// patchcast_heavy_work_refused_total, and, given the log of scheduled runs,
// patchcast_schedule_runs_total{series,trigger,status} and
// patchcast_schedule_last_success_timestamp_seconds{series}, and, given the scorecards, each
// series' latest scored forecast: patchcast_forecast_peak_error_ratio{series} (its last scored
// event), patchcast_forecast_mape_ratio{series,window} (window "horizon" or "event") and
// patchcast_forecast_coverage_ratio{series,level} (over its horizon; `level`, not `quantile`,
// which promtool refuses on a gauge), and, given the surge alerts,
// patchcast_surge_above_forecast{series}.
// Where the families of issue 15 come from; each may be null (its families are then left out).
struct AccountabilitySources {
  const forecasting::RunLog* runs = nullptr;
  const forecasting::ScorecardStore* scorecards = nullptr;
  const forecasting::SurgeAlertLog* surges = nullptr;
};

class MetricsExporter : public api::MetricsSource {
 public:
  // References (and `series`, `heavy_work` and the accountability sources, when not null) must
  // outlive the exporter.
  MetricsExporter(const HttpMetrics& http, const Storage& storage, std::string version,
                  const SeriesGaugeCollector* series = nullptr,
                  const WorkSlots* heavy_work = nullptr, AccountabilitySources accountability = {})
      : http_(http),
        storage_(storage),
        version_(std::move(version)),
        series_(series),
        heavy_work_(heavy_work),
        accountability_(accountability) {}

  std::string RenderMetrics(const api::Principal& viewer) const override;

 private:
  const HttpMetrics& http_;
  const Storage& storage_;
  std::string version_;
  const SeriesGaugeCollector* series_;
  const WorkSlots* heavy_work_;
  AccountabilitySources accountability_;
};

// Appends the scheduled runs' families, for the series `viewer` may see, to `out`. The counts come
// from the log, so they hold across restarts and replicas (a log that drops its oldest runs lowers
// a count, which Prometheus reads as a counter reset).
void RenderScheduleMetrics(const forecasting::RunLog& runs, const api::Principal& viewer,
                           std::string& out);

// Appends patchcast_surge_above_forecast{series} (1 while a surge above forecast is open, else 0)
// for the series with alerts that `viewer` may see, to `out`.
void RenderSurgeMetrics(const forecasting::SurgeAlertLog& surges, const api::Principal& viewer,
                        std::string& out);

// Appends the accuracy families of each series' latest scorecard, for the series `viewer` may
// see, to `out`. What a scorecard could not score (NaN) is left out.
void RenderAccuracyMetrics(const forecasting::ScorecardStore& scorecards,
                           const api::Principal& viewer, std::string& out);

// Appends the per-series families of `snapshot` to `out`, with their HELP and TYPE lines.
void RenderSeriesGauges(const SeriesGaugeSnapshot& snapshot, std::string& out);

// Escapes a label value: backslash, double quote and line feed, as the format requires.
std::string EscapeLabelValue(std::string_view value);

}  // namespace patchcast::server
