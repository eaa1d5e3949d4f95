#include "server/storage/sqlite_error.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>

namespace patchcast::storage {
namespace {

TEST_CASE("FromSqlite maps each SQLite result code to one error kind and keeps the context") {
  struct Row {
    int sqlite_code;
    ErrorCode expected;
    const char* expected_text;
  };
  const Row rows[] = {
      {SQLITE_BUSY, ErrorCode::kUnavailable, "database is busy; retry"},
      {SQLITE_LOCKED, ErrorCode::kUnavailable, "database is busy; retry"},
      {SQLITE_BUSY_SNAPSHOT, ErrorCode::kUnavailable, "database is busy; retry"},
      {SQLITE_FULL, ErrorCode::kInsufficientStorage, "disk or database is full"},
      {SQLITE_CORRUPT, ErrorCode::kInternal, "corrupt or not a SQLite database"},
      {SQLITE_NOTADB, ErrorCode::kInternal, "corrupt or not a SQLite database"},
      {SQLITE_CONSTRAINT, ErrorCode::kConflict, "sqlite says no"},
      {SQLITE_CONSTRAINT_UNIQUE, ErrorCode::kConflict, "sqlite says no"},
      {SQLITE_IOERR, ErrorCode::kInternal, "sqlite says no"},
      {SQLITE_CANTOPEN, ErrorCode::kInternal, "sqlite says no"},
      {-1, ErrorCode::kInternal, "sqlite says no"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.sqlite_code);
    const Error error =
        FromSqlite(SQLite::Exception("sqlite says no", row.sqlite_code), "save plan 7");
    CHECK(error.code == row.expected);
    CHECK(error.message.starts_with("save plan 7: "));
    CHECK(error.message.find(row.expected_text) != std::string::npos);
    CHECK(error.message.find("sqlite says no") != std::string::npos);
  }
}

}  // namespace
}  // namespace patchcast::storage
