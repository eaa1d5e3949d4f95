#include "server/plan_command.h"

#include "api/plan_csv.h"
#include "api/plan_document.h"
#include "api/plan_ics.h"
#include "server/command_line.h"
#include "server/command_report.h"
#include "server/remote_api.h"

namespace patchcast::server {
namespace {

constexpr std::string_view kPlanHelp =
    "Usage: patchcast plan --series ID [OPTIONS]\n"
    "       patchcast plan --all [OPTIONS]\n\n"
    "Makes a capacity plan from a fresh forecast, as POST /v1/series/{id}/plan does, stores\n"
    "both (GET /v1/series/{id}/plans/latest and .../plan/current then serve it) and prints it.\n"
    "A plan is stale 24 hours after its as-of: run this from cron at least daily. Works on the\n"
    "service's database, or through a running server with --url.\n\n"
    "The capacity model is the series' stored one (PUT /v1/series/{id}/capacity-model); there\n"
    "are no capacity options. --series on a series without one fails, naming what is missing.\n"
    "--all plans every series with points and a stored capacity model (the others are not\n"
    "planned, and not listed) and prints one JSON line per series on stdout (its plan id, action\n"
    "count and valid-until, or \"skipped\" for a series with under a week of history) and one\n"
    "per failure on stderr.\n\n"
    "Exit status: 0 every series planned; 1 some series failed; 2 usage error; 3 database or\n"
    "server unreachable; 4 none failed but some were skipped (too little history yet).\n\n"
    "  --series ID        the series to plan\n"
    "  --all              every series with points and a capacity model; one JSON line each\n"
    "  --horizon D        how far ahead: 168h (default), 7d, 90m; at most 31 days\n"
    "  --as-of T          RFC 3339 instant to plan from (default: the end of the data)\n"
    "  --format F         json (default), csv or ics (iCalendar), with --series\n";

const CommandSpec kPlan{"plan", kPlanHelp, CommandSpec::Kind::kMake, {"json", "csv", "ics"}};

// Whether a series has a stored capacity model.
using CapacityModelCheck = std::function<Result<bool>(const std::string& series_id)>;

// The series of `with_points` to plan: those with a stored capacity model, and those whose model
// could not be read (planning them reports why). Errors: the listing's; kUnavailable from
// `has_model` (the rest would fail too).
Result<std::vector<std::string>> SeriesToPlan(const Result<std::vector<std::string>>& with_points,
                                              const CapacityModelCheck& has_model) {
  if (!with_points) return with_points.error();
  std::vector<std::string> to_plan;
  for (const std::string& series_id : *with_points) {
    auto has = has_model(series_id);
    if (!has && has.error().code == ErrorCode::kUnavailable) return has.error();
    if (!has || *has) to_plan.push_back(series_id);
  }
  return to_plan;
}

// A stored plan as --format asks: its document, or a view of it.
Result<std::string> Rendered(const CommandLine& line, const Result<forecasting::PlanRecord>& plan) {
  if (!plan) return plan.error();
  if (line.format == "json") return api::PlanDocument(*plan).dump() + "\n";
  return line.format == "csv" ? api::PlanCsv(*plan) : api::PlanIcs(*plan);
}

int PlanLocal(const CommandLine& line, CommandContext& context, const CommandIo& io) {
  const nlohmann::json body = RequestBody(line);
  if (!line.all) {
    return PrintOutcome(io.out, io.err, kPlan,
                        Rendered(line, context.plan_maker.Make(line.series, body)));
  }
  const auto has_model = [&](const std::string& series_id) {
    return HasCapacityModel(context.settings, series_id);
  };
  const auto make = [&](const std::string& series_id) -> Result<nlohmann::json> {
    auto plan = context.plan_maker.Make(series_id, body);
    if (!plan) return plan.error();
    return api::PlanDocument(*plan);
  };
  return RunAllSeries(kPlan, SeriesToPlan(SeriesWithPoints(context.series), has_model), make,
                      PlanSummary, io.out, io.err);
}

int PlanRemote(const CommandLine& line, const CommandIo& io) {
  RemoteApi remote(line.url, line.token);
  const std::string body = RequestBody(line).dump();
  if (!line.all) {
    const std::string query = line.format == "json" ? "" : "?format=" + line.format;
    return PrintOutcome(io.out, io.err, kPlan,
                        remote.Post("/v1/series/" + line.series + "/plan" + query, body));
  }
  const auto has_model = [&](const std::string& series_id) {
    return HasCapacityModel(remote, series_id);
  };
  const auto make = [&](const std::string& series_id) {
    return remote.PostJson("/v1/series/" + series_id + "/plan", body);
  };
  return RunAllSeries(kPlan, SeriesToPlan(remote.SeriesWithPoints(), has_model), make, PlanSummary,
                      io.out, io.err);
}

}  // namespace

Result<bool> HasCapacityModel(const api::SeriesSettings& settings, const std::string& series_id) {
  auto model = settings.CapacityModelFor(series_id);
  if (!model) return model.error();
  return model->has_value();
}

Result<bool> HasCapacityModel(RemoteApi& remote, const std::string& series_id) {
  auto answer = remote.GetJson("/v1/series/" + series_id + "/capacity-model");
  if (!answer) return answer.error();
  // The API answers the defaults with "stored": false for a series without a model.
  return !answer->is_object() || answer->value("stored", true);
}

nlohmann::json PlanSummary(const nlohmann::json& document) {
  const auto member = [&](const char* key) { return document.value(key, nlohmann::json()); };
  const nlohmann::json actions = member("actions");
  const nlohmann::json summary = member("summary");
  return {{"plan_id", member("id")},
          {"forecast_id", member("forecast_id")},
          {"as_of", member("as_of")},
          {"valid_until", member("valid_until")},
          {"actions", actions.is_array() ? nlohmann::json(actions.size()) : nlohmann::json()},
          {"peak_units",
           summary.is_object() ? summary.value("peak_units", nlohmann::json()) : nlohmann::json()}};
}

int RunPlanCommand(const std::vector<std::string>& args, const CommandIo& io) {
  return RunCommand(
      kPlan, args, io, [&](const CommandLine& line) { return PlanRemote(line, io); },
      [&](const CommandLine& line, CommandContext& context) {
        return PlanLocal(line, context, io);
      });
}

}  // namespace patchcast::server
