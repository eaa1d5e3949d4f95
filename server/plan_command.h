// `patchcast plan`: makes fresh capacity plans for cron jobs, since a plan goes stale 24 hours
// after its as_of. Each plan is made exactly as POST /v1/series/{id}/plan makes it (api/
// plan_maker.h) and stored, so GET …/plans/latest and …/plan/current serve it; on the service's
// database (WAL lets it run beside a live server) or through a running server (--url).
//
//   patchcast plan --series ID [--horizon 168h] [--as-of T] [--calendars a,b]
//                  [--format json|csv|ics] [--db PATH | --url URL [--token T]]
//   patchcast plan --all [--horizon …]   plans every series with points and a capacity model
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/series_settings.h"
#include "core/result.h"
#include "server/command_report.h"
#include "server/command_runner.h"
#include "server/remote_api.h"

namespace patchcast::server {

// Runs `patchcast plan` with `args` (after the command, --db removed). The capacity model is the
// series' stored one (PUT /v1/series/{id}/capacity-model); the command takes no capacity fields.
// With --series, prints the plan in --format on io.out; a series without a stored capacity model
// is a failure, its message the API's ("field 'unit_capacity' is required (or store the series'
// capacity model with PUT /v1/series/<id>/capacity-model)"). With --all, plans every series that
// has points and a stored capacity model (one without is not one to plan, as a series without
// points is not one to forecast, and is left out silently) and prints one JSON line per series
// on io.out, PlanSummary's or {"series","skipped"} (too little history: less than a week), and
// one line per failed series on io.err, {"series","error"} (command_report.h). Other errors go to
// io.err as a line of text. Returns an ExitStatus (command_report.h).
int RunPlanCommand(const std::vector<std::string>& args, const CommandIo& io);

// Whether `series_id` has a stored capacity model (PUT /v1/series/{id}/capacity-model): on the
// database, or through a running server. Errors: the store's or the server's.
Result<bool> HasCapacityModel(const api::SeriesSettings& settings, const std::string& series_id);
Result<bool> HasCapacityModel(RemoteApi& remote, const std::string& series_id);

// The line of a plan made by --all, from its document (plan_document.h): {"plan_id","forecast_id",
// "as_of","valid_until","actions" (how many scaling actions),"peak_units"}; "series" comes first
// from the run. A member the document lacks is null.
nlohmann::json PlanSummary(const nlohmann::json& document);

}  // namespace patchcast::server
