// What the series repositories of every engine (SQLite, PostgreSQL) share: the columns they read a
// series' row with, the grid arithmetic, the errors they answer with, and the zone mix as stored.
// Engine-neutral: no database headers.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/series_repository.h"

namespace patchcast::storage {

// The series row's columns in the order the repositories read them.
inline constexpr const char* kSelectSeries =
    "SELECT id, step_seconds, unit, description, zone_mix, point_count, first_ts, last_ts "
    "FROM series";

// Floor division: grid indices of instants before 1970 stay on the grid too.
inline std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - (a % b != 0 && a < 0);
}

// kNotFound "series '<id>' does not exist".
Error NoSuchSeries(std::string_view id);

// kInvalidArgument for a range whose `from` is after its `to`.
Error RangeError(std::chrono::sys_seconds from, std::chrono::sys_seconds to);

// The zone mix as stored: "Europe/Berlin=0.3\nAmerica/New_York=0.7" (shares in shortest
// round-trip form, so they read back exactly).
std::string EncodeZoneMix(std::span<const forecasting::ZoneShare> mix);
Result<std::vector<forecasting::ZoneShare>> DecodeZoneMix(std::string_view text);

}  // namespace patchcast::storage
