#include "api/forecast_json.h"

#include <charconv>
#include <cmath>

#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/point_text.h"
#include "api/quoted_input.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

json Number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

Result<std::vector<std::string>> Calendars(const json& body) {
  auto calendars = StringArrayField(body, "calendars");
  if (!calendars) return calendars.error();
  if (!calendars->has_value()) return std::vector<std::string>{"microsoft"};
  if ((*calendars)->empty()) return InvalidArgument("field 'calendars' must not be empty");
  return std::move(**calendars);
}

Result<std::chrono::seconds> Horizon(const json& body) {
  auto hours = IntegerField(body, "horizon_hours", 1, kMaxHorizon.count());
  if (!hours) return hours.error();
  return std::chrono::seconds{std::chrono::hours{hours->value_or(168)}};
}

json ScoreJson(const forecasting::MethodScore& score) {
  return {{"peak_error_pct", Number(score.peak_error_pct)},
          {"peak_timing_error_minutes", Number(score.peak_timing_error_minutes)},
          {"mape_pct", Number(score.mape_pct)},
          {"coverage_p90", Number(score.coverage_p90)},
          {"coverage_p99", Number(score.coverage_p99)}};
}

json SummaryMethodJson(const forecasting::BacktestSummary::Method& method) {
  return {{"median_abs_peak_error_pct", Number(method.median_abs_peak_error_pct)},
          {"median_abs_timing_error_minutes", Number(method.median_abs_timing_error_minutes)},
          {"median_mape_pct", Number(method.median_mape_pct)},
          {"coverage_p90", Number(method.coverage_p90)},
          {"coverage_p99", Number(method.coverage_p99)}};
}

}  // namespace

Result<forecasting::ForecastQuery> ParseForecastRequest(const std::string& series_id,
                                                        const json& body) {
  if (Status known = RejectUnknownFields(
          body, {"horizon_hours", "as_of", "quantiles", "calendars", "what_if"});
      !known) {
    return known.error();
  }
  forecasting::ForecastQuery request;
  request.series_id = series_id;
  auto horizon = Horizon(body);
  if (!horizon) return horizon.error();
  request.horizon = *horizon;
  auto as_of = StringField(body, "as_of");
  if (!as_of) return as_of.error();
  if (as_of->has_value()) {
    auto instant = ParseRfc3339Seconds(**as_of);
    if (!instant) return FieldError("as_of", instant.error());
    request.as_of = *instant;
  }
  if (auto it = body.find("quantiles"); it != body.end()) {
    if (!it->is_array() || it->empty() || it->size() > 10) {
      return InvalidArgument("field 'quantiles' must be an array of 1 to 10 numbers");
    }
    request.quantiles.clear();
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& level = (*it)[i];
      if (!level.is_number() || !(level.get<double>() > 0 && level.get<double>() < 1)) {
        return InvalidArgument("field 'quantiles'[" + std::to_string(i) +
                               "] must be a number in (0, 1), not " + QuotedInput(level.dump()));
      }
      // Documents name a level by QuantileKey; two levels under one name would share a column.
      for (std::size_t j = 0; j < i; ++j) {
        const double earlier = request.quantiles[j];
        if (earlier != level.get<double>() &&
            QuantileKey(earlier) == QuantileKey(level.get<double>())) {
          return InvalidArgument("field 'quantiles'[" + std::to_string(i) + "] is too close to [" +
                                 std::to_string(j) + "]: both would be named " +
                                 QuantileKey(earlier));
        }
      }
      request.quantiles.push_back(level.get<double>());
    }
  }
  auto calendars = Calendars(body);
  if (!calendars) return calendars.error();
  request.calendars = std::move(*calendars);
  if (auto it = body.find("what_if"); it != body.end()) {
    if (!it->is_object()) return InvalidArgument("field 'what_if' must be an object");
    if (Status known = RejectUnknownFields(*it, {"event_id", "multiplier"}); !known) {
      return FieldError("what_if", known.error());
    }
    auto event_id = Required(StringField(*it, "event_id"), "what_if.event_id");
    if (!event_id) return event_id.error();
    auto multiplier = it->find("multiplier");
    if (multiplier == it->end() || !multiplier->is_number() ||
        !(multiplier->get<double>() >= 0 && multiplier->get<double>() <= 100)) {
      return InvalidArgument("field 'what_if.multiplier' must be a number from 0 to 100");
    }
    request.what_if.push_back({*event_id, multiplier->get<double>()});
  }
  return request;
}

Result<forecasting::BacktestQuery> ParseBacktestRequest(const std::string& series_id,
                                                        const json& body) {
  if (Status known = RejectUnknownFields(body, {"events", "horizon_hours", "calendars"}); !known) {
    return known.error();
  }
  forecasting::BacktestQuery request;
  request.series_id = series_id;
  auto events = IntegerField(body, "events", 1, 60);
  if (!events) return events.error();
  request.events = static_cast<std::size_t>(events->value_or(12));
  auto horizon = Horizon(body);
  if (!horizon) return horizon.error();
  request.horizon = *horizon;
  auto calendars = Calendars(body);
  if (!calendars) return calendars.error();
  request.calendars = std::move(*calendars);
  return request;
}

std::string QuantileKey(double level) {
  const double percent = std::round(level * 100 * 1e6) / 1e6;
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, percent);
  return "p" + std::string(text, error == std::errc() ? end : text);
}

json BacktestJson(const std::string& series, const forecasting::BacktestResult& result) {
  json events = json::array();
  for (const forecasting::EventScorecard& card : result.events) {
    events.push_back({{"event_id", card.event_id},
                      {"start", FormatRfc3339(card.start)},
                      {"as_of", FormatRfc3339(card.as_of)},
                      {"actual_peak", card.actual_peak},
                      {"actual_peak_ts", FormatRfc3339(card.actual_peak_ts)},
                      {"window_steps", card.window_steps},
                      {"model_kind", forecasting::ToString(card.model_kind)},
                      {"events_used", card.events_used},
                      {"model", ScoreJson(card.model)},
                      {"baseline_only", ScoreJson(card.baseline_only)},
                      {"seasonal_naive", ScoreJson(card.seasonal_naive)}});
  }
  const forecasting::BacktestSummary& summary = result.summary;
  return {{"series", series},
          {"events", std::move(events)},
          {"summary",
           {{"events", summary.events},
            {"model", SummaryMethodJson(summary.model)},
            {"baseline_only", SummaryMethodJson(summary.baseline_only)},
            {"seasonal_naive", SummaryMethodJson(summary.seasonal_naive)}}}};
}

}  // namespace patchcast::api
