// The login-storm simulation route of issue 6: POST /v1/simulations runs a storm with client
// retries against a capacity (given, or a stored plan's) and recommends an admission limit and a
// retry policy.
#pragma once

#include "api/router.h"
#include "forecasting/document_repository.h"

namespace patchcast::api {

struct SimulationRoutesContext {
  const forecasting::DocumentRepository& plans;      // for "capacity": {"plan_id"}
  const forecasting::DocumentRepository& forecasts;  // for "demand": {"forecast_id"}
};

// Adds POST /v1/simulations (scope read). The context's references must outlive `router`.
void AddSimulationRoutes(Router& router, SimulationRoutesContext context);

}  // namespace patchcast::api
