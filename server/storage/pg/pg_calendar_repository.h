// PgCalendarRepository: the PostgreSQL implementation of forecasting/calendar_repository.h (tables
// custom_calendars, custom_calendar_times and calendar_overrides, migration 7, and
// calendar_revision, migration 8, pg_migrations.cpp),
// storing the rows calendar_rows.h describes, as SQLite does. Each call is one transaction run
// through RunOnPool (pg_call.h): a write is committed before it returns success, Load reads the
// three tables in one snapshot, and a lost connection is retried once on a fresh one, else
// kUnavailable. Thread-safe.
#pragma once

#include <cstdint>

#include "forecasting/calendar_repository.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

class PgCalendarRepository final : public forecasting::CalendarRepository {
 public:
  // `pool` must outlive the repository.
  explicit PgCalendarRepository(PgPool& pool) : pool_(pool) {}

  // See forecasting/calendar_repository.h. Two replicas inserting the same id at once: one
  // succeeds, the other gets kConflict.
  Result<forecasting::StoredCalendars> Load() const override;
  Result<std::uint64_t> Revision() const override;
  Status InsertCalendar(const calendars::CustomCalendarDefinition& definition) override;
  Status DeleteCalendar(std::string_view id) override;
  Status InsertOverride(const calendars::Override& override_) override;
  Status DeleteOverride(std::string_view calendar_id, std::string_view override_id) override;

 private:
  PgPool& pool_;
};

}  // namespace patchcast::storage::pg
