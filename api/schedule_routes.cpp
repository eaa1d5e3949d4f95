#include "api/schedule_routes.h"

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/json_body.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "api/run_json.h"
#include "api/schedule_json.h"
#include "api/series_access.h"
#include "api/timestamp_format.h"
#include "forecasting/schedule_decision.h"

namespace patchcast::api {
namespace {

using forecasting::StoredSchedule;
using nlohmann::json;
using std::chrono::sys_seconds;

class ScheduleHandlers {
 public:
  explicit ScheduleHandlers(ScheduleRoutesContext context) : context_(context) {}

  Result<Response> Get(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto stored = context_.schedules.Get(*series_id);
    if (!stored) return stored.error();
    if (!*stored) {
      return NotFound("series '" + *series_id + "' has no schedule (PUT /v1/series/" + *series_id +
                      "/schedule makes one)");
    }
    return Answer(**stored);
  }

  Result<Response> Put(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto body = ParseJsonObject(request.body);
    if (!body) return body.error();
    auto schedule = ParseSchedule(*body);
    if (!schedule) return schedule.error();
    if (Status known = CheckCalendars(*schedule); !known) return known.error();
    const StoredSchedule stored{*series_id, std::move(*schedule), Now()};
    if (Status saved = context_.schedules.Put(stored); !saved) return saved.error();
    return Answer(stored);
  }

  Result<Response> Delete(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    if (auto deleted = context_.schedules.Delete(*series_id); !deleted) return deleted.error();
    return NoContent();
  }

  Result<Response> ListRuns(const Request& request) const {
    auto listing = ParseListingQuery(request, kDefaultRunsListed, kMaxRunsListed);
    if (!listing) return listing.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto runs = context_.runs.List(*series_id, listing->from, listing->to, listing->limit);
    if (!runs) return runs.error();
    json listed = json::array();
    for (const forecasting::RunRecord& run : *runs) listed.push_back(RunJson(run));
    return JsonResponse({{"series", *series_id}, {"runs", std::move(listed)}});
  }

  Result<Response> RunNow(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto run = context_.run_now.RunNow(*series_id);
    if (!run) return run.error();
    return JsonResponse(RunJson(*run), 201);
  }

 private:
  Status CheckCalendars(const forecasting::RunSchedule& schedule) const {
    const auto snapshot = context_.calendars.Snapshot();
    for (const std::string& id : schedule.calendars) {
      if (auto found = snapshot->registry.FindCalendar(id); !found) {
        return InvalidArgument("field 'calendars': " + found.error().message);
      }
    }
    return {};
  }

  // The schedule with when it runs next (null when nothing is ahead).
  Result<Response> Answer(const StoredSchedule& stored) const {
    const sys_seconds now = Now();
    const forecasting::EventsRange range = forecasting::EventsToRead(now, now);
    auto events = context_.calendars.Snapshot()->registry.Events(stored.schedule.calendars,
                                                                 {range.from, range.to});
    if (!events) return events.error();
    json next = nullptr;
    if (auto run = forecasting::NextRun(stored.schedule, *events, now)) {
      next = {{"trigger", forecasting::ToString(run->trigger)}, {"at", FormatRfc3339(run->at)}};
    }
    return JsonResponse({{"series", stored.series_id},
                         {"updated_at", FormatRfc3339(stored.updated_at)},
                         {"schedule", ScheduleJson(stored.schedule)},
                         {"next_run", std::move(next)}});
  }

  sys_seconds Now() const { return std::chrono::floor<std::chrono::seconds>(context_.clock.Now()); }

  ScheduleRoutesContext context_;
};

}  // namespace

void AddScheduleRoutes(Router& router, ScheduleRoutesContext context) {
  auto handlers = std::make_shared<const ScheduleHandlers>(context);
  router.Add({Method::kGet,
              "/v1/series/{id}/schedule",
              Scope::kRead,
              {},
              Bind(handlers, &ScheduleHandlers::Get),
              "The series' run schedule and its next run"});
  router.Add({Method::kPut,
              "/v1/series/{id}/schedule",
              Scope::kWrite,
              {"application/json"},
              Bind(handlers, &ScheduleHandlers::Put),
              "Store the series' run schedule: weekly, at calendar triggers, while a surge rolls"});
  router.Add({Method::kDelete,
              "/v1/series/{id}/schedule",
              Scope::kWrite,
              {},
              Bind(handlers, &ScheduleHandlers::Delete),
              "Delete the series' run schedule"});
  router.Add({Method::kGet,
              "/v1/series/{id}/runs",
              Scope::kRead,
              {},
              Bind(handlers, &ScheduleHandlers::ListRuns),
              "The series' scheduled runs, newest first"});
  router.Add({Method::kPost,
              "/v1/series/{id}/runs",
              Scope::kRead,
              {},
              Bind(handlers, &ScheduleHandlers::RunNow),
              "Run the series' forecast (and plan) now, in turn with its scheduled runs; logged",
              /*heavy=*/true});
}

}  // namespace patchcast::api
