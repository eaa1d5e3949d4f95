// SqliteDataVersion: api::DataVersion over the database, so that it moves on every commit by any
// connection: this server's writer, and other processes on the same file (`patchcast forecast
// --all --plan` from cron beside the live server).
//
// It watches the wal-index header (server/storage/wal_index_header.h), which every commit by any
// process rewrites, and advances a process-wide counter whenever the header differs from the one
// it saw last. Reading the header is a few loads from shared memory: no lock on the database, no
// system call. Why that gives DataVersion's contract: a commit that returned before Current()
// began is in the header Current() reads (or a later header is), and headers do not repeat. So
// either that header differs from the last one seen and the counter advances now, or it was seen
// already, by a call that read it after the commit and advanced the counter past every value given
// before the commit. While a commit is rewriting the header, Current() cannot tell and returns a
// fresh value (nothing is then served from a cache).
//
// When the wal-index cannot be read that way (WalIndexHeader::Of), it asks one of the pool's
// readers for PRAGMA data_version (https://www.sqlite.org/pragma.html#pragma_data_version), which
// is per connection: its value changes when another connection has committed since the same
// connection last asked. When that reader's value differs from the one it gave last time (or it is
// the reader's first answer), the counter advances; the lease is exclusive, so no other caller can
// use that reader again first. That costs a lease, the statement's preparation and two fcntl
// system calls (SQLite's lock on the wal-index) per call.
//
// Thread-safe. The pool must outlive this object.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "api/data_version.h"
#include "server/storage/reader_pool.h"
#include "server/storage/wal_index_header.h"

namespace patchcast::server {

class SqliteDataVersion final : public api::DataVersion {
 public:
  // Watches the wal-index of one of the pool's readers when WalIndexHeader::Of can read it, else
  // asks PRAGMA data_version on every call.
  explicit SqliteDataVersion(storage::ReaderPool& readers);
  // As above with the way chosen by the caller: nullopt asks PRAGMA data_version (for tests).
  SqliteDataVersion(storage::ReaderPool& readers, std::optional<storage::WalIndexHeader> header);

  // The process-wide counter after accounting for commits not seen yet. When the database cannot
  // be read, or a commit is rewriting the header, a fresh value: nothing is then served from a
  // cache.
  std::uint64_t Current() const override;

  // True when Current() reads the wal-index header rather than asking PRAGMA data_version.
  bool watches_wal_index() const { return header_.has_value(); }

 private:
  std::uint64_t CurrentFromHeader() const;
  std::uint64_t CurrentFromPragma() const;
  // Records `seen` as the reader's latest value; returns true if it differs from the previous one.
  // Caller holds mutex_.
  bool Changed(const SQLite::Database* reader, std::int64_t seen) const;

  storage::ReaderPool& readers_;
  const std::optional<storage::WalIndexHeader> header_;
  mutable std::mutex mutex_;
  mutable std::uint64_t version_ = 1;                                       // guarded by mutex_
  mutable std::optional<storage::WalIndexHeader::Words> last_header_;       // guarded by mutex_
  mutable std::unordered_map<const SQLite::Database*, std::int64_t> seen_;  // guarded by mutex_
};

}  // namespace patchcast::server
