#include "api/plan_request_json.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "api/capacity_model_json.h"
#include "api/forecast_json.h"
#include "api/json_body.h"
#include "api/json_fields.h"

namespace patchcast::api {

using nlohmann::json;

Result<PlanRequest> ParsePlanRequest(const std::string& series_id, const json& body,
                                     const forecasting::CapacityModel& base) {
  std::vector<std::string_view> known = {"horizon_hours", "as_of", "calendars"};
  known.insert(known.end(), kCapacityModelFields.begin(), kCapacityModelFields.end());
  if (Status unknown = RejectUnknownFields(body, known); !unknown) return unknown.error();
  json forecast_body = json::object();
  for (const char* key : {"horizon_hours", "as_of", "calendars"}) {
    if (auto it = body.find(key); it != body.end()) forecast_body[key] = *it;
  }
  auto query = ParseForecastRequest(series_id, forecast_body);
  if (!query) return query.error();
  PlanRequest request{std::move(*query), base};
  if (Status read = ReadCapacityModel(body, request.model); !read) return read.error();
  if (request.model.unit_capacity == 0 && !body.contains("unit_capacity")) {
    return InvalidArgument(
        "field 'unit_capacity' is required (or store the series' capacity model with PUT "
        "/v1/series/" +
        series_id + "/capacity-model)");
  }
  if (Status valid = forecasting::ValidateCapacityModel(request.model, request.forecast.horizon);
      !valid) {
    return valid.error();
  }
  std::vector<double>& levels = request.forecast.quantiles;
  levels.push_back(request.model.quantile);
  std::sort(levels.begin(), levels.end());
  // One level per document name (QuantileKey): a model quantile within 1e-8 of a forecast level
  // is read from that level's neighbourhood as any other quantile is (QuantileAt).
  levels.erase(std::unique(levels.begin(), levels.end(),
                           [](double a, double b) { return QuantileKey(a) == QuantileKey(b); }),
               levels.end());
  return request;
}

}  // namespace patchcast::api
