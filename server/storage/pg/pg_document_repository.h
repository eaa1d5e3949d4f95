// PgDocumentRepository: the PostgreSQL implementation of forecasting/document_repository.h, one
// instance per kind of document: forecasts in table `forecasts`, plans in table `plans` (migration
// 2, pg_migrations.cpp). Each series keeps its `retention` most recent documents. Each call is one
// transaction run through RunOnPool (pg_call.h): atomic, committed before Save returns success,
// retried once on a fresh connection if the first is lost, else kUnavailable. Thread-safe.
#pragma once

#include <string>

#include "forecasting/document_repository.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

class PgDocumentRepository final : public forecasting::DocumentRepository {
 public:
  // `pool` must outlive the repository. `retention` >= 1; default 100.
  PgDocumentRepository(forecasting::DocumentKind kind, PgPool& pool, int retention = 100);

  // See forecasting/document_repository.h. Errors beside the port's: kInternal for a plan without
  // valid_until; kConflict "forecast 'x' already exists" ("plan 'x' …") for a duplicate id; store
  // errors from the pool and FromPg (pg_error.h).
  Status Save(const forecasting::StoredDocument& document) override;
  Result<forecasting::StoredDocument> Get(std::string_view id) const override;
  Result<forecasting::StoredDocument> Latest(std::string_view series_id) const override;
  Result<std::vector<forecasting::StoredDocument>> ForSeries(
      std::string_view series_id) const override;
  Result<std::vector<forecasting::StoredDocument>> LatestPerSeries(
      forecasting::WithDocuments documents) const override;

 private:
  // " AND NOT <alias>.hypothetical" for forecasts (a what-if is never the latest); empty for
  // plans.
  std::string NotHypothetical(const std::string& alias) const;

  const forecasting::DocumentKind kind_;
  const std::string noun_;   // "forecast" or "plan"
  const std::string table_;  // "forecasts" or "plans"
  // The columns every query reads before the text, in ReadDocument's order: the kind's missing
  // ones as constants.
  const std::string columns_;
  PgPool& pool_;
  const int retention_;
};

}  // namespace patchcast::storage::pg
