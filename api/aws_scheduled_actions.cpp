#include "api/aws_scheduled_actions.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

#include "api/point_text.h"
#include "api/timestamp_format.h"
#include "forecasting/capacity_schedule.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// A kept plan's actions as capacity steps and the span of its buckets.
struct PlanSchedule {
  std::string id;
  std::vector<forecasting::CapacityStep> steps;  // one per action, in the plan's order
  std::chrono::sys_seconds first{};              // the first bucket's start
  std::chrono::sys_seconds end{};                // the end of the last bucket
};

PlanSchedule ScheduleOf(const forecasting::PlanRecord& record) {
  const forecasting::CapacityPlan& plan = record.plan;
  PlanSchedule schedule{record.id, {}, record.as_of, record.as_of};
  for (const forecasting::PlanAction& action : plan.actions) {
    schedule.steps.push_back({action.at, action.units});
  }
  if (!plan.buckets.empty()) {
    schedule.first = plan.buckets.front().ts;
    schedule.end = plan.buckets.back().ts + plan.step;
  }
  return schedule;
}

// Splits `items` into calls of at most kAwsMaxPerCall: {"AutoScalingGroupName": group, key: […]}.
std::vector<json> Calls(const std::string& group, const char* key, const std::vector<json>& items) {
  std::vector<json> calls;
  for (std::size_t i = 0; i < items.size(); i += kAwsMaxPerCall) {
    const auto begin = items.begin() + static_cast<std::ptrdiff_t>(i);
    const auto end =
        items.begin() + static_cast<std::ptrdiff_t>(std::min(items.size(), i + kAwsMaxPerCall));
    calls.push_back({{"AutoScalingGroupName", group}, {key, json(std::vector<json>(begin, end))}});
  }
  return calls;
}

// The put's steps: the plan's actions fitted to the group.
std::vector<forecasting::CapacityStep> PutSteps(const PlanSchedule& schedule,
                                                const AwsExportOptions& options) {
  return forecasting::FitSchedule(
      schedule.steps, options.after, schedule.end,
      std::clamp<std::size_t>(options.max_actions, 1, kAwsMaxActionsPerGroup));
}

// Reads the next code point of UTF-8 `text` at `i` (advancing it), or -1 when the bytes there are
// not well-formed UTF-8 (RFC 3629 section 4: no overlong forms, no surrogates, at most U+10FFFF).
std::int32_t NextCodePoint(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return text[i++];
  int length = 0;          // bytes in the sequence, 2..4
  std::int32_t least = 0;  // its smallest code point: fewer would be an overlong form
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    least = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    least = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    least = 0x10000;
  } else {
    return -1;
  }
  std::int32_t code = lead & (0x7F >> length);
  if (i + static_cast<std::size_t>(length) > text.size()) return -1;
  for (int k = 1; k < length; ++k) {
    const unsigned char next = byte(i + static_cast<std::size_t>(k));
    if ((next & 0xC0) != 0x80) return -1;
    code = (code << 6) | (next & 0x3F);
  }
  if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return -1;
  i += static_cast<std::size_t>(length);
  return code;
}

// The model's pattern for XmlStringMaxLen255: the characters XML 1.0 allows.
bool IsXmlCharacter(std::int32_t code) {
  return code == '\t' || code == '\n' || code == '\r' || (code >= 0x20 && code <= 0xD7FF) ||
         (code >= 0xE000 && code <= 0xFFFD) || (code >= 0x10000 && code <= 0x10FFFF);
}

std::string CodePointText(std::int32_t code) {
  char text[16];
  std::snprintf(text, sizeof text, "U+%04X", static_cast<unsigned>(code));
  return text;
}

}  // namespace

Status CheckAwsGroupName(std::string_view group, std::string_view format) {
  if (group.empty()) {
    return InvalidArgument("query parameter 'group' is required for format " + std::string(format) +
                           " (the Auto Scaling group name)");
  }
  std::size_t characters = 0;
  for (std::size_t i = 0; i < group.size();) {
    const std::size_t at = i;
    const std::int32_t code = NextCodePoint(group, i);
    if (code < 0) {
      return InvalidArgument("query parameter 'group' is not valid UTF-8 (at byte " +
                             std::to_string(at + 1) + ")");
    }
    ++characters;
    if (!IsXmlCharacter(code)) {
      return InvalidArgument("query parameter 'group': character " + std::to_string(characters) +
                             " (" + CodePointText(code) +
                             ") is not allowed in an Auto Scaling group name");
    }
  }
  if (characters > kAwsMaxNameLength) {
    return InvalidArgument("query parameter 'group' is " + std::to_string(characters) +
                           " characters long; an Auto Scaling group name has at most " +
                           std::to_string(kAwsMaxNameLength));
  }
  return {};
}

std::string AwsActionName(std::chrono::sys_seconds start) {
  std::string name = "patchcast-";
  for (char c : FormatRfc3339(start)) {
    if (c != '-' && c != ':') name += c;
  }
  return name;
}

Result<std::vector<json>> AwsPutCalls(const forecasting::PlanRecord& record,
                                      const AwsExportOptions& options) {
  const PlanSchedule schedule = ScheduleOf(record);
  if (schedule.steps.empty()) {
    return Unprocessable("plan '" + schedule.id +
                         "' has no scaling actions (mode forecast_only or steady demand)");
  }
  const std::vector<forecasting::CapacityStep> steps = PutSteps(schedule, options);
  if (steps.empty()) {
    const auto last =
        std::max_element(schedule.steps.begin(), schedule.steps.end(),
                         [](const auto& a, const auto& b) { return a.start < b.start; });
    return Unprocessable("plan '" + schedule.id + "' has no scaling actions after " +
                         FormatRfc3339(options.after) + " (its last starts at " +
                         FormatRfc3339(last->start) + "); make a new plan");
  }
  std::vector<json> actions;
  for (const forecasting::CapacityStep& step : steps) {
    actions.push_back({{"ScheduledActionName", AwsActionName(step.start)},
                       {"StartTime", FormatRfc3339(step.start)},
                       {"MinSize", step.units},
                       {"DesiredCapacity", step.units}});
  }
  return Calls(options.group, "ScheduledUpdateGroupActions", actions);
}

std::vector<json> AwsDeleteCalls(const forecasting::PlanRecord& record,
                                 std::span<const forecasting::PlanRecord> stored,
                                 const AwsExportOptions& options) {
  const PlanSchedule schedule = ScheduleOf(record);
  const std::vector<forecasting::CapacityStep> kept = PutSteps(schedule, options);

  // Every action start of the plans; OrphanedStarts drops repeats.
  std::vector<std::chrono::sys_seconds> starts;
  for (const forecasting::CapacityStep& step : schedule.steps) starts.push_back(step.start);
  for (const forecasting::PlanRecord& other : stored) {
    for (const forecasting::PlanAction& action : other.plan.actions) starts.push_back(action.at);
  }
  std::vector<json> names;
  for (std::chrono::sys_seconds start :
       forecasting::OrphanedStarts(starts, kept, options.after, schedule.first, schedule.end)) {
    names.push_back(AwsActionName(start));
  }
  return Calls(options.group, "ScheduledActionNames", names);
}

}  // namespace patchcast::api
