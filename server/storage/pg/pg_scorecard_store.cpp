#include "server/storage/pg/pg_scorecard_store.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_parameters.h"
#include "server/storage/pg/pg_series_lock.h"
#include "server/storage/pg/pg_time.h"
#include "server/storage/scorecard_rows.h"
#include "server/storage/sql_limit.h"

namespace patchcast::storage::pg {
namespace {

using forecasting::DueScoring;
using forecasting::EventAccuracy;
using forecasting::ForecastScorecard;
using forecasting::WindowScore;

// The kScoreWidth columns of `score` (scorecard_rows.h).
void AddScore(PgParameters& parameters, const WindowScore& score) {
  parameters.Real(score.peak_error);
  parameters.Real(score.peak_timing_error_minutes);
  parameters.Real(score.mape);
  parameters.Real(score.coverage_p50);
  parameters.Real(score.coverage_p90);
  parameters.Real(score.coverage_p99);
  parameters.Integer(static_cast<std::int64_t>(score.steps));
}

double ReadReal(const pqxx::field& field) {
  return field.is_null() ? std::numeric_limits<double>::quiet_NaN() : field.as<double>();
}

// The score in the kScoreWidth columns of `row` from `first`.
WindowScore ReadScore(const pqxx::row& row, int first) {
  return {.peak_error = ReadReal(row[first]),
          .peak_timing_error_minutes = ReadReal(row[first + 1]),
          .mape = ReadReal(row[first + 2]),
          .coverage_p50 = ReadReal(row[first + 3]),
          .coverage_p90 = ReadReal(row[first + 4]),
          .coverage_p99 = ReadReal(row[first + 5]),
          .steps = row[first + 6].as<std::size_t>()};
}

// The scorecard, without its events, in `row`, whose columns are CardColumns().
ForecastScorecard ReadCard(const pqxx::row& row) {
  return {.forecast_id = row[0].as<std::string>(),
          .series_id = row[1].as<std::string>(),
          .as_of = Instant(row[2]),
          .generated_at = Instant(row[3]),
          .scored_at = Instant(row[4]),
          .horizon_end = Instant(row[5]),
          .next_score_at = OptionalInstant(row[6]),
          .forecast = ReadScore(row, kCardScoresFrom),
          .seasonal_naive = ReadScore(row, kCardScoresFrom + kScoreWidth),
          .events = {}};
}

// The event in `row`, whose columns are EventColumns().
EventAccuracy ReadEvent(const pqxx::row& row) {
  return {.event_id = row[1].as<std::string>(),
          .start = Instant(row[2]),
          .actual_peak = ReadReal(row[3]),
          .actual_peak_ts = Instant(row[4]),
          .forecast = ReadScore(row, kEventScoresFrom),
          .seasonal_naive = ReadScore(row, kEventScoresFrom + kScoreWidth)};
}

void InsertCard(pqxx::work& transaction, const ForecastScorecard& card) {
  PgParameters parameters;
  parameters.Text(card.forecast_id);
  parameters.Text(card.series_id);
  parameters.Time(card.as_of);
  parameters.Time(card.generated_at);
  parameters.Time(card.scored_at);
  parameters.Time(card.horizon_end);
  parameters.Time(card.next_score_at);
  AddScore(parameters, card.forecast);
  AddScore(parameters, card.seasonal_naive);
  Execute(transaction,
          "INSERT INTO forecast_scores (forecast_id, series_id, as_of, generated_at, scored_at, "
          "horizon_end, next_score_at, " +
              ScoreColumns("") + ") VALUES (" + Placeholders(1, parameters.size()) + ")",
          parameters);
}

// Inserts the card's events in one statement, their positions numbering them in the card's order
// from 0.
void InsertEvents(pqxx::work& transaction, const ForecastScorecard& card) {
  if (card.events.empty()) return;
  PgParameters parameters;
  std::string rows;
  for (std::size_t position = 0; position < card.events.size(); ++position) {
    const EventAccuracy& event = card.events[position];
    const std::size_t first = parameters.size() + 1;
    parameters.Text(card.forecast_id);
    parameters.Integer(static_cast<std::int64_t>(position));
    parameters.Text(event.event_id);
    parameters.Time(event.start);
    parameters.Real(event.actual_peak);
    parameters.Time(event.actual_peak_ts);
    AddScore(parameters, event.forecast);
    AddScore(parameters, event.seasonal_naive);
    if (!rows.empty()) rows += ", ";
    rows += "(" + Placeholders(first, parameters.size() + 1 - first) + ")";
  }
  Execute(transaction,
          "INSERT INTO forecast_event_scores (forecast_id, position, event_id, start, actual_peak, "
          "actual_peak_ts, " +
              ScoreColumns("") + ") VALUES " + rows,
          parameters);
}

// The forecast, if still kept, is next due when the card says: never again once it is complete.
void RecordNextScoring(pqxx::work& transaction, const ForecastScorecard& card) {
  PgParameters parameters;
  parameters.Time(card.next_score_at);
  parameters.Text(card.forecast_id);
  Execute(transaction, "UPDATE forecasts SET score_at = $1 WHERE id = $2", parameters);
}

// The scorecards that `filter` (a condition on table alias c, over `parameters`) selects, ordered
// by `order` (over c), each with its events in position order. Two queries, one for the cards and
// one for all their events, in one snapshot. `what` names the read in errors.
Result<std::vector<ForecastScorecard>> ReadCards(PgPool& pool, const std::string& filter,
                                                 const std::string& order,
                                                 const PgParameters& parameters,
                                                 const std::string& what) {
  using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
  return RunOnPool(
      pool, what, [&](pqxx::connection& connection) -> Result<std::vector<ForecastScorecard>> {
        Snapshot snapshot(connection);
        std::vector<ForecastScorecard> cards;
        std::unordered_map<std::string, std::size_t> index_of;  // forecast id -> index in cards
        for (const pqxx::row& row :
             Execute(snapshot,
                     "SELECT " + CardColumns() + " FROM forecast_scores AS c WHERE " + filter +
                         " ORDER BY " + order,
                     parameters)) {
          cards.push_back(ReadCard(row));
          index_of.emplace(cards.back().forecast_id, cards.size() - 1);
        }
        if (cards.empty()) return cards;
        for (const pqxx::row& row :
             Execute(snapshot,
                     "SELECT " + EventColumns() +
                         " FROM forecast_event_scores AS e JOIN forecast_scores AS c ON "
                         "c.forecast_id = e.forecast_id WHERE " +
                         filter + " ORDER BY e.forecast_id, e.position",
                     parameters)) {
          const auto card = index_of.find(row[0].as<std::string>());
          if (card != index_of.end()) cards[card->second].events.push_back(ReadEvent(row));
        }
        return cards;
      });
}

}  // namespace

Status PgScorecardStore::Keep(const ForecastScorecard& card) {
  return RunOnPool(pool_, "keep the scorecard of forecast '" + card.forecast_id + "'",
                   [&](pqxx::connection& connection) -> Status {
                     pqxx::work transaction(connection);
                     if (Status locked = LockSeriesForWrite(transaction, card.series_id); !locked) {
                       return locked;
                     }
                     // The foreign key's cascade deletes the events of a card kept before.
                     transaction.exec_params("DELETE FROM forecast_scores WHERE forecast_id = $1",
                                             card.forecast_id);
                     InsertCard(transaction, card);
                     InsertEvents(transaction, card);
                     RecordNextScoring(transaction, card);
                     transaction.commit();
                     return {};
                   });
}

Result<std::vector<ForecastScorecard>> PgScorecardStore::List(std::string_view series_id,
                                                              std::chrono::sys_seconds from,
                                                              std::chrono::sys_seconds to) const {
  PgParameters parameters;
  parameters.Text(std::string(series_id));
  parameters.Time(from);
  parameters.Time(to);
  return ReadCards(pool_, "c.series_id = $1 AND c.generated_at >= $2 AND c.generated_at < $3",
                   "c.generated_at, c.forecast_id", parameters, "list scorecards");
}

Result<std::vector<ForecastScorecard>> PgScorecardStore::LatestPerSeries() const {
  return ReadCards(pool_,
                   "c.forecast_id = (SELECT q.forecast_id FROM forecast_scores AS q WHERE "
                   "q.series_id = c.series_id AND q.next_score_at IS NULL ORDER BY q.horizon_end "
                   "DESC, q.forecast_id DESC LIMIT 1)",
                   "c.series_id", PgParameters(), "read the latest scorecards");
}

Result<std::vector<DueScoring>> PgScorecardStore::Due(std::size_t limit) const {
  return RunOnPool(
      pool_, "list forecasts due for scoring",
      [&](pqxx::connection& connection) -> Result<std::vector<DueScoring>> {
        // The partial index forecasts_by_score_at holds only the forecasts that can become due.
        const pqxx::result rows =
            pqxx::nontransaction(connection)
                .exec_params(
                    "SELECT f.id, f.series_id, f.horizon_end, f.score_at FROM forecasts AS f "
                    "JOIN series AS s ON s.id = f.series_id WHERE f.score_at IS NOT NULL AND NOT "
                    "f.hypothetical AND f.horizon_end IS NOT NULL AND s.last_ts IS NOT NULL AND "
                    "f.score_at <= s.last_ts ORDER BY f.score_at, f.id LIMIT $1",
                    SqlLimit(limit));
        std::vector<DueScoring> due;
        due.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          due.push_back({row[0].as<std::string>(), row[1].as<std::string>(), Instant(row[2]),
                         Instant(row[3])});
        }
        return due;
      });
}

}  // namespace patchcast::storage::pg
