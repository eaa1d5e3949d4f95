// Instants as the tables keep them: integer Unix seconds.
#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <chrono>
#include <cstdint>
#include <optional>

namespace patchcast::storage {

inline std::int64_t Seconds(std::chrono::sys_seconds instant) {
  return static_cast<std::int64_t>(instant.time_since_epoch().count());
}

inline std::chrono::sys_seconds Instant(const SQLite::Column& column) {
  return std::chrono::sys_seconds{std::chrono::seconds{column.getInt64()}};
}

// An instant that may be absent: NULL when there is none.
inline void BindInstant(SQLite::Statement& statement, int index,
                        std::optional<std::chrono::sys_seconds> instant) {
  if (instant) {
    statement.bind(index, Seconds(*instant));
  } else {
    statement.bind(index);
  }
}

inline std::optional<std::chrono::sys_seconds> OptionalInstant(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return Instant(column);
}

}  // namespace patchcast::storage
