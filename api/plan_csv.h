// A kept plan as CSV, one row a bucket, for spreadsheets and scripts: `?format=csv` on the plan
// routes and `patchcast plan --format csv`. Pure function; thread-safe.
#pragma once

#include <string>

#include "forecasting/plan_record.h"

namespace patchcast::api {

// "ts,demand,units,capacity,p_exceed,at_risk\n" then one row a bucket: the RFC 3339 start, the
// demand and capacity in logins per second and p_exceed, each as the plan document writes them
// (plan_document.h), the units, and true or false.
std::string PlanCsv(const forecasting::PlanRecord& record);

}  // namespace patchcast::api
