#include "server/storage/sqlite_series_settings_repository.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {

Status SqliteSeriesSettingsRepository::Put(const forecasting::StoredSetting& setting) {
  return writes_.Submit([&](SQLite::Database& db) -> Status {
    SQLite::Statement series(db, "SELECT 1 FROM series WHERE id = ?");
    series.bind(1, setting.series_id);
    if (!series.executeStep()) return NotFound("series '" + setting.series_id + "' does not exist");
    SQLite::Statement upsert(db,
                             "INSERT INTO series_settings (series_id, name, updated_at, document) "
                             "VALUES (?, ?, ?, ?) ON CONFLICT (series_id, name) DO UPDATE SET "
                             "updated_at = excluded.updated_at, document = excluded.document");
    upsert.bind(1, setting.series_id);
    upsert.bind(2, setting.name);
    upsert.bind(3, static_cast<std::int64_t>(setting.updated_at.time_since_epoch().count()));
    upsert.bindNoCopy(4, setting.document);
    upsert.exec();
    return {};
  });
}

Result<std::optional<forecasting::StoredSetting>> SqliteSeriesSettingsRepository::Get(
    std::string_view series_id, std::string_view name) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            "SELECT updated_at, document FROM series_settings WHERE series_id = ? "
                            "AND name = ?");
    query.bind(1, std::string(series_id));
    query.bind(2, std::string(name));
    if (!query.executeStep()) return std::optional<forecasting::StoredSetting>();
    return std::optional<forecasting::StoredSetting>(forecasting::StoredSetting{
        std::string(series_id), std::string(name),
        std::chrono::sys_seconds{std::chrono::seconds{query.getColumn(0).getInt64()}},
        query.getColumn(1).getString()});
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read series setting");
  }
}

Result<bool> SqliteSeriesSettingsRepository::Delete(std::string_view series_id,
                                                    std::string_view name) {
  bool deleted = false;
  Status status = writes_.Submit([&](SQLite::Database& db) -> Status {
    SQLite::Statement erase(db, "DELETE FROM series_settings WHERE series_id = ? AND name = ?");
    erase.bind(1, std::string(series_id));
    erase.bind(2, std::string(name));
    deleted = erase.exec() > 0;
    return {};
  });
  if (!status) return status.error();
  return deleted;
}

Result<std::vector<forecasting::StoredSetting>> SqliteSeriesSettingsRepository::List(
    std::string_view name) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            "SELECT series_id, updated_at, document FROM series_settings WHERE "
                            "name = ? ORDER BY series_id");
    query.bind(1, std::string(name));
    std::vector<forecasting::StoredSetting> settings;
    while (query.executeStep()) {
      settings.push_back(
          {query.getColumn(0).getString(), std::string(name),
           std::chrono::sys_seconds{std::chrono::seconds{query.getColumn(1).getInt64()}},
           query.getColumn(2).getString()});
    }
    return settings;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "list series settings");
  }
}

}  // namespace patchcast::storage
