#include "api/plan_routes.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "api/aws_export_query.h"
#include "api/aws_scheduled_actions.h"
#include "api/document_digests.h"
#include "api/document_record_store.h"
#include "api/ics_writer.h"
#include "api/json_body.h"
#include "api/json_response.h"
#include "api/plan_backtest_json.h"
#include "api/plan_csv.h"
#include "api/plan_document.h"
#include "api/plan_ics.h"
#include "api/point_text.h"
#include "api/query_params.h"
#include "api/quoted_input.h"
#include "api/replicas_json.h"
#include "api/series_access.h"
#include "api/timestamp_format.h"
#include "forecasting/plan_in_service.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

std::chrono::sys_seconds Now(const Clock& clock) {
  return std::chrono::floor<std::chrono::seconds>(clock.Now());
}

// The query parameters of the routes that answer with a plan.
Status CheckPlanViewQuery(const Request& request) {
  return CheckQuery(request, {"format", "group", "at", "max_actions", "page"});
}

// Answers with kept plan `stored` as ?format=json|csv|ics: its document as kept, or a view of it.
Result<Response> RenderDocument(std::string_view format,
                                const forecasting::StoredDocument& stored) {
  Response response;
  if (format == "json") {
    response.body = stored.document + "\n";
    return response;
  }
  if (format != "csv" && format != "ics") {
    return InvalidArgument("query parameter 'format' must be json, csv, ics, " +
                           std::string(kAwsPutFormat) + " or " + std::string(kAwsDeleteFormat) +
                           ", not " + QuotedInput(format));
  }
  auto record = ReadPlanDocument(stored.document);
  if (!record) return record.error();
  if (format == "csv") {
    response.content_type = "text/csv; charset=utf-8";
    response.body = PlanCsv(*record);
  } else {
    response.content_type = std::string(kIcsContentType);
    response.body = PlanIcs(*record);
  }
  return response;
}

class PlanHandlers {
 public:
  explicit PlanHandlers(PlanRoutesContext context) : context_(std::move(context)) {}

  Result<Response> Create(const Request& request) const {
    if (Status query = CheckPlanViewQuery(request); !query) return query.error();
    auto series_id = VisibleSeriesId(request);
    if (!series_id) return series_id.error();
    auto body = ParseJsonObject(request.body);
    if (!body) return body.error();
    auto plan = context_.maker.Make(*series_id, *body);
    if (!plan) return plan.error();
    auto response = Render(request, StoredFormOf(*plan));
    if (response) response->headers.Set("Location", "/v1/plans/" + plan->id);
    return response;
  }

  Result<Response> Get(const Request& request) const {
    if (Status query = CheckPlanViewQuery(request); !query) return query.error();
    auto stored = VisibleDocument(request, context_.plans, forecasting::DocumentKind::kPlan,
                                  request.path_params.at("id"));
    if (!stored) return stored.error();
    return Render(request, *stored);
  }

  Result<Response> Latest(const Request& request) const {
    if (Status query = CheckPlanViewQuery(request); !query) return query.error();
    auto series_id = VisibleSeriesId(request);
    if (!series_id) return series_id.error();
    auto stored = context_.plans.Latest(*series_id);
    if (!stored) return stored.error();
    return Render(request, *stored);
  }

  Result<Response> Backtest(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = VisibleSeriesId(request);
    if (!series_id) return series_id.error();
    auto body = ParseJsonObject(request.body, /*allow_empty=*/true);
    if (!body) return body.error();
    auto stored_model = context_.settings.CapacityModelFor(*series_id);
    if (!stored_model) return stored_model.error();
    auto query = ParsePlanBacktestRequest(*series_id, *body,
                                          stored_model->value_or(forecasting::CapacityModel{}));
    if (!query) return query.error();
    auto result = context_.service.BacktestPlans(*query);
    if (!result) return result.error();
    return JsonResponse(PlanBacktestJson(*query, *result));
  }

  // ?at= answers for a given instant (what KEDA will be told then); the default is now.
  Result<Response> Current(const Request& request) const {
    if (Status query = CheckQuery(request, {"at"}); !query) return query.error();
    std::chrono::sys_seconds at = Now(context_.clock);
    if (auto text = request.Query("at")) {
      auto parsed = ParseRfc3339Seconds(*text);
      if (!parsed) return ParameterError("at", parsed.error());
      at = *parsed;
    }
    auto series_id = VisibleSeriesId(request);
    if (!series_id) return series_id.error();
    auto stored = context_.plans.Latest(*series_id);
    if (!stored) return stored.error();
    // Polled by every scaler: the digest reads only the units, without building the document.
    auto planned = DigestPlanDocument(stored->document);
    if (!planned) return planned.error();
    const json answer = ReplicasJson(stored->id, *planned, forecasting::ReplicasAt(*planned, at));
    Response response = JsonResponse(answer);
    // A scaler acts on these; the ages change every second and must not defeat If-None-Match.
    response.etag_basis = json{
        {"plan_id", answer["plan_id"]},
        {"replicas", answer["replicas"]},
        {"stale", answer["stale"]},
        {"at", answer["at"]}}.dump();
    return response;
  }

 private:
  // Answers with `plan` in the ?format= asked (json by default).
  Result<Response> Render(const Request& request, const forecasting::StoredDocument& plan) const {
    const std::string_view format = request.Query("format").value_or("json");
    if (format == kAwsPutFormat || format == kAwsDeleteFormat) {
      return RenderAws(request, format, plan);
    }
    if (Status plain = CheckNotAwsExport(request, format); !plain) return plain.error();
    return RenderDocument(format, plan);
  }

  // The AWS formats: the put calls, or the delete calls that go with them (aws_export_query.h).
  Result<Response> RenderAws(const Request& request, std::string_view format,
                             const forecasting::StoredDocument& plan) const {
    auto query = ParseAwsExportQuery(request, format, Now(context_.clock));
    if (!query) return query.error();
    auto record = ReadPlanDocument(plan.document);
    if (!record) return record.error();
    if (format == kAwsPutFormat) {
      auto calls = AwsPutCalls(*record, query->options);
      if (!calls) return calls.error();
      return AwsCallsResponse(*calls, *query, "");  // never empty: AwsPutCalls fails instead
    }
    auto stored = context_.plans.ForSeries(plan.series_id);
    if (!stored) return stored.error();
    std::vector<forecasting::PlanRecord> others;
    for (const forecasting::StoredDocument& other : *stored) {
      auto other_record = ReadPlanDocument(other.document);
      if (!other_record) return other_record.error();
      others.push_back(std::move(*other_record));
    }
    return AwsCallsResponse(AwsDeleteCalls(*record, others, query->options), *query,
                            "nothing to delete: no Patchcast action of series '" + plan.series_id +
                                "' after " + FormatRfc3339(query->options.after) +
                                " is left behind by plan '" + plan.id + "' (page=all answers [])");
  }

  PlanRoutesContext context_;
};

}  // namespace

void AddPlanRoutes(Router& router, PlanRoutesContext context) {
  auto handlers = std::make_shared<const PlanHandlers>(std::move(context));
  const std::vector<std::string> json_body = {"application/json"};
  router.Add({Method::kPost, "/v1/series/{id}/plan", Scope::kRead, json_body,
              Bind(handlers, &PlanHandlers::Create),
              "Plan capacity from a fresh forecast: units per step and scaling actions; stored",
              /*heavy=*/true});
  router.Add({Method::kGet,
              "/v1/plans/{id}",
              Scope::kRead,
              {},
              Bind(handlers, &PlanHandlers::Get),
              "A stored plan (JSON, CSV, iCalendar, or AWS scheduled actions to put and to delete)",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/v1/series/{id}/plans/latest",
              Scope::kRead,
              {},
              Bind(handlers, &PlanHandlers::Latest),
              "The series' latest stored plan",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
  router.Add({Method::kPost, "/v1/series/{id}/plan-backtest", Scope::kRead, json_body,
              Bind(handlers, &PlanHandlers::Backtest),
              "Per-event scorecard of replayed plans vs actual demand, static, reactive, oracle",
              /*heavy=*/true});
  router.Add({Method::kGet,
              "/v1/series/{id}/plan/current",
              Scope::kRead,
              {},
              Bind(handlers, &PlanHandlers::Current),
              "Replicas the latest plan wants now, or ?at= an instant (KEDA metrics-api)",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
}

}  // namespace patchcast::api
