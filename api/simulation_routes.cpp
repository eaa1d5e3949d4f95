#include "api/simulation_routes.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/json_body.h"
#include "api/json_fields.h"
#include "api/json_response.h"
#include "api/plan_document.h"
#include "api/query_params.h"
#include "api/series_access.h"
#include "api/simulation_json.h"
#include "forecasting/login_storm.h"
#include "forecasting/plan_in_service.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// A demand may hold one value per second of the longest simulation; the rest of a body is a few
// dozen values.
constexpr JsonLimits kSimulationJsonLimits{
    .max_values = static_cast<std::size_t>(kMaxSimulation.count()) + 1'000};

class SimulationHandlers {
 public:
  explicit SimulationHandlers(SimulationRoutesContext context) : context_(context) {}

  Result<Response> Simulate(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto body = ParseSimulationBody(request.body, kSimulationJsonLimits);
    if (!body) return body.error();
    auto demand_request = ParseForecastDemandRequest(body->document);
    if (!demand_request) return demand_request.error();
    std::optional<forecasting::TimedRate> demand;
    if (*demand_request) {
      auto resolved = ResolveForecastDemand(request, **demand_request);
      if (!resolved) return resolved.error();
      demand = std::move(*resolved);
    }
    auto plan_capacity = PlanCapacity(request, body->document, demand);
    if (!plan_capacity) return plan_capacity.error();
    auto input =
        ParseSimulationRequest(std::move(*body), std::move(*plan_capacity),
                               demand ? std::optional(std::move(demand->rate)) : std::nullopt);
    if (!input) return input.error();
    auto report = forecasting::SimulateLoginStorm(*input);
    if (!report) return report.error();
    auto recommendation = forecasting::RecommendStormPolicy(*input);
    if (!recommendation) return recommendation.error();
    return JsonResponse(SimulationJson(*report, *recommendation));
  }

 private:
  // The demand of the stored forecast "demand": {"forecast_id",…} names; kNotFound when there is
  // none, or when the caller's key may not see its series (as for plans).
  Result<forecasting::TimedRate> ResolveForecastDemand(const Request& request,
                                                       const ForecastDemandRequest& demand) const {
    auto stored = VisibleDocument(request, context_.forecasts, forecasting::DocumentKind::kForecast,
                                  demand.forecast_id);
    if (!stored) return stored.error();
    return RateFromStoredForecast(stored->document, demand);
  }

  // The capacity of the stored plan that "capacity": {"plan_id"} names; nullopt when the body
  // gives the capacity itself. With a forecast's `demand`, the plan is lined up with it by
  // timestamp; otherwise its first bucket is simulation second 0.
  Result<std::optional<forecasting::RateSeries>> PlanCapacity(
      const Request& request, const json& body,
      const std::optional<forecasting::TimedRate>& demand) const {
    auto capacity = body.find("capacity");
    if (capacity == body.end() || !capacity->is_object() || !capacity->contains("plan_id")) {
      return std::optional<forecasting::RateSeries>();
    }
    if (capacity->size() != 1 || !(*capacity)["plan_id"].is_string()) {
      return InvalidArgument(
          "field 'capacity' must be {\"plan_id\": string} or {\"units\",\"unit_capacity\"}");
    }
    auto bounded_id = StringField(*capacity, "plan_id");  // at most kMaxNameBytes
    if (!bounded_id) return FieldError("capacity", bounded_id.error());
    const std::string plan_id = std::move(**bounded_id);
    auto stored =
        VisibleDocument(request, context_.plans, forecasting::DocumentKind::kPlan, plan_id);
    if (!stored) return stored.error();
    auto record = ReadPlanDocument(stored->document);
    if (!record) return record.error();
    forecasting::TimedRate in_service = forecasting::CapacityInService(*record);
    if (!demand) return std::optional<forecasting::RateSeries>(std::move(in_service.rate));
    const auto span = demand->rate.step * static_cast<std::int64_t>(demand->rate.per_second.size());
    return std::optional<forecasting::RateSeries>(
        forecasting::AlignCapacity(in_service, demand->start, span));
  }

  SimulationRoutesContext context_;
};

}  // namespace

void AddSimulationRoutes(Router& router, SimulationRoutesContext context) {
  auto handlers = std::make_shared<const SimulationHandlers>(context);
  router.Add({Method::kPost,
              "/v1/simulations",
              Scope::kRead,
              {"application/json"},
              [handlers](const Request& request) { return handlers->Simulate(request); },
              "Simulate a login storm with retries; recommend an admission limit and backoff",
              /*heavy=*/true});
}

}  // namespace patchcast::api
