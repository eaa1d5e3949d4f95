// SqliteSurgeAlertLog: the SQLite implementation of forecasting/surge_alert_log.h (table
// surge_alerts, migration 11). Thread-safe.
#pragma once

#include "forecasting/surge_alert_log.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteSurgeAlertLog final : public forecasting::SurgeAlertLog {
 public:
  // `writes` and `readers` must outlive the log.
  SqliteSurgeAlertLog(WriteQueue& writes, ReaderPool& readers)
      : writes_(writes), readers_(readers) {}

  Status Record(const forecasting::SurgeAlert& alert) override;
  Result<std::vector<forecasting::SurgeAlert>> List(std::string_view series_id,
                                                    std::chrono::sys_seconds from,
                                                    std::chrono::sys_seconds to,
                                                    std::size_t limit) const override;
  Result<std::vector<forecasting::SurgeState>> States() const override;

 private:
  WriteQueue& writes_;
  ReaderPool& readers_;
};

}  // namespace patchcast::storage
