// In-memory stand-ins for the ports api/ talks through: an authenticator over a token table, a
// storage whose status a test sets, a calendar repository that can be made to fail, and a metrics
// source with fixed text.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/authenticator.h"
#include "api/metrics_source.h"
#include "forecasting/calendar_repository.h"
#include "forecasting/storage.h"

namespace patchcast::testing {

class FakeAuthenticator : public api::Authenticator {
 public:
  // An empty table behaves as a service without keys.
  std::map<std::string, api::Principal> keys;

  bool enabled() const override { return !keys.empty(); }
  std::optional<api::Principal> Authenticate(std::string_view token) const override {
    auto it = keys.find(std::string(token));
    if (it == keys.end()) return std::nullopt;
    return it->second;
  }
};

class FakeStorage : public Storage {
 public:
  Result<StorageStatus> status = StorageStatus{1, 1, 4096};
  std::vector<BackupInfo> backups;

  Result<StorageStatus> Status() const override { return status; }
  Result<BackupInfo> CreateBackup(Instant, std::string_view label) override {
    backups.push_back({"backup-" + std::string(label) + ".db", 100});
    return backups.back();
  }
  Result<std::vector<BackupInfo>> ListBackups() const override { return backups; }
};

// Keeps definitions and overrides in memory, in insertion order. Thread-safe. Set `fail_writes` to
// make every write fail with that error (and change nothing), as a full disk would.
class InMemoryCalendarRepository : public forecasting::CalendarRepository {
 public:
  std::optional<Error> fail_writes;

  Result<forecasting::StoredCalendars> Load() const override {
    std::lock_guard lock(mutex_);
    return stored_;
  }
  Status InsertCalendar(const calendars::CustomCalendarDefinition& definition) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    for (const auto& existing : stored_.definitions) {
      if (existing.id == definition.id) return Conflict("calendar exists");
    }
    stored_.definitions.push_back(definition);
    return {};
  }
  Status DeleteCalendar(std::string_view id) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    auto& definitions = stored_.definitions;
    const auto removed = std::erase_if(definitions, [id](const auto& d) { return d.id == id; });
    if (removed == 0) return NotFound("no such calendar");
    std::erase_if(stored_.overrides, [id](const auto& o) { return o.calendar_id == id; });
    return {};
  }
  Status InsertOverride(const calendars::Override& override_) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    stored_.overrides.push_back(override_);
    return {};
  }
  Status DeleteOverride(std::string_view calendar_id, std::string_view override_id) override {
    std::lock_guard lock(mutex_);
    if (fail_writes) return *fail_writes;
    const auto removed = std::erase_if(stored_.overrides, [&](const auto& o) {
      return o.calendar_id == calendar_id && o.id == override_id;
    });
    if (removed == 0) return NotFound("no such override");
    return {};
  }

 private:
  mutable std::mutex mutex_;
  forecasting::StoredCalendars stored_;
};

// Hands out "ovr-1", "ovr-2", ... Not thread-safe (the catalog calls it under its lock).
struct SequentialIds {
  int next = 1;
  std::string operator()() { return "ovr-" + std::to_string(next++); }
};

class FixedClock : public Clock {
 public:
  Instant now{std::chrono::milliseconds(1'795'000'000'000)};  // 2026-11-18T...
  Instant Now() const override { return now; }
};

class FakeMetrics : public api::MetricsSource {
 public:
  std::string text = "# TYPE fake_total counter\nfake_total 1\n";
  std::string RenderMetrics() const override { return text; }
};

}  // namespace patchcast::testing
