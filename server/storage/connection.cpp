#include "server/storage/connection.h"

#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <string>
#include <system_error>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

std::string Quoted(const std::filesystem::path& path) { return "'" + path.string() + "'"; }

// Returns an Error unless the directory that will hold `path` exists. SQLite would report only
// "unable to open database file"; this names the directory.
Status CheckParentDirectory(const std::filesystem::path& path) {
  std::filesystem::path parent = path.parent_path();
  if (parent.empty()) parent = ".";
  std::error_code error;
  if (std::filesystem::is_directory(parent, error)) return {};
  return Internal("open database " + Quoted(path) + ": directory " + Quoted(parent) +
                  " does not exist");
}

// Returns the rows PRAGMA quick_check reports, "ok" when it finds no damage.
std::string QuickCheck(SQLite::Database& db) {
  SQLite::Statement check(db, "PRAGMA quick_check");
  std::string report;
  int rows = 0;
  // quick_check reports up to 100 problems; the first few say enough.
  while (check.executeStep() && rows < 5) {
    if (rows++ > 0) report += "; ";
    report += check.getColumn(0).getString();
  }
  return report;
}

}  // namespace

Result<std::unique_ptr<SQLite::Database>> OpenConnection(const std::filesystem::path& path,
                                                         const ConnectionOptions& options) {
  if (options.busy_timeout_ms < 0) {
    return InvalidArgument("busy_timeout_ms must be >= 0, got " +
                           std::to_string(options.busy_timeout_ms));
  }
  if (Status parent = CheckParentDirectory(path); !parent) return parent.error();

  const bool read_write = options.mode == AccessMode::kReadWrite;
  const std::string context = "open database " + Quoted(path);
  try {
    const int flags =
        read_write ? SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE : SQLite::OPEN_READONLY;
    auto db = std::make_unique<SQLite::Database>(path.string(), flags, options.busy_timeout_ms);
    // SQLite falls back to read-only when the file is not writable; the writer would then fail on
    // its first commit, long after start-up.
    if (read_write && sqlite3_db_readonly(db->getHandle(), "main") == 1) {
      return Internal(context + ": the file is read-only");
    }
    // Everything up to here succeeds on any file. Reading the schema is the first access to the
    // file's contents, and it is a read: nothing is written to a file that turns out not to be a
    // database.
    db->execAndGet("SELECT count(*) FROM sqlite_master");
    if (options.quick_check) {
      if (std::string report = QuickCheck(*db); report != "ok") {
        return Internal(context + ": the database file is corrupt (quick_check: " + report + ")");
      }
    }
    db->exec("PRAGMA foreign_keys = ON");
    db->exec("PRAGMA synchronous = FULL");
    // WAL is a property of the file, set once by a writer; a read-only connection verifies it
    // instead, since it cannot change the mode.
    const std::string journal_mode =
        db->execAndGet(read_write ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode")
            .getString();
    if (journal_mode != "wal") {
      return Internal(context + ": journal_mode is '" + journal_mode + "', expected 'wal'");
    }
    return db;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, context);
  }
}

}  // namespace patchcast::storage
