#include "forecasting/forecast_accuracy.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <ratio>

#include "calendars/time_text.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kLevelTolerance = 1e-9;

// Where a forecast's quantiles hold the scored levels; nullopt for a level it lacks.
struct LevelIndices {
  std::optional<std::size_t> line;  // the median line (see LineLevel)
  std::optional<std::size_t> p50;
  std::optional<std::size_t> p90;
  std::optional<std::size_t> p99;
};

// One method's forecast for one step: its median line and the quantiles whose coverage is scored
// (NaN where the method lacks the level).
struct StepForecast {
  double line = kNaN;
  double p50 = kNaN;
  double p90 = kNaN;
  double p99 = kNaN;
};

// The forecast's steps, what happened on them and both methods' forecasts, index for index.
struct Horizon {
  std::vector<sys_seconds> ts;
  std::vector<double> actual;  // NaN where no point is stored
  std::vector<StepForecast> forecast;
  std::vector<StepForecast> naive;
};

// Steps [from, to) of a Horizon.
struct Range {
  std::size_t from = 0;
  std::size_t to = 0;
};

struct Peak {
  double value = kNaN;
  sys_seconds ts{};
};

std::optional<std::size_t> FindLevel(std::span<const double> levels, double level) {
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (std::abs(levels[i] - level) <= kLevelTolerance) return i;
  }
  return std::nullopt;
}

// The line scored as the median: 0.5, else the lowest level above it (levels ascend), the nearest
// line that still errs on the side of capacity; with every level below 0.5, the highest.
std::optional<std::size_t> LineLevel(std::span<const double> levels) {
  if (levels.empty()) return std::nullopt;
  const auto above = std::lower_bound(levels.begin(), levels.end(), 0.5 - kLevelTolerance);
  if (above == levels.end()) return levels.size() - 1;
  return static_cast<std::size_t>(above - levels.begin());
}

LevelIndices ResolveLevels(std::span<const double> levels) {
  return {LineLevel(levels), FindLevel(levels, 0.5), FindLevel(levels, 0.9),
          FindLevel(levels, 0.99)};
}

double QuantileAt(std::span<const double> quantiles, std::optional<std::size_t> index) {
  return index && *index < quantiles.size() ? quantiles[*index] : kNaN;
}

StepForecast ForecastAt(const ForecastPoint& point, const LevelIndices& levels) {
  return {QuantileAt(point.quantiles, levels.line), QuantileAt(point.quantiles, levels.p50),
          QuantileAt(point.quantiles, levels.p90), QuantileAt(point.quantiles, levels.p99)};
}

// Seasonal naive is a point forecast: its value stands for every level, so its coverage is the
// share of steps at or below it.
StepForecast PointForecast(double value) { return {value, value, value, value}; }

// The value of the step starting at `t`; NaN off the series or off its grid.
double ValueAt(const RegularSeries& series, sys_seconds t) {
  if (series.step <= seconds{0} || t < series.start || t >= series.end()) return kNaN;
  const seconds offset = t - series.start;
  if (offset % series.step != seconds{0}) return kNaN;
  return series.values[static_cast<std::size_t>(offset / series.step)];
}

// Seasonal naive at `t`: the value the fewest whole weeks before t whose step ends by as_of, as
// ForecastDemand learns only from such steps; further weeks back over gaps. NaN when none is known.
double NaiveValue(const RegularSeries& actual, sys_seconds t, sys_seconds as_of) {
  const auto first_lag = std::chrono::ceil<std::chrono::weeks>(t + actual.step - as_of);
  const auto lag = std::max(first_lag, std::chrono::weeks{1});
  for (sys_seconds source = t - lag; source >= actual.start; source -= std::chrono::weeks{1}) {
    const double value = ValueAt(actual, source);
    if (!RegularSeries::IsMissing(value)) return value;
  }
  return kNaN;
}

Horizon LayOutHorizon(const ForecastRecord& record, const RegularSeries& actual,
                      const LevelIndices& levels) {
  Horizon horizon;
  for (const ForecastPoint& point : record.forecast.points) {
    horizon.ts.push_back(point.ts);
    horizon.actual.push_back(ValueAt(actual, point.ts));
    horizon.forecast.push_back(ForecastAt(point, levels));
    horizon.naive.push_back(PointForecast(NaiveValue(actual, point.ts, record.as_of)));
  }
  return horizon;
}

// The largest known value of `values` over `range`, at its earliest step.
template <typename Value>
Peak PeakOf(const Horizon& horizon, Range range, Value value) {
  Peak peak;
  for (std::size_t k = range.from; k < range.to; ++k) {
    const double v = value(k);
    if (!std::isnan(v) && (std::isnan(peak.value) || v > peak.value)) peak = {v, horizon.ts[k]};
  }
  return peak;
}

Peak ActualPeak(const Horizon& horizon, Range range) {
  return PeakOf(horizon, range, [&](std::size_t k) { return horizon.actual[k]; });
}

Peak LinePeak(const Horizon& horizon, const std::vector<StepForecast>& method, Range range) {
  return PeakOf(horizon, range, [&](std::size_t k) { return method[k].line; });
}

// Steps at or below one quantile among the steps where both it and the actual are known.
struct Coverage {
  std::size_t covered = 0;
  std::size_t known = 0;

  void Add(double actual, double quantile) {
    if (std::isnan(quantile)) return;
    ++known;
    if (actual <= quantile) ++covered;
  }
  double Share() const {
    return known > 0 ? static_cast<double>(covered) / static_cast<double>(known) : kNaN;
  }
};

// MAPE, coverages and steps over the steps of `range` with an actual and a line value.
WindowScore ScoreSteps(const Horizon& horizon, const std::vector<StepForecast>& method,
                       Range range) {
  double ape_sum = 0;
  std::size_t ape_steps = 0;
  Coverage p50, p90, p99;
  WindowScore score;
  for (std::size_t k = range.from; k < range.to; ++k) {
    const double actual = horizon.actual[k];
    const StepForecast& forecast = method[k];
    if (std::isnan(actual) || std::isnan(forecast.line)) continue;
    ++score.steps;
    if (actual > 0) {
      ape_sum += std::abs(forecast.line - actual) / actual;
      ++ape_steps;
    }
    p50.Add(actual, forecast.p50);
    p90.Add(actual, forecast.p90);
    p99.Add(actual, forecast.p99);
  }
  if (ape_steps > 0) score.mape = ape_sum / static_cast<double>(ape_steps);
  score.coverage_p50 = p50.Share();
  score.coverage_p90 = p90.Share();
  score.coverage_p99 = p99.Share();
  return score;
}

void ScorePeak(const Peak& forecast, const Peak& actual, WindowScore& score) {
  if (std::isnan(forecast.value) || std::isnan(actual.value)) return;
  if (actual.value > 0) score.peak_error = (forecast.value - actual.value) / actual.value;
  score.peak_timing_error_minutes =
      std::chrono::duration<double, std::ratio<60>>(forecast.ts - actual.ts).count();
}

// `method` on `range`; its peak is `method_peak` when given, else the top of its line there.
WindowScore ScoreWindow(const Horizon& horizon, const std::vector<StepForecast>& method,
                        Range range, const std::optional<Peak>& method_peak) {
  WindowScore score = ScoreSteps(horizon, method, range);
  if (score.steps == 0) return score;
  ScorePeak(method_peak.value_or(LinePeak(horizon, method, range)), ActualPeak(horizon, range),
            score);
  return score;
}

// The steps that meet [start, end): a start between grid steps brings in the step containing it,
// as ForecastDemand places an event on that step.
Range StepsMeeting(const Horizon& horizon, sys_seconds start, sys_seconds end, seconds step) {
  const auto first = std::upper_bound(horizon.ts.begin(), horizon.ts.end(), start - step);
  const auto last = std::lower_bound(first, horizon.ts.end(), end);
  return {static_cast<std::size_t>(first - horizon.ts.begin()),
          static_cast<std::size_t>(last - horizon.ts.begin())};
}

// The event's own p50 peak, when the forecast gave one.
std::optional<Peak> EventPeak(const EventForecast& event, std::optional<std::size_t> line) {
  const double value = QuantileAt(event.peak.quantiles, line);
  if (std::isnan(value)) return std::nullopt;
  return Peak{value, event.peak.ts};
}

// The end (exclusive) of the event's scored window: kEventScoreWindow, cut at the horizon's end.
sys_seconds EventWindowEnd(const EventForecast& event, sys_seconds horizon_end, seconds step) {
  return std::min(event.start + kEventScoreWindow, horizon_end + step);
}

bool OnHorizon(const EventForecast& event, const std::vector<ForecastPoint>& points) {
  return !points.empty() && event.start >= points.front().ts && event.start <= points.back().ts;
}

// The last of the forecast's points before `end`; the first point when none is.
sys_seconds LastPointBefore(const std::vector<ForecastPoint>& points, sys_seconds end) {
  const auto after =
      std::lower_bound(points.begin(), points.end(), end,
                       [](const ForecastPoint& point, sys_seconds t) { return point.ts < t; });
  return after == points.begin() ? points.front().ts : std::prev(after)->ts;
}

EventAccuracy ScoreEvent(const EventForecast& event, const Horizon& horizon, seconds step,
                         std::optional<std::size_t> line) {
  const Range range =
      StepsMeeting(horizon, event.start, EventWindowEnd(event, horizon.ts.back(), step), step);
  const Peak actual = ActualPeak(horizon, range);
  EventAccuracy accuracy;
  accuracy.event_id = event.id;
  accuracy.start = event.start;
  accuracy.actual_peak = actual.value;
  accuracy.actual_peak_ts = actual.ts;
  accuracy.forecast = ScoreWindow(horizon, horizon.forecast, range, EventPeak(event, line));
  accuracy.seasonal_naive = ScoreWindow(horizon, horizon.naive, range, std::nullopt);
  return accuracy;
}

// The events on the horizon whose window's last step is before `covered_end`, by start.
std::vector<EventAccuracy> ScoreEvents(const ForecastRecord& record, const Horizon& horizon,
                                       std::optional<std::size_t> line, sys_seconds covered_end) {
  std::vector<EventAccuracy> events;
  const auto& points = record.forecast.points;
  for (const EventForecast& event : record.forecast.events) {
    if (!OnHorizon(event, points)) continue;
    const sys_seconds window_end = EventWindowEnd(event, points.back().ts, record.step);
    if (LastPointBefore(points, window_end) >= covered_end) continue;
    events.push_back(ScoreEvent(event, horizon, record.step, line));
  }
  std::stable_sort(
      events.begin(), events.end(),
      [](const EventAccuracy& a, const EventAccuracy& b) { return a.start < b.start; });
  return events;
}

std::string NotReachedMessage(const ForecastRecord& record, const RegularSeries& actual,
                              sys_seconds first_milestone) {
  const std::string points =
      actual.empty() ? "there are none"
                     : "they end at " + calendars::FormatUtcDateTime(actual.end() - actual.step);
  return "the points do not reach the end of forecast '" + record.id +
         "''s first window to score yet (" + points + "; the window ends at " +
         calendars::FormatUtcDateTime(first_milestone) + ")";
}

Status CheckStep(const ForecastRecord& record, const RegularSeries& actual) {
  if (actual.step == record.step) return {};
  return InvalidArgument("the points' step of " + std::to_string(actual.step.count()) +
                         " s is not forecast '" + record.id + "''s step of " +
                         std::to_string(record.step.count()) + " s");
}

// The first milestone whose step `actual` does not hold, even as a gap; none when it holds all.
std::optional<sys_seconds> FirstUncovered(std::span<const sys_seconds> milestones,
                                          const RegularSeries& actual) {
  for (sys_seconds milestone : milestones) {
    if (milestone >= actual.end()) return milestone;
  }
  return std::nullopt;
}

ForecastScorecard CardFor(const ForecastRecord& record, sys_seconds scored_at) {
  ForecastScorecard card;
  card.forecast_id = record.id;
  card.series_id = record.series_id;
  card.as_of = record.as_of;
  card.generated_at = record.generated_at;
  card.scored_at = scored_at;
  card.horizon_end = HorizonEnd(record);
  return card;
}

// The scores a summary pools: each item's forecast with its seasonal naive on the same window.
// Items with no step scored (a partial card's horizon, a forecast that could never be scored) are
// left out, so they do not count as scored.
struct PooledScores {
  std::vector<const WindowScore*> forecast;
  std::vector<const WindowScore*> naive;

  void Add(const WindowScore& forecast_score, const WindowScore& naive_score) {
    if (forecast_score.steps == 0) return;
    forecast.push_back(&forecast_score);
    naive.push_back(&naive_score);
  }
};

double MedianOfAbsolute(const std::vector<const WindowScore*>& scores,
                        double WindowScore::*member) {
  std::vector<double> known;
  for (const WindowScore* score : scores) {
    if (!std::isnan(score->*member)) known.push_back(std::abs(score->*member));
  }
  return known.empty() ? kNaN : MedianInPlace(known);
}

// Each item's coverage weighted by its steps: the share of all the steps pooled.
double PooledCoverage(const std::vector<const WindowScore*>& scores, double WindowScore::*member) {
  double covered = 0;
  double steps = 0;
  for (const WindowScore* score : scores) {
    if (std::isnan(score->*member)) continue;
    covered += score->*member * static_cast<double>(score->steps);
    steps += static_cast<double>(score->steps);
  }
  return steps > 0 ? covered / steps : kNaN;
}

// Items without both MAPEs count as not beating seasonal naive.
double BeatsSeasonalNaive(const PooledScores& scores) {
  if (scores.forecast.empty()) return kNaN;
  std::size_t wins = 0;
  for (std::size_t i = 0; i < scores.forecast.size(); ++i) {
    if (scores.forecast[i]->mape < scores.naive[i]->mape) ++wins;  // false when either is NaN
  }
  return static_cast<double>(wins) / static_cast<double>(scores.forecast.size());
}

AccuracySummary Summarize(const PooledScores& scores) {
  AccuracySummary summary;
  summary.scored = scores.forecast.size();
  summary.median_abs_peak_error = MedianOfAbsolute(scores.forecast, &WindowScore::peak_error);
  summary.median_abs_peak_timing_error_minutes =
      MedianOfAbsolute(scores.forecast, &WindowScore::peak_timing_error_minutes);
  summary.median_mape = MedianOfAbsolute(scores.forecast, &WindowScore::mape);
  summary.coverage_p50 = PooledCoverage(scores.forecast, &WindowScore::coverage_p50);
  summary.coverage_p90 = PooledCoverage(scores.forecast, &WindowScore::coverage_p90);
  summary.coverage_p99 = PooledCoverage(scores.forecast, &WindowScore::coverage_p99);
  summary.seasonal_naive_median_mape = MedianOfAbsolute(scores.naive, &WindowScore::mape);
  summary.beats_seasonal_naive = BeatsSeasonalNaive(scores);
  return summary;
}

// Whether a forecast generated at `candidate` was in force at `start` rather than one generated at
// `chosen`: the last generated at or before the start wins, else the earliest after it.
bool MoreInForce(sys_seconds candidate, sys_seconds chosen, sys_seconds start) {
  const bool candidate_before = candidate <= start;
  if (candidate_before != (chosen <= start)) return candidate_before;
  return candidate_before ? candidate > chosen : candidate < chosen;
}

}  // namespace

std::chrono::sys_seconds HorizonEnd(const ForecastRecord& record) {
  const auto& points = record.forecast.points;
  return points.empty() ? record.as_of : points.back().ts;
}

std::vector<std::chrono::sys_seconds> ScoringMilestones(const ForecastRecord& record) {
  const auto& points = record.forecast.points;
  if (points.empty()) return {record.as_of};
  std::vector<sys_seconds> milestones;
  for (const EventForecast& event : record.forecast.events) {
    if (!OnHorizon(event, points)) continue;
    milestones.push_back(
        LastPointBefore(points, EventWindowEnd(event, points.back().ts, record.step)));
  }
  milestones.push_back(points.back().ts);
  std::sort(milestones.begin(), milestones.end());
  milestones.erase(std::unique(milestones.begin(), milestones.end()), milestones.end());
  return milestones;
}

Result<ForecastScorecard> ScoreForecast(const ForecastRecord& record, const RegularSeries& actual,
                                        std::chrono::sys_seconds scored_at) {
  if (Status checked = CheckStep(record, actual); !checked) return checked.error();
  const std::vector<sys_seconds> milestones = ScoringMilestones(record);
  // The last point's step must be there, even if it holds no value (a gap is not scored).
  const std::optional<sys_seconds> next = FirstUncovered(milestones, actual);
  if (next == milestones.front()) {
    return Unprocessable(NotReachedMessage(record, actual, milestones.front()));
  }
  ForecastScorecard card = CardFor(record, scored_at);
  card.next_score_at = next;
  if (record.forecast.points.empty()) return card;
  const LevelIndices levels = ResolveLevels(record.forecast.quantile_levels);
  const Horizon horizon = LayOutHorizon(record, actual, levels);
  if (card.complete()) {
    const Range whole{0, horizon.ts.size()};
    card.forecast = ScoreWindow(horizon, horizon.forecast, whole, std::nullopt);
    card.seasonal_naive = ScoreWindow(horizon, horizon.naive, whole, std::nullopt);
  }
  card.events = ScoreEvents(record, horizon, levels.line, actual.end());
  return card;
}

AccuracySummary SummarizeRecent(std::span<const ForecastScorecard> cards,
                                std::chrono::sys_seconds now, std::chrono::seconds span) {
  PooledScores scores;
  for (const ForecastScorecard& card : cards) {
    if (card.horizon_end > now - span && card.horizon_end <= now) {
      scores.Add(card.forecast, card.seasonal_naive);
    }
  }
  return Summarize(scores);
}

std::vector<EventAccuracy> EventsInForce(std::span<const ForecastScorecard> cards) {
  struct Choice {
    const EventAccuracy* event;
    sys_seconds generated_at;
  };
  std::map<std::string, Choice> chosen;
  for (const ForecastScorecard& card : cards) {
    for (const EventAccuracy& event : card.events) {
      auto [it, added] = chosen.try_emplace(event.event_id, Choice{&event, card.generated_at});
      if (!added && MoreInForce(card.generated_at, it->second.generated_at, event.start)) {
        it->second = {&event, card.generated_at};
      }
    }
  }
  std::vector<EventAccuracy> events;
  for (const auto& [id, choice] : chosen) events.push_back(*choice.event);
  std::stable_sort(
      events.begin(), events.end(),
      [](const EventAccuracy& a, const EventAccuracy& b) { return a.start < b.start; });
  return events;
}

AccuracySummary SummarizeLastEvents(std::span<const ForecastScorecard> cards, std::size_t count) {
  const std::vector<EventAccuracy> events = EventsInForce(cards);
  PooledScores scores;
  for (std::size_t i = events.size() - std::min(count, events.size()); i < events.size(); ++i) {
    scores.Add(events[i].forecast, events[i].seasonal_naive);
  }
  return Summarize(scores);
}

}  // namespace patchcast::forecasting
