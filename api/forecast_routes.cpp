#include "api/forecast_routes.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "api/document_record_store.h"
#include "api/forecast_document.h"
#include "api/forecast_json.h"
#include "api/json_body.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "api/quoted_input.h"
#include "api/series_access.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

Result<bool> FlagParameter(const Request& request, std::string_view name) {
  auto text = request.Query(name);
  if (!text || *text == "false") return false;
  if (*text == "true") return true;
  return InvalidArgument("query parameter '" + std::string(name) + "' must be true or false");
}

// Answers with a rendered forecast document, as JSON or CSV (?format=).
Result<Response> Render(const Request& request, const std::string& document) {
  auto format = request.Query("format").value_or("json");
  if (format == "json") {
    Response response;
    response.body = document + "\n";
    return response;
  }
  if (format != "csv") {
    return InvalidArgument("query parameter 'format' must be json or csv, not " +
                           QuotedInput(format));
  }
  auto record = ReadForecastDocument(document);
  if (!record) return record.error();
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = ForecastCsv(*record);
  return response;
}

class ForecastHandlers {
 public:
  explicit ForecastHandlers(ForecastRoutesContext context) : context_(std::move(context)) {}

  Result<Response> Create(const Request& request) const {
    if (Status query = CheckQuery(request, {"explain", "format"}); !query) return query.error();
    auto series_id = VisibleSeriesId(request);
    if (!series_id) return series_id.error();
    auto explain = FlagParameter(request, "explain");
    if (!explain) return explain.error();
    auto body = ParseJsonObject(request.body, /*allow_empty=*/true);
    if (!body) return body.error();
    auto query = ParseForecastRequest(*series_id, *body);
    if (!query) return query.error();
    query->explain = *explain;
    auto record = context_.planning.MakeForecast(*query, context_.mint.Forecast());
    if (!record) return record.error();
    auto response = Render(request, StoredFormOf(*record).document);
    if (response) response->headers.Set("Location", "/v1/forecasts/" + record->id);
    return response;
  }

  Result<Response> Get(const Request& request) const {
    if (Status query = CheckQuery(request, {"format"}); !query) return query.error();
    auto stored = VisibleDocument(request, context_.forecasts, forecasting::DocumentKind::kForecast,
                                  request.path_params.at("id"));
    if (!stored) return stored.error();
    return Render(request, stored->document);
  }

  Result<Response> Latest(const Request& request) const {
    if (Status query = CheckQuery(request, {"format"}); !query) return query.error();
    auto series_id = VisibleSeriesId(request);
    if (!series_id) return series_id.error();
    auto stored = context_.forecasts.Latest(*series_id);
    if (!stored) return stored.error();
    return Render(request, stored->document);
  }

  Result<Response> Backtest(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = VisibleSeriesId(request);
    if (!series_id) return series_id.error();
    auto body = ParseJsonObject(request.body, /*allow_empty=*/true);
    if (!body) return body.error();
    auto query = ParseBacktestRequest(*series_id, *body);
    if (!query) return query.error();
    auto result = context_.service.Backtest(*query);
    if (!result) return result.error();
    return JsonResponse(BacktestJson(*series_id, *result));
  }

 private:
  ForecastRoutesContext context_;
};

}  // namespace

void AddForecastRoutes(Router& router, ForecastRoutesContext context) {
  auto handlers = std::make_shared<const ForecastHandlers>(std::move(context));
  const std::vector<std::string> json_body = {"application/json"};
  router.Add({Method::kPost, "/v1/series/{id}/forecast", Scope::kRead, json_body,
              Bind(handlers, &ForecastHandlers::Create),
              "Forecast the coming days with quantiles and event peaks; stored",
              /*heavy=*/true});
  router.Add({Method::kGet,
              "/v1/forecasts/{id}",
              Scope::kRead,
              {},
              Bind(handlers, &ForecastHandlers::Get),
              "A stored forecast (JSON or CSV)",
              /*heavy=*/false,
              Caching::kUntilDataChanges,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/v1/series/{id}/forecasts/latest",
              Scope::kRead,
              {},
              Bind(handlers, &ForecastHandlers::Latest),
              "The series' latest stored forecast",
              /*heavy=*/false,
              Caching::kUntilDataChanges,
              /*polled=*/true});
  router.Add({Method::kPost, "/v1/series/{id}/backtest", Scope::kRead, json_body,
              Bind(handlers, &ForecastHandlers::Backtest),
              "Per-event scorecard of replayed forecasts vs seasonal-naive and baseline",
              /*heavy=*/true});
}

}  // namespace patchcast::api
