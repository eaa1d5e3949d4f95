// SqliteStore: the SQLite implementation of the storage port (forecasting/storage.h), and the owner
// of everything a repository needs to reach the database: one WriteQueue (the only writer) and one
// ReaderPool (read-only connections).
//
// Open() validates the file, applies this build's migrations and starts the writer, so a store that
// exists is usable; main turns an Open error into a message and a non-zero exit. Ownership: the
// store owns its queue, pool and connections; references returned by writes() and readers() are
// valid for the store's lifetime. Thread-safety: all members may be called from any number of
// threads at once.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>

#include "core/result.h"
#include "forecasting/storage.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

struct StoreOptions {
  std::filesystem::path path;    // the database file; its directory must exist. No default.
  int busy_timeout_ms = 5000;    // on every connection; >= 0. Default 5000 ms.
  std::size_t reader_count = 4;  // read-only connections in the pool; >= 1. Default 4.
  std::size_t max_batch_jobs = WriteQueue::kDefaultMaxBatchJobs;  // >= 1. Default 1024.
  // Run PRAGMA quick_check at open (reads the whole file once). Default on: a damaged file must
  // stop start-up rather than fail requests later.
  bool quick_check = true;
  // Where CreateBackup writes. Default (empty): a "backups" directory beside the database file.
  std::filesystem::path backup_dir;
};

class SqliteStore final : public Storage {
 public:
  // Opens or creates the database at options.path (OpenConnection), brings it to this build's
  // schema (ApplyMigrations over Migrations()), starts the writer and opens the readers. Returns
  // the store, or an Error; apart from kInvalidArgument, its message begins "open database
  // '<path>': " and says what is wrong:
  //   kInvalidArgument  an option is out of range;
  //   kInternal         the directory is missing; the file is unreadable, read-only, not a SQLite
  //                     database or corrupt; its schema version is newer than this build supports;
  //                     a migration failed (the database stays at the last complete version);
  //   kUnavailable      another process held the write lock for longer than busy_timeout_ms.
  // An existing file is never replaced or truncated.
  static Result<std::unique_ptr<SqliteStore>> Open(const StoreOptions& options);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  // Runs the writes already queued, then closes every connection. Precondition: no
  // ReaderPool::Lease is outstanding.
  ~SqliteStore() override = default;

  // Reads user_version, page_count and page_size through a reader. size_bytes is
  // page_count * page_size plus the size of the "-wal" file, if any. Waits for a free reader.
  // Returns the status, or kUnavailable when the database cannot be read or its schema version is
  // not this build's latest (e.g. changed by another process since Open).
  Result<StorageStatus> Status() const override;

  // Writes the backup through a reader connection with VACUUM INTO (see backups.h).
  Result<BackupInfo> CreateBackup(Instant taken_at, std::string_view label) override;
  Result<std::vector<BackupInfo>> ListBackups() const override;

  // The writer every repository submits its writes to.
  WriteQueue& writes() const { return *writes_; }
  // The read-only connections every repository reads through.
  ReaderPool& readers() const { return *readers_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  SqliteStore(std::filesystem::path path, std::filesystem::path backup_dir,
              std::unique_ptr<WriteQueue> writes, std::unique_ptr<ReaderPool> readers);

  const std::filesystem::path path_;
  const std::filesystem::path backup_dir_;
  // Declared before readers_, so destroyed after them: the writer's connection closes last and
  // checkpoints the write-ahead log into the database file.
  const std::unique_ptr<WriteQueue> writes_;
  const std::unique_ptr<ReaderPool> readers_;
};

}  // namespace patchcast::storage
