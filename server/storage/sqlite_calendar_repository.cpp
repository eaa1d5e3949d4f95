#include "server/storage/sqlite_calendar_repository.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "server/storage/calendar_rows.h"
#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

void BindOptional(SQLite::Statement& statement, int index,
                  const std::optional<std::string>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}
void BindOptional(SQLite::Statement& statement, int index,
                  const std::optional<std::int64_t>& value) {
  if (value) {
    statement.bind(index, *value);
  } else {
    statement.bind(index);
  }
}

std::optional<std::string> OptionalText(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}
std::optional<std::int64_t> OptionalInteger(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

// The local date-times of each calendar, by calendar id, role ("start"/"exdate") in position order.
using TimesByCalendar = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

// The calendar in the current row of `query` (SELECT * FROM custom_calendars), with its times.
CalendarRow ReadCalendarRow(const SQLite::Statement& query, TimesByCalendar& times) {
  CalendarRow row;
  row.id = query.getColumn("id").getString();
  row.name = query.getColumn("name").getString();
  row.description = query.getColumn("description").getString();
  row.zone = query.getColumn("zone").getString();
  row.event_kind = query.getColumn("event_kind").getString();
  row.duration_seconds = OptionalInteger(query.getColumn("duration_seconds"));
  row.schedule = query.getColumn("schedule").getString();
  row.dtstart = OptionalText(query.getColumn("dtstart"));
  row.rrule = OptionalText(query.getColumn("rrule"));
  row.starts = std::move(times[row.id]["start"]);
  row.exdates = std::move(times[row.id]["exdate"]);
  return row;
}

// The override in the current row of `query` (SELECT * FROM calendar_overrides).
OverrideRow ReadOverrideRow(const SQLite::Statement& query) {
  OverrideRow row;
  row.id = query.getColumn("id").getString();
  row.calendar_id = query.getColumn("calendar_id").getString();
  row.date = query.getColumn("date").getString();
  row.action = query.getColumn("action").getString();
  row.event_kind = OptionalText(query.getColumn("event_kind"));
  row.to_local = OptionalText(query.getColumn("to_local"));
  row.at_utc = OptionalText(query.getColumn("at_utc"));
  row.duration_seconds = OptionalInteger(query.getColumn("duration_seconds"));
  row.bulletins = OptionalInteger(query.getColumn("bulletins"));
  row.max_severity = OptionalText(query.getColumn("max_severity"));
  if (auto restart = OptionalInteger(query.getColumn("restart_required"))) {
    row.restart_required = *restart != 0;
  }
  row.notes = OptionalText(query.getColumn("notes"));
  return row;
}

void InsertTimes(SQLite::Database& db, const std::string& calendar_id, const char* role,
                 const std::vector<std::string>& times) {
  SQLite::Statement insert(db,
                           "INSERT INTO custom_calendar_times (calendar_id, role, position, "
                           "local_time) VALUES (?, ?, ?, ?)");
  for (std::size_t i = 0; i < times.size(); ++i) {
    insert.bind(1, calendar_id);
    insert.bind(2, role);
    insert.bind(3, static_cast<std::int64_t>(i));
    insert.bind(4, times[i]);
    insert.exec();
    insert.reset();
  }
}

bool Exists(SQLite::Database& db, const char* sql, const std::string& id) {
  SQLite::Statement query(db, sql);
  query.bind(1, id);
  return query.executeStep();
}

// Called last in each write that changed something, inside its transaction.
void MoveRevision(SQLite::Database& db) {
  db.exec("UPDATE calendar_revision SET revision = revision + 1");
}

}  // namespace

Result<std::uint64_t> SqliteCalendarRepository::Revision() const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, "SELECT revision FROM calendar_revision");
    if (!query.executeStep()) return Internal("calendar_revision holds no row");
    return static_cast<std::uint64_t>(query.getColumn(0).getInt64());
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read the calendar revision");
  }
}

Result<forecasting::StoredCalendars> SqliteCalendarRepository::Load() const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Transaction snapshot(*reader);  // both tables from one committed state
    forecasting::StoredCalendars stored;

    TimesByCalendar times;
    {
      SQLite::Statement query(*reader,
                              "SELECT calendar_id, role, local_time FROM custom_calendar_times "
                              "ORDER BY calendar_id, role, position");
      while (query.executeStep()) {
        times[query.getColumn(0).getString()][query.getColumn(1).getString()].push_back(
            query.getColumn(2).getString());
      }
    }
    {
      SQLite::Statement query(*reader, "SELECT * FROM custom_calendars ORDER BY seq");
      while (query.executeStep()) {
        auto definition = FromRow(ReadCalendarRow(query, times));
        if (!definition) return definition.error();
        stored.definitions.push_back(std::move(*definition));
      }
    }
    {
      SQLite::Statement query(*reader, "SELECT * FROM calendar_overrides ORDER BY seq");
      while (query.executeStep()) {
        auto override_ = FromRow(ReadOverrideRow(query));
        if (!override_) return override_.error();
        stored.overrides.push_back(std::move(*override_));
      }
    }
    snapshot.commit();
    return stored;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "load calendars");
  }
}

Status SqliteCalendarRepository::InsertCalendar(
    const calendars::CustomCalendarDefinition& definition) {
  const CalendarRow row = ToRow(definition);
  return writes_.Submit([&row](SQLite::Database& db) -> Status {
    if (Exists(db, "SELECT 1 FROM custom_calendars WHERE id = ?", row.id)) {
      return Conflict("calendar '" + row.id + "' already exists");
    }
    SQLite::Statement insert(
        db,
        "INSERT INTO custom_calendars (id, name, description, zone, event_kind, duration_seconds, "
        "schedule, dtstart, rrule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, row.id);
    insert.bind(2, row.name);
    insert.bind(3, row.description);
    insert.bind(4, row.zone);
    insert.bind(5, row.event_kind);
    BindOptional(insert, 6, row.duration_seconds);
    insert.bind(7, row.schedule);
    BindOptional(insert, 8, row.dtstart);
    BindOptional(insert, 9, row.rrule);
    insert.exec();
    InsertTimes(db, row.id, "start", row.starts);
    InsertTimes(db, row.id, "exdate", row.exdates);
    MoveRevision(db);
    return {};
  });
}

Status SqliteCalendarRepository::DeleteCalendar(std::string_view id) {
  const std::string calendar_id(id);
  return writes_.Submit([&calendar_id](SQLite::Database& db) -> Status {
    // Children first, so that this does not depend on foreign_keys being on.
    for (const char* sql : {"DELETE FROM calendar_overrides WHERE calendar_id = ?",
                            "DELETE FROM custom_calendar_times WHERE calendar_id = ?"}) {
      SQLite::Statement remove(db, sql);
      remove.bind(1, calendar_id);
      remove.exec();
    }
    SQLite::Statement remove(db, "DELETE FROM custom_calendars WHERE id = ?");
    remove.bind(1, calendar_id);
    if (remove.exec() == 0) return NotFound("calendar '" + calendar_id + "' does not exist");
    MoveRevision(db);
    return {};
  });
}

Status SqliteCalendarRepository::InsertOverride(const calendars::Override& override_) {
  const OverrideRow row = ToRow(override_);
  return writes_.Submit([&row](SQLite::Database& db) -> Status {
    if (Exists(db, "SELECT 1 FROM calendar_overrides WHERE id = ?", row.id)) {
      return Conflict("override '" + row.id + "' already exists");
    }
    SQLite::Statement insert(
        db,
        "INSERT INTO calendar_overrides (id, calendar_id, date, action, event_kind, to_local, "
        "at_utc, duration_seconds, bulletins, max_severity, restart_required, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, row.id);
    insert.bind(2, row.calendar_id);
    insert.bind(3, row.date);
    insert.bind(4, row.action);
    BindOptional(insert, 5, row.event_kind);
    BindOptional(insert, 6, row.to_local);
    BindOptional(insert, 7, row.at_utc);
    BindOptional(insert, 8, row.duration_seconds);
    BindOptional(insert, 9, row.bulletins);
    BindOptional(insert, 10, row.max_severity);
    BindOptional(insert, 11,
                 row.restart_required ? std::optional<std::int64_t>(*row.restart_required ? 1 : 0)
                                      : std::nullopt);
    BindOptional(insert, 12, row.notes);
    insert.exec();
    MoveRevision(db);
    return {};
  });
}

Status SqliteCalendarRepository::DeleteOverride(std::string_view calendar_id,
                                                std::string_view override_id) {
  const std::string calendar(calendar_id);
  const std::string id(override_id);
  return writes_.Submit([&calendar, &id](SQLite::Database& db) -> Status {
    SQLite::Statement remove(db, "DELETE FROM calendar_overrides WHERE calendar_id = ? AND id = ?");
    remove.bind(1, calendar);
    remove.bind(2, id);
    if (remove.exec() == 0) {
      return NotFound("calendar '" + calendar + "' has no override '" + id + "'");
    }
    MoveRevision(db);
    return {};
  });
}

}  // namespace patchcast::storage
