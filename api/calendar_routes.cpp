#include "api/calendar_routes.h"

#include <date/date.h>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/calendar_json.h"
#include "api/ics_writer.h"
#include "api/json_body.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "api/quoted_input.h"
#include "calendars/time_range.h"
#include "calendars/time_text.h"

namespace patchcast::api {
namespace {

using forecasting::CalendarCatalog;
using forecasting::CatalogSnapshot;
using nlohmann::json;

// The default span of an events query: `to` is this many days after `from` (365 days in all).
constexpr date::days kDefaultRangeDays{364};

struct DayRange {
  date::year_month_day from;
  date::year_month_day to;
  calendars::TimeRange range;
};

// Reads ?from&to as inclusive UTC days (UtcDayRange), with the defaults of AddCalendarRoutes.
Result<DayRange> ReadDayRange(const Request& request, Instant now) {
  DayRange days;
  days.from = date::year_month_day{date::floor<date::days>(now)};
  if (auto text = request.Query("from")) {
    auto parsed = calendars::ParseDate(*text);
    if (!parsed) return ParameterError("from", parsed.error());
    days.from = *parsed;
  }
  days.to = date::year_month_day{date::sys_days{days.from} + kDefaultRangeDays};
  if (auto text = request.Query("to")) {
    auto parsed = calendars::ParseDate(*text);
    if (!parsed) return ParameterError("to", parsed.error());
    days.to = *parsed;
  }
  auto range = calendars::UtcDayRange(days.from, days.to);
  if (!range) {
    Error error = range.error();
    error.message = "query parameters 'from' and 'to': " + error.message;
    return error;
  }
  days.range = *range;
  return days;
}

// Reads ?calendar=a,b; absent means every calendar of `snapshot`.
Result<std::vector<std::string>> ReadCalendarIds(const Request& request,
                                                 const CatalogSnapshot& snapshot) {
  auto text = request.Query("calendar");
  if (!text) return snapshot.registry.CalendarIds();
  std::vector<std::string> ids;
  std::string_view rest = *text;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view id = rest.substr(0, comma);
    if (id.empty()) {
      return InvalidArgument("query parameter 'calendar' has an empty calendar id in " +
                             QuotedInput(*text));
    }
    ids.emplace_back(id);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return ids;
}

class CalendarHandlers {
 public:
  CalendarHandlers(CalendarCatalog& catalog, const Clock& clock)
      : catalog_(catalog), clock_(clock) {}

  Result<Response> ListCalendars(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto snapshot = Snapshot();
    json list = json::array();
    for (const calendars::CalendarInfo& info : snapshot->registry.ListCalendars()) {
      list.push_back(CalendarJson(info));
    }
    return JsonResponse({{"calendars", std::move(list)}});
  }

  Result<Response> GetCalendar(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto snapshot = Snapshot();
    const std::string& id = request.path_params.at("id");
    auto info = snapshot->registry.FindCalendar(id);
    if (!info) return info.error();
    return JsonResponse(CalendarJson(*info, snapshot->FindDefinition(id)));
  }

  Result<Response> CreateCalendar(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto body = ParseJsonObject(request.body);
    if (!body) return body.error();
    auto definition = ParseCalendarDefinition(*body);
    if (!definition) return definition.error();
    auto info = catalog_.CreateCalendar(*definition);
    if (!info) return info.error();
    Response response = JsonResponse(CalendarJson(*info, &*definition), 201);
    response.headers.Set("Location", "/v1/calendars/" + info->id);
    return response;
  }

  Result<Response> DeleteCalendar(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    if (Status deleted = catalog_.DeleteCalendar(request.path_params.at("id")); !deleted) {
      return deleted.error();
    }
    return NoContent();
  }

  // GET /v1/calendars/{id}/events[.ics] (`one_calendar`) and GET /v1/events[.ics].
  Result<Response> Events(const Request& request, bool one_calendar, bool ics) const {
    if (one_calendar) {
      if (Status query = CheckQuery(request, {"from", "to"}); !query) return query.error();
    } else {
      if (Status query = CheckQuery(request, {"from", "to", "calendar"}); !query) {
        return query.error();
      }
    }
    auto snapshot = Snapshot();
    const calendars::CalendarRegistry& registry = snapshot->registry;
    std::vector<std::string> ids;
    if (one_calendar) {
      ids.push_back(request.path_params.at("id"));
    } else {
      auto listed = ReadCalendarIds(request, *snapshot);
      if (!listed) return listed.error();
      ids = std::move(*listed);
    }
    // Unknown calendars are 404 before a bad range is 400: the resource comes first.
    for (const std::string& id : ids) {
      if (auto found = registry.FindCalendar(id); !found) return found.error();
    }
    auto days = ReadDayRange(request, clock_.Now());
    if (!days) return days.error();
    auto events = registry.Events(ids, days->range, kMaxEventsPerResponse);
    if (!events) return events.error();
    if (ics) {
      Response response;
      response.content_type = std::string(kIcsContentType);
      response.body = WriteIcsCalendar(*events, FeedTitle(registry, ids));
      return response;
    }
    json list = json::array();
    for (const calendars::Event& event : *events) list.push_back(EventJson(event));
    return JsonResponse({{"from", calendars::FormatDate(days->from)},
                         {"to", calendars::FormatDate(days->to)},
                         {"calendars", ids},
                         {"events", std::move(list)}});
  }

  Result<Response> NextEvent(const Request& request) const {
    if (Status query = CheckQuery(request, {"calendar", "kind", "after"}); !query) {
      return query.error();
    }
    auto snapshot = Snapshot();
    auto calendar = request.Query("calendar");
    if (!calendar) return InvalidArgument("query parameter 'calendar' is required");
    std::optional<calendars::EventKind> kind;
    if (auto text = request.Query("kind")) {
      auto parsed = calendars::ParseEventKind(*text);
      if (!parsed) return ParameterError("kind", parsed.error());
      kind = *parsed;
    }
    auto after = date::floor<std::chrono::seconds>(clock_.Now());
    if (auto text = request.Query("after")) {
      auto parsed = calendars::ParseUtcDateTime(*text);
      if (!parsed) return ParameterError("after", parsed.error());
      after = *parsed;
    }
    auto event = snapshot->registry.NextEvent(*calendar, after, kind);
    if (!event) return event.error();
    return JsonResponse(
        {{"after", calendars::FormatUtcDateTime(after)}, {"event", EventJson(*event)}});
  }

  Result<Response> ListOverrides(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto snapshot = Snapshot();
    const std::string& id = request.path_params.at("id");
    if (auto found = snapshot->registry.FindCalendar(id); !found) return found.error();
    json list = json::array();
    for (const calendars::Override& override_ : snapshot->OverridesOf(id)) {
      list.push_back(OverrideJson(override_));
    }
    return JsonResponse({{"overrides", std::move(list)}});
  }

  Result<Response> GetOverride(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    auto snapshot = Snapshot();
    const std::string& id = request.path_params.at("id");
    const std::string& override_id = request.path_params.at("oid");
    if (auto found = snapshot->registry.FindCalendar(id); !found) return found.error();
    for (const calendars::Override& override_ : snapshot->OverridesOf(id)) {
      if (override_.id == override_id) return JsonResponse(OverrideJson(override_));
    }
    return NotFound("calendar '" + id + "' has no override '" + override_id + "'");
  }

  Result<Response> AddOverride(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    const std::string& id = request.path_params.at("id");
    if (auto found = catalog_.Snapshot()->registry.FindCalendar(id); !found) {
      return found.error();
    }
    auto body = ParseJsonObject(request.body);
    if (!body) return body.error();
    auto parsed = ParseOverride(*body, id);
    if (!parsed) return parsed.error();
    auto stored = catalog_.AddOverride(std::move(*parsed));
    if (!stored) return stored.error();
    Response response = JsonResponse(OverrideJson(*stored), 201);
    response.headers.Set("Location", "/v1/calendars/" + id + "/overrides/" + stored->id);
    return response;
  }

  Result<Response> DeleteOverride(const Request& request) const {
    if (Status query = CheckQuery(request, {}); !query) return query.error();
    if (Status deleted =
            catalog_.DeleteOverride(request.path_params.at("id"), request.path_params.at("oid"));
        !deleted) {
      return deleted.error();
    }
    return NoContent();
  }

 private:
  std::shared_ptr<const CatalogSnapshot> Snapshot() const { return catalog_.Snapshot(); }

  static std::string FeedTitle(const calendars::CalendarRegistry& registry,
                               const std::vector<std::string>& ids) {
    if (ids.size() == 1) {
      if (auto info = registry.FindCalendar(ids.front())) return "Patchcast: " + info->name;
    }
    std::string title = "Patchcast:";
    for (std::size_t i = 0; i < ids.size(); ++i) title += (i == 0 ? " " : ", ") + ids[i];
    return title;
  }

  CalendarCatalog& catalog_;
  const Clock& clock_;
};

}  // namespace

void AddCalendarRoutes(Router& router, CalendarCatalog& catalog, const Clock& clock) {
  auto handlers = std::make_shared<const CalendarHandlers>(catalog, clock);
  const auto events = [handlers](bool one_calendar, bool ics) {
    return [handlers, one_calendar, ics](const Request& request) {
      return handlers->Events(request, one_calendar, ics);
    };
  };
  const std::vector<std::string> json_body = {"application/json"};

  router.Add({Method::kGet,
              "/v1/calendars",
              Scope::kRead,
              {},
              Bind(handlers, &CalendarHandlers::ListCalendars),
              "List the built-in and custom calendars"});
  router.Add({Method::kPost, "/v1/calendars", Scope::kWrite, json_body,
              Bind(handlers, &CalendarHandlers::CreateCalendar),
              "Create a custom calendar from an RRULE or a list of dates"});
  router.Add({Method::kGet,
              "/v1/calendars/{id}",
              Scope::kRead,
              {},
              Bind(handlers, &CalendarHandlers::GetCalendar),
              "One calendar; a custom one with its definition"});
  router.Add({Method::kDelete,
              "/v1/calendars/{id}",
              Scope::kAdmin,
              {},
              Bind(handlers, &CalendarHandlers::DeleteCalendar),
              "Delete a custom calendar and its overrides"});
  router.Add({Method::kGet,
              "/v1/calendars/{id}/events",
              Scope::kRead,
              {},
              events(true, false),
              "A calendar's events between two UTC days, as JSON",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/v1/calendars/{id}/events.ics",
              Scope::kRead,
              {},
              events(true, true),
              "A calendar's events between two UTC days, as iCalendar",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/v1/calendars/{id}/overrides",
              Scope::kRead,
              {},
              Bind(handlers, &CalendarHandlers::ListOverrides),
              "A calendar's overrides, in the order they apply"});
  router.Add({Method::kPost, "/v1/calendars/{id}/overrides", Scope::kWrite, json_body,
              Bind(handlers, &CalendarHandlers::AddOverride),
              "Cancel, move, add or annotate a calendar's events on one date"});
  router.Add({Method::kGet,
              "/v1/calendars/{id}/overrides/{oid}",
              Scope::kRead,
              {},
              Bind(handlers, &CalendarHandlers::GetOverride),
              "One override"});
  router.Add({Method::kDelete,
              "/v1/calendars/{id}/overrides/{oid}",
              Scope::kWrite,
              {},
              Bind(handlers, &CalendarHandlers::DeleteOverride),
              "Remove an override"});
  router.Add({Method::kGet,
              "/v1/events",
              Scope::kRead,
              {},
              events(false, false),
              "Events of several calendars between two UTC days, as JSON",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/v1/events.ics",
              Scope::kRead,
              {},
              events(false, true),
              "Events of several calendars between two UTC days, as iCalendar",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
  router.Add({Method::kGet,
              "/v1/events/next",
              Scope::kRead,
              {},
              Bind(handlers, &CalendarHandlers::NextEvent),
              "The next event of a calendar (optionally of one kind)",
              /*heavy=*/false,
              Caching::kPerSecond,
              /*polled=*/true});
}

}  // namespace patchcast::api
