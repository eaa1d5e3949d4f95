// SqliteDataVersion: api::DataVersion over the database, from SQLite's PRAGMA data_version, so
// that it moves on every commit by any connection: this server's writer, and other processes on
// the same file (`patchcast forecast --all --plan` from cron beside the live server).
//
// PRAGMA data_version (https://www.sqlite.org/pragma.html#pragma_data_version) is per connection:
// its value changes when another connection has committed since the same connection last asked.
// Current() asks one of the pool's readers and, when that reader's value differs from the one it
// gave last time (or it is the reader's first answer), advances a process-wide counter. The first
// reader asked after a commit therefore advances the counter before anyone can use that reader
// again (the lease is exclusive), which gives DataVersion's contract.
//
// Thread-safe. The pool must outlive this object. Costs one lease and one pragma (a few
// microseconds, no disk read: the WAL index is in shared memory) per call.
#pragma once

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "api/data_version.h"
#include "server/storage/reader_pool.h"

namespace patchcast::server {

class SqliteDataVersion final : public api::DataVersion {
 public:
  explicit SqliteDataVersion(storage::ReaderPool& readers) : readers_(readers) {}

  // The process-wide counter after accounting for commits this reader has not seen. When the
  // database cannot be read, a fresh value every time: nothing is then served from a cache.
  std::uint64_t Current() const override;

 private:
  // Records `seen` as the reader's latest value; returns true if it differs from the previous one.
  bool Changed(const SQLite::Database* reader, std::int64_t seen) const;

  storage::ReaderPool& readers_;
  mutable std::atomic<std::uint64_t> version_{1};
  mutable std::mutex mutex_;
  mutable std::unordered_map<const SQLite::Database*, std::int64_t> seen_;  // guarded by mutex_
};

}  // namespace patchcast::server
