#include "server/storage/sqlite_forecast_repository.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "server/storage/series_lookup.h"
#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

// The forecast in the current row of `query`, whose columns are id, series_id, generated_at,
// document, hypothetical.
forecasting::StoredForecast ReadForecast(SQLite::Statement& query) {
  return forecasting::StoredForecast{
      query.getColumn(0).getString(), query.getColumn(1).getString(),
      std::chrono::sys_seconds{std::chrono::seconds{query.getColumn(2).getInt64()}},
      query.getColumn(3).getString(), query.getColumn(4).getInt() != 0};
}

}  // namespace

Status SqliteForecastRepository::Save(const forecasting::StoredForecast& forecast) {
  return writes_.Submit([&](SQLite::Database& db) -> Status {
    SQLite::Statement series(db, "SELECT 1 FROM series WHERE id = ?");
    series.bind(1, forecast.series_id);
    if (!series.executeStep()) {
      return NotFound("series '" + forecast.series_id + "' does not exist");
    }
    SQLite::Statement insert(db,
                             "INSERT INTO forecasts (id, series_id, generated_at, document, "
                             "hypothetical) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, forecast.id);
    insert.bind(2, forecast.series_id);
    insert.bind(3, static_cast<std::int64_t>(forecast.generated_at.time_since_epoch().count()));
    insert.bindNoCopy(4, forecast.document);
    insert.bind(5, forecast.hypothetical ? 1 : 0);
    insert.exec();
    // Keep the newest `retention_` of the series.
    SQLite::Statement prune(db,
                            "DELETE FROM forecasts WHERE series_id = ?1 AND id NOT IN (SELECT id "
                            "FROM forecasts WHERE series_id = ?1 ORDER BY generated_at DESC, seq "
                            "DESC LIMIT ?2)");
    prune.bind(1, forecast.series_id);
    prune.bind(2, retention_);
    prune.exec();
    return {};
  });
}

Result<forecasting::StoredForecast> SqliteForecastRepository::FindOne(
    const std::string& sql, std::string_view key, const std::string& not_found) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, sql);
    query.bind(1, std::string(key));
    if (!query.executeStep()) return NotFound(not_found);
    return ReadForecast(query);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read forecast");
  }
}

Result<forecasting::StoredForecast> SqliteForecastRepository::Get(std::string_view id) const {
  return FindOne(
      "SELECT id, series_id, generated_at, document, hypothetical FROM forecasts WHERE id = ?", id,
      "forecast '" + std::string(id) + "' does not exist");
}

Result<forecasting::StoredForecast> SqliteForecastRepository::Latest(
    std::string_view series_id) const {
  auto latest = FindOne(
      "SELECT id, series_id, generated_at, document, hypothetical FROM forecasts "
      "WHERE series_id = ? AND hypothetical = 0 ORDER BY generated_at DESC, seq DESC LIMIT 1",
      series_id, "no forecast has been made for series '" + std::string(series_id) + "' yet");
  if (latest || latest.error().code != ErrorCode::kNotFound) return latest;
  return UnknownSeriesOr(readers_, series_id, std::move(latest).error());
}

Result<std::vector<forecasting::StoredForecast>> SqliteForecastRepository::LatestPerSeries(
    forecasting::WithDocuments documents) const {
  // One index search a series (forecasts_by_series holds generated_at and, implicitly, seq, so the
  // ORDER BY needs no sort), then one row lookup by seq: cheap for thousands of series.
  const std::string sql =
      std::string("SELECT f.id, f.series_id, f.generated_at, ") +
      (documents == forecasting::WithDocuments::kYes ? "f.document" : "''") +
      ", f.hypothetical FROM series AS s JOIN forecasts AS f ON f.seq = (SELECT q.seq FROM "
      "forecasts AS q WHERE q.series_id = s.id AND q.hypothetical = 0 ORDER BY q.generated_at "
      "DESC, q.seq DESC LIMIT 1) ORDER BY s.id";
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, sql);
    std::vector<forecasting::StoredForecast> forecasts;
    while (query.executeStep()) forecasts.push_back(ReadForecast(query));
    return forecasts;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read the latest forecasts");
  }
}

}  // namespace patchcast::storage
