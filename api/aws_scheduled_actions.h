// The AWS export of stored plans (issue 12): the --cli-input-json inputs of
// `aws autoscaling batch-put-scheduled-update-group-action` (the plan's actions still to come,
// merged to fit the group) and of `aws autoscaling batch-delete-scheduled-action` (Patchcast's
// actions that the put leaves behind), split into calls AWS accepts. Pure functions; thread-safe.
//
// AWS's limits, as botocore's autoscaling model and the EC2 Auto Scaling quotas give them (and
// tests/e2e/aws_export_test.py checks with botocore's ParamValidator):
//  - at most 50 actions a put call and 50 names a delete call ("The maximum number allowed is 50",
//    the documentation of ScheduledUpdateGroupActions and ScheduledActionNames);
//  - at most 125 scheduled actions per Auto Scaling group (service quota, not adjustable);
//  - AutoScalingGroupName and ScheduledActionName: XmlStringMaxLen255, 1 to 255 characters
//    matching [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*;
//  - StartTime not in the past ("If you try to schedule the action in the past, Amazon EC2 Auto
//    Scaling returns an error message").
#pragma once

#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/plan_record.h"

namespace patchcast::api {

inline constexpr std::size_t kAwsMaxPerCall = 50;
inline constexpr std::size_t kAwsMaxActionsPerGroup = 125;
inline constexpr std::size_t kAwsMaxNameLength = 255;

// The two AWS formats of a plan.
inline constexpr std::string_view kAwsPutFormat = "aws-scheduled-actions";
inline constexpr std::string_view kAwsDeleteFormat = "aws-delete-scheduled-actions";

// Checks `group` as the model checks AutoScalingGroupName: 1 to 255 characters (Unicode code
// points) of well-formed UTF-8, each a tab, LF, CR or in U+0020..U+D7FF, U+E000..U+FFFD or
// U+10000..U+10FFFF. `format` is only quoted in the message. Errors (kInvalidArgument) name the
// parameter:
//  - "query parameter 'group' is required for format aws-scheduled-actions (the Auto Scaling
//    group name)" when `group` is empty;
//  - "query parameter 'group' is 300 characters long; an Auto Scaling group name has at most 255";
//  - "query parameter 'group' is not valid UTF-8 (at byte 4)";
//  - "query parameter 'group': character 4 (U+0001) is not allowed in an Auto Scaling group name".
Status CheckAwsGroupName(std::string_view group, std::string_view format);

// "patchcast-" and `start` in ISO 8601 basic format, e.g. "patchcast-20261110T180000Z" (26
// characters): the same name for the same instant whichever plan schedules it, so a later plan's
// put replaces an earlier plan's action at that instant in the same group.
std::string AwsActionName(std::chrono::sys_seconds start);

struct AwsExportOptions {
  std::string group;               // the Auto Scaling group; CheckAwsGroupName must accept it
  std::chrono::sys_seconds after;  // only actions starting after this instant (now, or ?at=)
  std::size_t max_actions = kAwsMaxActionsPerGroup;  // 1..125: the most actions the put gives
};

// The put calls for kept plan `record`: its actions as capacity steps
// ("at", "units"), fitted by forecasting::FitSchedule(steps, options.after, the end of the plan's
// last bucket, options.max_actions): only actions after options.after, merged where there are
// more than max_actions so that capacity never falls below what the plan asks. One
// ScheduledUpdateGroupAction a step, {"ScheduledActionName": AwsActionName(start), "StartTime":
// RFC 3339, "MinSize" and "DesiredCapacity": the units}, in order of start, 50 a call:
// [{"AutoScalingGroupName": group, "ScheduledUpdateGroupActions": [...]}, ...]; at least one call.
// Errors: kUnprocessable "plan 'x' has no scaling actions (mode forecast_only or steady demand)"
// when the plan has none, and "plan 'x' has no scaling actions after 2026-11-20T00:00:00Z (its
// last starts at 2026-11-12T09:55:00Z); make a new plan" when all are past.
Result<std::vector<nlohmann::json>> AwsPutCalls(const forecasting::PlanRecord& record,
                                                const AwsExportOptions& options);

// The delete calls to go with AwsPutCalls(record, options): the names Patchcast may have put in
// the group for `record` or `stored` (the series' other kept plans; `record` may be among
// them) that this put does not overwrite and whose actions would still run within `record`'s
// span. That is AwsActionName(t) for every action start t of these plans (any put of a plan names
// some of its action starts) that lies after options.after, within `record`'s buckets (its first
// bucket to the end of its last) and that the put does not use (forecasting::OrphanedStarts), in
// order of time. Beyond its buckets the plan says nothing, so older plans' actions there stay.
// A superset of what is in the group: AWS lists the names it does not hold among the call's
// FailedScheduledActions and deletes the rest. 50 names a call:
// [{"AutoScalingGroupName": group, "ScheduledActionNames": [...]}, ...]; empty when there is
// nothing to delete.
std::vector<nlohmann::json> AwsDeleteCalls(const forecasting::PlanRecord& record,
                                           std::span<const forecasting::PlanRecord> stored,
                                           const AwsExportOptions& options);

}  // namespace patchcast::api
