// SqliteRunLog: the SQLite implementation of forecasting/run_log.h (table schedule_runs,
// migration 9). Thread-safe.
#pragma once

#include "forecasting/run_log.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteRunLog final : public forecasting::RunLog {
 public:
  // `writes` and `readers` must outlive the log.
  SqliteRunLog(WriteQueue& writes, ReaderPool& readers) : writes_(writes), readers_(readers) {}

  Result<std::int64_t> Append(const forecasting::RunRecord& run) override;
  Result<std::vector<forecasting::RunRecord>> List(std::string_view series_id,
                                                   std::chrono::sys_seconds from,
                                                   std::chrono::sys_seconds to,
                                                   std::size_t limit) const override;
  Result<std::optional<forecasting::RunRecord>> Latest(std::string_view series_id) const override;
  Result<std::vector<forecasting::RunTally>> Tallies() const override;
  Result<std::vector<forecasting::LastSuccess>> LastSuccesses() const override;

 private:
  WriteQueue& writes_;
  ReaderPool& readers_;
};

}  // namespace patchcast::storage
