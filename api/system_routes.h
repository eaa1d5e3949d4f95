// The service's own routes: liveness, readiness, metrics, the endpoint index and the OpenAPI
// document.
#pragma once

#include <string>

#include "api/metrics_source.h"
#include "api/router.h"
#include "forecasting/storage.h"

namespace patchcast::api {

struct SystemRoutesContext {
  const Storage& storage;        // readiness: open and migrated
  const MetricsSource& metrics;  // GET /metrics
  const Router& router;          // GET /v1 lists it; must be the router the routes are added to
  std::string version;           // e.g. "0.1.0"
};

// Adds GET /healthz and /readyz (open), /metrics, /v1 and /openapi.yaml (scope read). `context`'s
// references must outlive `router`.
void AddSystemRoutes(Router& router, const SystemRoutesContext& context);

}  // namespace patchcast::api
