#include "api/system_routes.h"

#include <nlohmann/json.hpp>

#include "api/json_response.h"
#include "api/openapi.h"

namespace patchcast::api {
void AddSystemRoutes(Router& router, const SystemRoutesContext& context) {
  router.Add({Method::kGet,
              "/healthz",
              Scope::kPublic,
              {},
              [](const Request&) -> Result<Response> {
                Response response = JsonResponse({{"status", "ok"}});
                response.headers.Set("Cache-Control", "no-store");
                return response;
              },
              "Liveness: the process answers HTTP"});

  router.Add({Method::kGet,
              "/readyz",
              Scope::kPublic,
              {},
              [&storage = context.storage](const Request&) -> Result<Response> {
                Result<StorageStatus> status = storage.Status();
                if (!status) return Unavailable("not ready: " + status.error().message);
                Response response = JsonResponse({{"status", "ready"},
                                                  {"schema_version", status->schema_version},
                                                  {"database_bytes", status->size_bytes}});
                response.headers.Set("Cache-Control", "no-store");
                return response;
              },
              "Readiness: the database is open and migrated"});

  router.Add({Method::kGet,
              "/metrics",
              Scope::kRead,
              {},
              [&metrics = context.metrics](const Request& request) -> Result<Response> {
                Response response;
                response.content_type = "text/plain; version=0.0.4; charset=utf-8";
                response.body = metrics.RenderMetrics(*request.principal);
                response.headers.Set("Cache-Control", "no-store");
                return response;
              },
              "Prometheus metrics (text exposition 0.0.4)"});

  router.Add(
      {Method::kGet,
       "/v1",
       Scope::kRead,
       {},
       [&routes = context.router, version = context.version](const Request&) -> Result<Response> {
         nlohmann::json endpoints = nlohmann::json::array();
         for (const Route& route : routes.routes()) {
           endpoints.push_back({{"method", MethodName(route.method)},
                                {"path", route.path},
                                {"scope", ScopeName(route.scope)},
                                {"summary", route.summary}});
         }
         return JsonResponse({{"service", "patchcast"},
                              {"version", version},
                              {"openapi", "/openapi.yaml"},
                              {"endpoints", std::move(endpoints)}});
       },
       "Index of every endpoint"});

  router.Add({Method::kGet,
              "/openapi.yaml",
              Scope::kRead,
              {},
              [](const Request&) -> Result<Response> {
                Response response;
                response.content_type = "application/yaml";
                response.body = std::string(OpenApiYaml());
                return response;
              },
              "This API's OpenAPI 3.0 description"});
}

}  // namespace patchcast::api
