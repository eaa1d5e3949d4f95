#include "server/storage/migrations.h"

#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

// Append only. A released migration is never edited: databases in the field already ran it.
constexpr std::array kMigrations = {
    Migration{1, "meta table", R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
)sql"},
};

Status CheckNumbering(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return Internal("migration list is not numbered 1..N: entry " + std::to_string(i) + " (" +
                      std::string(migrations[i].name) + ") has version " +
                      std::to_string(migrations[i].version) + ", expected " +
                      std::to_string(expected));
    }
  }
  return {};
}

// Applies `migration` unless a concurrent process already did: the version is re-read after
// BEGIN IMMEDIATE, which holds the write lock.
Status Apply(SQLite::Database& db, const Migration& migration) {
  const std::string context =
      "migration " + std::to_string(migration.version) + " (" + std::string(migration.name) + ")";
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (db.execAndGet("PRAGMA user_version").getInt() >= migration.version) return {};
    db.exec(std::string(migration.sql));
    db.exec("PRAGMA user_version = " + std::to_string(migration.version));
    transaction.commit();
    return {};
  } catch (const SQLite::Exception& e) {
    // The Transaction destructor has rolled back.
    return FromSqlite(e, context);
  }
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestVersion(std::span<const Migration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

Result<int> SchemaVersion(SQLite::Database& db, std::string_view context) {
  try {
    return db.execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, context);
  }
}

Status ApplyMigrations(SQLite::Database& db, std::span<const Migration> migrations) {
  if (Status numbering = CheckNumbering(migrations); !numbering) return numbering;
  const Result<int> current = SchemaVersion(db, "read schema version");
  if (!current) return current.error();
  const int latest = LatestVersion(migrations);
  if (*current < 0) {
    return Internal("database schema version " + std::to_string(*current) + " is not valid");
  }
  if (*current > latest) {
    return Internal("database schema version " + std::to_string(*current) +
                    " is newer than this build supports (" + std::to_string(latest) + ")");
  }
  for (const Migration& migration : migrations.subspan(static_cast<std::size_t>(*current))) {
    if (Status applied = Apply(db, migration); !applied) return applied;
  }
  return {};
}

}  // namespace patchcast::storage
