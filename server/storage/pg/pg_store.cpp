#include "server/storage/pg/pg_store.h"

#include <pqxx/nontransaction>

#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_migrations.h"
#include "server/storage/pg/pg_url.h"

namespace patchcast::storage::pg {
namespace {

Error Prefixed(const std::string& prefix, Error error) {
  error.message = prefix + error.message;
  return error;
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const PgStoreOptions& options) {
  std::string redacted = RedactPassword(options.url);
  const std::string prefix = "open database '" + redacted + "': ";
  if (options.pool_size == 0) return InvalidArgument(prefix + "the pool size must be at least 1");
  auto connection_string = PgConnectionString(options.url);
  if (!connection_string) return Prefixed(prefix, connection_string.error());
  auto pool = std::make_unique<PgPool>(PgPoolOptions{.connection_string = *connection_string,
                                                     .size = options.pool_size,
                                                     .borrow_timeout = options.borrow_timeout});
  {
    auto lease = pool->Borrow();
    if (!lease) return Prefixed(prefix, lease.error());
    if (patchcast::Status migrated = ApplyPgMigrations(**lease, PgMigrations()); !migrated) {
      return Prefixed(prefix, migrated.error());
    }
  }
  return std::unique_ptr<PgStore>(new PgStore(std::move(redacted), std::move(pool)));
}

Result<StorageStatus> PgStore::Status() const {
  return RunOnPool(
      *pool_, "database status", [&](pqxx::connection& connection) -> Result<StorageStatus> {
        StorageStatus status;
        status.latest_schema_version = LatestPgVersion(PgMigrations());
        status.schema_version = AppliedPgVersion(connection);
        status.size_bytes = pqxx::nontransaction(connection)
                                .exec1("SELECT pg_database_size(current_database())")[0]
                                .as<std::uint64_t>();
        if (status.schema_version != status.latest_schema_version) {
          return Unavailable("database '" + redacted_url_ + "' is at schema version " +
                             std::to_string(status.schema_version) + ", not this build's " +
                             std::to_string(status.latest_schema_version));
        }
        return status;
      });
}

Result<BackupInfo> PgStore::CreateBackup(Instant, std::string_view) {
  return Unprocessable("database '" + redacted_url_ +
                       "' is PostgreSQL: back it up with PostgreSQL's own tools (pg_dump, "
                       "pg_basebackup or the provider's snapshots); this endpoint writes SQLite "
                       "backups only");
}

Result<std::vector<BackupInfo>> PgStore::ListBackups() const { return std::vector<BackupInfo>{}; }

}  // namespace patchcast::storage::pg
