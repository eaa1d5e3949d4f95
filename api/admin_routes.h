// Operator routes: who am I (any key) and online database backups (admin keys).
#pragma once

#include "api/router.h"
#include "core/clock.h"
#include "forecasting/storage.h"

namespace patchcast::api {

// Adds GET /v1/whoami (read), POST /v1/admin/backups and GET /v1/admin/backups (admin).
// `storage` and `clock` must outlive `router`.
void AddAdminRoutes(Router& router, Storage& storage, const Clock& clock);

}  // namespace patchcast::api
