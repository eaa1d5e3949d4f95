// PgRunLog: the PostgreSQL implementation of forecasting/run_log.h (table schedule_runs, migration
// 5, pg_migrations.cpp). Each call is one statement or transaction run through RunOnPool
// (pg_call.h): Append is committed before it returns the run's id, and a lost connection is
// retried once on a fresh one, else kUnavailable. Thread-safe.
#pragma once

#include "forecasting/run_log.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

class PgRunLog final : public forecasting::RunLog {
 public:
  // `pool` must outlive the log.
  explicit PgRunLog(PgPool& pool) : pool_(pool) {}

  // See forecasting/run_log.h. Store errors come from the pool and FromPg (pg_error.h).
  Result<std::int64_t> Append(const forecasting::RunRecord& run) override;
  Result<std::vector<forecasting::RunRecord>> List(std::string_view series_id,
                                                   std::chrono::sys_seconds from,
                                                   std::chrono::sys_seconds to,
                                                   std::size_t limit) const override;
  Result<std::optional<forecasting::RunRecord>> Latest(std::string_view series_id) const override;
  Result<std::vector<forecasting::RunTally>> Tallies() const override;
  Result<std::vector<forecasting::LastSuccess>> LastSuccesses() const override;

 private:
  PgPool& pool_;
};

}  // namespace patchcast::storage::pg
