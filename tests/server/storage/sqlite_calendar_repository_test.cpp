// The SQLite calendar tables (migration 2): what the repository contract
// (calendar_repository_contract_test.cpp) cannot see, how they are created.
#include <doctest/doctest.h>

#include "server/storage/connection.h"
#include "server/storage/migrations.h"
#include "tests/support/temp_dir.h"

namespace patchcast::storage {
namespace {

using patchcast::testing::TempDir;

TEST_CASE("migration 2 applies from version 1 and from empty, creating strict tables") {
  for (std::size_t start : {0U, 1U}) {
    CAPTURE(start);
    TempDir dir;
    auto db = OpenConnection(dir / "p.db", ConnectionOptions{});
    REQUIRE(db.has_value());
    REQUIRE(ApplyMigrations(**db, Migrations().first(start)).has_value());
    if (start == 1) (*db)->exec("INSERT INTO meta (key, value) VALUES ('kept', 'yes')");
    REQUIRE(ApplyMigrations(**db, Migrations().first(2)).has_value());
    CHECK((*db)->execAndGet("PRAGMA user_version").getInt() == 2);
    for (const char* table : {"custom_calendars", "custom_calendar_times", "calendar_overrides"}) {
      CHECK((*db)->tableExists(table));
    }
    if (start == 1) {
      CHECK((*db)->execAndGet("SELECT value FROM meta WHERE key = 'kept'").getString() == "yes");
    }
    // STRICT: a text where an integer belongs is refused.
    CHECK_THROWS(
        (*db)->exec("INSERT INTO calendar_overrides (id, calendar_id, date, action, bulletins) "
                    "VALUES ('o', 'c', '2026-01-01', 'annotate', 'many')"));
    CHECK_THROWS(
        (*db)->exec("INSERT INTO calendar_overrides (id, calendar_id, date, action) "
                    "VALUES ('o', 'c', '2026-01-01', 'delete')"));
  }
}

}  // namespace
}  // namespace patchcast::storage
