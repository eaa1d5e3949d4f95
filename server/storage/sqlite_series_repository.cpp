#include "server/storage/sqlite_series_repository.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "calendars/time_text.h"
#include "server/storage/series_rows.h"
#include "server/storage/sqlite_error.h"
#include "server/storage/sqlite_time.h"
#include "server/storage/value_chunks.h"

namespace patchcast::storage {
namespace {

using forecasting::OnConflict;
using forecasting::Point;
using forecasting::RegularSeries;
using forecasting::SeriesMetadata;
using forecasting::SeriesSummary;
using forecasting::WriteOutcome;
using std::chrono::sys_seconds;

sys_seconds Instant(std::int64_t seconds) { return sys_seconds{std::chrono::seconds{seconds}}; }

Result<SeriesSummary> ReadSummary(SQLite::Statement& row) {
  SeriesSummary summary;
  summary.metadata.id = row.getColumn(0).getString();
  summary.metadata.step_seconds = std::chrono::seconds{row.getColumn(1).getInt64()};
  summary.metadata.unit = row.getColumn(2).getString();
  summary.metadata.description = row.getColumn(3).getString();
  auto mix = DecodeZoneMix(row.getColumn(4).getString());
  if (!mix) return mix.error();
  summary.metadata.zone_mix = std::move(*mix);
  summary.point_count = static_cast<std::uint64_t>(row.getColumn(5).getInt64());
  if (!row.getColumn(6).isNull()) summary.first = Instant(row.getColumn(6).getInt64());
  if (!row.getColumn(7).isNull()) summary.last = Instant(row.getColumn(7).getInt64());
  return summary;
}

// Returns series `id`, or nullopt if there is none.
Result<std::optional<SeriesSummary>> FindSeries(SQLite::Database& db, std::string_view id) {
  SQLite::Statement query(db, std::string(kSelectSeries) + " WHERE id = ?");
  query.bind(1, std::string(id));
  if (!query.executeStep()) return std::optional<SeriesSummary>{};
  auto summary = ReadSummary(query);
  if (!summary) return summary.error();
  return std::optional<SeriesSummary>{std::move(*summary)};
}

void InsertSeries(SQLite::Database& db, const SeriesMetadata& metadata) {
  SQLite::Statement insert(db,
                           "INSERT INTO series (id, step_seconds, unit, description, zone_mix) "
                           "VALUES (?, ?, ?, ?, ?)");
  insert.bind(1, metadata.id);
  insert.bind(2, static_cast<std::int64_t>(metadata.step_seconds.count()));
  insert.bind(3, metadata.unit);
  insert.bind(4, metadata.description);
  insert.bind(5, EncodeZoneMix(metadata.zone_mix));
  insert.exec();
}

// Loads chunk `chunk` of `id` into `values` (all gaps when it is not stored).
Status LoadChunk(SQLite::Statement& select, std::string_view id, std::int64_t chunk,
                 std::span<double> values) {
  select.reset();
  select.bind(1, std::string(id));
  select.bind(2, chunk);
  if (!select.executeStep()) {
    std::fill(values.begin(), values.end(), kGap);
    return {};
  }
  const SQLite::Column data = select.getColumn(0);
  std::string_view blob(static_cast<const char*>(data.getBlob()),
                        static_cast<std::size_t>(data.getBytes()));
  if (!DecodeChunk(blob, values)) {
    return Internal("series '" + std::string(id) + "' chunk " + std::to_string(chunk) +
                    " is damaged (" + std::to_string(blob.size()) + " bytes)");
  }
  return {};
}

// Stores `values` as chunk `chunk` of `id`, or deletes the row when every step is a gap.
void StoreChunk(SQLite::Database& db, std::string_view id, std::int64_t chunk,
                std::span<const double> values, std::string& blob) {
  EncodeChunk(values, blob);
  if (blob.empty()) {
    SQLite::Statement erase(db, "DELETE FROM series_chunks WHERE series_id = ? AND chunk = ?");
    erase.bind(1, std::string(id));
    erase.bind(2, chunk);
    erase.exec();
    return;
  }
  SQLite::Statement upsert(db,
                           "INSERT INTO series_chunks (series_id, chunk, data) VALUES (?, ?, ?) "
                           "ON CONFLICT (series_id, chunk) DO UPDATE SET data = excluded.data");
  upsert.bind(1, std::string(id));
  upsert.bind(2, chunk);
  upsert.bindNoCopy(3, blob.data(), static_cast<int>(blob.size()));
  upsert.exec();
}

// Finds the first (or last) stored point of `id` on its grid; nullopt when none is stored.
Result<std::optional<sys_seconds>> StoredEdge(SQLite::Database& db, std::string_view id,
                                              std::int64_t step, bool last) {
  SQLite::Statement query(db, std::string("SELECT chunk, data FROM series_chunks WHERE series_id "
                                          "= ? ORDER BY chunk ") +
                                  (last ? "DESC" : "ASC") + " LIMIT 1");
  query.bind(1, std::string(id));
  if (!query.executeStep()) return std::optional<sys_seconds>{};
  const std::int64_t chunk = query.getColumn(0).getInt64();
  std::vector<double> values(kChunkSteps);
  const SQLite::Column data = query.getColumn(1);
  if (!DecodeChunk(
          {static_cast<const char*>(data.getBlob()), static_cast<std::size_t>(data.getBytes())},
          values)) {
    return Internal("series '" + std::string(id) + "' chunk " + std::to_string(chunk) +
                    " is damaged");
  }
  for (std::int64_t k = 0; k < kChunkSteps; ++k) {
    const std::int64_t offset = last ? kChunkSteps - 1 - k : k;
    if (!std::isnan(values[static_cast<std::size_t>(offset)])) {
      return std::optional<sys_seconds>{Instant((chunk * kChunkSteps + offset) * step)};
    }
  }
  return Internal("series '" + std::string(id) + "' chunk " + std::to_string(chunk) +
                  " is stored empty");
}

}  // namespace

Result<std::vector<SeriesSummary>> SqliteSeriesRepository::ListSeries(
    std::string_view id_prefix) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            std::string(kSelectSeries) + " WHERE substr(id, 1, ?) = ? ORDER BY id");
    query.bind(1, static_cast<std::int64_t>(id_prefix.size()));
    query.bind(2, std::string(id_prefix));
    std::vector<SeriesSummary> all;
    while (query.executeStep()) {
      auto summary = ReadSummary(query);
      if (!summary) return summary.error();
      all.push_back(std::move(*summary));
    }
    return all;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "list series");
  }
}

Result<SeriesSummary> SqliteSeriesRepository::GetSeries(std::string_view id) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    auto found = FindSeries(*reader, id);
    if (!found) return found.error();
    if (!*found) return NoSuchSeries(id);
    return std::move(**found);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read series '" + std::string(id) + "'");
  }
}

Result<bool> SqliteSeriesRepository::PutSeries(const SeriesMetadata& metadata) {
  bool created = false;
  Status status = writes_.Submit([&](SQLite::Database& db) -> Status {
    auto found = FindSeries(db, metadata.id);
    if (!found) return found.error();
    created = !found->has_value();
    if (created) {
      InsertSeries(db, metadata);
      return {};
    }
    const SeriesSummary& stored = **found;
    std::chrono::seconds step = metadata.step_seconds;
    if (step.count() == 0) step = stored.metadata.step_seconds;
    if (step != stored.metadata.step_seconds && stored.point_count > 0) {
      return Conflict("series '" + metadata.id + "' has points on a " +
                      std::to_string(stored.metadata.step_seconds.count()) +
                      " s grid; its step cannot become " + std::to_string(step.count()) + " s");
    }
    SQLite::Statement update(db,
                             "UPDATE series SET step_seconds = ?, unit = ?, description = ?, "
                             "zone_mix = ? WHERE id = ?");
    update.bind(1, static_cast<std::int64_t>(step.count()));
    update.bind(2, metadata.unit);
    update.bind(3, metadata.description);
    update.bind(4, EncodeZoneMix(metadata.zone_mix));
    update.bind(5, metadata.id);
    update.exec();
    return {};
  });
  if (!status) return status.error();
  return created;
}

Status SqliteSeriesRepository::DeleteSeries(std::string_view id) {
  return writes_.Submit([&](SQLite::Database& db) -> Status {
    SQLite::Statement erase(db, "DELETE FROM series WHERE id = ?");
    erase.bind(1, std::string(id));
    if (erase.exec() == 0) return NoSuchSeries(id);
    return {};
  });
}

Result<WriteOutcome> SqliteSeriesRepository::WritePoints(const SeriesMetadata& series,
                                                         std::span<const Point> points,
                                                         OnConflict on_conflict) {
  const std::int64_t step = series.step_seconds.count();
  if (step <= 0) return InvalidArgument("series '" + series.id + "' has no step yet");
  WriteOutcome outcome;
  Status status = writes_.Submit([&](SQLite::Database& db) -> Status {
    outcome = {};
    auto found = FindSeries(db, series.id);
    if (!found) return found.error();
    if (!*found) {
      InsertSeries(db, series);
    } else if ((*found)->metadata.step_seconds != series.step_seconds) {
      if ((*found)->point_count > 0 || (*found)->metadata.step_seconds.count() != 0) {
        return Conflict("series '" + series.id + "' is on a " +
                        std::to_string((*found)->metadata.step_seconds.count()) +
                        " s grid; these points are on a " + std::to_string(step) + " s grid");
      }
    }
    if (points.empty()) return {};

    forecasting::RowErrors conflicts;
    std::vector<double> chunk(kChunkSteps);
    std::string blob;
    SQLite::Statement select(db,
                             "SELECT data FROM series_chunks WHERE series_id = ? AND chunk = ?");
    std::size_t i = 0;
    while (i < points.size()) {
      const std::int64_t chunk_index = Locate(Seconds(points[i].ts) / step).chunk;
      if (Status loaded = LoadChunk(select, series.id, chunk_index, chunk); !loaded) return loaded;
      for (; i < points.size(); ++i) {
        const ChunkPosition position = Locate(Seconds(points[i].ts) / step);
        if (position.chunk != chunk_index) break;
        double& slot = chunk[static_cast<std::size_t>(position.offset)];
        if (!std::isnan(slot)) {
          ++outcome.replaced;
          if (on_conflict == OnConflict::kReject) {
            conflicts.Add([&] {
              return "timestamp " + calendars::FormatUtcDateTime(points[i].ts) +
                     " already has a value";
            });
          }
        }
        slot = points[i].value;
        ++outcome.accepted;
      }
      StoreChunk(db, series.id, chunk_index, chunk, blob);
    }
    if (!conflicts.empty()) {
      Error error = std::move(conflicts).ToError(ErrorCode::kConflict);
      error.message += " (on_conflict=reject); nothing was written";
      return error;
    }
    SQLite::Statement totals(db,
                             "UPDATE series SET step_seconds = ?, point_count = point_count + ?, "
                             "first_ts = min(coalesce(first_ts, ?), ?), "
                             "last_ts = max(coalesce(last_ts, ?), ?) WHERE id = ?");
    totals.bind(1, step);
    totals.bind(2, static_cast<std::int64_t>(outcome.accepted - outcome.replaced));
    totals.bind(3, Seconds(points.front().ts));
    totals.bind(4, Seconds(points.front().ts));
    totals.bind(5, Seconds(points.back().ts));
    totals.bind(6, Seconds(points.back().ts));
    totals.bind(7, series.id);
    totals.exec();
    return {};
  });
  if (!status) return status.error();
  return outcome;
}

Result<RegularSeries> SqliteSeriesRepository::ReadRange(std::string_view id, sys_seconds from,
                                                        sys_seconds to,
                                                        std::size_t max_steps) const {
  if (from > to) return RangeError(from, to);
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Database& db = *reader;
    db.exec("BEGIN");  // one snapshot for the metadata and the chunks; the lease rolls it back
    auto found = FindSeries(db, id);
    if (!found) return found.error();
    if (!*found) return NoSuchSeries(id);
    const std::int64_t step = (*found)->metadata.step_seconds.count();
    if (step <= 0) return RegularSeries{from, std::chrono::seconds{60}, {}};
    const std::int64_t first_index = FloorDiv(Seconds(from), step);
    const std::int64_t end_index = -FloorDiv(-Seconds(to), step);  // ceiling
    const auto steps = static_cast<std::uint64_t>(end_index - first_index);
    if (steps > max_steps) {
      return InvalidArgument("the range holds " + std::to_string(steps) + " steps of " +
                             std::to_string(step) + " s; at most " + std::to_string(max_steps) +
                             " can be read at once");
    }
    RegularSeries series{Instant(first_index * step), std::chrono::seconds{step},
                         std::vector<double>(steps, kGap)};
    if (steps == 0) return series;
    SQLite::Statement query(db,
                            "SELECT chunk, data FROM series_chunks WHERE series_id = ? AND "
                            "chunk BETWEEN ? AND ? ORDER BY chunk");
    query.bind(1, std::string(id));
    query.bind(2, FloorDiv(first_index, kChunkSteps));
    query.bind(3, FloorDiv(end_index - 1, kChunkSteps));
    std::vector<double> chunk(kChunkSteps);
    while (query.executeStep()) {
      const std::int64_t chunk_start = query.getColumn(0).getInt64() * kChunkSteps;
      const SQLite::Column data = query.getColumn(1);
      const std::string_view blob(static_cast<const char*>(data.getBlob()),
                                  static_cast<std::size_t>(data.getBytes()));
      const std::int64_t lo = std::max(chunk_start, first_index);
      const std::int64_t hi = std::min(chunk_start + kChunkSteps, end_index);
      const bool whole = lo == chunk_start && hi == chunk_start + kChunkSteps;
      // A chunk wholly inside the range decodes straight into the result.
      std::span<double> target =
          whole ? std::span<double>(series.values)
                      .subspan(static_cast<std::size_t>(chunk_start - first_index), kChunkSteps)
                : std::span<double>(chunk);
      if (!DecodeChunk(blob, target)) {
        return Internal("series '" + std::string(id) + "' chunk at step " +
                        std::to_string(chunk_start) + " is damaged");
      }
      if (!whole) {
        std::copy(chunk.begin() + (lo - chunk_start), chunk.begin() + (hi - chunk_start),
                  series.values.begin() + (lo - first_index));
      }
    }
    return series;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read series '" + std::string(id) + "'");
  }
}

Result<std::uint64_t> SqliteSeriesRepository::DeletePoints(std::string_view id, sys_seconds from,
                                                           sys_seconds to) {
  if (from > to) return RangeError(from, to);
  std::uint64_t removed = 0;
  Status status = writes_.Submit([&](SQLite::Database& db) -> Status {
    removed = 0;
    auto found = FindSeries(db, id);
    if (!found) return found.error();
    if (!*found) return NoSuchSeries(id);
    const std::int64_t step = (*found)->metadata.step_seconds.count();
    if (step <= 0 || (*found)->point_count == 0) return {};
    // Steps whose start lies in [from, to).
    const std::int64_t first_index = -FloorDiv(-Seconds(from), step);
    const std::int64_t end_index = -FloorDiv(-Seconds(to), step);
    if (first_index >= end_index) return {};
    std::vector<std::int64_t> chunks;
    {
      SQLite::Statement query(db,
                              "SELECT chunk FROM series_chunks WHERE series_id = ? AND chunk "
                              "BETWEEN ? AND ?");
      query.bind(1, std::string(id));
      query.bind(2, FloorDiv(first_index, kChunkSteps));
      query.bind(3, FloorDiv(end_index - 1, kChunkSteps));
      while (query.executeStep()) chunks.push_back(query.getColumn(0).getInt64());
    }
    SQLite::Statement select(db,
                             "SELECT data FROM series_chunks WHERE series_id = ? AND chunk = ?");
    std::vector<double> values(kChunkSteps);
    std::string blob;
    for (std::int64_t chunk_index : chunks) {
      if (Status loaded = LoadChunk(select, id, chunk_index, values); !loaded) return loaded;
      const std::int64_t chunk_start = chunk_index * kChunkSteps;
      for (std::int64_t k = std::max(first_index, chunk_start);
           k < std::min(end_index, chunk_start + kChunkSteps); ++k) {
        double& slot = values[static_cast<std::size_t>(k - chunk_start)];
        if (!std::isnan(slot)) ++removed;
        slot = kGap;
      }
      StoreChunk(db, id, chunk_index, values, blob);
    }
    auto first = StoredEdge(db, id, step, /*last=*/false);
    if (!first) return first.error();
    auto last = StoredEdge(db, id, step, /*last=*/true);
    if (!last) return last.error();
    SQLite::Statement totals(db,
                             "UPDATE series SET point_count = point_count - ?, first_ts = ?, "
                             "last_ts = ? WHERE id = ?");
    totals.bind(1, static_cast<std::int64_t>(removed));
    if (*first) {
      totals.bind(2, Seconds(**first));
      totals.bind(3, Seconds(**last));
    }  // unbound parameters are NULL: no points left
    totals.bind(4, std::string(id));
    totals.exec();
    return {};
  });
  if (!status) return status.error();
  return removed;
}

}  // namespace patchcast::storage
