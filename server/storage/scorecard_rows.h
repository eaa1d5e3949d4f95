// What the scorecard stores of every engine (SQLite, PostgreSQL) share: the score columns of
// forecast_scores and forecast_event_scores and the order the stores read them in. Engine-neutral:
// no database headers.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace patchcast::storage {

// A WindowScore's columns, each after the prefix of whose score it is ("forecast_" or "naive_"),
// in the order the stores read and write them. The last, steps, is an integer; the others are
// reals, NULL for NaN ("nothing to score").
inline constexpr std::array<std::string_view, 7> kScoreFields = {
    "peak_error",   "peak_timing_error_minutes",
    "mape",         "coverage_p50",
    "coverage_p90", "coverage_p99",
    "steps"};
inline constexpr int kScoreWidth = static_cast<int>(kScoreFields.size());

// The forecast's and seasonal naive's score columns, each prefixed with `alias` ("c." or "").
std::string ScoreColumns(std::string_view alias);

// The card columns the stores read, from table alias c: forecast_id, series_id, as_of,
// generated_at, scored_at, horizon_end, next_score_at, then ScoreColumns("c.").
const std::string& CardColumns();
inline constexpr int kCardScoresFrom = 7;  // the column ScoreColumns starts at

// The event columns the stores read, from table alias e: forecast_id (the card's), event_id,
// start, actual_peak, actual_peak_ts, then ScoreColumns("e.").
const std::string& EventColumns();
inline constexpr int kEventScoresFrom = 5;

}  // namespace patchcast::storage
