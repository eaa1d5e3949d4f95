#include "server/metrics.h"

#include <charconv>
#include <cmath>

namespace patchcast::server {
namespace {

void AppendHeader(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// The shortest text that reads back as `value` ("0.0005", not "0.00050000000000000001").
std::string FormatNumber(double value) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, value, std::chars_format::general);
  return error == std::errc() ? std::string(text, end) : "NaN";
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\') {
      escaped += "\\\\";
    } else if (c == '"') {
      escaped += "\\\"";
    } else if (c == '\n') {
      escaped += "\\n";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

void HttpMetrics::RequestFinished(const std::string& route, const std::string& method, int status,
                                  double seconds) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  Histogram& histogram = durations_[route];
  if (bucket < kBuckets.size()) ++histogram.buckets[bucket];
  ++histogram.count;
  histogram.sum += seconds;
}

void HttpMetrics::Render(std::string& out) const {
  std::lock_guard lock(mutex_);
  AppendHeader(out, "patchcast_http_requests_total", "counter",
               "HTTP requests answered, by route template, method and status.");
  for (const auto& [key, count] : requests_) {
    const auto& [route, method, status] = key;
    out += "patchcast_http_requests_total{route=\"" + EscapeLabelValue(route) + "\",method=\"" +
           EscapeLabelValue(method) + "\",status=\"" + std::to_string(status) + "\"} " +
           std::to_string(count) + "\n";
  }
  AppendHeader(out, "patchcast_http_request_duration_seconds", "histogram",
               "Time from a request's headers to its response being written, by route template.");
  for (const auto& [route, histogram] : durations_) {
    const std::string label = "route=\"" + EscapeLabelValue(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += histogram.buckets[i];
      out += "patchcast_http_request_duration_seconds_bucket{" + label + ",le=\"" +
             FormatNumber(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += "patchcast_http_request_duration_seconds_bucket{" + label + ",le=\"+Inf\"} " +
           std::to_string(histogram.count) + "\n";
    out += "patchcast_http_request_duration_seconds_sum{" + label + "} " +
           FormatNumber(histogram.sum) + "\n";
    out += "patchcast_http_request_duration_seconds_count{" + label + "} " +
           std::to_string(histogram.count) + "\n";
  }
  AppendHeader(out, "patchcast_http_requests_in_flight", "gauge",
               "Requests whose headers have been read and whose response is not yet written.");
  out += "patchcast_http_requests_in_flight " + std::to_string(in_flight()) + "\n";
  AppendHeader(out, "patchcast_http_connections_waiting", "gauge",
               "Connections open and waiting for a request's head, without a worker: idle "
               "between requests, or receiving one.");
  out += "patchcast_http_connections_waiting " +
         std::to_string(connections_waiting_.load(std::memory_order_relaxed)) + "\n";
}

void RenderSeriesGauges(const SeriesGaugeSnapshot& snapshot, std::string& out) {
  const auto series_label = [](const std::string& series) {
    return "{series=\"" + EscapeLabelValue(series) + "\"";
  };
  AppendHeader(out, "patchcast_planned_units", "gauge",
               "Units the series' latest plan wants in service now, as GET "
               "/v1/series/{id}/plan/current answers: never below the plan's fallback once stale.");
  for (const auto& plan : snapshot.plans) {
    out += "patchcast_planned_units" + series_label(plan.series) + "} " +
           std::to_string(plan.gauges.replicas) + "\n";
  }
  AppendHeader(out, "patchcast_plan_age_seconds", "gauge",
               "Seconds since the series' latest plan was generated.");
  for (const auto& plan : snapshot.plans) {
    out += "patchcast_plan_age_seconds" + series_label(plan.series) + "} " +
           std::to_string(plan.gauges.age.count()) + "\n";
  }
  AppendHeader(out, "patchcast_plan_stale", "gauge",
               "1 when the series' latest plan is past its valid_until, else 0.");
  for (const auto& plan : snapshot.plans) {
    out += "patchcast_plan_stale" + series_label(plan.series) + "} " +
           (plan.gauges.stale ? "1" : "0") + "\n";
  }
  AppendHeader(
      out, "patchcast_forecast_demand", "gauge",
      "Logins the series' latest forecast expects in the step containing now, at the "
      "quantile `level`: a count per forecast step (patchcast_forecast_step_seconds), not a rate. "
      "Absent when no forecast step contains now.");
  for (const auto& forecast : snapshot.forecasts) {
    for (const forecasting::LevelValue& demand : forecast.demand) {
      out += "patchcast_forecast_demand" + series_label(forecast.series) + ",level=\"" +
             FormatNumber(demand.quantile) + "\"} " + FormatNumber(demand.logins_per_step) + "\n";
    }
  }
  AppendHeader(out, "patchcast_forecast_step_seconds", "gauge",
               "Step of the series' latest forecast, over which patchcast_forecast_demand counts.");
  for (const auto& forecast : snapshot.forecasts) {
    out += "patchcast_forecast_step_seconds" + series_label(forecast.series) + "} " +
           std::to_string(forecast.step.count()) + "\n";
  }
  AppendHeader(out, "patchcast_series_document_errors", "gauge",
               "Latest plans and forecasts this scrape could not turn into gauges (a store error "
               "or a malformed document).");
  out += "patchcast_series_document_errors " + std::to_string(snapshot.failed_documents) + "\n";
  AppendHeader(out, "patchcast_series_documents_pending", "gauge",
               "Latest plans and forecasts left for a later scrape to read (after a restart, a "
               "scrape reads a bounded amount of documents).");
  out += "patchcast_series_documents_pending " + std::to_string(snapshot.pending_documents) + "\n";
}

void RenderScheduleMetrics(const forecasting::RunLog& runs, const api::Principal& viewer,
                           std::string& out) {
  auto tallies = runs.Tallies();
  auto successes = runs.LastSuccesses();
  AppendHeader(out, "patchcast_schedule_runs_total", "counter",
               "Scheduled and on-demand runs of the series' forecast and plan, by trigger and "
               "status (GET /v1/series/{id}/runs).");
  for (const forecasting::RunTally& tally :
       tallies ? *tallies : std::vector<forecasting::RunTally>{}) {
    if (!viewer.MaySee(tally.series_id)) continue;
    out += "patchcast_schedule_runs_total{series=\"" + EscapeLabelValue(tally.series_id) +
           "\",trigger=\"" + std::string(forecasting::ToString(tally.trigger)) + "\",status=\"" +
           std::string(forecasting::ToString(tally.status)) + "\"} " + std::to_string(tally.count) +
           "\n";
  }
  AppendHeader(out, "patchcast_schedule_last_success_timestamp_seconds", "gauge",
               "When the series' latest successful run finished (Unix seconds).");
  for (const forecasting::LastSuccess& success :
       successes ? *successes : std::vector<forecasting::LastSuccess>{}) {
    if (!viewer.MaySee(success.series_id)) continue;
    out += "patchcast_schedule_last_success_timestamp_seconds{series=\"" +
           EscapeLabelValue(success.series_id) + "\"} " +
           std::to_string(success.finished.time_since_epoch().count()) + "\n";
  }
}

namespace {

// The event of `card` scored last that has a peak error, if any.
const forecasting::EventAccuracy* LastScoredEvent(const forecasting::ForecastScorecard& card) {
  for (auto event = card.events.rbegin(); event != card.events.rend(); ++event) {
    if (std::isfinite(event->forecast.peak_error)) return &*event;
  }
  return nullptr;
}

void AppendSample(std::string& out, std::string_view name, const std::string& labels,
                  double value) {
  if (!std::isfinite(value)) return;
  out += std::string(name) + "{" + labels + "} " + FormatNumber(value) + "\n";
}

}  // namespace

void RenderAccuracyMetrics(const forecasting::ScorecardStore& scorecards,
                           const api::Principal& viewer, std::string& out) {
  auto latest = scorecards.LatestPerSeries();
  std::vector<forecasting::ForecastScorecard> cards;
  if (latest) {
    for (auto& card : *latest) {
      if (viewer.MaySee(card.series_id)) cards.push_back(std::move(card));
    }
  }
  const auto series = [](const forecasting::ForecastScorecard& card) {
    return "series=\"" + EscapeLabelValue(card.series_id) + "\"";
  };
  AppendHeader(out, "patchcast_forecast_peak_error_ratio", "gauge",
               "(forecast p50 peak - actual peak) / actual peak of the last event scored in the "
               "series' latest scored forecast: -0.05 is 5 % under.");
  for (const auto& card : cards) {
    if (const auto* event = LastScoredEvent(card)) {
      AppendSample(out, "patchcast_forecast_peak_error_ratio", series(card),
                   event->forecast.peak_error);
    }
  }
  AppendHeader(out, "patchcast_forecast_mape_ratio", "gauge",
               "Mean absolute percentage error (as a ratio) of the series' latest scored "
               "forecast, over its whole horizon (window=\"horizon\") and over its last scored "
               "event (window=\"event\").");
  for (const auto& card : cards) {
    AppendSample(out, "patchcast_forecast_mape_ratio", series(card) + ",window=\"horizon\"",
                 card.forecast.mape);
    if (const auto* event = LastScoredEvent(card)) {
      AppendSample(out, "patchcast_forecast_mape_ratio", series(card) + ",window=\"event\"",
                   event->forecast.mape);
    }
  }
  AppendHeader(out, "patchcast_forecast_coverage_ratio", "gauge",
               "Share of the steps of the series' latest scored forecast whose actual was at or "
               "below the forecast's quantile; calibrated is about the quantile itself.");
  for (const auto& card : cards) {
    AppendSample(out, "patchcast_forecast_coverage_ratio", series(card) + ",level=\"0.5\"",
                 card.forecast.coverage_p50);
    AppendSample(out, "patchcast_forecast_coverage_ratio", series(card) + ",level=\"0.9\"",
                 card.forecast.coverage_p90);
    AppendSample(out, "patchcast_forecast_coverage_ratio", series(card) + ",level=\"0.99\"",
                 card.forecast.coverage_p99);
  }
}

void RenderSurgeMetrics(const forecasting::SurgeAlertLog& surges, const api::Principal& viewer,
                        std::string& out) {
  auto states = surges.States();
  AppendHeader(out, "patchcast_surge_above_forecast", "gauge",
               "1 while a release's surge is above the forecast in force when it began (actual "
               "over p99 for 3 steps in a row, or over 1.5 x p90), else 0 "
               "(GET /v1/series/{id}/alerts).");
  for (const forecasting::SurgeState& state :
       states ? *states : std::vector<forecasting::SurgeState>{}) {
    if (!viewer.MaySee(state.series_id)) continue;
    out += "patchcast_surge_above_forecast{series=\"" + EscapeLabelValue(state.series_id) + "\"} " +
           (state.above_forecast ? "1" : "0") + "\n";
  }
}

std::string MetricsExporter::RenderMetrics(const api::Principal& viewer) const {
  std::string out;
  http_.Render(out);
  Result<StorageStatus> status = storage_.Status();
  AppendHeader(out, "patchcast_database_bytes", "gauge",
               "On-disk size of the database, including its write-ahead log.");
  out += "patchcast_database_bytes " + std::to_string(status ? status->size_bytes : 0) + "\n";
  AppendHeader(out, "patchcast_database_schema_version", "gauge",
               "Schema migrations applied to the database.");
  out += "patchcast_database_schema_version " +
         std::to_string(status ? status->schema_version : 0) + "\n";
  AppendHeader(out, "patchcast_build_info", "gauge", "Build of this process; the value is 1.");
  out += "patchcast_build_info{version=\"" + EscapeLabelValue(version_) + "\",compiler=\"" +
         EscapeLabelValue(__VERSION__) + "\"} 1\n";
  if (heavy_work_) {
    AppendHeader(
        out, "patchcast_heavy_work_slots", "gauge",
        "Forecasts, plans, backtests and simulations run at once at most (--heavy-slots).");
    out += "patchcast_heavy_work_slots " + std::to_string(heavy_work_->slots()) + "\n";
    AppendHeader(out, "patchcast_heavy_work_in_use", "gauge",
                 "Heavy-work slots held by requests now.");
    out += "patchcast_heavy_work_in_use " + std::to_string(heavy_work_->in_use()) + "\n";
    AppendHeader(out, "patchcast_heavy_work_refused_total", "counter",
                 "Heavy requests answered 503 because no slot freed within --heavy-wait.");
    out += "patchcast_heavy_work_refused_total " + std::to_string(heavy_work_->refused()) + "\n";
  }
  if (series_) RenderSeriesGauges(VisibleTo(series_->Collect(), viewer), out);
  if (accountability_.runs) RenderScheduleMetrics(*accountability_.runs, viewer, out);
  if (accountability_.scorecards) {
    RenderAccuracyMetrics(*accountability_.scorecards, viewer, out);
  }
  if (accountability_.surges) RenderSurgeMetrics(*accountability_.surges, viewer, out);
  return out;
}

}  // namespace patchcast::server
