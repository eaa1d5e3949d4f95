#include "api/plan_ics.h"

#include <algorithm>
#include <optional>

#include "api/forecast_json.h"
#include "api/ics_writer.h"
#include "api/point_text.h"

namespace patchcast::api {
namespace {

using nlohmann::json;
using std::chrono::sys_seconds;

// The members of a plan document that the calendar shows.
struct Bucket {
  std::string ts_text;
  sys_seconds ts{};
  double demand = 0;
  int units = 0;
  double capacity = 0;
  bool at_risk = false;
};

struct Action {
  std::string at_text;
  sys_seconds at{};
  std::string ready_text;
  sys_seconds ready{};
  bool scale_out = true;
  int units = 0;
  bool late = false;
  std::string reason;
  std::string event_id;  // empty when none
};

struct Plan {
  std::string id;
  std::string series;
  std::string forecast_id;
  std::string as_of;
  sys_seconds generated_at{};
  std::chrono::seconds step{};
  double quantile = 0;
  std::vector<Bucket> buckets;
  std::vector<Action> actions;
};

Error Malformed(const std::string& what) { return Internal("stored plan document: " + what); }

// The member `key` of `object` when `is` (a json type test) holds for it.
Result<const json*> Member(const json& object, const char* key, bool (json::*is)() const noexcept) {
  auto it = object.find(key);
  if (it == object.end() || !((*it).*is)()) return Malformed(std::string("no valid '") + key + "'");
  return &*it;
}

Result<std::string> Text(const json& object, const char* key) {
  auto member = Member(object, key, &json::is_string);
  if (!member) return member.error();
  return (*member)->get<std::string>();
}

Result<sys_seconds> Time(const json& object, const char* key, std::string* text = nullptr) {
  auto value = Text(object, key);
  if (!value) return value.error();
  auto instant = ParseRfc3339Seconds(*value);
  if (!instant) return Malformed(std::string("'") + key + "': " + instant.error().message);
  if (text != nullptr) *text = std::move(*value);
  return *instant;
}

Result<double> Real(const json& object, const char* key) {
  auto member = Member(object, key, &json::is_number);
  if (!member) return member.error();
  return (*member)->get<double>();
}

Result<int> Integer(const json& object, const char* key) {
  auto member = Member(object, key, &json::is_number_integer);
  if (!member) return member.error();
  return (*member)->get<int>();
}

Result<bool> Flag(const json& object, const char* key) {
  auto member = Member(object, key, &json::is_boolean);
  if (!member) return member.error();
  return (*member)->get<bool>();
}

Result<const json*> Array(const json& object, const char* key) {
  return Member(object, key, &json::is_array);
}

Result<Bucket> ReadBucket(const json& row) {
  Bucket bucket;
  auto ts = Time(row, "ts", &bucket.ts_text);
  if (!ts) return ts.error();
  bucket.ts = *ts;
  auto demand = Real(row, "demand");
  if (!demand) return demand.error();
  bucket.demand = *demand;
  auto units = Integer(row, "units");
  if (!units) return units.error();
  bucket.units = *units;
  auto capacity = Real(row, "capacity");
  if (!capacity) return capacity.error();
  bucket.capacity = *capacity;
  auto at_risk = Flag(row, "at_risk");
  if (!at_risk) return at_risk.error();
  bucket.at_risk = *at_risk;
  return bucket;
}

Result<Action> ReadAction(const json& row) {
  Action action;
  auto at = Time(row, "at", &action.at_text);
  if (!at) return at.error();
  action.at = *at;
  auto ready = Time(row, "ready", &action.ready_text);
  if (!ready) return ready.error();
  action.ready = *ready;
  auto kind = Text(row, "kind");
  if (!kind) return kind.error();
  if (*kind != "scale_out" && *kind != "scale_in") return Malformed("action kind '" + *kind + "'");
  action.scale_out = *kind == "scale_out";
  auto units = Integer(row, "units");
  if (!units) return units.error();
  action.units = *units;
  auto late = Flag(row, "late");
  if (!late) return late.error();
  action.late = *late;
  auto reason = Text(row, "reason");
  if (!reason) return reason.error();
  action.reason = std::move(*reason);
  if (auto it = row.find("event_id"); it != row.end() && it->is_string()) {
    action.event_id = it->get<std::string>();
  }
  return action;
}

Result<Plan> ReadPlan(const json& document) {
  if (!document.is_object()) return Malformed("not an object");
  Plan plan;
  for (auto [key, out] :
       {std::pair{"id", &plan.id}, std::pair{"series", &plan.series},
        std::pair{"forecast_id", &plan.forecast_id}, std::pair{"as_of", &plan.as_of}}) {
    auto value = Text(document, key);
    if (!value) return value.error();
    *out = std::move(*value);
  }
  auto generated_at = Time(document, "generated_at");
  if (!generated_at) return generated_at.error();
  plan.generated_at = *generated_at;
  auto step = Integer(document, "step_seconds");
  if (!step) return step.error();
  if (*step <= 0) return Malformed("step_seconds is not positive");
  plan.step = std::chrono::seconds{*step};
  auto quantile = Real(document, "quantile");
  if (!quantile) return quantile.error();
  plan.quantile = *quantile;
  auto buckets = Array(document, "buckets");
  if (!buckets) return buckets.error();
  for (const json& row : **buckets) {
    auto bucket = ReadBucket(row);
    if (!bucket) return bucket.error();
    plan.buckets.push_back(std::move(*bucket));
  }
  if (plan.buckets.empty()) return Malformed("no buckets");
  auto actions = Array(document, "actions");
  if (!actions) return actions.error();
  for (const json& row : **actions) {
    auto action = ReadAction(row);
    if (!action) return action.error();
    plan.actions.push_back(std::move(*action));
  }
  return plan;
}

PlanScaleWindows Windows(const Plan& plan) {
  PlanScaleWindows out;
  const std::vector<Bucket>& buckets = plan.buckets;
  // The routine peak: the most units a scale-out that names no event brings. Without such an
  // action, the fewest units of any bucket.
  out.resting_units = -1;
  for (const Action& action : plan.actions) {
    if (action.scale_out && action.event_id.empty()) {
      out.resting_units = std::max(out.resting_units, action.units);
    }
  }
  if (out.resting_units < 0) {
    out.resting_units =
        std::min_element(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) {
          return a.units < b.units;
        })->units;
  }
  const sys_seconds plan_end = buckets.back().ts + plan.step;
  for (std::size_t i = 0; i < buckets.size();) {
    if (buckets[i].units <= out.resting_units) {
      ++i;
      continue;
    }
    PlanScaleWindow window;
    window.first_bucket = i;
    window.peak_bucket = i;
    window.peak_demand_bucket = i;
    for (; i < buckets.size() && buckets[i].units > out.resting_units; ++i) {
      const Bucket& bucket = buckets[i];
      if (bucket.units > buckets[window.peak_bucket].units) window.peak_bucket = i;
      if (bucket.demand > buckets[window.peak_demand_bucket].demand) window.peak_demand_bucket = i;
      if (bucket.at_risk) ++window.at_risk_buckets;
    }
    window.end_bucket = i;
    window.start = buckets[window.first_bucket].ts;
    window.end = i < buckets.size() ? buckets[i].ts : plan_end;
    window.peak_units = buckets[window.peak_bucket].units;
    window.peak_demand = buckets[window.peak_demand_bucket].demand;
    for (std::size_t a = 0; a < plan.actions.size(); ++a) {
      const Action& action = plan.actions[a];
      if (action.ready < buckets[window.first_bucket].ts || action.ready > window.end) continue;
      window.actions.push_back(a);
      if (action.scale_out) window.start = std::min(window.start, action.at);
    }
    out.windows.push_back(std::move(window));
  }
  return out;
}

// "microsoft:2026-12-08:release" -> "microsoft 2026-12-08 release", as the plan's reasons say it.
std::string EventLabel(std::string id) {
  std::replace(id.begin(), id.end(), ':', ' ');
  return id;
}

// The scale-out of `window` that first brings it to its peak; nullopt when none does.
std::optional<std::size_t> PeakAction(const Plan& plan, const PlanScaleWindow& window) {
  std::optional<std::size_t> first_scale_out;
  for (std::size_t a : window.actions) {
    const Action& action = plan.actions[a];
    if (!action.scale_out) continue;
    if (!first_scale_out) first_scale_out = a;
    if (action.units >= window.peak_units) return a;
  }
  return first_scale_out;
}

std::string Units(int units) { return std::to_string(units) + (units == 1 ? " unit" : " units"); }

std::string Number(double value) { return json(value).dump(); }

std::string Description(const Plan& plan, const PlanScaleWindow& window, int resting_units) {
  const std::vector<Bucket>& buckets = plan.buckets;
  const std::string from = buckets[window.first_bucket].ts_text;
  const std::string until = window.end_bucket < buckets.size()
                                ? buckets[window.end_bucket].ts_text
                                : "the plan's end (" + buckets.back().ts_text + " + " +
                                      std::to_string(plan.step.count()) + " s)";
  const Bucket& peak = buckets[window.peak_bucket];
  const Bucket& busiest = buckets[window.peak_demand_bucket];
  std::string text = plan.series + " runs above its resting level of " + Units(resting_units) +
                     " from " + from + " until " + until + ".\n";
  text += "Peak: " + Units(peak.units) + " (" + Number(peak.capacity) + " logins/s) from " +
          peak.ts_text + "; peak demand " + Number(busiest.demand) + " logins/s (" +
          QuantileKey(plan.quantile) + " forecast) at " + busiest.ts_text + ".\n";
  if (window.at_risk_buckets > 0) {
    text += "At risk for " + std::to_string(window.at_risk_buckets) +
            (window.at_risk_buckets == 1 ? " step" : " steps") +
            ": max_units holds capacity below the demand.\n";
  }
  if (window.actions.empty()) {
    text += "No scaling actions (the plan recommends none).\n";
  } else {
    text += "Actions:\n";
    for (std::size_t a : window.actions) {
      const Action& action = plan.actions[a];
      text += "- " + action.at_text + (action.scale_out ? " scale out to " : " scale in to ") +
              Units(action.units);
      if (action.scale_out) text += ", ready " + action.ready_text;
      if (action.late) text += " (late: issued at the plan's start)";
      text += ": " + action.reason + "\n";
    }
  }
  text += "Plan " + plan.id + " of " + plan.series + ", as of " + plan.as_of + ", forecast " +
          plan.forecast_id + ".";
  return text;
}

void AppendWindow(std::string& out, const Plan& plan, const PlanScaleWindow& window,
                  int resting_units) {
  const sys_seconds first_ts = plan.buckets[window.first_bucket].ts;
  std::string summary = "Pre-scale " + plan.series + " to " + Units(window.peak_units);
  if (const std::optional<std::size_t> cause = PeakAction(plan, window)) {
    const Action& action = plan.actions[*cause];
    summary += " (" + (action.event_id.empty() ? action.reason : EventLabel(action.event_id)) + ")";
  }
  AppendContentLine(out, "BEGIN:VEVENT");
  AppendContentLine(
      out, "UID:" + EscapeIcsText(plan.id + "-" + IcsUtcDateTime(first_ts) + "@patchcast"));
  AppendContentLine(out, "DTSTAMP:" + IcsUtcDateTime(plan.generated_at));
  AppendContentLine(out, "DTSTART:" + IcsUtcDateTime(window.start));
  AppendContentLine(out, "DTEND:" + IcsUtcDateTime(window.end));
  AppendContentLine(out, "SUMMARY:" + EscapeIcsText(summary));
  AppendContentLine(out, "DESCRIPTION:" + EscapeIcsText(Description(plan, window, resting_units)));
  AppendContentLine(out, "CATEGORIES:scale window");
  AppendContentLine(out, "TRANSP:TRANSPARENT");
  AppendContentLine(out, "END:VEVENT");
}

}  // namespace

Result<PlanScaleWindows> FindPlanScaleWindows(const json& document) {
  auto plan = ReadPlan(document);
  if (!plan) return plan.error();
  return Windows(*plan);
}

Result<std::string> PlanIcs(const json& document) {
  auto plan = ReadPlan(document);
  if (!plan) return plan.error();
  const PlanScaleWindows windows = Windows(*plan);
  std::string out;
  AppendIcsCalendarHeader(out, "Patchcast plan " + plan->id + " for " + plan->series);
  for (const PlanScaleWindow& window : windows.windows) {
    AppendWindow(out, *plan, window, windows.resting_units);
  }
  AppendContentLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace patchcast::api
