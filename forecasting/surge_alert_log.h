// SurgeAlertLog: the storage port for surges above forecast (surge_watch.h, issue 15): each
// episode with the series, the release and the forecast it was compared with. GET
// /v1/series/{id}/alerts lists them and /metrics raises patchcast_surge_above_forecast while one is
// open.
//
// Implementations must be thread-safe; Record is durable when it returns success.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/surge_watch.h"

namespace patchcast::forecasting {

struct SurgeAlert {
  std::string series_id;
  std::string event_id;     // the release under way
  std::string forecast_id;  // the forecast in force when it began
  SurgeEpisode episode;

  friend bool operator==(const SurgeAlert&, const SurgeAlert&) = default;
};

// The series that have a surge alert, and whether one is open now.
struct SurgeState {
  std::string series_id;
  bool above_forecast = false;

  friend bool operator==(const SurgeState&, const SurgeState&) = default;
};

class SurgeAlertLog {
 public:
  virtual ~SurgeAlertLog() = default;

  // Records `alert`, or updates the one of the same series, event and episode start (its end,
  // peak and reason). Errors: kNotFound "series 'x' does not exist"; store errors.
  virtual Status Record(const SurgeAlert& alert) = 0;

  // The series' alerts whose episode started in [from, to), newest first, at most `limit`.
  // Errors: store errors.
  virtual Result<std::vector<SurgeAlert>> List(std::string_view series_id,
                                               std::chrono::sys_seconds from,
                                               std::chrono::sys_seconds to,
                                               std::size_t limit) const = 0;

  // Every series with an alert, by series id; above_forecast when one has no end. Errors: store
  // errors.
  virtual Result<std::vector<SurgeState>> States() const = 0;
};

}  // namespace patchcast::forecasting
