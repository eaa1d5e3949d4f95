// VerifyCopy (database_copy.h): both databases read back and compared, port by port.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "calendars/time_text.h"
#include "server/database_copy.h"
#include "server/stored_history.h"

namespace patchcast::server {
namespace {

using forecasting::RegularSeries;
using forecasting::SeriesSummary;

Error Differs(const std::string& what) { return Internal("the copy differs: " + what); }

// Reads the same thing from both databases and compares it with `same`; `what` names it in the
// error.
template <typename Read, typename Same = std::equal_to<>>
Status Compare(const std::string& what, const Read& read, const StorageEngine& from,
               const StorageEngine& to, const Same& same = {}) {
  auto source = read(from);
  if (!source) return source.error();
  auto target = read(to);
  if (!target) return target.error();
  if (!same(*source, *target)) {
    return Differs(what + " are not the same in the source and the target");
  }
  return {};
}

// Scores hold NaN for what had nothing to score, which must equal NaN here.
bool SameNumber(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

bool SameScore(const forecasting::WindowScore& a, const forecasting::WindowScore& b) {
  return SameNumber(a.peak_error, b.peak_error) &&
         SameNumber(a.peak_timing_error_minutes, b.peak_timing_error_minutes) &&
         SameNumber(a.mape, b.mape) && SameNumber(a.coverage_p50, b.coverage_p50) &&
         SameNumber(a.coverage_p90, b.coverage_p90) && SameNumber(a.coverage_p99, b.coverage_p99) &&
         a.steps == b.steps;
}

bool SameEvent(const forecasting::EventAccuracy& a, const forecasting::EventAccuracy& b) {
  return a.event_id == b.event_id && a.start == b.start &&
         SameNumber(a.actual_peak, b.actual_peak) && a.actual_peak_ts == b.actual_peak_ts &&
         SameScore(a.forecast, b.forecast) && SameScore(a.seasonal_naive, b.seasonal_naive);
}

bool SameCard(const forecasting::ForecastScorecard& a, const forecasting::ForecastScorecard& b) {
  return a.forecast_id == b.forecast_id && a.series_id == b.series_id && a.as_of == b.as_of &&
         a.generated_at == b.generated_at && a.scored_at == b.scored_at &&
         a.horizon_end == b.horizon_end && a.next_score_at == b.next_score_at &&
         SameScore(a.forecast, b.forecast) && SameScore(a.seasonal_naive, b.seasonal_naive) &&
         std::equal(a.events.begin(), a.events.end(), b.events.begin(), b.events.end(), SameEvent);
}

bool SameCards(const std::vector<forecasting::ForecastScorecard>& a,
               const std::vector<forecasting::ForecastScorecard>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), SameCard);
}

// Runs without their ids, which the target assigns anew.
Result<std::vector<forecasting::RunRecord>> RunsOf(const StorageEngine& engine,
                                                   const std::string& series_id) {
  auto runs = engine.runs->List(series_id, kEarliestKept, kLatestKept, kAllRows);
  if (!runs) return runs.error();
  for (forecasting::RunRecord& run : *runs) run.id = 0;
  return runs;
}

// Bit for bit, so that NaN (no point) equals NaN.
bool SameSteps(const RegularSeries& a, const RegularSeries& b) {
  if (a.start != b.start || a.step != b.step || a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::bit_cast<std::uint64_t>(a.values[i]) != std::bit_cast<std::uint64_t>(b.values[i])) {
      return false;
    }
  }
  return true;
}

Status ComparePoints(const StorageEngine& from, const StorageEngine& to,
                     const SeriesSummary& series) {
  const std::string& id = series.metadata.id;
  return ForEachPointWindow(*from.series, series, [&](const RegularSeries& source) -> Status {
    auto target = to.series->ReadRange(id, source.start, source.end(), kStepsPerWindow);
    if (!target) return target.error();
    if (!SameSteps(source, *target)) {
      return Differs("series '" + id + "' has other points from " +
                     calendars::FormatUtcDateTime(source.start));
    }
    return {};
  });
}

Status CompareSummary(const SeriesSummary& source, const StorageEngine& to) {
  const std::string& id = source.metadata.id;
  auto target = to.series->GetSeries(id);
  if (!target) return Differs("series '" + id + "': " + target.error().message);
  if (target->metadata != source.metadata) return Differs("series '" + id + "' has other metadata");
  if (target->point_count != source.point_count) {
    return Differs("series '" + id + "': " + std::to_string(source.point_count) +
                   " points in the source, " + std::to_string(target->point_count) +
                   " in the target");
  }
  return {};
}

Status CompareSeries(const StorageEngine& from, const StorageEngine& to,
                     const SeriesSummary& series) {
  const std::string& id = series.metadata.id;
  const std::string named = "series '" + id + "': ";
  if (Status same = CompareSummary(series, to); !same) return same;
  if (Status same = ComparePoints(from, to, series); !same) return same;
  // Each read lazily, so the first difference ends the comparison.
  const std::vector<std::function<Status()>> comparisons = {
      [&] {
        return Compare(
            named + "forecasts", [&](const StorageEngine& e) { return e.forecasts->ForSeries(id); },
            from, to);
      },
      [&] {
        return Compare(
            named + "plans", [&](const StorageEngine& e) { return e.plans->ForSeries(id); }, from,
            to);
      },
      [&] {
        return Compare(
            named + "scorecards",
            [&](const StorageEngine& e) {
              return e.scorecards->List(id, kEarliestKept, kLatestKept);
            },
            from, to, SameCards);
      },
      [&] {
        return Compare(
            named + "runs", [&](const StorageEngine& e) { return RunsOf(e, id); }, from, to);
      },
      [&] {
        return Compare(
            named + "surge alerts",
            [&](const StorageEngine& e) {
              return e.surges->List(id, kEarliestKept, kLatestKept, kAllRows);
            },
            from, to);
      },
  };
  for (const std::function<Status()>& compare : comparisons) {
    if (Status same = compare(); !same) return same;
  }
  return {};
}

Status CompareSettings(const StorageEngine& from, const StorageEngine& to) {
  for (std::string_view name :
       {forecasting::kRebootPriorSetting, forecasting::kCapacityModelSetting,
        forecasting::kScheduleSetting}) {
    Status same = Compare(
        "settings '" + std::string(name) + "'",
        [&](const StorageEngine& e) { return e.settings->List(name); }, from, to);
    if (!same) return same;
  }
  return {};
}

Status CompareCalendars(const StorageEngine& from, const StorageEngine& to) {
  auto source = from.calendars->Load();
  if (!source) return source.error();
  auto target = to.calendars->Load();
  if (!target) return target.error();
  if (source->definitions != target->definitions) return Differs("custom calendars");
  if (source->overrides != target->overrides) return Differs("calendar overrides");
  return {};
}

// The same series ids, in the same (sorted) order.
Status CompareSeriesIds(const std::vector<SeriesSummary>& source,
                        const std::vector<SeriesSummary>& target) {
  for (std::size_t i = 0; i < std::max(source.size(), target.size()); ++i) {
    if (i >= target.size()) return Differs("series '" + source[i].metadata.id + "' is missing");
    if (i >= source.size() || source[i].metadata.id != target[i].metadata.id) {
      return Differs("series '" + target[i].metadata.id + "' is not in the source");
    }
  }
  return {};
}

}  // namespace

Status VerifyCopy(const StorageEngine& from, const StorageEngine& to) {
  if (Status same = CompareCalendars(from, to); !same) return same;
  auto source = from.series->ListSeries("");
  if (!source) return source.error();
  auto target = to.series->ListSeries("");
  if (!target) return target.error();
  if (Status same = CompareSeriesIds(*source, *target); !same) return same;
  for (const SeriesSummary& series : *source) {
    if (Status same = CompareSeries(from, to, series); !same) return same;
  }
  return CompareSettings(from, to);
}

}  // namespace patchcast::server
