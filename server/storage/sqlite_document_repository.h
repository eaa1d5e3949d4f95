// SqliteDocumentRepository: the SQLite implementation of forecasting/document_repository.h, one
// instance per kind of document: forecasts in table `forecasts` (migrations 4, 7 and 10, with the
// hypothetical flag and horizon_end), plans in table `plans` (migration 5, with valid_until). Each
// series keeps its `retention` most recent documents. Thread-safe.
#pragma once

#include <string>

#include "forecasting/document_repository.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteDocumentRepository final : public forecasting::DocumentRepository {
 public:
  // `writes` and `readers` must outlive the repository. `retention` >= 1; default 100.
  SqliteDocumentRepository(forecasting::DocumentKind kind, WriteQueue& writes, ReaderPool& readers,
                           int retention = 100);

  // Errors beside the port's: kInternal for a plan without valid_until.
  Status Save(const forecasting::StoredDocument& document) override;
  Result<forecasting::StoredDocument> Get(std::string_view id) const override;
  Result<forecasting::StoredDocument> Latest(std::string_view series_id) const override;
  Result<std::vector<forecasting::StoredDocument>> ForSeries(
      std::string_view series_id) const override;
  Result<std::vector<forecasting::StoredDocument>> LatestPerSeries(
      forecasting::WithDocuments documents) const override;

 private:
  // " AND <alias>.hypothetical = 0" for forecasts (a what-if is never the latest); empty for
  // plans.
  std::string NotHypothetical(const std::string& alias) const;
  // The first row of `sql` with `key` bound to its parameter; `not_found` when none.
  Result<forecasting::StoredDocument> FindOne(const std::string& sql, std::string_view key,
                                              const Error& not_found) const;
  // Every row of `sql`, with `key` bound to its parameter unless empty.
  Result<std::vector<forecasting::StoredDocument>> FindAll(const std::string& sql,
                                                           std::string_view key,
                                                           const std::string& what) const;

  const forecasting::DocumentKind kind_;
  const std::string noun_;   // "forecast" or "plan"
  const std::string table_;  // "forecasts" or "plans"
  // The columns every query reads, in ReadDocument's order: the kind's missing ones as constants.
  const std::string columns_;
  WriteQueue& writes_;
  ReaderPool& readers_;
  int retention_;
};

}  // namespace patchcast::storage
