#include "server/storage/backups.h"

#include <SQLiteCpp/Database.h>
#include <doctest/doctest.h>

#include "server/storage/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace patchcast::storage {
namespace {

Instant At(int64_t unix_seconds) { return Instant{std::chrono::seconds(unix_seconds)}; }

TEST_CASE("backup names carry the UTC time to the second and the label") {
  CHECK(BackupFileName(At(1795396923), "").value() == "patchcast-20261123T012203Z.db");
  CHECK(BackupFileName(At(1795396923), "pre-v2.1").value() ==
        "patchcast-20261123T012203Z-pre-v2.1.db");
  CHECK_FALSE(BackupFileName(At(0), "../etc/passwd"));
  CHECK_FALSE(BackupFileName(At(0), "a b"));
  CHECK_FALSE(BackupFileName(At(0), std::string(65, 'a')));
}

TEST_CASE("a backup is a complete, readable copy of the store, listed oldest first") {
  testing::TempDir dir;
  auto store = SqliteStore::Open({.path = dir / "p.db"});
  REQUIRE(store);
  REQUIRE((*store)->writes().Submit([](SQLite::Database& db) -> Status {
    db.exec("INSERT INTO meta(key, value) VALUES ('marker', 'kept')");
    return {};
  }));
  auto first = (*store)->CreateBackup(At(1795396923), "one");
  REQUIRE(first);
  auto second = (*store)->CreateBackup(At(1795396924), "");
  REQUIRE(second);
  CHECK(first->size_bytes > 0);

  SQLite::Database copy((dir / "backups" / first->name).string(), SQLite::OPEN_READONLY);
  CHECK(copy.execAndGet("SELECT value FROM meta WHERE key = 'marker'").getString() == "kept");
  CHECK(copy.execAndGet("PRAGMA user_version").getInt() ==
        (*store)->Status()->latest_schema_version);

  auto listed = (*store)->ListBackups();
  REQUIRE(listed);
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].name == first->name);
  CHECK((*listed)[1].name == second->name);
  CHECK_FALSE(std::filesystem::exists(dir / "backups" / ("." + first->name + ".partial")));
}

TEST_CASE("a second backup with the same name is a conflict and leaves the first intact") {
  testing::TempDir dir;
  auto store = SqliteStore::Open({.path = dir / "p.db", .backup_dir = dir / "elsewhere"});
  REQUIRE(store);
  REQUIRE((*store)->CreateBackup(At(1795396923), "x"));
  auto again = (*store)->CreateBackup(At(1795396923), "x");
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kConflict);
  CHECK((*store)->ListBackups()->size() == 1);
}

TEST_CASE("no backup directory means no backups") {
  testing::TempDir dir;
  auto listed = ListBackupFiles(dir / "absent");
  REQUIRE(listed);
  CHECK(listed->empty());
}

}  // namespace
}  // namespace patchcast::storage
