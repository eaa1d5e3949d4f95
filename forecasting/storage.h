// Storage: the port through which the api module reaches persisted state.
//
// Declared beside the domain so the api module never sees SQLite: server/storage/ implements it over
// SQLite today, and a PostgreSQL implementation can be added later without touching api/.
// Implementations must be safe to call from many request threads at once.
#pragma once

#include <cstdint>
#include <string>

#include "calendars/result.h"

namespace patchcast {

// What readiness probes and /metrics report about the store.
struct StorageStatus {
  int schema_version = 0;         // migrations applied (SQLite: PRAGMA user_version)
  int latest_schema_version = 0;  // migrations this build knows
  std::uint64_t size_bytes = 0;   // on-disk size, including any write-ahead log
};

class Storage {
 public:
  virtual ~Storage() = default;

  // Returns the store's status after a cheap round trip to it. Returns an Error of kind
  // kUnavailable if the store cannot be reached or is not migrated to the latest schema.
  virtual Result<StorageStatus> Status() const = 0;
};

}  // namespace patchcast
