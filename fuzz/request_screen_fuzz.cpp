// Fuzzes the request screen (api/request_guard.h) over the service's real route table, with a
// request head built from the input: the first line is "METHOD PATH", each further line a header
// field "Name: value" (the value's leading blanks dropped, as the HTTP library drops them); a line
// without a colon is a field with an empty value. Beyond never crashing: a rejection is one of
// the statuses the guard documents, with the JSON error body and the close_connection its framing
// needs; an admitted request has a route for its method, credentials that cover the route's scope
// and none of the framing the guard refuses.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/document_record_store.h"
#include "api/error_response.h"
#include "api/forecast_plan_job.h"
#include "api/message_syntax.h"
#include "api/plan_maker.h"
#include "api/record_mint.h"
#include "api/request_guard.h"
#include "api/routes.h"
#include "api/series_settings.h"
#include "api/settings_schedule_store.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/forecast_service.h"
#include "forecasting/planning_service.h"
#include "fuzz/fuzz_support.h"
#include "tests/support/fake_services.h"
#include "tests/support/in_memory_calendar_repository.h"
#include "tests/support/in_memory_document_repository.h"
#include "tests/support/in_memory_run_log.h"
#include "tests/support/in_memory_scorecard_store.h"
#include "tests/support/in_memory_series_repository.h"
#include "tests/support/in_memory_series_settings_repository.h"
#include "tests/support/in_memory_surge_alert_log.h"
#include "tests/support/logged_run_now.h"

namespace patchcast::fuzz {
namespace {

constexpr api::GuardOptions kOptions{.max_body_bytes = 1000};

// The route table of server/main.cpp, over in-memory services the screen never calls; and keys
// of each scope, one limited to a series prefix.
struct Service {
  testing::FakeStorage storage;
  testing::FakeMetrics metrics;
  testing::FixedClock clock;
  testing::InMemoryCalendarRepository calendar_repository;
  std::unique_ptr<forecasting::CalendarCatalog> calendars =
      std::move(*forecasting::CalendarCatalog::Open(calendar_repository, testing::SequentialIds{}));
  testing::InMemorySeriesRepository series;
  testing::InMemoryForecastRepository forecasts;
  testing::InMemoryPlanRepository plans;
  testing::InMemorySeriesSettingsRepository settings_repository;
  api::SeriesSettings settings{settings_repository};
  forecasting::ForecastService forecaster{series, *calendars, &settings};
  api::DocumentForecastStore forecast_store{forecasts};
  api::DocumentPlanStore plan_store{plans};
  forecasting::PlanningService planning{forecaster, forecast_store, plan_store};
  api::RecordMint mint{clock, [] { return std::string("fc-1"); },
                       [] { return std::string("plan-1"); }};
  api::PlanMaker maker{{planning, settings, mint}};
  api::ForecastPlanJob job{{planning, settings, maker, mint}};
  api::SettingsScheduleStore schedules{settings_repository};
  testing::InMemoryRunLog runs;
  testing::LoggedRunNow run_now{job, schedules, runs, clock};
  testing::InMemoryScorecardStore scorecards{forecasts, series};
  testing::InMemorySurgeAlertLog surges;
  api::Router router;
  testing::FakeAuthenticator authenticator;

  Service() {
    api::AddAllRoutes(router, {storage,
                               metrics,
                               clock,
                               *calendars,
                               series,
                               settings_repository,
                               {forecaster, planning, forecasts, mint},
                               {forecaster, plans, clock, settings, maker},
                               {series, schedules, runs, run_now, *calendars, clock},
                               {series, scorecards, clock},
                               {series, surges},
                               "fuzz"});
    authenticator.keys["reader"] = {"dash", api::Scope::kRead, ""};
    authenticator.keys["writer"] = {"ci", api::Scope::kWrite, "team-a."};
    authenticator.keys["admin"] = {"ops", api::Scope::kAdmin, ""};
  }
};

api::RequestHead HeadOf(std::string_view text) {
  api::RequestHead head;
  std::size_t end = std::min(text.find('\n'), text.size());
  const std::string_view line = text.substr(0, end);
  const std::size_t space = std::min(line.find(' '), line.size());
  head.method = std::string(line.substr(0, space));
  head.path = space < line.size() ? std::string(line.substr(space + 1)) : "/";
  while (end < text.size()) {
    const std::size_t start = end + 1;
    end = std::min(text.find('\n', start), text.size());
    const std::string_view field = text.substr(start, end - start);
    const std::size_t colon = std::min(field.find(':'), field.size());
    std::string_view value = field.substr(std::min(colon + 1, field.size()));
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    head.headers.Add(std::string(field.substr(0, colon)), std::string(value));
  }
  return head;
}

bool AnnouncesBody(const api::HeaderMap& headers) {
  return headers.Has("Transfer-Encoding") || headers.Get("Content-Length").value_or("0") != "0";
}

void ExpectSoundRejection(const api::RequestHead& head, const api::Response& rejection) {
  constexpr std::array kStatuses = {400, 401, 403, 404, 405, 411, 413, 415, 416};
  Expect(std::find(kStatuses.begin(), kStatuses.end(), rejection.status) != kStatuses.end(),
         "a rejection has a status the guard documents");
  const auto body = nlohmann::json::parse(rejection.body, nullptr, /*allow_exceptions=*/false);
  Expect(body.is_object() && body.contains("error") &&
             body["error"].value("code", "") == api::ErrorCodeForStatus(rejection.status),
         "a rejection has the JSON error body of its status");
  // A malformed head (api/message_syntax.h) closes the connection whatever it announced.
  const bool malformed = api::MessageSyntaxError(head).has_value();
  Expect(rejection.close_connection == (malformed || AnnouncesBody(head.headers)),
         "a rejection closes the connection exactly when a body was announced or the head is "
         "malformed");
}

void ExpectSoundAdmission(const api::RequestHead& head, const api::Screening& screening) {
  if (screening.method == api::Method::kOptions && head.method == "OPTIONS") return;
  // HEAD is answered by the GET route (RFC 9110 9.3.2).
  const api::Method routed =
      screening.method == api::Method::kHead ? api::Method::kGet : screening.method;
  Expect(screening.route != nullptr && screening.route->method == routed &&
             api::ParseMethod(head.method) == screening.method,
         "an admitted request has a route for its method");
  if (screening.route->scope != api::Scope::kPublic) {
    Expect(screening.principal.has_value() &&
               api::Covers(screening.principal->scope, screening.route->scope),
           "an admitted request's key covers the route's scope");
  }
  const api::HeaderMap& headers = head.headers;
  Expect(!api::MessageSyntaxError(head).has_value(), "an admitted request's head is well formed");
  Expect(!headers.Has("Range") && !headers.Has("Transfer-Encoding") &&
             !headers.Has("Content-Encoding") && headers.Count("Content-Length") <= 1,
         "an admitted request has none of the framing the guard refuses");
}

void Check(std::string_view text) {
  static const Service* const service = new Service();  // once; never destroyed
  const api::RequestHead head = HeadOf(text);
  const api::Screening screening =
      api::ScreenRequest(head, "req-fuzz", service->router, service->authenticator, kOptions);
  if (screening.rejection) {
    ExpectSoundRejection(head, *screening.rejection);
  } else {
    ExpectSoundAdmission(head, screening);
  }
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
