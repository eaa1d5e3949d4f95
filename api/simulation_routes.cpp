#include "api/simulation_routes.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/json_body.h"
#include "api/json_response.h"
#include "api/plan_json.h"
#include "api/query_params.h"
#include "api/simulation_json.h"
#include "forecasting/login_storm.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

class SimulationHandlers {
 public:
  explicit SimulationHandlers(SimulationRoutesContext context) : context_(context) {}

  Result<Response> Simulate(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto body = ParseJsonObject(request.body);
    if (!body) return body.error();
    auto plan_capacity = PlanCapacity(request, *body);
    if (!plan_capacity) return plan_capacity.error();
    auto input = ParseSimulationRequest(*body, std::move(*plan_capacity));
    if (!input) return input.error();
    auto report = forecasting::SimulateLoginStorm(*input);
    if (!report) return report.error();
    auto recommendation = forecasting::RecommendStormPolicy(*input);
    if (!recommendation) return recommendation.error();
    return JsonResponse(SimulationJson(*report, *recommendation));
  }

 private:
  // The capacity of the stored plan that "capacity": {"plan_id"} names; nullopt when the body
  // gives the capacity itself.
  Result<std::optional<forecasting::RateSeries>> PlanCapacity(const Request& request,
                                                              const json& body) const {
    auto capacity = body.find("capacity");
    if (capacity == body.end() || !capacity->is_object() || !capacity->contains("plan_id")) {
      return std::optional<forecasting::RateSeries>();
    }
    if (capacity->size() != 1 || !(*capacity)["plan_id"].is_string()) {
      return InvalidArgument(
          "field 'capacity' must be {\"plan_id\": string} or {\"units\",\"unit_capacity\"}");
    }
    const std::string plan_id = (*capacity)["plan_id"];
    auto stored = context_.plans.Get(plan_id);
    if (!stored) return stored.error();
    if (!request.principal->MaySee(stored->series_id)) {
      return NotFound("plan '" + plan_id + "' does not exist");
    }
    auto series = PlanDocumentCapacity(json::parse(stored->document));
    if (!series) return series.error();
    return std::optional<forecasting::RateSeries>(std::move(*series));
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
              "Simulate a login storm with retries; recommend an admission limit and backoff"});
}

}  // namespace patchcast::api
