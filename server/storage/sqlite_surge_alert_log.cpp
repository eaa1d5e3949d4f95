#include "server/storage/sqlite_surge_alert_log.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>

#include "server/storage/sql_limit.h"
#include "server/storage/sqlite_error.h"
#include "server/storage/sqlite_time.h"

namespace patchcast::storage {
namespace {

using forecasting::SurgeAlert;

// The alert in the current row, whose columns are series_id, event_id, started_at, ended_at,
// forecast_id, reason, peak_ratio, peak_at.
Result<SurgeAlert> ReadAlert(SQLite::Statement& query) {
  auto reason = forecasting::ParseSurgeReason(query.getColumn(5).getString());
  if (!reason) return Internal("surge_alerts: stored " + reason.error().message);
  SurgeAlert alert{query.getColumn(0).getString(),
                   query.getColumn(1).getString(),
                   query.getColumn(4).getString(),
                   {}};
  alert.episode.started = Instant(query.getColumn(2));
  if (!query.getColumn(3).isNull()) alert.episode.ended = Instant(query.getColumn(3));
  alert.episode.reason = *reason;
  alert.episode.peak_ratio = query.getColumn(6).getDouble();
  alert.episode.peak_at = Instant(query.getColumn(7));
  return alert;
}

}  // namespace

Status SqliteSurgeAlertLog::Record(const SurgeAlert& alert) {
  return writes_.Submit([&](SQLite::Database& db) -> Status {
    SQLite::Statement series(db, "SELECT 1 FROM series WHERE id = ?");
    series.bind(1, alert.series_id);
    if (!series.executeStep()) return NotFound("series '" + alert.series_id + "' does not exist");
    SQLite::Statement upsert(
        db,
        "INSERT INTO surge_alerts (series_id, event_id, started_at, ended_at, forecast_id, "
        "reason, peak_ratio, peak_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (series_id, "
        "event_id, started_at) DO UPDATE SET ended_at = excluded.ended_at, forecast_id = "
        "excluded.forecast_id, reason = excluded.reason, peak_ratio = excluded.peak_ratio, "
        "peak_at = excluded.peak_at");
    upsert.bind(1, alert.series_id);
    upsert.bind(2, alert.event_id);
    upsert.bind(3, Seconds(alert.episode.started));
    if (alert.episode.ended) {
      upsert.bind(4, Seconds(*alert.episode.ended));
    } else {
      upsert.bind(4);
    }
    upsert.bind(5, alert.forecast_id);
    upsert.bind(6, std::string(forecasting::ToString(alert.episode.reason)));
    upsert.bind(7, alert.episode.peak_ratio);
    upsert.bind(8, Seconds(alert.episode.peak_at));
    upsert.exec();
    return {};
  });
}

Result<std::vector<SurgeAlert>> SqliteSurgeAlertLog::List(std::string_view series_id,
                                                          std::chrono::sys_seconds from,
                                                          std::chrono::sys_seconds to,
                                                          std::size_t limit) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            "SELECT series_id, event_id, started_at, ended_at, forecast_id, "
                            "reason, peak_ratio, peak_at FROM surge_alerts WHERE series_id = ? "
                            "AND started_at >= ? AND started_at < ? ORDER BY started_at DESC, "
                            "event_id DESC LIMIT ?");
    query.bind(1, std::string(series_id));
    query.bind(2, Seconds(from));
    query.bind(3, Seconds(to));
    query.bind(4, SqlLimit(limit));
    std::vector<SurgeAlert> alerts;
    while (query.executeStep()) {
      auto alert = ReadAlert(query);
      if (!alert) return alert.error();
      alerts.push_back(std::move(*alert));
    }
    return alerts;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "list surge alerts");
  }
}

Result<std::vector<forecasting::SurgeState>> SqliteSurgeAlertLog::States() const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            "SELECT series_id, MAX(ended_at IS NULL) FROM surge_alerts GROUP BY "
                            "series_id ORDER BY series_id");
    std::vector<forecasting::SurgeState> states;
    while (query.executeStep()) {
      states.push_back({query.getColumn(0).getString(), query.getColumn(1).getInt() != 0});
    }
    return states;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read surge alert states");
  }
}

}  // namespace patchcast::storage
