// In-memory stand-ins for the ports api/ talks through: an authenticator over a token table, a
// storage whose status a test sets, a metrics source with fixed text, a data version the test
// moves, and (through
// in_memory_calendar_repository.h) a calendar repository that can be made to fail.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/authenticator.h"
#include "api/data_version.h"
#include "api/metrics_source.h"
#include "forecasting/storage.h"
#include "tests/support/in_memory_calendar_repository.h"

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

class FixedClock : public Clock {
 public:
  Instant now{std::chrono::milliseconds(1'795'000'000'000)};  // 2026-11-18T...
  Instant Now() const override { return now; }
};

// The stored data's version as the response cache reads it (api/data_version.h): what the test
// sets.
class ManualDataVersion : public api::DataVersion {
 public:
  std::uint64_t value = 1;
  std::uint64_t Current() const override { return value; }
};

class FakeMetrics : public api::MetricsSource {
 public:
  std::string text = "# TYPE fake_total counter\nfake_total 1\n";
  std::string RenderMetrics(const api::Principal&) const override { return text; }
};

}  // namespace patchcast::testing
