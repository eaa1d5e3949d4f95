#include "server/storage/sqlite_error.h"

#include <sqlite3.h>

#include <string>

namespace patchcast::storage {

Error FromSqlite(const SQLite::Exception& exception, std::string_view context) {
  std::string prefix(context);
  prefix += ": ";
  const std::string detail = exception.what();
  // getErrorCode() may hold an extended code (e.g. SQLITE_BUSY_SNAPSHOT); its low byte is the
  // primary code. -1 means SQLiteCpp raised the exception itself without a SQLite code.
  const int code = exception.getErrorCode();
  const int primary = code < 0 ? code : code & 0xff;
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Unavailable(prefix + "database is busy; retry (" + detail + ")");
    case SQLITE_FULL:
      return InsufficientStorage(prefix + "disk or database is full (" + detail + ")");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Internal(prefix + "the database file is corrupt or not a SQLite database (" + detail +
                      ")");
    case SQLITE_CONSTRAINT:
      return Conflict(prefix + detail);
    default:
      return Internal(prefix + detail);
  }
}

}  // namespace patchcast::storage
