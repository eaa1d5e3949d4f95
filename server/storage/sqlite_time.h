// Instants as the tables keep them: integer Unix seconds.
#pragma once

#include <SQLiteCpp/Column.h>

#include <chrono>
#include <cstdint>

namespace patchcast::storage {

inline std::int64_t Seconds(std::chrono::sys_seconds instant) {
  return static_cast<std::int64_t>(instant.time_since_epoch().count());
}

inline std::chrono::sys_seconds Instant(const SQLite::Column& column) {
  return std::chrono::sys_seconds{std::chrono::seconds{column.getInt64()}};
}

}  // namespace patchcast::storage
