// PgStore: a PostgreSQL database opened for Patchcast: its connection pool, migrated to this
// build's schema. The PostgreSQL repositories (pg_series_repository.h, ...) all run on its pool.
//
// Open() parses the URL, connects, and applies this build's migrations under the migration lock
// (pg_migrations.h), so a store that exists is usable; main turns an Open error into a message
// and a non-zero exit. Ownership: the store owns its pool; the reference pool() returns is valid
// for the store's lifetime. Thread-safety: all members may be called from any number of threads.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/storage.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

struct PgStoreOptions {
  // postgresql://user[:password]@host[:port]/dbname[?...] (pg_url.h). No default.
  std::string url;
  std::size_t pool_size = 4;  // --db-pool; >= 1. Default 4.
  // The longest a request waits for a free connection before kUnavailable. Default 5 s.
  std::chrono::milliseconds borrow_timeout{5000};
};

class PgStore final : public Storage {
 public:
  // Connects to options.url and brings the database to this build's schema. Returns the store,
  // or an Error whose message begins "open database '<url, password redacted>': ":
  //   kInvalidArgument  the URL is not a PostgreSQL URL or libpq refuses it, or pool_size is 0;
  //   kUnavailable      the server cannot be reached, refuses the connection or the credentials
  //                     (the caller may retry later);
  //   kInternal         the schema version is newer than this build supports, or a migration
  //                     failed (the database stays at the last complete version).
  static Result<std::unique_ptr<PgStore>> Open(const PgStoreOptions& options);

  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;
  // Closes the pool's connections. Precondition: no PgPool::Lease is outstanding.
  ~PgStore() = default;

  // One round trip: the applied schema version, this build's latest, and pg_database_size.
  // Errors: kUnavailable when the database cannot be reached or is not at this build's latest
  // version (e.g. migrated by a newer build since Open).
  Result<StorageStatus> Status() const override;

  // Backups of a PostgreSQL database are PostgreSQL's own (pg_dump, pg_basebackup, or the
  // provider's snapshots): they are consistent across replicas and restore with PostgreSQL's
  // tools, where a file one replica wrote would not. CreateBackup is kUnprocessable, saying so;
  // ListBackups lists none.
  Result<BackupInfo> CreateBackup(Instant taken_at, std::string_view label) override;
  Result<std::vector<BackupInfo>> ListBackups() const override;

  // The pool every PostgreSQL repository runs on.
  PgPool& pool() const { return *pool_; }
  // The URL with its password redacted: what logs and /readyz may show.
  const std::string& redacted_url() const { return redacted_url_; }

 private:
  PgStore(std::string redacted_url, std::unique_ptr<PgPool> pool)
      : redacted_url_(std::move(redacted_url)), pool_(std::move(pool)) {}

  const std::string redacted_url_;
  const std::unique_ptr<PgPool> pool_;
};

}  // namespace patchcast::storage::pg
