#include "server/storage/scorecard_rows.h"

namespace patchcast::storage {

std::string ScoreColumns(std::string_view alias) {
  std::string columns;
  for (std::string_view prefix : {"forecast_", "naive_"}) {
    for (std::string_view field : kScoreFields) {
      if (!columns.empty()) columns += ", ";
      columns.append(alias).append(prefix).append(field);
    }
  }
  return columns;
}

const std::string& CardColumns() {
  static const std::string columns =
      "c.forecast_id, c.series_id, c.as_of, c.generated_at, c.scored_at, c.horizon_end, "
      "c.next_score_at, " +
      ScoreColumns("c.");
  return columns;
}

const std::string& EventColumns() {
  static const std::string columns =
      "e.forecast_id, e.event_id, e.start, e.actual_peak, e.actual_peak_ts, " + ScoreColumns("e.");
  return columns;
}

}  // namespace patchcast::storage
