#include "api/forecast_document.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "api/document_members.h"
#include "api/forecast_json.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using forecasting::EventForecast;
using forecasting::ForecastPoint;
using forecasting::PointExplanation;
using nlohmann::json;

// Demand to a hundredth of a login: more digits are noise, and they triple the document's size.
double Hundredths(double value) { return std::round(value * 100) / 100; }
double Thousandths(double value) { return std::round(value * 1000) / 1000; }

std::vector<std::string> QuantileKeys(const std::vector<double>& levels) {
  std::vector<std::string> keys;
  for (double level : levels) keys.push_back(QuantileKey(level));
  return keys;
}

json ExplanationJson(const PointExplanation& why) {
  json uplift = json::object();
  for (const auto& [event_id, value] : why.uplifts) uplift[event_id] = Hundredths(value);
  return {{"baseline", Hundredths(why.baseline)},
          {"uplift", std::move(uplift)},
          {"severity", Hundredths(why.severity_term)}};
}

json EventJson(const EventForecast& event, const std::vector<std::string>& keys) {
  json peak = {{"ts", FormatRfc3339(event.peak.ts)},
               {"window",
                {{"p10", FormatRfc3339(event.peak.window.p10)},
                 {"p90", FormatRfc3339(event.peak.window.p90)}}}};
  for (std::size_t q = 0; q < keys.size(); ++q) peak[keys[q]] = Hundredths(event.peak.quantiles[q]);
  return {{"id", event.id},
          {"calendar", event.calendar_id},
          {"kind", calendars::ToString(event.kind)},
          {"start", FormatRfc3339(event.start)},
          {"peak", std::move(peak)},
          {"lift_p50", event.lift_p50},
          {"magnitude", event.magnitude},
          {"observed_share", Thousandths(event.observed_share)},
          {"observed_scale", Thousandths(event.observed_scale)},
          {"observed_zones", event.observed_zones},
          {"prior_weight", event.prior_weight},
          {"events_used", event.events_used}};
}

// Reads the members named by `keys` into `values`, one a level.
void ReadLevels(DocumentMembers& members, const std::vector<std::string>& keys,
                std::vector<double>& values) {
  values.assign(keys.size(), 0);
  for (std::size_t q = 0; q < keys.size(); ++q) members.Read(keys[q].c_str(), values[q]);
}

void ReadExplanation(DocumentMembers members, PointExplanation& why) {
  members.Read("baseline", why.baseline);
  members.Read("severity", why.severity_term);
  const json* uplift = members.Object("uplift");
  if (uplift == nullptr) return;
  for (const auto& [event_id, value] : uplift->items()) {
    if (!value.is_number()) return members.Fail("uplift", "not a map of numbers");
    why.uplifts.push_back({event_id, value.get<double>()});
  }
}

void ReadPoint(DocumentMembers members, const json& object, const std::vector<std::string>& keys,
               ForecastPoint& point, std::optional<std::string>& failure,
               std::vector<PointExplanation>& explanations) {
  members.Read("ts", point.ts);
  members.Read("baseline", point.baseline);
  ReadLevels(members, keys, point.quantiles);
  if (!object.contains("explain")) return;
  if (const json* explain = members.Object("explain")) {
    explanations.emplace_back();
    ReadExplanation(DocumentMembers(*explain, "an explanation ", failure), explanations.back());
  }
}

void ReadEvent(DocumentMembers members, const std::vector<std::string>& keys, EventForecast& event,
               std::optional<std::string>& failure) {
  members.Read("id", event.id);
  members.Read("calendar", event.calendar_id);
  std::string kind;
  members.Read("kind", kind);
  if (!members.failed()) {
    auto parsed = calendars::ParseEventKind(kind);
    if (parsed) {
      event.kind = *parsed;
    } else {
      members.Fail("kind", "not an event kind");
    }
  }
  members.Read("start", event.start);
  members.Read("lift_p50", event.lift_p50);
  members.Read("magnitude", event.magnitude);
  members.ReadIfPresent("observed_share", event.observed_share);
  members.ReadIfPresent("observed_scale", event.observed_scale);
  members.ReadIfPresent("observed_zones", event.observed_zones);
  members.ReadIfPresent("prior_weight", event.prior_weight);
  members.ReadIfPresent("events_used", event.events_used);
  const json* peak = members.Object("peak");
  if (peak == nullptr) return;
  DocumentMembers peak_members(*peak, "event '" + event.id + "' peak ", failure);
  peak_members.Read("ts", event.peak.ts);
  ReadLevels(peak_members, keys, event.peak.quantiles);
  if (const json* window = peak_members.Object("window")) {
    DocumentMembers window_members(*window, "event '" + event.id + "' peak window ", failure);
    window_members.Read("p10", event.peak.window.p10);
    window_members.Read("p90", event.peak.window.p90);
  }
}

void ReadModel(DocumentMembers members, forecasting::ModelSummary& model) {
  std::string kind;
  members.Read("kind", kind);
  bool known = false;
  for (auto candidate : {forecasting::ModelKind::kLearned, forecasting::ModelKind::kPrior,
                         forecasting::ModelKind::kBlended}) {
    if (kind == forecasting::ToString(candidate)) {
      model.kind = candidate;
      known = true;
    }
  }
  if (!known) members.Fail("kind", "not learned, prior or blended");
  members.Read("events_used", model.events_used);
  members.Read("prior_weight", model.prior_weight);
  members.Read("history_from", model.history_from);
  members.Read("history_to", model.history_to);
}

void ReadHeader(DocumentMembers& top, forecasting::ForecastRecord& record) {
  top.Read("id", record.id);
  top.Read("series", record.series_id);
  top.Read("as_of", record.as_of);
  top.Read("generated_at", record.generated_at);
  int step = 0;
  top.Read("step_seconds", step);
  if (step < 1) top.Fail("step_seconds", "below 1");
  record.step = std::chrono::seconds{step};
  top.ReadIfPresent("hypothetical", record.hypothetical);
}

// The quantile levels: ascending, in (0, 1).
void ReadQuantileLevels(DocumentMembers& top, std::vector<double>& levels) {
  const json* quantiles = top.Array("quantiles");
  if (quantiles == nullptr) return;
  for (const json& level : *quantiles) {
    const bool in_range = level.is_number() && level.get<double>() > 0 && level.get<double>() < 1;
    if (!in_range || (!levels.empty() && level.get<double>() <= levels.back())) {
      return top.Fail("quantiles", "not ascending levels in (0, 1)");
    }
    levels.push_back(level.get<double>());
  }
}

// The points in order of ts, with their explanations (all or none).
void ReadPoints(const json& array, const std::vector<std::string>& keys,
                forecasting::Forecast& forecast, std::optional<std::string>& failure) {
  forecast.points.resize(array.size());
  for (std::size_t i = 0; i < array.size() && !failure; ++i) {
    auto members = DocumentMembers::Element(array, i, "point", failure);
    if (!members) break;
    ReadPoint(*members, array[i], keys, forecast.points[i], failure, forecast.explanations);
    if (!failure && i > 0 && forecast.points[i].ts <= forecast.points[i - 1].ts) {
      failure = "point " + std::to_string(i) + " does not start after the one before";
    }
  }
  if (!failure && !forecast.explanations.empty() &&
      forecast.explanations.size() != forecast.points.size()) {
    failure = "some points are explained and others not";
  }
}

void ReadEvents(const json& array, const std::vector<std::string>& keys,
                std::vector<EventForecast>& events, std::optional<std::string>& failure) {
  events.resize(array.size());
  for (std::size_t i = 0; i < array.size() && !failure; ++i) {
    if (auto members = DocumentMembers::Element(array, i, "event", failure)) {
      ReadEvent(*members, keys, events[i], failure);
    }
  }
}

void ReadForecast(DocumentMembers& top, forecasting::Forecast& forecast,
                  std::optional<std::string>& failure) {
  ReadQuantileLevels(top, forecast.quantile_levels);
  const std::vector<std::string> keys = QuantileKeys(forecast.quantile_levels);
  if (const json* points = top.Array("points")) ReadPoints(*points, keys, forecast, failure);
  if (const json* events = top.Array("events")) ReadEvents(*events, keys, forecast.events, failure);
  if (const json* model = top.Object("model")) {
    ReadModel(DocumentMembers(*model, "model ", failure), forecast.model);
  }
}

}  // namespace

json ForecastDocument(const forecasting::ForecastRecord& record) {
  const forecasting::Forecast& forecast = record.forecast;
  const std::vector<std::string> keys = QuantileKeys(forecast.quantile_levels);
  json points = json::array();
  for (std::size_t i = 0; i < forecast.points.size(); ++i) {
    const ForecastPoint& point = forecast.points[i];
    json row = {{"ts", FormatRfc3339(point.ts)}, {"baseline", Hundredths(point.baseline)}};
    for (std::size_t q = 0; q < keys.size(); ++q) row[keys[q]] = Hundredths(point.quantiles[q]);
    if (i < forecast.explanations.size()) {
      row["explain"] = ExplanationJson(forecast.explanations[i]);
    }
    points.push_back(std::move(row));
  }
  json events = json::array();
  for (const EventForecast& event : forecast.events) events.push_back(EventJson(event, keys));
  const forecasting::ModelSummary& model = forecast.model;
  return {{"id", record.id},
          {"series", record.series_id},
          {"as_of", FormatRfc3339(record.as_of)},
          {"generated_at", FormatRfc3339(record.generated_at)},
          {"step_seconds", record.step.count()},
          {"hypothetical", record.hypothetical},
          {"quantiles", forecast.quantile_levels},
          {"points", std::move(points)},
          {"events", std::move(events)},
          {"model",
           {{"kind", forecasting::ToString(model.kind)},
            {"events_used", model.events_used},
            {"prior_weight", model.prior_weight},
            {"history_from", FormatRfc3339(model.history_from)},
            {"history_to", FormatRfc3339(model.history_to)}}}};
}

Result<forecasting::ForecastRecord> ReadForecastDocument(std::string_view text) {
  return ReadStoredDocument<forecasting::ForecastRecord>(
      text, "forecast",
      [](DocumentMembers& top, forecasting::ForecastRecord& record,
         std::optional<std::string>& failure) {
        ReadHeader(top, record);
        ReadForecast(top, record.forecast, failure);
      });
}

std::string ForecastCsv(const forecasting::ForecastRecord& record) {
  const forecasting::Forecast& forecast = record.forecast;
  std::string csv = "ts,baseline";
  for (const std::string& key : QuantileKeys(forecast.quantile_levels)) csv += "," + key;
  csv += "\n";
  for (const ForecastPoint& point : forecast.points) {
    csv += FormatRfc3339(point.ts) + "," + json(Hundredths(point.baseline)).dump();
    for (double value : point.quantiles) csv += "," + json(Hundredths(value)).dump();
    csv += "\n";
  }
  return csv;
}

}  // namespace patchcast::api
