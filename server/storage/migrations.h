// Schema migrations: the numbered, forward-only steps that bring a database file to the schema this
// build expects, and the function that applies them.
//
// The schema version lives in the file header (PRAGMA user_version): 0 for a new database, N after
// migration N. Migrations are never edited or removed once released; a schema change is a new
// migration appended to the list in migrations.cpp. Migration values and the list are immutable and
// thread-safe; ApplyMigrations uses its connection exclusively for its duration.
#pragma once

#include <SQLiteCpp/Database.h>

#include <span>
#include <string_view>

#include "core/result.h"

namespace patchcast::storage {

struct Migration {
  int version;  // 1, 2, 3, ...: the user_version the database has once this step is applied
  std::string_view name;  // short description for errors and logs, e.g. "meta table"
  std::string_view sql;   // one or more statements; must not BEGIN, COMMIT or set user_version
};

// Returns this build's migrations, in order: versions 1..N without gaps.
std::span<const Migration> Migrations();

// Returns the schema version `migrations` lead to: the last entry's version, 0 for an empty list.
int LatestVersion(std::span<const Migration> migrations);

// Returns the database's schema version (PRAGMA user_version), or an Error (see FromSqlite) naming
// `context` when the database cannot be read.
Result<int> SchemaVersion(SQLite::Database& db, std::string_view context);

// Brings `db` to LatestVersion(migrations) by applying, in order, every migration whose version is
// above the database's user_version. Each migration runs in its own BEGIN IMMEDIATE transaction
// that also sets user_version, so a failure leaves the database at the last version that fully
// applied and a later call resumes from there. Applying to an up-to-date database changes nothing.
// Returns OK, or:
//   kInternal  `migrations` is not numbered 1..N without gaps (a bug in the list);
//   kInternal  "database schema version N is newer than this build supports (M)": the file was
//              written by a newer build; nothing is changed (likewise for a negative version);
//   an Error from FromSqlite, its message naming the migration ("migration 2 (forecasts table):
//   ..."),
//              when a migration's SQL fails or the database cannot be read or written.
// Precondition: no transaction is open on `db`.
Status ApplyMigrations(SQLite::Database& db, std::span<const Migration> migrations);

}  // namespace patchcast::storage
