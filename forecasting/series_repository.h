// SeriesRepository: the storage port for telemetry series — their metadata and their points.
//
// Declared beside the domain so api/ never sees SQLite (server/storage/sqlite_series_repository.h
// implements it). Points live on the series' step grid; reads return a RegularSeries with NaN for
// steps without data. Implementations must be safe to call from many threads at once, and every
// write is atomic and durable when it returns success.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/regular_series.h"
#include "forecasting/series.h"

namespace patchcast::forecasting {

// A series with what is stored of it.
struct SeriesSummary {
  SeriesMetadata metadata;
  std::uint64_t point_count = 0;
  std::optional<std::chrono::sys_seconds> first;  // the earliest point, if any
  std::optional<std::chrono::sys_seconds> last;   // the latest point, if any
  // Steps between first and last (inclusive) that hold no point.
  std::uint64_t missing_steps() const {
    if (!first || !last || metadata.step_seconds.count() <= 0) return 0;
    const auto span = static_cast<std::uint64_t>((*last - *first) / metadata.step_seconds) + 1;
    return span - point_count;
  }
};

// What to do with a point whose timestamp already holds a value.
enum class OnConflict { kReplace, kReject };

struct WriteOutcome {
  std::uint64_t accepted = 0;  // points written, replacements included
  std::uint64_t replaced = 0;  // of those, points that overwrote a stored value
};

class SeriesRepository {
 public:
  virtual ~SeriesRepository() = default;

  // Returns the series whose id starts with `id_prefix` ("" for all), sorted by id.
  virtual Result<std::vector<SeriesSummary>> ListSeries(std::string_view id_prefix) const = 0;

  // Returns series `id`, or kNotFound "series 'x' does not exist".
  virtual Result<SeriesSummary> GetSeries(std::string_view id) const = 0;

  // Creates series `metadata.id` (returns true) or replaces its metadata (returns false). A step of
  // 0 keeps the stored step (or leaves it unknown). Errors: kConflict when the series holds points
  // and the step would change ("series 'x' has points on a 60 s grid; its step cannot become 300
  // s").
  virtual Result<bool> PutSeries(const SeriesMetadata& metadata) = 0;

  // Deletes series `id` and all its points. Errors: kNotFound.
  virtual Status DeleteSeries(std::string_view id) = 0;

  // Writes `points` into series `series.id`, creating it with `series` when absent, all or none.
  // Preconditions: `points` passed ValidatePoints for `series.step_seconds` (sorted, on the grid,
  // no duplicates, valid values), and the step is known. Errors: kConflict when the stored step
  // differs from `series.step_seconds`; with OnConflict::kReject, kConflict listing (details) the
  // first stored timestamps the upload would overwrite; store errors (kUnavailable,
  // kInsufficientStorage).
  virtual Result<WriteOutcome> WritePoints(const SeriesMetadata& series,
                                           std::span<const Point> points,
                                           OnConflict on_conflict) = 0;

  // Returns the steps of series `id` from `from` (floored to the grid) up to `to` (exclusive,
  // ceiled to the grid), NaN where no point is stored. Errors: kNotFound; kInvalidArgument when
  // from > to or the range spans more than `max_steps` steps.
  virtual Result<RegularSeries> ReadRange(std::string_view id, std::chrono::sys_seconds from,
                                          std::chrono::sys_seconds to,
                                          std::size_t max_steps) const = 0;

  // Deletes the points of series `id` in [from, to); returns how many were stored. Errors:
  // kNotFound; kInvalidArgument when from > to.
  virtual Result<std::uint64_t> DeletePoints(std::string_view id, std::chrono::sys_seconds from,
                                             std::chrono::sys_seconds to) = 0;
};

}  // namespace patchcast::forecasting
