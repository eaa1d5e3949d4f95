// FromSqlite: the one place that turns a SQLiteCpp exception into a patchcast::Error.
//
// SQLiteCpp reports every failure by throwing SQLite::Exception; this module catches those at its
// public boundary and returns the Error this function builds, so callers above storage never see an
// exception or a SQLite result code. Pure function; thread-safe.
#pragma once

#include <SQLiteCpp/Exception.h>

#include <string_view>

#include "core/result.h"

namespace patchcast::storage {

// Returns the Error for `exception`, its message prefixed with `context` (what was being done,
// naming the database path or the operation, e.g. "open database '/var/lib/patchcast/db.sqlite'"):
//   SQLITE_BUSY, SQLITE_LOCKED (the busy timeout expired) -> kUnavailable, "database is busy;
//   retry" SQLITE_FULL                                          -> kInsufficientStorage, "disk or
//   database is full" SQLITE_CORRUPT, SQLITE_NOTADB                        -> kInternal, "the
//   database file is corrupt or
//                                                           not a SQLite database"
//   SQLITE_CONSTRAINT                                    -> kConflict
//   anything else (including exceptions with no code)    -> kInternal
// SQLite's own text is kept in the message. Extended result codes are reduced to their primary
// code.
Error FromSqlite(const SQLite::Exception& exception, std::string_view context);

}  // namespace patchcast::storage
