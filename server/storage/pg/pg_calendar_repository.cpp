#include "server/storage/pg/pg_calendar_repository.h"

#include <map>
#include <optional>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>
#include <string>
#include <utility>
#include <vector>

#include "server/storage/calendar_rows.h"
#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_parameters.h"

namespace patchcast::storage::pg {
namespace {

std::optional<std::string> OptionalText(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}
std::optional<std::int64_t> OptionalInteger(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::int64_t>();
}
std::optional<bool> OptionalBoolean(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<bool>();
}

// The local date-times of each calendar, by calendar id, role ("start"/"exdate") in position order.
using TimesByCalendar = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

constexpr const char* kCalendarColumns =
    "id, name, description, zone, event_kind, duration_seconds, schedule, dtstart, rrule";

// The calendar in `row`, whose columns are kCalendarColumns, with its times.
CalendarRow ReadCalendarRow(const pqxx::row& row, TimesByCalendar& times) {
  CalendarRow calendar;
  calendar.id = row[0].as<std::string>();
  calendar.name = row[1].as<std::string>();
  calendar.description = row[2].as<std::string>();
  calendar.zone = row[3].as<std::string>();
  calendar.event_kind = row[4].as<std::string>();
  calendar.duration_seconds = OptionalInteger(row[5]);
  calendar.schedule = row[6].as<std::string>();
  calendar.dtstart = OptionalText(row[7]);
  calendar.rrule = OptionalText(row[8]);
  calendar.starts = std::move(times[calendar.id]["start"]);
  calendar.exdates = std::move(times[calendar.id]["exdate"]);
  return calendar;
}

constexpr const char* kOverrideColumns =
    "id, calendar_id, date, action, event_kind, to_local, at_utc, duration_seconds, bulletins, "
    "max_severity, restart_required, notes";

// The override in `row`, whose columns are kOverrideColumns.
OverrideRow ReadOverrideRow(const pqxx::row& row) {
  OverrideRow override_;
  override_.id = row[0].as<std::string>();
  override_.calendar_id = row[1].as<std::string>();
  override_.date = row[2].as<std::string>();
  override_.action = row[3].as<std::string>();
  override_.event_kind = OptionalText(row[4]);
  override_.to_local = OptionalText(row[5]);
  override_.at_utc = OptionalText(row[6]);
  override_.duration_seconds = OptionalInteger(row[7]);
  override_.bulletins = OptionalInteger(row[8]);
  override_.max_severity = OptionalText(row[9]);
  override_.restart_required = OptionalBoolean(row[10]);
  override_.notes = OptionalText(row[11]);
  return override_;
}

// Inserts the calendar's times of `role` in one statement, numbered in order from 0.
void InsertTimes(pqxx::work& transaction, const std::string& calendar_id, const char* role,
                 const std::vector<std::string>& times) {
  if (times.empty()) return;
  PgParameters parameters;
  std::string rows;
  for (std::size_t position = 0; position < times.size(); ++position) {
    const std::size_t first = parameters.size() + 1;
    parameters.Text(calendar_id);
    parameters.Text(std::string(role));
    parameters.Integer(static_cast<std::int64_t>(position));
    parameters.Text(times[position]);
    if (!rows.empty()) rows += ", ";
    rows += "(" + Placeholders(first, 4) + ")";
  }
  Execute(
      transaction,
      "INSERT INTO custom_calendar_times (calendar_id, role, position, local_time) VALUES " + rows,
      parameters);
}

// Called last in each write that changed something, inside its transaction. The row lock it takes
// also orders calendar writes across replicas.
void MoveRevision(pqxx::work& transaction) {
  transaction.exec("UPDATE calendar_revision SET revision = revision + 1");
}

}  // namespace

Result<std::uint64_t> PgCalendarRepository::Revision() const {
  return RunOnPool(pool_, "read the calendar revision",
                   [](pqxx::connection& connection) -> Result<std::uint64_t> {
                     return pqxx::nontransaction(connection)
                         .exec1("SELECT revision FROM calendar_revision")[0]
                         .as<std::uint64_t>();
                   });
}

Result<forecasting::StoredCalendars> PgCalendarRepository::Load() const {
  using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
  return RunOnPool(
      pool_, "load calendars",
      [&](pqxx::connection& connection) -> Result<forecasting::StoredCalendars> {
        Snapshot snapshot(connection);  // the three tables from one committed state
        TimesByCalendar times;
        for (const pqxx::row& row :
             snapshot.exec("SELECT calendar_id, role, local_time FROM custom_calendar_times "
                           "ORDER BY calendar_id, role, position")) {
          times[row[0].as<std::string>()][row[1].as<std::string>()].push_back(
              row[2].as<std::string>());
        }
        forecasting::StoredCalendars stored;
        for (const pqxx::row& row : snapshot.exec(std::string("SELECT ") + kCalendarColumns +
                                                  " FROM custom_calendars ORDER BY seq")) {
          auto definition = FromRow(ReadCalendarRow(row, times));
          if (!definition) return definition.error();
          stored.definitions.push_back(std::move(*definition));
        }
        for (const pqxx::row& row : snapshot.exec(std::string("SELECT ") + kOverrideColumns +
                                                  " FROM calendar_overrides ORDER BY seq")) {
          auto override_ = FromRow(ReadOverrideRow(row));
          if (!override_) return override_.error();
          stored.overrides.push_back(std::move(*override_));
        }
        return stored;
      });
}

Status PgCalendarRepository::InsertCalendar(const calendars::CustomCalendarDefinition& definition) {
  const CalendarRow row = ToRow(definition);
  return RunOnPool(pool_, "insert calendar '" + row.id + "'",
                   [&](pqxx::connection& connection) -> Status {
                     pqxx::work transaction(connection);
                     PgParameters parameters;
                     parameters.Text(row.id);
                     parameters.Text(row.name);
                     parameters.Text(row.description);
                     parameters.Text(row.zone);
                     parameters.Text(row.event_kind);
                     parameters.Integer(row.duration_seconds);
                     parameters.Text(row.schedule);
                     parameters.Text(row.dtstart);
                     parameters.Text(row.rrule);
                     // ON CONFLICT: a replica inserting the same id meanwhile is a conflict too.
                     if (Execute(transaction,
                                 std::string("INSERT INTO custom_calendars (") + kCalendarColumns +
                                     ") VALUES (" + Placeholders(1, parameters.size()) +
                                     ") ON CONFLICT (id) DO NOTHING RETURNING seq",
                                 parameters)
                             .empty()) {
                       return Conflict("calendar '" + row.id + "' already exists");
                     }
                     InsertTimes(transaction, row.id, "start", row.starts);
                     InsertTimes(transaction, row.id, "exdate", row.exdates);
                     MoveRevision(transaction);
                     transaction.commit();
                     return {};
                   });
}

Status PgCalendarRepository::DeleteCalendar(std::string_view id) {
  const std::string calendar_id(id);
  return RunOnPool(
      pool_, "delete calendar '" + calendar_id + "'", [&](pqxx::connection& connection) -> Status {
        pqxx::work transaction(connection);
        // Its times go by the foreign key's cascade; overrides name calendars
        // without one, as built-in calendars have overrides too.
        transaction.exec_params("DELETE FROM calendar_overrides WHERE calendar_id = $1",
                                calendar_id);
        if (transaction.exec_params("DELETE FROM custom_calendars WHERE id = $1", calendar_id)
                .affected_rows() == 0) {
          return NotFound("calendar '" + calendar_id + "' does not exist");
        }
        MoveRevision(transaction);
        transaction.commit();
        return {};
      });
}

Status PgCalendarRepository::InsertOverride(const calendars::Override& override_) {
  const OverrideRow row = ToRow(override_);
  return RunOnPool(
      pool_, "insert override '" + row.id + "'", [&](pqxx::connection& connection) -> Status {
        pqxx::work transaction(connection);
        PgParameters parameters;
        parameters.Text(row.id);
        parameters.Text(row.calendar_id);
        parameters.Text(row.date);
        parameters.Text(row.action);
        parameters.Text(row.event_kind);
        parameters.Text(row.to_local);
        parameters.Text(row.at_utc);
        parameters.Integer(row.duration_seconds);
        parameters.Integer(row.bulletins);
        parameters.Text(row.max_severity);
        parameters.Boolean(row.restart_required);
        parameters.Text(row.notes);
        if (Execute(transaction,
                    std::string("INSERT INTO calendar_overrides (") + kOverrideColumns +
                        ") VALUES (" + Placeholders(1, parameters.size()) +
                        ") ON CONFLICT (id) DO NOTHING RETURNING seq",
                    parameters)
                .empty()) {
          return Conflict("override '" + row.id + "' already exists");
        }
        MoveRevision(transaction);
        transaction.commit();
        return {};
      });
}

Status PgCalendarRepository::DeleteOverride(std::string_view calendar_id,
                                            std::string_view override_id) {
  const std::string calendar(calendar_id);
  const std::string id(override_id);
  return RunOnPool(
      pool_, "delete override '" + id + "'", [&](pqxx::connection& connection) -> Status {
        pqxx::work transaction(connection);
        if (transaction
                .exec_params("DELETE FROM calendar_overrides WHERE calendar_id = $1 AND id = $2",
                             calendar, id)
                .affected_rows() == 0) {
          return NotFound("calendar '" + calendar + "' has no override '" + id + "'");
        }
        MoveRevision(transaction);
        transaction.commit();
        return {};
      });
}

}  // namespace patchcast::storage::pg
