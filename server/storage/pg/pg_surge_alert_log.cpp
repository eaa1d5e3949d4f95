#include "server/storage/pg/pg_surge_alert_log.h"

#include <cstdint>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_series_lock.h"
#include "server/storage/pg/pg_time.h"
#include "server/storage/sql_limit.h"

namespace patchcast::storage::pg {
namespace {

using forecasting::SurgeAlert;

// The alert in `row`, whose columns are series_id, event_id, started_at, ended_at, forecast_id,
// reason, peak_ratio, peak_at.
Result<SurgeAlert> ReadAlert(const pqxx::row& row) {
  auto reason = forecasting::ParseSurgeReason(row[5].as<std::string>());
  if (!reason) return Internal("surge_alerts: stored " + reason.error().message);
  SurgeAlert alert{
      row[0].as<std::string>(), row[1].as<std::string>(), row[4].as<std::string>(), {}};
  alert.episode.started = Instant(row[2]);
  alert.episode.ended = OptionalInstant(row[3]);
  alert.episode.reason = *reason;
  alert.episode.peak_ratio = row[6].as<double>();
  alert.episode.peak_at = Instant(row[7]);
  return alert;
}

}  // namespace

Status PgSurgeAlertLog::Record(const SurgeAlert& alert) {
  return RunOnPool(
      pool_, "record a surge alert of series '" + alert.series_id + "'",
      [&](pqxx::connection& connection) -> Status {
        pqxx::work transaction(connection);
        if (Status locked = LockSeriesForWrite(transaction, alert.series_id); !locked) {
          return locked;
        }
        transaction.exec_params(
            "INSERT INTO surge_alerts (series_id, event_id, started_at, ended_at, forecast_id, "
            "reason, peak_ratio, peak_at) VALUES ($1, $2, $3, NULLIF($4, '')::bigint, $5, $6, $7, "
            "$8) ON CONFLICT "
            "(series_id, event_id, started_at) DO UPDATE SET ended_at = excluded.ended_at, "
            "forecast_id = excluded.forecast_id, reason = excluded.reason, peak_ratio = "
            "excluded.peak_ratio, peak_at = excluded.peak_at",
            alert.series_id, alert.event_id, Seconds(alert.episode.started),
            OptionalSeconds(alert.episode.ended), alert.forecast_id,
            std::string(forecasting::ToString(alert.episode.reason)), alert.episode.peak_ratio,
            Seconds(alert.episode.peak_at));
        transaction.commit();
        return {};
      });
}

Result<std::vector<SurgeAlert>> PgSurgeAlertLog::List(std::string_view series_id,
                                                      std::chrono::sys_seconds from,
                                                      std::chrono::sys_seconds to,
                                                      std::size_t limit) const {
  return RunOnPool(
      pool_, "list surge alerts of series '" + std::string(series_id) + "'",
      [&](pqxx::connection& connection) -> Result<std::vector<SurgeAlert>> {
        const pqxx::result rows =
            pqxx::nontransaction(connection)
                .exec_params(
                    "SELECT series_id, event_id, started_at, ended_at, forecast_id, reason, "
                    "peak_ratio, peak_at FROM surge_alerts WHERE series_id = $1 AND started_at "
                    ">= $2 AND started_at < $3 ORDER BY started_at DESC, event_id DESC LIMIT $4",
                    std::string(series_id), Seconds(from), Seconds(to), SqlLimit(limit));
        std::vector<SurgeAlert> alerts;
        alerts.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          auto alert = ReadAlert(row);
          if (!alert) return alert.error();
          alerts.push_back(std::move(*alert));
        }
        return alerts;
      });
}

Result<std::vector<forecasting::SurgeState>> PgSurgeAlertLog::States() const {
  return RunOnPool(
      pool_, "read surge alert states",
      [&](pqxx::connection& connection) -> Result<std::vector<forecasting::SurgeState>> {
        const pqxx::result rows = pqxx::nontransaction(connection)
                                      .exec(
                                          "SELECT series_id, bool_or(ended_at IS NULL) FROM "
                                          "surge_alerts GROUP BY series_id "
                                          "ORDER BY series_id");
        std::vector<forecasting::SurgeState> states;
        states.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          states.push_back({row[0].as<std::string>(), row[1].as<bool>()});
        }
        return states;
      });
}

}  // namespace patchcast::storage::pg
