// PgSurgeAlertLog: the PostgreSQL implementation of forecasting/surge_alert_log.h (table
// surge_alerts, migration 4, pg_migrations.cpp). Each call is one statement or transaction run
// through RunOnPool (pg_call.h): Record is committed before it returns success, and a lost
// connection is retried once on a fresh one, else kUnavailable. Thread-safe.
#pragma once

#include "forecasting/surge_alert_log.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

class PgSurgeAlertLog final : public forecasting::SurgeAlertLog {
 public:
  // `pool` must outlive the log.
  explicit PgSurgeAlertLog(PgPool& pool) : pool_(pool) {}

  // See forecasting/surge_alert_log.h. Store errors come from the pool and FromPg (pg_error.h).
  Status Record(const forecasting::SurgeAlert& alert) override;
  Result<std::vector<forecasting::SurgeAlert>> List(std::string_view series_id,
                                                    std::chrono::sys_seconds from,
                                                    std::chrono::sys_seconds to,
                                                    std::size_t limit) const override;
  Result<std::vector<forecasting::SurgeState>> States() const override;

 private:
  PgPool& pool_;
};

}  // namespace patchcast::storage::pg
