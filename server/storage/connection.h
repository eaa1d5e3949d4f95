// OpenConnection: opens one SQLite connection to the database file, proves the file is a readable
// SQLite database, and configures the connection the way every Patchcast connection must be.
//
// SQLite opens files lazily: a garbage, truncated or unreadable file is only noticed at the first
// read, and opening a missing file creates it. OpenConnection therefore forces a read before it
// returns and never creates a directory, so start-up fails with a message naming the file instead
// of silently starting on a new, empty database. The caller owns the returned connection; a
// connection must be used by one thread at a time. The function itself is thread-safe.
#pragma once

#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <memory>

#include "core/result.h"

namespace patchcast::storage {

enum class AccessMode {
  kReadWrite,  // creates the file if it does not exist (its directory must)
  kReadOnly,   // the file must exist and already be in WAL mode (a kReadWrite connection sets it);
               // the connection cannot write
};

struct ConnectionOptions {
  AccessMode mode = AccessMode::kReadWrite;
  // How long a statement waits for another connection's lock before failing with SQLITE_BUSY.
  // Default 5000 ms. Must be >= 0.
  int busy_timeout_ms = 5000;
  // Also run PRAGMA quick_check, which reads every page (O(database size)): catches damage beyond
  // the schema, e.g. a truncated file. Default off; the store runs it once, on its write
  // connection.
  bool quick_check = false;
};

// Opens the database at `path` and sets, on the connection: busy_timeout = options.busy_timeout_ms,
// foreign_keys = ON, synchronous = FULL (a commit is on disk before it returns) and, in kReadWrite
// mode, journal_mode = WAL (readers then never block the writer, nor it them).
// In kReadWrite mode a missing file is created (empty database, schema version 0).
// Returns the open connection, or an Error whose message names `path` and the problem:
//   kInvalidArgument  busy_timeout_ms < 0;
//   kInternal         the parent directory does not exist; the file cannot be opened (missing in
//                     kReadOnly mode, unreadable, a directory); it is read-only in kReadWrite mode;
//                     it is not a SQLite database or is corrupt (including a failed quick_check);
//                     in kReadOnly mode, the file is not in WAL mode;
//   kUnavailable      another connection held a lock for longer than the busy timeout.
// On an error no file or directory has been created or modified, except that kReadWrite may leave
// an empty file where none existed.
Result<std::unique_ptr<SQLite::Database>> OpenConnection(const std::filesystem::path& path,
                                                         const ConnectionOptions& options);

}  // namespace patchcast::storage
