#include "server/storage/pg/pg_series_repository.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <pqxx/binarystring>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "calendars/time_text.h"
#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_time.h"
#include "server/storage/series_rows.h"
#include "server/storage/value_chunks.h"

namespace patchcast::storage::pg {
namespace {

using forecasting::OnConflict;
using forecasting::Point;
using forecasting::RegularSeries;
using forecasting::SeriesMetadata;
using forecasting::SeriesSummary;
using forecasting::WriteOutcome;
using std::chrono::sys_seconds;

// A series' chunks being edited, by chunk index: kChunkSteps values each, NaN for gaps.
using Chunks = std::map<std::int64_t, std::vector<double>>;

// One snapshot of the range being read, metadata and chunks alike.
using ReadSnapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return -FloorDiv(-a, b); }

Error DamagedChunk(std::string_view id, std::int64_t chunk, std::size_t bytes) {
  return Internal("series '" + std::string(id) + "' chunk " + std::to_string(chunk) +
                  " is damaged (" + std::to_string(bytes) + " bytes)");
}

Result<SeriesSummary> ReadSummary(const pqxx::row& row) {
  SeriesSummary summary;
  summary.metadata.id = row[0].as<std::string>();
  summary.metadata.step_seconds = std::chrono::seconds{row[1].as<std::int64_t>()};
  summary.metadata.unit = row[2].as<std::string>();
  summary.metadata.description = row[3].as<std::string>();
  auto mix = DecodeZoneMix(row[4].as<std::string>());
  if (!mix) return mix.error();
  summary.metadata.zone_mix = std::move(*mix);
  summary.point_count = row[5].as<std::uint64_t>();
  summary.first = OptionalInstant(row[6]);
  summary.last = OptionalInstant(row[7]);
  return summary;
}

// Returns series `id`, or nullopt if there is none. `lock` takes its row lock for the rest of the
// transaction, which serialises the writers of one series.
Result<std::optional<SeriesSummary>> FindSeries(pqxx::transaction_base& transaction,
                                                std::string_view id, bool lock) {
  const pqxx::result rows = transaction.exec_params(
      std::string(kSelectSeries) + " WHERE id = $1" + (lock ? " FOR UPDATE" : ""), std::string(id));
  if (rows.empty()) return std::optional<SeriesSummary>{};
  auto summary = ReadSummary(rows[0]);
  if (!summary) return summary.error();
  return std::optional<SeriesSummary>{std::move(*summary)};
}

// Creates series `metadata.id` unless it exists; returns whether it did.
bool InsertSeries(pqxx::transaction_base& transaction, const SeriesMetadata& metadata) {
  return transaction
             .exec_params(
                 "INSERT INTO series (id, step_seconds, unit, description, zone_mix) "
                 "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
                 metadata.id, static_cast<std::int64_t>(metadata.step_seconds.count()),
                 metadata.unit, metadata.description, EncodeZoneMix(metadata.zone_mix))
             .affected_rows() == 1;
}

std::string_view BlobOf(const pqxx::binarystring& data) { return {data.get(), data.size()}; }

// A PostgreSQL array literal of `values`: "{1,2,3}".
std::string BigintArray(const std::vector<std::int64_t>& values) {
  std::string text = "{";
  for (std::int64_t value : values) text += (text.size() > 1 ? "," : "") + std::to_string(value);
  return text + "}";
}

// Loads chunks `indices` of `id`; those not stored are all gaps.
Result<Chunks> LoadChunks(pqxx::transaction_base& transaction, std::string_view id,
                          const std::vector<std::int64_t>& indices) {
  Chunks chunks;
  for (std::int64_t index : indices) chunks[index].assign(kChunkSteps, kGap);
  const pqxx::result rows = transaction.exec_params(
      "SELECT chunk, data FROM series_chunks WHERE series_id = $1 AND chunk = ANY($2::bigint[])",
      std::string(id), BigintArray(indices));
  for (const pqxx::row& row : rows) {
    const std::int64_t index = row[0].as<std::int64_t>();
    const pqxx::binarystring data(row[1]);
    if (!DecodeChunk(BlobOf(data), chunks[index])) return DamagedChunk(id, index, data.size());
  }
  return chunks;
}

// Stores every chunk of `chunks`, deleting the rows of those left all gaps.
void StoreChunks(pqxx::transaction_base& transaction, std::string_view id, const Chunks& chunks) {
  std::string blob;
  for (const auto& [index, values] : chunks) {
    EncodeChunk(values, blob);
    if (blob.empty()) {
      transaction.exec_params("DELETE FROM series_chunks WHERE series_id = $1 AND chunk = $2",
                              std::string(id), index);
      continue;
    }
    transaction.exec_params(
        "INSERT INTO series_chunks (series_id, chunk, data) VALUES ($1, $2, $3) "
        "ON CONFLICT (series_id, chunk) DO UPDATE SET data = excluded.data",
        std::string(id), index, pqxx::binarystring(blob.data(), blob.size()));
  }
}

// The chunk indices `points` fall in, ascending (points are sorted).
std::vector<std::int64_t> ChunkIndices(std::span<const Point> points, std::int64_t step) {
  std::vector<std::int64_t> indices;
  for (const Point& point : points) {
    const std::int64_t index = Locate(Seconds(point.ts) / step).chunk;
    if (indices.empty() || indices.back() != index) indices.push_back(index);
  }
  return indices;
}

// Writes `points` into `chunks`, counting what they replace; with kReject, lists each
// replacement in `conflicts`.
WriteOutcome MergePoints(std::span<const Point> points, std::int64_t step, OnConflict on_conflict,
                         Chunks& chunks, forecasting::RowErrors& conflicts) {
  WriteOutcome outcome;
  for (const Point& point : points) {
    const ChunkPosition position = Locate(Seconds(point.ts) / step);
    double& slot = chunks[position.chunk][static_cast<std::size_t>(position.offset)];
    if (!std::isnan(slot)) {
      ++outcome.replaced;
      if (on_conflict == OnConflict::kReject) {
        conflicts.Add([&] {
          return "timestamp " + calendars::FormatUtcDateTime(point.ts) + " already has a value";
        });
      }
    }
    slot = point.value;
    ++outcome.accepted;
  }
  return outcome;
}

// Clears grid steps [first_index, end_index) in `chunks`; returns how many held a point.
std::uint64_t ClearSteps(Chunks& chunks, std::int64_t first_index, std::int64_t end_index) {
  std::uint64_t removed = 0;
  for (auto& [index, values] : chunks) {
    const std::int64_t chunk_start = index * kChunkSteps;
    for (std::int64_t k = std::max(first_index, chunk_start);
         k < std::min(end_index, chunk_start + kChunkSteps); ++k) {
      double& slot = values[static_cast<std::size_t>(k - chunk_start)];
      if (!std::isnan(slot)) ++removed;
      slot = kGap;
    }
  }
  return removed;
}

// Finds the first (or last) stored point of `id` on its grid; nullopt when none is stored.
Result<std::optional<sys_seconds>> StoredEdge(pqxx::transaction_base& transaction,
                                              std::string_view id, std::int64_t step, bool last) {
  const pqxx::result rows = transaction.exec_params(
      std::string("SELECT chunk, data FROM series_chunks WHERE series_id = $1 ORDER BY chunk ") +
          (last ? "DESC" : "ASC") + " LIMIT 1",
      std::string(id));
  if (rows.empty()) return std::optional<sys_seconds>{};
  const std::int64_t chunk = rows[0][0].as<std::int64_t>();
  const pqxx::binarystring data(rows[0][1]);
  std::vector<double> values(kChunkSteps);
  if (!DecodeChunk(BlobOf(data), values)) return DamagedChunk(id, chunk, data.size());
  for (std::int64_t k = 0; k < kChunkSteps; ++k) {
    const std::int64_t offset = last ? kChunkSteps - 1 - k : k;
    if (!std::isnan(values[static_cast<std::size_t>(offset)])) {
      return std::optional<sys_seconds>{InstantOf((chunk * kChunkSteps + offset) * step)};
    }
  }
  return Internal("series '" + std::string(id) + "' chunk " + std::to_string(chunk) +
                  " is stored empty");
}

// Each function below is one repository call's transaction on `connection`. RunOnPool may run it
// twice (a lost connection), so each starts from nothing and reports only through its result.

Result<std::vector<SeriesSummary>> ListIn(pqxx::connection& connection,
                                          std::string_view id_prefix) {
  pqxx::nontransaction query(connection);
  const pqxx::result rows =
      query.exec_params(std::string(kSelectSeries) + " WHERE starts_with(id, $1) ORDER BY id",
                        std::string(id_prefix));
  std::vector<SeriesSummary> all;
  for (const pqxx::row& row : rows) {
    auto summary = ReadSummary(row);
    if (!summary) return summary.error();
    all.push_back(std::move(*summary));
  }
  return all;
}

Result<SeriesSummary> GetIn(pqxx::connection& connection, std::string_view id) {
  pqxx::read_transaction transaction(connection);
  auto found = FindSeries(transaction, id, /*lock=*/false);
  if (!found) return found.error();
  if (!*found) return NoSuchSeries(id);
  return std::move(**found);
}

Result<bool> PutIn(pqxx::connection& connection, const SeriesMetadata& metadata) {
  pqxx::work transaction(connection);
  if (InsertSeries(transaction, metadata)) {
    transaction.commit();
    return true;
  }
  auto found = FindSeries(transaction, metadata.id, /*lock=*/true);
  if (!found) return found.error();
  if (!*found) return NoSuchSeries(metadata.id);  // deleted since the insert saw it
  const SeriesSummary& stored = **found;
  std::chrono::seconds step = metadata.step_seconds;
  if (step.count() == 0) step = stored.metadata.step_seconds;
  if (step != stored.metadata.step_seconds && stored.point_count > 0) {
    return Conflict("series '" + metadata.id + "' has points on a " +
                    std::to_string(stored.metadata.step_seconds.count()) +
                    " s grid; its step cannot become " + std::to_string(step.count()) + " s");
  }
  transaction.exec_params(
      "UPDATE series SET step_seconds = $1, unit = $2, description = $3, zone_mix = $4 "
      "WHERE id = $5",
      static_cast<std::int64_t>(step.count()), metadata.unit, metadata.description,
      EncodeZoneMix(metadata.zone_mix), metadata.id);
  transaction.commit();
  return false;
}

Status DeleteSeriesIn(pqxx::connection& connection, std::string_view id) {
  pqxx::work transaction(connection);
  // The foreign key's ON DELETE CASCADE removes the chunks.
  if (transaction.exec_params("DELETE FROM series WHERE id = $1", std::string(id))
          .affected_rows() == 0) {
    return NoSuchSeries(id);
  }
  transaction.commit();
  return {};
}

Result<WriteOutcome> WriteIn(pqxx::connection& connection, const SeriesMetadata& series,
                             std::span<const Point> points, OnConflict on_conflict) {
  const std::int64_t step = series.step_seconds.count();
  pqxx::work transaction(connection);
  InsertSeries(transaction, series);  // when absent; the row lock below covers both cases
  auto found = FindSeries(transaction, series.id, /*lock=*/true);
  if (!found) return found.error();
  if (!*found) return NoSuchSeries(series.id);
  const SeriesSummary& stored = **found;
  if (stored.metadata.step_seconds != series.step_seconds &&
      (stored.point_count > 0 || stored.metadata.step_seconds.count() != 0)) {
    return Conflict("series '" + series.id + "' is on a " +
                    std::to_string(stored.metadata.step_seconds.count()) +
                    " s grid; these points are on a " + std::to_string(step) + " s grid");
  }
  if (points.empty()) {
    transaction.commit();
    return WriteOutcome{};
  }
  auto chunks = LoadChunks(transaction, series.id, ChunkIndices(points, step));
  if (!chunks) return chunks.error();
  forecasting::RowErrors conflicts;
  const WriteOutcome outcome = MergePoints(points, step, on_conflict, *chunks, conflicts);
  if (!conflicts.empty()) {
    Error error = std::move(conflicts).ToError(ErrorCode::kConflict);
    error.message += " (on_conflict=reject); nothing was written";
    return error;  // the transaction rolls back
  }
  StoreChunks(transaction, series.id, *chunks);
  // LEAST and GREATEST ignore NULL: the first points of a series set both edges.
  transaction.exec_params(
      "UPDATE series SET step_seconds = $1, point_count = point_count + $2, "
      "first_ts = LEAST(first_ts, $3), last_ts = GREATEST(last_ts, $4) WHERE id = $5",
      step, static_cast<std::int64_t>(outcome.accepted - outcome.replaced),
      Seconds(points.front().ts), Seconds(points.back().ts), series.id);
  transaction.commit();
  return outcome;
}

Result<RegularSeries> ReadIn(pqxx::connection& connection, std::string_view id, sys_seconds from,
                             sys_seconds to, std::size_t max_steps) {
  ReadSnapshot transaction(connection);
  auto found = FindSeries(transaction, id, /*lock=*/false);
  if (!found) return found.error();
  if (!*found) return NoSuchSeries(id);
  const std::int64_t step = (*found)->metadata.step_seconds.count();
  if (step <= 0) return RegularSeries{from, std::chrono::seconds{60}, {}};
  const std::int64_t first_index = FloorDiv(Seconds(from), step);
  const std::int64_t end_index = CeilDiv(Seconds(to), step);
  const auto steps = static_cast<std::uint64_t>(end_index - first_index);
  if (steps > max_steps) {
    return InvalidArgument("the range holds " + std::to_string(steps) + " steps of " +
                           std::to_string(step) + " s; at most " + std::to_string(max_steps) +
                           " can be read at once");
  }
  RegularSeries series{InstantOf(first_index * step), std::chrono::seconds{step},
                       std::vector<double>(steps, kGap)};
  if (steps == 0) return series;
  const pqxx::result rows = transaction.exec_params(
      "SELECT chunk, data FROM series_chunks WHERE series_id = $1 AND chunk BETWEEN $2 AND $3 "
      "ORDER BY chunk",
      std::string(id), FloorDiv(first_index, kChunkSteps), FloorDiv(end_index - 1, kChunkSteps));
  std::vector<double> chunk(kChunkSteps);
  for (const pqxx::row& row : rows) {
    const std::int64_t chunk_start = row[0].as<std::int64_t>() * kChunkSteps;
    const pqxx::binarystring data(row[1]);
    const std::int64_t lo = std::max(chunk_start, first_index);
    const std::int64_t hi = std::min(chunk_start + kChunkSteps, end_index);
    const bool whole = lo == chunk_start && hi == chunk_start + kChunkSteps;
    // A chunk wholly inside the range decodes straight into the result.
    std::span<double> target =
        whole ? std::span<double>(series.values)
                    .subspan(static_cast<std::size_t>(chunk_start - first_index), kChunkSteps)
              : std::span<double>(chunk);
    if (!DecodeChunk(BlobOf(data), target)) {
      return DamagedChunk(id, row[0].as<std::int64_t>(), data.size());
    }
    if (!whole) {
      std::copy(chunk.begin() + (lo - chunk_start), chunk.begin() + (hi - chunk_start),
                series.values.begin() + (lo - first_index));
    }
  }
  return series;
}

Result<std::uint64_t> DeletePointsIn(pqxx::connection& connection, std::string_view id,
                                     sys_seconds from, sys_seconds to) {
  pqxx::work transaction(connection);
  auto found = FindSeries(transaction, id, /*lock=*/true);
  if (!found) return found.error();
  if (!*found) return NoSuchSeries(id);
  const std::int64_t step = (*found)->metadata.step_seconds.count();
  if (step <= 0 || (*found)->point_count == 0) return std::uint64_t{0};
  // Steps whose start lies in [from, to).
  const std::int64_t first_index = CeilDiv(Seconds(from), step);
  const std::int64_t end_index = CeilDiv(Seconds(to), step);
  if (first_index >= end_index) return std::uint64_t{0};
  std::vector<std::int64_t> indices;
  for (const pqxx::row& row : transaction.exec_params(
           "SELECT chunk FROM series_chunks WHERE series_id = $1 AND chunk BETWEEN $2 AND $3 "
           "ORDER BY chunk",
           std::string(id), FloorDiv(first_index, kChunkSteps),
           FloorDiv(end_index - 1, kChunkSteps))) {
    indices.push_back(row[0].as<std::int64_t>());
  }
  auto chunks = LoadChunks(transaction, id, indices);
  if (!chunks) return chunks.error();
  const std::uint64_t removed = ClearSteps(*chunks, first_index, end_index);
  StoreChunks(transaction, id, *chunks);
  auto first = StoredEdge(transaction, id, step, /*last=*/false);
  if (!first) return first.error();
  auto last = StoredEdge(transaction, id, step, /*last=*/true);
  if (!last) return last.error();
  // No points left: both edges become NULL ('' below).
  const auto edge = [](const std::optional<sys_seconds>& instant) {
    return instant ? std::to_string(Seconds(*instant)) : std::string();
  };
  transaction.exec_params(
      "UPDATE series SET point_count = point_count - $1, "
      "first_ts = NULLIF($2, '')::bigint, last_ts = NULLIF($3, '')::bigint WHERE id = $4",
      static_cast<std::int64_t>(removed), edge(*first), edge(*last), std::string(id));
  transaction.commit();
  return removed;
}

}  // namespace

Result<std::vector<SeriesSummary>> PgSeriesRepository::ListSeries(
    std::string_view id_prefix) const {
  return RunOnPool(pool_, "list series",
                   [&](pqxx::connection& connection) { return ListIn(connection, id_prefix); });
}

Result<SeriesSummary> PgSeriesRepository::GetSeries(std::string_view id) const {
  return RunOnPool(pool_, "read series '" + std::string(id) + "'",
                   [&](pqxx::connection& connection) { return GetIn(connection, id); });
}

Result<bool> PgSeriesRepository::PutSeries(const SeriesMetadata& metadata) {
  return RunOnPool(pool_, "write series '" + metadata.id + "'",
                   [&](pqxx::connection& connection) { return PutIn(connection, metadata); });
}

Status PgSeriesRepository::DeleteSeries(std::string_view id) {
  return RunOnPool(pool_, "delete series '" + std::string(id) + "'",
                   [&](pqxx::connection& connection) { return DeleteSeriesIn(connection, id); });
}

Result<WriteOutcome> PgSeriesRepository::WritePoints(const SeriesMetadata& series,
                                                     std::span<const Point> points,
                                                     OnConflict on_conflict) {
  if (series.step_seconds.count() <= 0) {
    return InvalidArgument("series '" + series.id + "' has no step yet");
  }
  return RunOnPool(pool_, "write points of series '" + series.id + "'",
                   [&](pqxx::connection& connection) {
                     return WriteIn(connection, series, points, on_conflict);
                   });
}

Result<RegularSeries> PgSeriesRepository::ReadRange(std::string_view id, sys_seconds from,
                                                    sys_seconds to, std::size_t max_steps) const {
  if (from > to) return RangeError(from, to);
  return RunOnPool(
      pool_, "read series '" + std::string(id) + "'",
      [&](pqxx::connection& connection) { return ReadIn(connection, id, from, to, max_steps); });
}

Result<std::uint64_t> PgSeriesRepository::DeletePoints(std::string_view id, sys_seconds from,
                                                       sys_seconds to) {
  if (from > to) return RangeError(from, to);
  return RunOnPool(
      pool_, "delete points of series '" + std::string(id) + "'",
      [&](pqxx::connection& connection) { return DeletePointsIn(connection, id, from, to); });
}

}  // namespace patchcast::storage::pg
