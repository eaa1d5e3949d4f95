// ScheduleStore: the storage port for series' run schedules (run_schedule.h, issue 15): at most
// one per series, read by GET/PUT/DELETE /v1/series/{id}/schedule and by the scheduler, which
// lists them all. A schedule goes with its series when that is deleted.
//
// Implementations must be thread-safe; Put and Delete are durable when they return success.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/run_schedule.h"

namespace patchcast::forecasting {

struct StoredSchedule {
  std::string series_id;
  RunSchedule schedule;
  // When it was last put: triggers before this instant are not the schedule's to run.
  std::chrono::sys_seconds updated_at{};

  friend bool operator==(const StoredSchedule&, const StoredSchedule&) = default;
};

class ScheduleStore {
 public:
  virtual ~ScheduleStore() = default;

  // Stores `stored`, replacing the series' schedule. Errors: kNotFound "series 'x' does not
  // exist"; store errors.
  virtual Status Put(const StoredSchedule& stored) = 0;

  // The series' schedule, or nullopt when it has none. Errors: store errors.
  virtual Result<std::optional<StoredSchedule>> Get(std::string_view series_id) const = 0;

  // Deletes the series' schedule; returns whether it had one. Errors: store errors.
  virtual Result<bool> Delete(std::string_view series_id) = 0;

  // Every series' schedule, by series id. Errors: store errors.
  virtual Result<std::vector<StoredSchedule>> List() const = 0;
};

}  // namespace patchcast::forecasting
