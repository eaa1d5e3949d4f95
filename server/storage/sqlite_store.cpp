#include "server/storage/sqlite_store.h"

#include <SQLiteCpp/Database.h>

#include <string>
#include <system_error>
#include <utility>

#include "server/storage/backups.h"
#include "server/storage/connection.h"
#include "server/storage/migrations.h"
#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

Error WithContext(std::string_view context, const Error& error) {
  return Error{error.code, std::string(context) + ": " + error.message};
}

// Returns the size of `path`'s write-ahead log, 0 when there is none.
std::uint64_t WalBytes(const std::filesystem::path& path) {
  std::error_code error;
  const std::uintmax_t bytes = std::filesystem::file_size(path.string() + "-wal", error);
  return error ? 0 : static_cast<std::uint64_t>(bytes);
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const StoreOptions& options) {
  if (options.reader_count == 0) return InvalidArgument("reader_count must be >= 1");
  if (options.max_batch_jobs == 0) return InvalidArgument("max_batch_jobs must be >= 1");
  const ConnectionOptions writer_options{.mode = AccessMode::kReadWrite,
                                         .busy_timeout_ms = options.busy_timeout_ms,
                                         .quick_check = options.quick_check};
  Result<std::unique_ptr<SQLite::Database>> writer = OpenConnection(options.path, writer_options);
  if (!writer) return std::move(writer).error();  // names the path already

  const std::string context = "open database '" + options.path.string() + "'";
  if (patchcast::Status migrated = ApplyMigrations(**writer, Migrations()); !migrated) {
    return WithContext(context, migrated.error());
  }
  Result<std::unique_ptr<WriteQueue>> writes =
      WriteQueue::Start(std::move(*writer), options.max_batch_jobs);
  if (!writes) return WithContext(context, writes.error());
  Result<std::unique_ptr<ReaderPool>> readers =
      ReaderPool::Open(options.path, options.reader_count, options.busy_timeout_ms);
  if (!readers) return std::move(readers).error();  // names the path already
  std::filesystem::path backup_dir =
      options.backup_dir.empty() ? options.path.parent_path() / "backups" : options.backup_dir;
  return std::unique_ptr<SqliteStore>(new SqliteStore(options.path, std::move(backup_dir),
                                                      std::move(*writes), std::move(*readers)));
}

SqliteStore::SqliteStore(std::filesystem::path path, std::filesystem::path backup_dir,
                         std::unique_ptr<WriteQueue> writes, std::unique_ptr<ReaderPool> readers)
    : path_(std::move(path)),
      backup_dir_(std::move(backup_dir)),
      writes_(std::move(writes)),
      readers_(std::move(readers)) {}

Result<BackupInfo> SqliteStore::CreateBackup(Instant taken_at, std::string_view label) {
  ReaderPool::Lease reader = readers_->Borrow();
  return WriteBackup(*reader, backup_dir_, taken_at, label);
}

Result<std::vector<BackupInfo>> SqliteStore::ListBackups() const {
  return ListBackupFiles(backup_dir_);
}

Result<StorageStatus> SqliteStore::Status() const {
  StorageStatus status;
  status.latest_schema_version = LatestVersion(Migrations());
  const std::string context = "database '" + path_.string() + "'";
  try {
    ReaderPool::Lease reader = readers_->Borrow();
    status.schema_version = reader->execAndGet("PRAGMA user_version").getInt();
    const std::int64_t page_count = reader->execAndGet("PRAGMA page_count").getInt64();
    const std::int64_t page_size = reader->execAndGet("PRAGMA page_size").getInt64();
    status.size_bytes = static_cast<std::uint64_t>(page_count * page_size);
  } catch (const SQLite::Exception& e) {
    return Unavailable(FromSqlite(e, context).message);
  }
  status.size_bytes += WalBytes(path_);
  if (status.schema_version != status.latest_schema_version) {
    return Unavailable(context + " has schema version " + std::to_string(status.schema_version) +
                       ", this build needs " + std::to_string(status.latest_schema_version));
  }
  return status;
}

}  // namespace patchcast::storage
