// SqliteCalendarRepository: the SQLite implementation of the calendar repository port
// (forecasting/calendar_repository.h), over the tables of migration 2 (custom_calendars,
// custom_calendar_times, calendar_overrides) and the revision of migration 13 (calendar_revision).
//
// Ownership: borrows the store's WriteQueue and ReaderPool, which must outlive it. Thread-safety:
// all members may be called from any number of threads at once; writes go through the WriteQueue
// (durable on return), reads through a pooled read-only connection inside one read transaction.
#pragma once

#include <cstdint>
#include <string_view>

#include "forecasting/calendar_repository.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteCalendarRepository final : public forecasting::CalendarRepository {
 public:
  SqliteCalendarRepository(WriteQueue& writes, ReaderPool& readers)
      : writes_(writes), readers_(readers) {}

  // See forecasting/calendar_repository.h. Store errors come from FromSqlite (sqlite_error.h);
  // a stored row that does not parse back is kInternal naming the calendar or override.
  Result<forecasting::StoredCalendars> Load() const override;
  Result<std::uint64_t> Revision() const override;
  Status InsertCalendar(const calendars::CustomCalendarDefinition& definition) override;
  Status DeleteCalendar(std::string_view id) override;
  Status InsertOverride(const calendars::Override& override_) override;
  Status DeleteOverride(std::string_view calendar_id, std::string_view override_id) override;

 private:
  WriteQueue& writes_;
  ReaderPool& readers_;
};

}  // namespace patchcast::storage
