#include "api/reboot_prior_json.h"

#include <array>
#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "api/json_body.h"
#include "api/json_fields.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

// The number members of RebootPrior with their JSON names, in declaration order.
using NumberMember = std::pair<std::string_view, double forecasting::RebootPrior::*>;
constexpr std::array<NumberMember, 13> kNumbers = {{
    {"auto_update_share", &forecasting::RebootPrior::auto_update_share},
    {"install_hour_local", &forecasting::RebootPrior::install_hour_local},
    {"detection_spread_hours", &forecasting::RebootPrior::detection_spread_hours},
    {"powered_on_share", &forecasting::RebootPrior::powered_on_share},
    {"morning_boot_hour_local", &forecasting::RebootPrior::morning_boot_hour_local},
    {"morning_boot_spread_hours", &forecasting::RebootPrior::morning_boot_spread_hours},
    {"restart_delay_minutes", &forecasting::RebootPrior::restart_delay_minutes},
    {"restart_spread_minutes", &forecasting::RebootPrior::restart_spread_minutes},
    {"logins_per_reboot", &forecasting::RebootPrior::logins_per_reboot},
    {"machines_per_daily_login", &forecasting::RebootPrior::machines_per_daily_login},
    {"magnitude_log_sd", &forecasting::RebootPrior::magnitude_log_sd},
    {"peak_timing_spread_hours", &forecasting::RebootPrior::peak_timing_spread_hours},
    {"strength", &forecasting::RebootPrior::strength},
}};

constexpr std::array<std::string_view, 15> kFields = {"auto_update_share",
                                                      "install_hour_local",
                                                      "detection_spread_hours",
                                                      "powered_on_share",
                                                      "morning_boot_hour_local",
                                                      "morning_boot_spread_hours",
                                                      "restart_delay_minutes",
                                                      "restart_spread_minutes",
                                                      "logins_per_reboot",
                                                      "machines_per_daily_login",
                                                      "magnitude_log_sd",
                                                      "peak_timing_spread_hours",
                                                      "strength",
                                                      "min_events",
                                                      "rings"};

// Ring delays are whole hours; the bound only keeps them in range before validation names them.
constexpr std::int64_t kMaxRingHours = 1'000'000;
// Likewise for the number members: ValidateRebootPrior holds each to its own, narrower range
// (documented in openapi.yaml).
constexpr double kNumberBound = 1e6;

Result<std::vector<forecasting::RingEcho>> ParseRings(const json& rings) {
  if (!rings.is_array()) {
    return InvalidArgument(std::string("field 'rings' must be an array, not ") + rings.type_name());
  }
  if (rings.size() > forecasting::kMaxRings) {
    return InvalidArgument("field 'rings' has " + std::to_string(rings.size()) +
                           " entries; at most " + std::to_string(forecasting::kMaxRings) +
                           " are allowed");
  }
  std::vector<forecasting::RingEcho> out;
  for (std::size_t i = 0; i < rings.size(); ++i) {
    const std::string name = "rings[" + std::to_string(i) + "]";
    const json& ring = rings[i];
    if (!ring.is_object()) return InvalidArgument("field '" + name + "' must be an object");
    if (Status known = RejectUnknownFields(ring, {"delay_hours", "share"}); !known) {
      return FieldError(name, known.error());
    }
    auto delay =
        Required(IntegerField(ring, "delay_hours", -kMaxRingHours, kMaxRingHours), "delay_hours");
    if (!delay) return FieldError(name, delay.error());
    auto share = Required(NumberField(ring, "share", -kNumberBound, kNumberBound), "share");
    if (!share) return FieldError(name, share.error());
    out.push_back({std::chrono::hours{*delay}, *share});
  }
  return out;
}

}  // namespace

Result<forecasting::RebootPrior> ParseRebootPrior(const json& object) {
  if (Status known = RejectUnknownFields(object, kFields); !known) return known.error();
  forecasting::RebootPrior prior;
  for (const auto& [name, member] : kNumbers) {
    auto value = NumberField(object, name, -kNumberBound, kNumberBound);
    if (!value) return value.error();
    if (*value) prior.*member = **value;
  }
  auto min_events = IntegerField(object, "min_events", 0, 1000);
  if (!min_events) return min_events.error();
  if (*min_events) prior.min_events = static_cast<int>(**min_events);
  if (auto rings = object.find("rings"); rings != object.end() && !rings->is_null()) {
    auto parsed = ParseRings(*rings);
    if (!parsed) return parsed.error();
    prior.rings = std::move(*parsed);
  }
  if (Status valid = forecasting::ValidateRebootPrior(prior); !valid) return valid.error();
  return prior;
}

json RebootPriorJson(const forecasting::RebootPrior& prior) {
  json out = json::object();
  for (const auto& [name, member] : kNumbers) out[std::string(name)] = prior.*member;
  out["min_events"] = prior.min_events;
  json rings = json::array();
  for (const forecasting::RingEcho& ring : prior.rings) {
    rings.push_back({{"delay_hours", ring.delay.count()}, {"share", ring.share}});
  }
  out["rings"] = std::move(rings);
  return out;
}

}  // namespace patchcast::api
