#include "forecasting/surge_watch.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/enum_names.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::sys_seconds;

constexpr EnumNames<SurgeReason, 2> kReasonNames{{
    {SurgeReason::kAboveP99, "above_p99"},
    {SurgeReason::kOverP90Ratio, "over_p90_ratio"},
}};

// The index of `level` among the forecast's levels, or the highest level when it has not that one.
std::size_t LevelIndex(const Forecast& forecast, double level) {
  const auto& levels = forecast.quantile_levels;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (std::abs(levels[i] - level) < 1e-9) return i;
  }
  return levels.empty() ? 0 : levels.size() - 1;
}

struct Bounds {
  double p90 = 0;
  double p99 = 0;
};

// The forecast's p90 and p99 by step instant.
std::map<sys_seconds, Bounds> BoundsByStep(const Forecast& forecast) {
  const std::size_t p90 = LevelIndex(forecast, 0.9);
  const std::size_t p99 = LevelIndex(forecast, 0.99);
  std::map<sys_seconds, Bounds> bounds;
  for (const ForecastPoint& point : forecast.points) {
    if (point.quantiles.size() > std::max(p90, p99)) {
      bounds[point.ts] = {point.quantiles[p90], point.quantiles[p99]};
    }
  }
  return bounds;
}

// Walks the steps, opening an episode when the rule holds and closing it after a quiet run.
class EpisodeTracker {
 public:
  explicit EpisodeTracker(const SurgeRule& rule) : rule_(rule) {}

  void Step(sys_seconds at, double actual, const Bounds& bounds) {
    const double ratio = bounds.p90 > 0 ? actual / bounds.p90 : 0;
    above_run_ = actual > bounds.p99 ? above_run_ + 1 : 0;
    if (above_run_ == 1) run_peak_ = {at, std::nullopt, SurgeReason::kAboveP99, ratio, at};
    if (above_run_ > 0 && ratio > run_peak_.peak_ratio) {
      run_peak_.peak_ratio = ratio;
      run_peak_.peak_at = at;
    }
    if (open_) {
      Track(at, ratio);
      quiet_run_ = actual <= bounds.p90 ? quiet_run_ + 1 : 0;
      if (quiet_run_ >= rule_.steps_above_p99) Close(at);
      return;
    }
    if (bounds.p90 > 0 && ratio > rule_.p90_ratio) {
      Open({at, std::nullopt, SurgeReason::kOverP90Ratio, ratio, at});
    } else if (above_run_ >= rule_.steps_above_p99) {
      Open(run_peak_);  // from the run's first step, with its peak so far
    }
  }

  std::vector<SurgeEpisode> Episodes() && { return std::move(episodes_); }

 private:
  void Open(const SurgeEpisode& episode) {
    episodes_.push_back(episode);
    open_ = true;
    quiet_run_ = 0;
  }
  void Track(sys_seconds at, double ratio) {
    if (ratio > episodes_.back().peak_ratio) {
      episodes_.back().peak_ratio = ratio;
      episodes_.back().peak_at = at;
    }
  }
  void Close(sys_seconds at) {
    episodes_.back().ended = at;
    open_ = false;
    above_run_ = 0;
  }

  SurgeRule rule_;
  std::vector<SurgeEpisode> episodes_;
  bool open_ = false;
  int above_run_ = 0;
  int quiet_run_ = 0;
  SurgeEpisode run_peak_;  // the current run above p99: its first step and its peak
};

}  // namespace

std::string_view ToString(SurgeReason reason) { return NameOf(kReasonNames, reason); }

Result<SurgeReason> ParseSurgeReason(std::string_view text) {
  return ParseName(kReasonNames, "surge reason", text);
}

std::vector<SurgeEpisode> FindSurges(const ForecastRecord& forecast, const RegularSeries& actual,
                                     sys_seconds from, sys_seconds to, const SurgeRule& rule) {
  const std::map<sys_seconds, Bounds> bounds = BoundsByStep(forecast.forecast);
  EpisodeTracker tracker(rule);
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const sys_seconds at = actual.TimeAt(i);
    if (at < from || at >= to || RegularSeries::IsMissing(actual.values[i])) continue;
    const auto bound = bounds.find(at);
    if (bound == bounds.end()) continue;
    tracker.Step(at, actual.values[i], bound->second);
  }
  return std::move(tracker).Episodes();
}

}  // namespace patchcast::forecasting
