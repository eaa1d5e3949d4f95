// Instants as the PostgreSQL tables keep them: BIGINT seconds since the Unix epoch (UTC), as the
// SQLite ones do (sqlite_time.h). Shared by the pg repositories.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <pqxx/field>
#include <string>

namespace patchcast::storage::pg {

inline std::int64_t Seconds(std::chrono::sys_seconds instant) {
  return instant.time_since_epoch().count();
}

inline std::chrono::sys_seconds InstantOf(std::int64_t seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{seconds}};
}

// The instant in a BIGINT column.
inline std::chrono::sys_seconds Instant(const pqxx::field& field) {
  return InstantOf(field.as<std::int64_t>());
}

// The instant in a BIGINT column that may be NULL.
inline std::optional<std::chrono::sys_seconds> OptionalInstant(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return Instant(field);
}

// An instant that may be absent as a parameter: its seconds, or '' for none, which the statement
// turns into NULL with NULLIF($n, '')::bigint (libpqxx 6 has no optional parameters).
inline std::string OptionalSeconds(std::optional<std::chrono::sys_seconds> instant) {
  return instant ? std::to_string(Seconds(*instant)) : std::string();
}

}  // namespace patchcast::storage::pg
