#include "server/storage/sqlite_calendar_repository.h"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "calendars/time_text.h"
#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

using calendars::AddAction;
using calendars::AnnotateAction;
using calendars::Annotation;
using calendars::CancelAction;
using calendars::CustomCalendarDefinition;
using calendars::DateListSchedule;
using calendars::MoveAction;
using calendars::Override;
using calendars::RuleSchedule;

// Binds `value` to parameter `index`, or NULL when it is empty.
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

std::optional<std::int64_t> Seconds(const std::optional<std::chrono::seconds>& duration) {
  if (!duration) return std::nullopt;
  return static_cast<std::int64_t>(duration->count());
}

std::optional<std::string> OptionalText(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}
std::optional<std::int64_t> OptionalInteger(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getInt64();
}

// Reads one row's text back into a domain value, or kInternal naming the row.
template <typename T>
Result<T> ParseStored(Result<T> parsed, const std::string& row) {
  if (!parsed) return Internal(row + ": " + parsed.error().message);
  return parsed;
}

template <typename T>
Result<T> Required(const std::optional<T>& value, std::string_view column, const std::string& row) {
  if (!value) return Internal(row + ": column " + std::string(column) + " is NULL");
  return *value;
}

Result<Annotation> ReadAnnotation(const SQLite::Statement& row, const std::string& name) {
  Annotation annotation;
  if (auto bulletins = OptionalInteger(row.getColumn("bulletins"))) {
    annotation.bulletins = static_cast<int>(*bulletins);
  }
  if (auto severity = OptionalText(row.getColumn("max_severity"))) {
    auto parsed = ParseStored(calendars::ParseSeverity(*severity), name);
    if (!parsed) return parsed.error();
    annotation.max_severity = *parsed;
  }
  if (auto restart = OptionalInteger(row.getColumn("restart_required"))) {
    annotation.restart_required = *restart != 0;
  }
  annotation.notes = OptionalText(row.getColumn("notes"));
  return annotation;
}

Result<std::optional<calendars::EventKind>> ReadOptionalKind(const SQLite::Statement& row,
                                                             const std::string& name) {
  auto text = OptionalText(row.getColumn("event_kind"));
  if (!text) return std::optional<calendars::EventKind>();
  auto kind = ParseStored(calendars::ParseEventKind(*text), name);
  if (!kind) return kind.error();
  return std::optional<calendars::EventKind>(*kind);
}

Result<Override> ReadOverride(const SQLite::Statement& row) {
  Override override_;
  override_.id = row.getColumn("id").getString();
  override_.calendar_id = row.getColumn("calendar_id").getString();
  const std::string name = "stored override '" + override_.id + "'";
  auto date = ParseStored(calendars::ParseDate(row.getColumn("date").getString()), name);
  if (!date) return date.error();
  override_.date = date::local_days{*date};
  auto kind = ReadOptionalKind(row, name);
  if (!kind) return kind.error();
  const std::string action = row.getColumn("action").getString();
  if (action == "cancel") {
    override_.action = CancelAction{*kind};
  } else if (action == "move") {
    auto to_text = Required(OptionalText(row.getColumn("to_local")), "to_local", name);
    if (!to_text) return to_text.error();
    auto to = ParseStored(calendars::ParseLocalDateTime(*to_text), name);
    if (!to) return to.error();
    override_.action = MoveAction{*to, *kind};
  } else if (action == "add") {
    auto at_text = Required(OptionalText(row.getColumn("at_utc")), "at_utc", name);
    if (!at_text) return at_text.error();
    auto at = ParseStored(calendars::ParseUtcDateTime(*at_text), name);
    if (!at) return at.error();
    AddAction add;
    add.at = *at;
    if (*kind) add.kind = **kind;
    if (auto seconds = OptionalInteger(row.getColumn("duration_seconds"))) {
      add.duration = std::chrono::seconds(*seconds);
    }
    auto annotation = ReadAnnotation(row, name);
    if (!annotation) return annotation.error();
    add.annotation = std::move(*annotation);
    override_.action = std::move(add);
  } else if (action == "annotate") {
    auto annotation = ReadAnnotation(row, name);
    if (!annotation) return annotation.error();
    override_.action = AnnotateAction{std::move(*annotation)};
  } else {
    return Internal(name + ": unknown action '" + action + "'");
  }
  return override_;
}

// The local date-times of each calendar, by calendar id, role ("start"/"exdate") in position order.
using TimesByCalendar = std::map<std::string, std::map<std::string, std::vector<std::string>>>;

Result<std::vector<date::local_seconds>> ParseTimes(const std::vector<std::string>& texts,
                                                    const std::string& name) {
  std::vector<date::local_seconds> times;
  times.reserve(texts.size());
  for (const std::string& text : texts) {
    auto parsed = ParseStored(calendars::ParseLocalDateTime(text), name);
    if (!parsed) return parsed.error();
    times.push_back(*parsed);
  }
  return times;
}

Result<CustomCalendarDefinition> ReadDefinition(const SQLite::Statement& row,
                                                TimesByCalendar& times) {
  CustomCalendarDefinition definition;
  definition.id = row.getColumn("id").getString();
  const std::string name = "stored calendar '" + definition.id + "'";
  definition.name = row.getColumn("name").getString();
  definition.description = row.getColumn("description").getString();
  definition.zone = row.getColumn("zone").getString();
  auto kind = ParseStored(calendars::ParseEventKind(row.getColumn("event_kind").getString()), name);
  if (!kind) return kind.error();
  definition.kind = *kind;
  if (auto seconds = OptionalInteger(row.getColumn("duration_seconds"))) {
    definition.duration = std::chrono::seconds(*seconds);
  }
  auto& own_times = times[definition.id];
  if (row.getColumn("schedule").getString() == "rule") {
    RuleSchedule rule;
    auto dtstart =
        ParseStored(calendars::ParseLocalDateTime(row.getColumn("dtstart").getString()), name);
    if (!dtstart) return dtstart.error();
    rule.dtstart = *dtstart;
    rule.rrule = row.getColumn("rrule").getString();
    auto exdates = ParseTimes(own_times["exdate"], name);
    if (!exdates) return exdates.error();
    rule.exdates = std::move(*exdates);
    definition.schedule = std::move(rule);
  } else {
    auto starts = ParseTimes(own_times["start"], name);
    if (!starts) return starts.error();
    definition.schedule = DateListSchedule{std::move(*starts)};
  }
  return definition;
}

Status InsertTimes(SQLite::Database& db, const std::string& calendar_id, const char* role,
                   const std::vector<date::local_seconds>& times) {
  SQLite::Statement insert(db,
                           "INSERT INTO custom_calendar_times (calendar_id, role, position, "
                           "local_time) VALUES (?, ?, ?, ?)");
  for (std::size_t i = 0; i < times.size(); ++i) {
    insert.bind(1, calendar_id);
    insert.bind(2, role);
    insert.bind(3, static_cast<std::int64_t>(i));
    insert.bind(4, calendars::FormatLocalDateTime(times[i]));
    insert.exec();
    insert.reset();
  }
  return {};
}

bool Exists(SQLite::Database& db, const char* sql, const std::string& id) {
  SQLite::Statement query(db, sql);
  query.bind(1, id);
  return query.executeStep();
}

}  // namespace

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
        auto definition = ReadDefinition(query, times);
        if (!definition) return definition.error();
        stored.definitions.push_back(std::move(*definition));
      }
    }
    {
      SQLite::Statement query(*reader, "SELECT * FROM calendar_overrides ORDER BY seq");
      while (query.executeStep()) {
        auto override_ = ReadOverride(query);
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

Status SqliteCalendarRepository::InsertCalendar(const CustomCalendarDefinition& definition) {
  return writes_.Submit([&definition](SQLite::Database& db) -> Status {
    if (Exists(db, "SELECT 1 FROM custom_calendars WHERE id = ?", definition.id)) {
      return Conflict("calendar '" + definition.id + "' already exists");
    }
    SQLite::Statement insert(
        db,
        "INSERT INTO custom_calendars (id, name, description, zone, event_kind, duration_seconds, "
        "schedule, dtstart, rrule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, definition.id);
    insert.bind(2, definition.name);
    insert.bind(3, definition.description);
    insert.bind(4, definition.zone);
    insert.bind(5, std::string(calendars::ToString(definition.kind)));
    BindOptional(insert, 6, Seconds(definition.duration));
    if (const auto* rule = std::get_if<RuleSchedule>(&definition.schedule)) {
      insert.bind(7, "rule");
      insert.bind(8, calendars::FormatLocalDateTime(rule->dtstart));
      insert.bind(9, rule->rrule);
      insert.exec();
      return InsertTimes(db, definition.id, "exdate", rule->exdates);
    }
    insert.bind(7, "dates");
    insert.bind(8);
    insert.bind(9);
    insert.exec();
    return InsertTimes(db, definition.id, "start",
                       std::get<DateListSchedule>(definition.schedule).starts);
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
    return {};
  });
}

Status SqliteCalendarRepository::InsertOverride(const Override& override_) {
  return writes_.Submit([&override_](SQLite::Database& db) -> Status {
    if (Exists(db, "SELECT 1 FROM calendar_overrides WHERE id = ?", override_.id)) {
      return Conflict("override '" + override_.id + "' already exists");
    }
    SQLite::Statement insert(
        db,
        "INSERT INTO calendar_overrides (id, calendar_id, date, action, event_kind, to_local, "
        "at_utc, duration_seconds, bulletins, max_severity, restart_required, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, override_.id);
    insert.bind(2, override_.calendar_id);
    insert.bind(3, calendars::FormatDate(override_.date));
    insert.bind(4, std::string(calendars::ActionName(override_.action)));
    for (int column = 5; column <= 12; ++column) insert.bind(column);  // NULL unless set below
    const auto kind_text = [](std::optional<calendars::EventKind> kind) {
      return kind ? std::optional<std::string>(calendars::ToString(*kind)) : std::nullopt;
    };
    const auto bind_annotation = [&insert](const Annotation& annotation) {
      BindOptional(
          insert, 9,
          annotation.bulletins ? std::optional<std::int64_t>(*annotation.bulletins) : std::nullopt);
      BindOptional(insert, 10,
                   annotation.max_severity
                       ? std::optional<std::string>(calendars::ToString(*annotation.max_severity))
                       : std::nullopt);
      BindOptional(insert, 11,
                   annotation.restart_required
                       ? std::optional<std::int64_t>(*annotation.restart_required ? 1 : 0)
                       : std::nullopt);
      BindOptional(insert, 12, annotation.notes);
    };
    std::visit(
        [&](const auto& action) {
          using Action = std::decay_t<decltype(action)>;
          if constexpr (std::is_same_v<Action, CancelAction>) {
            BindOptional(insert, 5, kind_text(action.kind));
          } else if constexpr (std::is_same_v<Action, MoveAction>) {
            BindOptional(insert, 5, kind_text(action.kind));
            insert.bind(6, calendars::FormatLocalDateTime(action.to));
          } else if constexpr (std::is_same_v<Action, AddAction>) {
            BindOptional(insert, 5, kind_text(action.kind));
            insert.bind(7, calendars::FormatUtcDateTime(action.at));
            BindOptional(insert, 8, Seconds(action.duration));
            bind_annotation(action.annotation);
          } else {
            bind_annotation(action.annotation);
          }
        },
        override_.action);
    insert.exec();
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
    return {};
  });
}

}  // namespace patchcast::storage
