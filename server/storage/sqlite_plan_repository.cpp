#include "server/storage/sqlite_plan_repository.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "server/storage/series_lookup.h"
#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

std::int64_t Seconds(std::chrono::sys_seconds instant) {
  return static_cast<std::int64_t>(instant.time_since_epoch().count());
}

// The plan in the current row of `query`, whose columns are id, series_id, generated_at,
// valid_until, document.
forecasting::StoredPlan ReadPlan(SQLite::Statement& query) {
  return forecasting::StoredPlan{
      query.getColumn(0).getString(), query.getColumn(1).getString(),
      std::chrono::sys_seconds{std::chrono::seconds{query.getColumn(2).getInt64()}},
      std::chrono::sys_seconds{std::chrono::seconds{query.getColumn(3).getInt64()}},
      query.getColumn(4).getString()};
}

}  // namespace

Status SqlitePlanRepository::Save(const forecasting::StoredPlan& plan) {
  return writes_.Submit([&](SQLite::Database& db) -> Status {
    SQLite::Statement series(db, "SELECT 1 FROM series WHERE id = ?");
    series.bind(1, plan.series_id);
    if (!series.executeStep()) return NotFound("series '" + plan.series_id + "' does not exist");
    SQLite::Statement insert(db,
                             "INSERT INTO plans (id, series_id, generated_at, valid_until, "
                             "document) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, plan.id);
    insert.bind(2, plan.series_id);
    insert.bind(3, Seconds(plan.generated_at));
    insert.bind(4, Seconds(plan.valid_until));
    insert.bindNoCopy(5, plan.document);
    insert.exec();
    // Keep the newest `retention_` of the series.
    SQLite::Statement prune(db,
                            "DELETE FROM plans WHERE series_id = ?1 AND id NOT IN (SELECT id "
                            "FROM plans WHERE series_id = ?1 ORDER BY generated_at DESC, seq "
                            "DESC LIMIT ?2)");
    prune.bind(1, plan.series_id);
    prune.bind(2, retention_);
    prune.exec();
    return {};
  });
}

Result<forecasting::StoredPlan> SqlitePlanRepository::FindOne(const std::string& sql,
                                                              std::string_view key,
                                                              const std::string& not_found) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, sql);
    query.bind(1, std::string(key));
    if (!query.executeStep()) return NotFound(not_found);
    return ReadPlan(query);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read plan");
  }
}

Result<forecasting::StoredPlan> SqlitePlanRepository::Get(std::string_view id) const {
  return FindOne(
      "SELECT id, series_id, generated_at, valid_until, document FROM plans WHERE id = ?", id,
      "plan '" + std::string(id) + "' does not exist");
}

Result<forecasting::StoredPlan> SqlitePlanRepository::Latest(std::string_view series_id) const {
  auto latest = FindOne(
      "SELECT id, series_id, generated_at, valid_until, document FROM plans WHERE series_id = ? "
      "ORDER BY generated_at DESC, seq DESC LIMIT 1",
      series_id, "no plan has been made for series '" + std::string(series_id) + "' yet");
  if (latest || latest.error().code != ErrorCode::kNotFound) return latest;
  return UnknownSeriesOr(readers_, series_id, std::move(latest).error());
}

Result<std::vector<forecasting::StoredPlan>> SqlitePlanRepository::ForSeries(
    std::string_view series_id) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            "SELECT id, series_id, generated_at, valid_until, document FROM plans "
                            "WHERE series_id = ? ORDER BY generated_at DESC, seq DESC");
    query.bind(1, std::string(series_id));
    std::vector<forecasting::StoredPlan> plans;
    while (query.executeStep()) plans.push_back(ReadPlan(query));
    return plans;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read the series' plans");
  }
}

Result<std::vector<forecasting::StoredPlan>> SqlitePlanRepository::LatestPerSeries(
    forecasting::WithDocuments documents) const {
  // One index search a series (plans_by_series holds generated_at and, implicitly, seq, so the
  // ORDER BY needs no sort), then one row lookup by seq: cheap for thousands of series.
  const std::string sql =
      std::string("SELECT p.id, p.series_id, p.generated_at, p.valid_until, ") +
      (documents == forecasting::WithDocuments::kYes ? "p.document" : "''") +
      " FROM series AS s JOIN plans AS p ON p.seq = (SELECT q.seq FROM plans AS q WHERE "
      "q.series_id = s.id ORDER BY q.generated_at DESC, q.seq DESC LIMIT 1) ORDER BY s.id";
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, sql);
    std::vector<forecasting::StoredPlan> plans;
    while (query.executeStep()) plans.push_back(ReadPlan(query));
    return plans;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read the latest plans");
  }
}

}  // namespace patchcast::storage
