// InMemorySurgeAlertLog: forecasting::SurgeAlertLog over a map, for the scheduler's and the
// routes' tests. Every series exists unless listed in `missing_series`. Thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "forecasting/surge_alert_log.h"

namespace patchcast::testing {

class InMemorySurgeAlertLog : public forecasting::SurgeAlertLog {
 public:
  Status Record(const forecasting::SurgeAlert& alert) override {
    std::lock_guard lock(mutex_);
    if (missing_series.contains(alert.series_id)) {
      return NotFound("series '" + alert.series_id + "' does not exist");
    }
    alerts_[{alert.series_id, alert.event_id, alert.episode.started}] = alert;
    return {};
  }

  Result<std::vector<forecasting::SurgeAlert>> List(std::string_view series_id,
                                                    std::chrono::sys_seconds from,
                                                    std::chrono::sys_seconds to,
                                                    std::size_t limit) const override {
    std::lock_guard lock(mutex_);
    std::vector<forecasting::SurgeAlert> listed;
    for (const auto& [key, alert] : alerts_) {
      if (alert.series_id == series_id && alert.episode.started >= from &&
          alert.episode.started < to) {
        listed.push_back(alert);
      }
    }
    std::sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) {
      return std::tie(a.episode.started, a.event_id) > std::tie(b.episode.started, b.event_id);
    });
    if (listed.size() > limit) listed.resize(limit);
    return listed;
  }

  Result<std::vector<forecasting::SurgeState>> States() const override {
    std::lock_guard lock(mutex_);
    std::map<std::string, bool> open;
    for (const auto& [key, alert] : alerts_) {
      open[alert.series_id] = open[alert.series_id] || !alert.episode.ended;
    }
    std::vector<forecasting::SurgeState> states;
    for (const auto& [series_id, above] : open) states.push_back({series_id, above});
    return states;
  }

  std::set<std::string> missing_series;

 private:
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, std::chrono::sys_seconds>, forecasting::SurgeAlert>
      alerts_;
};

}  // namespace patchcast::testing
