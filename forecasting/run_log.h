// RunLog: the storage port for the record of scheduled runs (issue 15): every forecast-and-plan
// run the scheduler makes, why (its trigger), when, and what came of it. GET
// /v1/series/{id}/runs lists it, /metrics counts it, and the scheduler reads a series' latest run
// to know what it has done already.
//
// Implementations must be thread-safe; Append is durable when it returns success.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/run_schedule.h"

namespace patchcast::forecasting {

enum class RunStatus : std::uint8_t {
  kOk,       // the forecast (and plan) were made and kept
  kFailed,   // something went wrong; `error` says what
  kSkipped,  // the series cannot be forecast yet (too little history); `error` says why
};

// "ok", "failed", "skipped".
std::string_view ToString(RunStatus status);

// The strict inverse of ToString; kInvalidArgument naming the text and the accepted names.
Result<RunStatus> ParseRunStatus(std::string_view text);

struct RunRecord {
  std::int64_t id = 0;  // assigned by Append, increasing
  std::string series_id;
  RunTrigger trigger = RunTrigger::kWeekly;
  std::chrono::sys_seconds trigger_at{};  // the instant of the trigger it ran for
  std::chrono::sys_seconds started{};
  std::chrono::sys_seconds finished{};
  RunStatus status = RunStatus::kOk;
  std::string forecast_id;  // the kept forecast; empty when none was made
  std::string plan_id;      // the kept plan; empty when none was made
  std::string error;        // why it failed or was skipped; empty when ok
  // The series' latest point when the run started, if it had any: an under-way run waits for
  // newer points than this.
  std::optional<std::chrono::sys_seconds> data_end;
  // EventsDigest (schedule_decision.h) of the series' calendars around `started`: an override
  // that changes those events changes the digest.
  std::string events_digest;

  friend bool operator==(const RunRecord&, const RunRecord&) = default;
};

// How many runs of one series ended how, for one trigger.
struct RunTally {
  std::string series_id;
  RunTrigger trigger = RunTrigger::kWeekly;
  RunStatus status = RunStatus::kOk;
  std::uint64_t count = 0;

  friend bool operator==(const RunTally&, const RunTally&) = default;
};

// A series' latest successful run.
struct LastSuccess {
  std::string series_id;
  std::chrono::sys_seconds finished{};

  friend bool operator==(const LastSuccess&, const LastSuccess&) = default;
};

// A log keeps at most this many runs of a series, dropping the oldest: more than a year of
// weekly, calendar and under-way runs.
inline constexpr std::size_t kRunsKeptPerSeries = 5000;

class RunLog {
 public:
  virtual ~RunLog() = default;

  // Records `run` (its id is ignored) and returns the id given to it. Errors: kNotFound "series
  // 'x' does not exist"; store errors.
  virtual Result<std::int64_t> Append(const RunRecord& run) = 0;

  // The series' runs that started in [from, to), newest first, at most `limit` of them. An
  // unknown series has none. Errors: store errors.
  virtual Result<std::vector<RunRecord>> List(std::string_view series_id,
                                              std::chrono::sys_seconds from,
                                              std::chrono::sys_seconds to,
                                              std::size_t limit) const = 0;

  // The series' latest run (the highest id), or nullopt. Errors: store errors.
  virtual Result<std::optional<RunRecord>> Latest(std::string_view series_id) const = 0;

  // Every series' runs counted by trigger and status, by series, trigger, status. Errors: store
  // errors.
  virtual Result<std::vector<RunTally>> Tallies() const = 0;

  // Every series' latest successful run, by series. Errors: store errors.
  virtual Result<std::vector<LastSuccess>> LastSuccesses() const = 0;
};

}  // namespace patchcast::forecasting
