// JSON <-> the reboot-wave prior (forecasting/reboot_prior.h): the body of PUT
// /v1/series/{id}/reboot-prior, and the prior rendered back. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "forecasting/reboot_prior.h"

namespace patchcast::api {

// Reads a prior: every member of RebootPrior by its name ("auto_update_share",
// "install_hour_local", ..., "min_events"), and "rings": [{"delay_hours","share"}]. Absent (or
// null) members keep RebootPrior's defaults; a given "rings" replaces the default rings ([] for
// none). The result is validated (ValidateRebootPrior). Errors (kInvalidArgument) name the field:
// unknown members, wrong types ("field 'strength' must be a number, not string"), ranges
// ("install_hour_local: must be in [0, 24) (got 25)").
Result<forecasting::RebootPrior> ParseRebootPrior(const nlohmann::json& object);

// Every member, rings included; ParseRebootPrior reads it back to an equal prior.
nlohmann::json RebootPriorJson(const forecasting::RebootPrior& prior);

}  // namespace patchcast::api
