#include "server/storage/pg/pg_series_settings_repository.h"

#include <cstdint>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_series_lock.h"
#include "server/storage/pg/pg_time.h"

namespace patchcast::storage::pg {
namespace {

using forecasting::StoredSetting;

}  // namespace

Status PgSeriesSettingsRepository::Put(const StoredSetting& setting) {
  return RunOnPool(
      pool_, "write setting '" + setting.name + "' of series '" + setting.series_id + "'",
      [&](pqxx::connection& connection) -> Status {
        pqxx::work transaction(connection);
        if (Status locked = LockSeriesForWrite(transaction, setting.series_id); !locked) {
          return locked;
        }
        transaction.exec_params(
            "INSERT INTO series_settings (series_id, name, updated_at, document) "
            "VALUES ($1, $2, $3, $4) ON CONFLICT (series_id, name) DO UPDATE SET "
            "updated_at = excluded.updated_at, document = excluded.document",
            setting.series_id, setting.name,
            static_cast<std::int64_t>(setting.updated_at.time_since_epoch().count()),
            setting.document);
        transaction.commit();
        return {};
      });
}

Result<std::optional<StoredSetting>> PgSeriesSettingsRepository::Get(std::string_view series_id,
                                                                     std::string_view name) const {
  return RunOnPool(
      pool_, "read setting '" + std::string(name) + "' of series '" + std::string(series_id) + "'",
      [&](pqxx::connection& connection) -> Result<std::optional<StoredSetting>> {
        const pqxx::result rows = pqxx::nontransaction(connection)
                                      .exec_params(
                                          "SELECT updated_at, document FROM series_settings WHERE "
                                          "series_id = $1 AND name = $2",
                                          std::string(series_id), std::string(name));
        if (rows.empty()) return std::optional<StoredSetting>();
        return std::optional<StoredSetting>(StoredSetting{std::string(series_id), std::string(name),
                                                          Instant(rows[0][0]),
                                                          rows[0][1].as<std::string>()});
      });
}

Result<bool> PgSeriesSettingsRepository::Delete(std::string_view series_id, std::string_view name) {
  return RunOnPool(
      pool_,
      "delete setting '" + std::string(name) + "' of series '" + std::string(series_id) + "'",
      [&](pqxx::connection& connection) -> Result<bool> {
        // One statement: autocommitted when it returns.
        return pqxx::nontransaction(connection)
                   .exec_params("DELETE FROM series_settings WHERE series_id = $1 AND name = $2",
                                std::string(series_id), std::string(name))
                   .affected_rows() > 0;
      });
}

Result<std::vector<StoredSetting>> PgSeriesSettingsRepository::List(std::string_view name) const {
  return RunOnPool(
      pool_, "list series settings '" + std::string(name) + "'",
      [&](pqxx::connection& connection) -> Result<std::vector<StoredSetting>> {
        const pqxx::result rows =
            pqxx::nontransaction(connection)
                .exec_params(
                    "SELECT series_id, updated_at, document FROM series_settings WHERE name = $1 "
                    "ORDER BY series_id",
                    std::string(name));
        std::vector<StoredSetting> settings;
        settings.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          settings.push_back({row[0].as<std::string>(), std::string(name), Instant(row[1]),
                              row[2].as<std::string>()});
        }
        return settings;
      });
}

}  // namespace patchcast::storage::pg
