#include "server/storage/sqlite_plan_repository.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

std::int64_t Seconds(std::chrono::sys_seconds instant) {
  return static_cast<std::int64_t>(instant.time_since_epoch().count());
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
    return forecasting::StoredPlan{
        query.getColumn(0).getString(), query.getColumn(1).getString(),
        std::chrono::sys_seconds{std::chrono::seconds{query.getColumn(2).getInt64()}},
        std::chrono::sys_seconds{std::chrono::seconds{query.getColumn(3).getInt64()}},
        query.getColumn(4).getString()};
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
  return FindOne(
      "SELECT id, series_id, generated_at, valid_until, document FROM plans WHERE series_id = ? "
      "ORDER BY generated_at DESC, seq DESC LIMIT 1",
      series_id, "no plan is stored for series '" + std::string(series_id) + "'");
}

}  // namespace patchcast::storage
