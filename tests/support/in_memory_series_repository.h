// InMemorySeriesRepository: forecasting::SeriesRepository over std::map, for api tests. It keeps
// the contract of series_repository.h (atomic writes, NaN gaps, totals) in the simplest way.
// Thread-safe.
#pragma once

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <string>

#include "forecasting/series_repository.h"

namespace patchcast::testing {

class InMemorySeriesRepository : public forecasting::SeriesRepository {
 public:
  Result<std::vector<forecasting::SeriesSummary>> ListSeries(
      std::string_view id_prefix) const override {
    std::lock_guard lock(mutex_);
    std::vector<forecasting::SeriesSummary> listed;
    for (const auto& [id, entry] : series_) {
      if (id.starts_with(id_prefix)) listed.push_back(Summary(entry));
    }
    return listed;
  }
  Result<forecasting::SeriesSummary> GetSeries(std::string_view id) const override {
    std::lock_guard lock(mutex_);
    auto it = series_.find(std::string(id));
    if (it == series_.end()) return NotFound("series '" + std::string(id) + "' does not exist");
    return Summary(it->second);
  }
  Result<bool> PutSeries(const forecasting::SeriesMetadata& metadata) override {
    std::lock_guard lock(mutex_);
    auto [it, created] = series_.try_emplace(metadata.id, Entry{metadata, {}});
    if (!created) {
      auto step =
          metadata.step_seconds.count() ? metadata.step_seconds : it->second.metadata.step_seconds;
      if (step != it->second.metadata.step_seconds && !it->second.points.empty()) {
        return Conflict("step cannot change");
      }
      it->second.metadata = metadata;
      it->second.metadata.step_seconds = step;
    }
    return created;
  }
  Status DeleteSeries(std::string_view id) override {
    std::lock_guard lock(mutex_);
    if (series_.erase(std::string(id)) == 0) return NotFound("no such series");
    return {};
  }
  Result<forecasting::WriteOutcome> WritePoints(const forecasting::SeriesMetadata& series,
                                                std::span<const forecasting::Point> points,
                                                forecasting::OnConflict on_conflict) override {
    std::lock_guard lock(mutex_);
    auto [it, created] = series_.try_emplace(series.id, Entry{series, {}});
    Entry& entry = it->second;
    if (!created && entry.metadata.step_seconds.count() != 0 &&
        entry.metadata.step_seconds != series.step_seconds) {
      return Conflict("other grid");
    }
    forecasting::WriteOutcome outcome;
    for (const auto& point : points) {
      if (entry.points.count(point.ts)) {
        ++outcome.replaced;
        if (on_conflict == forecasting::OnConflict::kReject) return Conflict("exists");
      }
    }
    entry.metadata.step_seconds = series.step_seconds;
    for (const auto& point : points) entry.points[point.ts] = point.value;
    outcome.accepted = points.size();
    return outcome;
  }
  Result<forecasting::RegularSeries> ReadRange(std::string_view id, std::chrono::sys_seconds from,
                                               std::chrono::sys_seconds to,
                                               std::size_t max_steps) const override {
    std::lock_guard lock(mutex_);
    auto it = series_.find(std::string(id));
    if (it == series_.end()) return NotFound("series '" + std::string(id) + "' does not exist");
    const auto step = it->second.metadata.step_seconds;
    const std::chrono::sys_seconds start{from.time_since_epoch() / step * step};
    forecasting::RegularSeries out{start, step, {}};
    for (auto t = start; t < to; t += step) {
      if (out.values.size() >= max_steps) return InvalidArgument("too many steps");
      auto found = it->second.points.find(t);
      out.values.push_back(found == it->second.points.end() ? forecasting::kMissing
                                                            : found->second);
    }
    return out;
  }
  Result<std::uint64_t> DeletePoints(std::string_view id, std::chrono::sys_seconds from,
                                     std::chrono::sys_seconds to) override {
    std::lock_guard lock(mutex_);
    auto it = series_.find(std::string(id));
    if (it == series_.end()) return NotFound("no such series");
    auto& points = it->second.points;
    return static_cast<std::uint64_t>(
        std::erase_if(points, [&](const auto& p) { return p.first >= from && p.first < to; }));
  }

 private:
  struct Entry {
    forecasting::SeriesMetadata metadata;
    std::map<std::chrono::sys_seconds, double> points;
  };
  static forecasting::SeriesSummary Summary(const Entry& entry) {
    forecasting::SeriesSummary summary{entry.metadata, entry.points.size(), {}, {}};
    if (!entry.points.empty()) {
      summary.first = entry.points.begin()->first;
      summary.last = entry.points.rbegin()->first;
    }
    return summary;
  }
  mutable std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> series_;
};

}  // namespace patchcast::testing
