#include "api/series_json.h"

#include <charconv>
#include <cmath>

#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

json OptionalInstant(const std::optional<std::chrono::sys_seconds>& instant) {
  return instant ? json(FormatRfc3339(*instant)) : json(nullptr);
}

// Appends `value` in its shortest round-trip form ("1234", "0.5").
void AppendNumber(std::string& out, double value) {
  char text[32];
  auto [end, error] = std::to_chars(text, text + sizeof text, value);
  out.append(text, error == std::errc() ? end : text);
}

Result<std::vector<forecasting::ZoneShare>> ParseZoneMix(const json& body) {
  std::vector<forecasting::ZoneShare> mix;
  auto it = body.find("zone_mix");
  if (it == body.end() || it->is_null()) return mix;
  if (!it->is_array()) {
    return InvalidArgument(std::string("field 'zone_mix' must be an array, not ") +
                           it->type_name());
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& entry = (*it)[i];
    const std::string where = "zone_mix[" + std::to_string(i) + "]";
    if (!entry.is_object()) return InvalidArgument(where + " must be an object");
    if (Status known = RejectUnknownFields(entry, {"timezone", "share"}); !known) {
      return InvalidArgument(where + ": " + known.error().message);
    }
    auto zone = entry.find("timezone");
    auto share = entry.find("share");
    if (zone == entry.end() || !zone->is_string()) {
      return InvalidArgument(where + ": 'timezone' must be a string");
    }
    if (share == entry.end() || !share->is_number()) {
      return InvalidArgument(where + ": 'share' must be a number");
    }
    mix.push_back({zone->get<std::string>(), share->get<double>()});
  }
  return mix;
}

}  // namespace

json SummaryJson(const forecasting::SeriesSummary& summary) {
  const forecasting::SeriesMetadata& metadata = summary.metadata;
  json zones = json::array();
  for (const auto& [zone, share] : metadata.zone_mix) {
    zones.push_back({{"timezone", zone}, {"share", share}});
  }
  const auto step = metadata.step_seconds.count();
  return {{"id", metadata.id},
          {"step_seconds", step > 0 ? json(step) : json(nullptr)},
          {"unit", metadata.unit},
          {"description", metadata.description},
          {"zone_mix", std::move(zones)},
          {"point_count", summary.point_count},
          {"first", OptionalInstant(summary.first)},
          {"last", OptionalInstant(summary.last)},
          {"gaps", {{"missing_steps", summary.missing_steps()}}}};
}

Result<forecasting::SeriesMetadata> ParseSeriesMetadata(const std::string& id, const json& body) {
  if (Status known = RejectUnknownFields(body, {"step_seconds", "unit", "description", "zone_mix"});
      !known) {
    return known.error();
  }
  forecasting::SeriesMetadata metadata;
  metadata.id = id;
  auto step = IntegerField(body, "step_seconds", 1, 86400);
  if (!step) return step.error();
  metadata.step_seconds = std::chrono::seconds{step->value_or(0)};
  // The domain allows a shorter unit (ValidateSeriesMetadata) and says so.
  auto unit = StringField(body, "unit", kMaxTextBytes);
  if (!unit) return unit.error();
  metadata.unit = unit->value_or("");
  auto description = StringField(body, "description", kMaxTextBytes);
  if (!description) return description.error();
  metadata.description = description->value_or("");
  auto mix = ParseZoneMix(body);
  if (!mix) return mix.error();
  metadata.zone_mix = std::move(*mix);
  if (step->has_value()) {
    if (Status valid = forecasting::ValidateStep(metadata.step_seconds); !valid) {
      return valid.error();
    }
  }
  if (Status valid = forecasting::ValidateSeriesMetadata(metadata); !valid) return valid.error();
  return metadata;
}

std::string PointsJson(const std::string& id, const forecasting::RegularSeries& series,
                       std::string_view aggregation) {
  std::string out = json{{"series", id}}.dump();
  out.pop_back();  // reopen the object
  out += ",\"step_seconds\":" + std::to_string(series.step.count());
  if (!aggregation.empty()) out += ",\"agg\":\"" + std::string(aggregation) + "\"";
  out += ",\"points\":[";
  out.reserve(out.size() + series.size() * 36);
  for (std::size_t i = 0; i < series.size(); ++i) {
    out += i == 0 ? "[\"" : ",[\"";
    AppendRfc3339(out, series.TimeAt(i));
    out += "\",";
    if (std::isnan(series.values[i])) {
      out += "null";
    } else {
      AppendNumber(out, series.values[i]);
    }
    out += ']';
  }
  out += "]}\n";
  return out;
}

std::string PointsCsv(const forecasting::RegularSeries& series) {
  std::string out = "ts,value\n";
  out.reserve(out.size() + series.size() * 32);
  for (std::size_t i = 0; i < series.size(); ++i) {
    AppendRfc3339(out, series.TimeAt(i));
    out += ',';
    if (!std::isnan(series.values[i])) AppendNumber(out, series.values[i]);
    out += '\n';
  }
  return out;
}

}  // namespace patchcast::api
