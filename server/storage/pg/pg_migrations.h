// PostgreSQL schema migrations: the numbered, forward-only steps that bring a database to the
// schema this build expects, and the function that applies them once, even when several
// processes start together.
//
// Applied versions are rows of `schema_migrations` (version, name, applied_at); a new database has
// none. Migrations are never edited or removed once released; a schema change is a new migration
// appended to the list in pg_migrations.cpp. The numbering is PostgreSQL's own, independent of the
// SQLite migrations (server/storage/migrations.h). The list is immutable and thread-safe;
// ApplyPgMigrations uses its connection exclusively for its duration.
#pragma once

#include <pqxx/connection>
#include <span>
#include <string_view>

#include "core/result.h"

namespace patchcast::storage::pg {

struct PgMigration {
  int version;            // 1, 2, 3, ...: the row schema_migrations gains once this step applies
  std::string_view name;  // short description for errors and logs, e.g. "series and chunks"
  std::string_view sql;   // one or more statements; must not BEGIN or COMMIT
};

// The advisory lock key migrations hold: the bytes of "patchcas" as a bigint, unlikely to collide
// with another application's keys in a shared database.
inline constexpr long long kMigrationLockKey = 0x7061746368636173;

// Returns this build's migrations, in order: versions 1..N without gaps.
std::span<const PgMigration> PgMigrations();

// Returns the last entry's version, 0 for an empty list.
int LatestPgVersion(std::span<const PgMigration> migrations);

// Returns the highest applied version, 0 when schema_migrations is absent or empty. Throws
// pqxx::failure when the database cannot be read (callers run it inside RunOnPool or catch).
int AppliedPgVersion(pqxx::connection& connection);

// Brings the database to LatestPgVersion(migrations). It first takes the session-level advisory
// lock kMigrationLockKey (pg_advisory_lock, waiting for any other process that holds it), so that
// of several processes starting together one migrates and the others find the work done; the lock
// is released on return (or by the server, if the connection is lost). Each migration then runs
// in its own transaction that also records its row, so a failure leaves the database at the last
// version that fully applied and a later call resumes there. Returns OK, or:
//   kInternal "PostgreSQL migrations are not numbered 1..N" for a bad list (a bug);
//   kInternal "database schema version N is newer than this build supports (M)": written by a
//             newer build; nothing is changed;
//   an Error from FromPg naming the migration ("migration 1 (series and chunks): ...") when its
//             SQL fails, or naming "apply migrations" when the database cannot be read.
// Precondition: no transaction is open on `connection`.
Status ApplyPgMigrations(pqxx::connection& connection, std::span<const PgMigration> migrations);

}  // namespace patchcast::storage::pg
