// PgScorecardStore: the PostgreSQL implementation of forecasting/scorecard_store.h (tables
// forecast_scores and forecast_event_scores, migration 6, pg_migrations.cpp; what is due is read
// from forecasts and series). A NaN score is stored as NULL, as in SQLite. Each call is one
// transaction run through RunOnPool (pg_call.h): Keep is committed before it returns success, and
// a lost connection is retried once on a fresh one, else kUnavailable. Thread-safe.
#pragma once

#include "forecasting/scorecard_store.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

class PgScorecardStore final : public forecasting::ScorecardStore {
 public:
  // `pool` must outlive the store.
  explicit PgScorecardStore(PgPool& pool) : pool_(pool) {}

  // See forecasting/scorecard_store.h. Listings read the scorecards and their events in one
  // snapshot (a read-only repeatable-read transaction), with two queries however many
  // scorecards. Store errors come from the pool and FromPg (pg_error.h).
  Status Keep(const forecasting::ForecastScorecard& card) override;
  // Ordered by generated_at, then by forecast id.
  Result<std::vector<forecasting::ForecastScorecard>> List(
      std::string_view series_id, std::chrono::sys_seconds from,
      std::chrono::sys_seconds to) const override;
  // On a tie of horizon ends, the greatest forecast id.
  Result<std::vector<forecasting::ForecastScorecard>> LatestPerSeries() const override;
  // Ties of horizon ends by forecast id.
  Result<std::vector<forecasting::DueScoring>> Due(std::size_t limit) const override;

 private:
  PgPool& pool_;
};

}  // namespace patchcast::storage::pg
