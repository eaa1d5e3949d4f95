#include "api/plan_ics.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "api/forecast_json.h"
#include "api/ics_writer.h"
#include "api/timestamp_format.h"
#include "forecasting/scale_windows.h"

namespace patchcast::api {
namespace {

using forecasting::PlanAction;
using forecasting::PlanBucket;
using forecasting::PlanRecord;
using forecasting::ScaleWindow;

// "microsoft:2026-12-08:release" -> "microsoft 2026-12-08 release", as the plan's reasons say it.
std::string EventLabel(std::string id) {
  std::replace(id.begin(), id.end(), ':', ' ');
  return id;
}

std::string Units(int units) { return std::to_string(units) + (units == 1 ? " unit" : " units"); }

std::string Number(double value) { return nlohmann::json(value).dump(); }

bool IsScaleOut(const PlanAction& action) {
  return action.kind == forecasting::ActionKind::kScaleOut;
}

std::string ActionLine(const PlanAction& action) {
  std::string line = "- " + FormatRfc3339(action.at) +
                     (IsScaleOut(action) ? " scale out to " : " scale in to ") +
                     Units(action.units);
  if (IsScaleOut(action)) line += ", ready " + FormatRfc3339(action.ready);
  if (action.late) line += " (late: issued at the plan's start)";
  return line + ": " + action.reason + "\n";
}

std::string Description(const PlanRecord& record, const ScaleWindow& window, int resting_units) {
  const std::vector<PlanBucket>& buckets = record.plan.buckets;
  const std::string from = FormatRfc3339(buckets[window.first_bucket].ts);
  const std::string until = window.end_bucket < buckets.size()
                                ? FormatRfc3339(buckets[window.end_bucket].ts)
                                : "the plan's end (" + FormatRfc3339(buckets.back().ts) + " + " +
                                      std::to_string(record.plan.step.count()) + " s)";
  const PlanBucket& peak = buckets[window.peak_bucket];
  const PlanBucket& busiest = buckets[window.peak_demand_bucket];
  std::string text = record.series_id + " runs above its resting level of " + Units(resting_units) +
                     " from " + from + " until " + until + ".\n";
  text += "Peak: " + Units(peak.units) + " (" + Number(peak.capacity_logins_per_second) +
          " logins/s) from " + FormatRfc3339(peak.ts) + "; peak demand " +
          Number(busiest.demand_logins_per_second) + " logins/s (" + QuantileKey(record.quantile) +
          " forecast) at " + FormatRfc3339(busiest.ts) + ".\n";
  if (window.at_risk_buckets > 0) {
    text += "At risk for " + std::to_string(window.at_risk_buckets) +
            (window.at_risk_buckets == 1 ? " step" : " steps") +
            ": max_units holds capacity below the demand.\n";
  }
  if (window.actions.empty()) {
    text += "No scaling actions (the plan recommends none).\n";
  } else {
    text += "Actions:\n";
    for (std::size_t a : window.actions) text += ActionLine(record.plan.actions[a]);
  }
  text += "Plan " + record.id + " of " + record.series_id + ", as of " +
          FormatRfc3339(record.as_of) + ", forecast " + record.forecast_id + ".";
  return text;
}

void AppendWindow(std::string& out, const PlanRecord& record, const ScaleWindow& window,
                  int resting_units) {
  const std::chrono::sys_seconds first_ts = record.plan.buckets[window.first_bucket].ts;
  std::string summary = "Pre-scale " + record.series_id + " to " + Units(window.peak_units);
  if (const std::optional<std::size_t> cause = forecasting::PeakAction(record.plan, window)) {
    const PlanAction& action = record.plan.actions[*cause];
    summary += " (" + (action.event_id.empty() ? action.reason : EventLabel(action.event_id)) + ")";
  }
  AppendContentLine(out, "BEGIN:VEVENT");
  AppendContentLine(
      out, "UID:" + EscapeIcsText(record.id + "-" + IcsUtcDateTime(first_ts) + "@patchcast"));
  AppendContentLine(out, "DTSTAMP:" + IcsUtcDateTime(record.generated_at));
  AppendContentLine(out, "DTSTART:" + IcsUtcDateTime(window.start));
  AppendContentLine(out, "DTEND:" + IcsUtcDateTime(window.end));
  AppendContentLine(out, "SUMMARY:" + EscapeIcsText(summary));
  AppendContentLine(out,
                    "DESCRIPTION:" + EscapeIcsText(Description(record, window, resting_units)));
  AppendContentLine(out, "CATEGORIES:scale window");
  AppendContentLine(out, "TRANSP:TRANSPARENT");
  AppendContentLine(out, "END:VEVENT");
}

}  // namespace

std::string PlanIcs(const PlanRecord& record) {
  const forecasting::ScaleWindows windows = forecasting::FindScaleWindows(record.plan);
  std::string out;
  AppendIcsCalendarHeader(out, "Patchcast plan " + record.id + " for " + record.series_id);
  for (const ScaleWindow& window : windows.windows) {
    AppendWindow(out, record, window, windows.resting_units);
  }
  AppendContentLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace patchcast::api
