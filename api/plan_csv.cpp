#include "api/plan_csv.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

// As the plan document writes it: rounded to `scale`, in JSON's shortest form.
std::string Figure(double value, double scale) {
  return nlohmann::json(std::round(value * scale) / scale).dump();
}

}  // namespace

std::string PlanCsv(const forecasting::PlanRecord& record) {
  std::string csv = "ts,demand,units,capacity,p_exceed,at_risk\n";
  for (const forecasting::PlanBucket& bucket : record.plan.buckets) {
    csv += FormatRfc3339(bucket.ts) + "," + Figure(bucket.demand_logins_per_second, 100) + "," +
           std::to_string(bucket.units) + "," + Figure(bucket.capacity_logins_per_second, 100) +
           "," + Figure(bucket.p_exceed, 1e6) + "," + (bucket.at_risk ? "true" : "false") + "\n";
  }
  return csv;
}

}  // namespace patchcast::api
