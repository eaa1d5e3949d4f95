#include "server/storage/sqlite_scorecard_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "server/storage/scorecard_rows.h"
#include "server/storage/sql_limit.h"
#include "server/storage/sqlite_error.h"
#include "server/storage/sqlite_time.h"

namespace patchcast::storage {
namespace {

using forecasting::DueScoring;
using forecasting::EventAccuracy;
using forecasting::ForecastScorecard;
using forecasting::WindowScore;

// "?, ?, …": `count` parameters.
std::string Parameters(std::size_t count) {
  std::string parameters;
  for (std::size_t i = 0; i < count; ++i) parameters += i == 0 ? "?" : ", ?";
  return parameters;
}

// NaN, "nothing to score", is stored as NULL (SQLite has no NaN).
void BindReal(SQLite::Statement& statement, int index, double value) {
  if (std::isnan(value)) {
    statement.bind(index);
  } else {
    statement.bind(index, value);
  }
}

double ReadReal(const SQLite::Column& column) {
  return column.isNull() ? std::numeric_limits<double>::quiet_NaN() : column.getDouble();
}

// Binds `score` to the kScoreWidth parameters from `first`; returns the next parameter.
int BindScore(SQLite::Statement& statement, int first, const WindowScore& score) {
  BindReal(statement, first, score.peak_error);
  BindReal(statement, first + 1, score.peak_timing_error_minutes);
  BindReal(statement, first + 2, score.mape);
  BindReal(statement, first + 3, score.coverage_p50);
  BindReal(statement, first + 4, score.coverage_p90);
  BindReal(statement, first + 5, score.coverage_p99);
  statement.bind(first + 6, static_cast<std::int64_t>(score.steps));
  return first + kScoreWidth;
}

// The score in the kScoreWidth columns of the current row of `query` from `first`.
WindowScore ReadScore(SQLite::Statement& query, int first) {
  return {.peak_error = ReadReal(query.getColumn(first)),
          .peak_timing_error_minutes = ReadReal(query.getColumn(first + 1)),
          .mape = ReadReal(query.getColumn(first + 2)),
          .coverage_p50 = ReadReal(query.getColumn(first + 3)),
          .coverage_p90 = ReadReal(query.getColumn(first + 4)),
          .coverage_p99 = ReadReal(query.getColumn(first + 5)),
          .steps = static_cast<std::size_t>(query.getColumn(first + 6).getInt64())};
}

// The scorecard, without its events, in the current row of `query`, whose columns are
// CardColumns() (scorecard_rows.h).
ForecastScorecard ReadCard(SQLite::Statement& query) {
  return {.forecast_id = query.getColumn(0).getString(),
          .series_id = query.getColumn(1).getString(),
          .as_of = Instant(query.getColumn(2)),
          .generated_at = Instant(query.getColumn(3)),
          .scored_at = Instant(query.getColumn(4)),
          .horizon_end = Instant(query.getColumn(5)),
          .next_score_at = OptionalInstant(query.getColumn(6)),
          .forecast = ReadScore(query, kCardScoresFrom),
          .seasonal_naive = ReadScore(query, kCardScoresFrom + kScoreWidth),
          .events = {}};
}

// The event in the current row of `query`, whose columns are EventColumns().
EventAccuracy ReadEvent(SQLite::Statement& query) {
  return {.event_id = query.getColumn(1).getString(),
          .start = Instant(query.getColumn(2)),
          .actual_peak = ReadReal(query.getColumn(3)),
          .actual_peak_ts = Instant(query.getColumn(4)),
          .forecast = ReadScore(query, kEventScoresFrom),
          .seasonal_naive = ReadScore(query, kEventScoresFrom + kScoreWidth)};
}

Status CheckSeriesExists(SQLite::Database& db, const std::string& series_id) {
  SQLite::Statement series(db, "SELECT 1 FROM series WHERE id = ?");
  series.bind(1, series_id);
  if (!series.executeStep()) return NotFound("series '" + series_id + "' does not exist");
  return {};
}

// Deletes the scorecard of `forecast_id`, if any; the foreign key's cascade deletes its events.
void DeleteCard(SQLite::Database& db, const std::string& forecast_id) {
  SQLite::Statement erase(db, "DELETE FROM forecast_scores WHERE forecast_id = ?");
  erase.bind(1, forecast_id);
  erase.exec();
}

void InsertCard(SQLite::Database& db, const ForecastScorecard& card) {
  SQLite::Statement insert(db,
                           "INSERT INTO forecast_scores (forecast_id, series_id, as_of, "
                           "generated_at, scored_at, horizon_end, next_score_at, " +
                               ScoreColumns("") + ") VALUES (" +
                               Parameters(7 + 2 * kScoreFields.size()) + ")");
  insert.bind(1, card.forecast_id);
  insert.bind(2, card.series_id);
  insert.bind(3, Seconds(card.as_of));
  insert.bind(4, Seconds(card.generated_at));
  insert.bind(5, Seconds(card.scored_at));
  insert.bind(6, Seconds(card.horizon_end));
  BindInstant(insert, 7, card.next_score_at);
  BindScore(insert, BindScore(insert, 8, card.forecast), card.seasonal_naive);
  insert.exec();
}

// The forecast, if still kept, is next due when the card says: never again once it is complete.
void RecordNextScoring(SQLite::Database& db, const ForecastScorecard& card) {
  SQLite::Statement update(db, "UPDATE forecasts SET score_at = ? WHERE id = ?");
  BindInstant(update, 1, card.next_score_at);
  update.bind(2, card.forecast_id);
  update.exec();
}

// Inserts the card's events, their positions numbering them in the card's order from 0.
void InsertEvents(SQLite::Database& db, const ForecastScorecard& card) {
  if (card.events.empty()) return;
  SQLite::Statement insert(db,
                           "INSERT INTO forecast_event_scores (forecast_id, position, event_id, "
                           "start, actual_peak, actual_peak_ts, " +
                               ScoreColumns("") + ") VALUES (" +
                               Parameters(6 + 2 * kScoreFields.size()) + ")");
  for (std::size_t position = 0; position < card.events.size(); ++position) {
    const EventAccuracy& event = card.events[position];
    insert.reset();
    insert.bind(1, card.forecast_id);
    insert.bind(2, static_cast<std::int64_t>(position));
    insert.bind(3, event.event_id);
    insert.bind(4, Seconds(event.start));
    BindReal(insert, 5, event.actual_peak);
    insert.bind(6, Seconds(event.actual_peak_ts));
    BindScore(insert, BindScore(insert, 7, event.forecast), event.seasonal_naive);
    insert.exec();
  }
}

// Binds a query's parameters.
using Binder = std::function<void(SQLite::Statement&)>;

// The scorecards that `filter` (a condition on table alias c, whose parameters `bind` binds)
// selects, ordered by `order` (over c), each with its events in position order. Two queries, one
// for the cards and one for all their events, in one snapshot. `what` names the read in errors.
Result<std::vector<ForecastScorecard>> ReadCards(ReaderPool& readers, const std::string& filter,
                                                 const std::string& order, const Binder& bind,
                                                 const std::string& what) {
  try {
    ReaderPool::Lease reader = readers.Borrow();
    SQLite::Database& db = *reader;
    db.exec("BEGIN");  // one snapshot for the cards and their events; the lease rolls it back
    SQLite::Statement cards(db, "SELECT " + CardColumns() + " FROM forecast_scores AS c WHERE " +
                                    filter + " ORDER BY " + order);
    bind(cards);
    std::vector<ForecastScorecard> result;
    std::unordered_map<std::string, std::size_t> index_of;  // forecast id -> index in result
    while (cards.executeStep()) {
      result.push_back(ReadCard(cards));
      index_of.emplace(result.back().forecast_id, result.size() - 1);
    }
    if (result.empty()) return result;
    SQLite::Statement events(db, "SELECT " + EventColumns() +
                                     " FROM forecast_event_scores AS e JOIN forecast_scores AS c "
                                     "ON c.forecast_id = e.forecast_id WHERE " +
                                     filter + " ORDER BY e.forecast_id, e.position");
    bind(events);
    while (events.executeStep()) {
      const auto card = index_of.find(events.getColumn(0).getString());
      if (card != index_of.end()) result[card->second].events.push_back(ReadEvent(events));
    }
    return result;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, what);
  }
}

}  // namespace

Status SqliteScorecardStore::Keep(const ForecastScorecard& card) {
  return writes_.Submit([&](SQLite::Database& db) -> Status {
    if (Status exists = CheckSeriesExists(db, card.series_id); !exists) return exists;
    DeleteCard(db, card.forecast_id);
    InsertCard(db, card);
    InsertEvents(db, card);
    RecordNextScoring(db, card);
    return {};
  });
}

Result<std::vector<ForecastScorecard>> SqliteScorecardStore::List(
    std::string_view series_id, std::chrono::sys_seconds from, std::chrono::sys_seconds to) const {
  const std::string series(series_id);
  return ReadCards(
      readers_, "c.series_id = ? AND c.generated_at >= ? AND c.generated_at < ?",
      "c.generated_at, c.forecast_id",
      [&](SQLite::Statement& query) {
        query.bind(1, series);
        query.bind(2, Seconds(from));
        query.bind(3, Seconds(to));
      },
      "list scorecards");
}

Result<std::vector<ForecastScorecard>> SqliteScorecardStore::LatestPerSeries() const {
  // One search of the (series_id, horizon_end) index per scorecard: it holds the forecast id too
  // (the table's key), so the ORDER BY needs no sort.
  return ReadCards(
      readers_,
      "c.forecast_id = (SELECT q.forecast_id FROM forecast_scores AS q WHERE "
      "q.series_id = c.series_id AND q.next_score_at IS NULL ORDER BY q.horizon_end DESC, "
      "q.forecast_id DESC LIMIT 1)",
      "c.series_id", [](SQLite::Statement&) {}, "read the latest scorecards");
}

Result<std::vector<DueScoring>> SqliteScorecardStore::Due(std::size_t limit) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    // The partial index forecasts_by_score_at holds only the forecasts that can become due.
    SQLite::Statement query(*reader,
                            "SELECT f.id, f.series_id, f.horizon_end, f.score_at FROM forecasts "
                            "AS f JOIN series AS s ON s.id = f.series_id WHERE f.score_at IS NOT "
                            "NULL AND f.hypothetical = 0 AND f.horizon_end IS NOT NULL AND "
                            "s.last_ts IS NOT NULL AND f.score_at <= s.last_ts ORDER BY "
                            "f.score_at, f.id LIMIT ?");
    query.bind(1, SqlLimit(limit));
    std::vector<DueScoring> due;
    while (query.executeStep()) {
      due.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(),
                     Instant(query.getColumn(2)), Instant(query.getColumn(3))});
    }
    return due;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "list forecasts due for scoring");
  }
}

}  // namespace patchcast::storage
