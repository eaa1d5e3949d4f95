// Storage: the port through which the api module reaches persisted state.
//
// Declared beside the domain so the api module never sees SQLite: server/storage/ implements it
// over SQLite today, and a PostgreSQL implementation can be added later without touching api/.
// Implementations must be safe to call from many request threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace patchcast {

// What readiness probes and /metrics report about the store.
struct StorageStatus {
  int schema_version = 0;         // migrations applied (SQLite: PRAGMA user_version)
  int latest_schema_version = 0;  // migrations this build knows
  std::uint64_t size_bytes = 0;   // on-disk size, including any write-ahead log
};

// One consistent snapshot of the whole store, as written by Storage::CreateBackup.
struct BackupInfo {
  std::string name;  // e.g. "patchcast-20261122T010203Z-before-upgrade.db"
  std::uint64_t size_bytes = 0;
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Returns the store's status after a cheap round trip to it. Returns an Error of kind
  // kUnavailable if the store cannot be reached or is not migrated to the latest schema.
  virtual Result<StorageStatus> Status() const = 0;

  // Writes a consistent snapshot of the whole store, named after `taken_at` (UTC, to the second)
  // and `label` (1-64 of [A-Za-z0-9._-], or empty), while reads and writes go on. Returns its
  // description, or kInvalidArgument for a bad label, kConflict if a backup of that name exists,
  // kInsufficientStorage if the disk fills, kUnavailable if the store cannot be read.
  virtual Result<BackupInfo> CreateBackup(Instant taken_at, std::string_view label) = 0;

  // Returns the backups written so far, oldest first.
  virtual Result<std::vector<BackupInfo>> ListBackups() const = 0;
};

}  // namespace patchcast
