// InMemoryRunLog: forecasting::RunLog over a vector, for the scheduler's and the routes' tests.
// Every series exists unless listed in `missing_series`. Thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "forecasting/run_log.h"

namespace patchcast::testing {

class InMemoryRunLog : public forecasting::RunLog {
 public:
  Result<std::int64_t> Append(const forecasting::RunRecord& run) override {
    std::lock_guard lock(mutex_);
    if (missing_series.contains(run.series_id)) {
      return NotFound("series '" + run.series_id + "' does not exist");
    }
    runs_.push_back(run);
    runs_.back().id = static_cast<std::int64_t>(runs_.size());
    return runs_.back().id;
  }

  Result<std::vector<forecasting::RunRecord>> List(std::string_view series_id,
                                                   std::chrono::sys_seconds from,
                                                   std::chrono::sys_seconds to,
                                                   std::size_t limit) const override {
    std::lock_guard lock(mutex_);
    std::vector<forecasting::RunRecord> listed;
    for (auto run = runs_.rbegin(); run != runs_.rend() && listed.size() < limit; ++run) {
      if (run->series_id == series_id && run->started >= from && run->started < to) {
        listed.push_back(*run);
      }
    }
    return listed;
  }

  Result<std::optional<forecasting::RunRecord>> Latest(std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    for (auto run = runs_.rbegin(); run != runs_.rend(); ++run) {
      if (run->series_id == series_id) return std::optional<forecasting::RunRecord>(*run);
    }
    return std::optional<forecasting::RunRecord>();
  }

  Result<std::vector<forecasting::RunTally>> Tallies() const override {
    std::lock_guard lock(mutex_);
    std::map<std::tuple<std::string, forecasting::RunTrigger, forecasting::RunStatus>,
             std::uint64_t>
        counts;
    for (const auto& run : runs_) ++counts[{run.series_id, run.trigger, run.status}];
    std::vector<forecasting::RunTally> tallies;
    for (const auto& [key, count] : counts) {
      tallies.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
    }
    return tallies;
  }

  Result<std::vector<forecasting::LastSuccess>> LastSuccesses() const override {
    std::lock_guard lock(mutex_);
    std::map<std::string, std::chrono::sys_seconds> last;
    for (const auto& run : runs_) {
      if (run.status != forecasting::RunStatus::kOk) continue;
      auto [it, added] = last.emplace(run.series_id, run.finished);
      if (!added) it->second = std::max(it->second, run.finished);
    }
    std::vector<forecasting::LastSuccess> successes;
    for (const auto& [series_id, finished] : last) successes.push_back({series_id, finished});
    return successes;
  }

  // Every run appended, oldest first.
  std::vector<forecasting::RunRecord> All() const {
    std::lock_guard lock(mutex_);
    return runs_;
  }

  std::set<std::string> missing_series;

 private:
  mutable std::mutex mutex_;
  std::vector<forecasting::RunRecord> runs_;
};

}  // namespace patchcast::testing
