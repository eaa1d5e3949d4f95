#include "api/accuracy_routes.h"

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>

#include "api/accuracy_json.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "api/series_access.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::sys_seconds;

class AccuracyHandlers {
 public:
  explicit AccuracyHandlers(AccuracyRoutesContext context) : context_(context) {}

  Result<Response> Get(const Request& request) const {
    if (Status query = CheckQuery(request, {"from", "to"}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    const sys_seconds now = std::chrono::floor<std::chrono::seconds>(context_.clock.Now());
    auto from = InstantParameter(request, "from");
    if (!from) return from.error();
    auto to = InstantParameter(request, "to");
    if (!to) return to.error();
    const sys_seconds begin = from->value_or(now - kRecentSpan);
    const sys_seconds end = to->value_or(now);
    if (begin > end) return InvalidArgument("query parameter 'from' is after 'to'");
    auto cards = context_.scorecards.List(*series_id, std::min(begin, now - kAccuracyLookback),
                                          std::max(end, now));
    if (!cards) return cards.error();
    return JsonResponse(Answer(*series_id, *cards, begin, end, now));
  }

 private:
  static json Answer(const std::string& series_id,
                     const std::vector<forecasting::ForecastScorecard>& cards, sys_seconds begin,
                     sys_seconds end, sys_seconds now) {
    json forecasts = json::array();
    for (const forecasting::ForecastScorecard& card : cards) {
      if (card.generated_at >= begin && card.generated_at < end) {
        forecasts.push_back(ScorecardJson(card));
      }
    }
    json events = json::array();
    for (const forecasting::EventAccuracy& event : forecasting::EventsInForce(cards)) {
      if (event.start >= begin && event.start < end) events.push_back(EventAccuracyJson(event));
    }
    return {{"series", series_id},
            {"forecasts", std::move(forecasts)},
            {"events", std::move(events)},
            {"summary",
             {{"last_4_weeks",
               AccuracySummaryJson(forecasting::SummarizeRecent(cards, now, kRecentSpan))},
              {"last_12_events",
               AccuracySummaryJson(forecasting::SummarizeLastEvents(cards, kLastEvents))}}}};
  }

  AccuracyRoutesContext context_;
};

}  // namespace

void AddAccuracyRoutes(Router& router, AccuracyRoutesContext context) {
  auto handlers = std::make_shared<const AccuracyHandlers>(context);
  router.Add({Method::kGet,
              "/v1/series/{id}/accuracy",
              Scope::kRead,
              {},
              Bind(handlers, &AccuracyHandlers::Get),
              "Scorecards of the series' past forecasts against what happened, with summaries"});
}

}  // namespace patchcast::api
