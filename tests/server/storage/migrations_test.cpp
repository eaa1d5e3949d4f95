#include "server/storage/migrations.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <array>
#include <string>

#include "server/storage/connection.h"
#include "tests/support/temp_dir.h"

namespace patchcast::storage {
namespace {

using patchcast::testing::TempDir;

constexpr std::array kFakeMigrations = {
    Migration{1, "one", "CREATE TABLE one (id INTEGER PRIMARY KEY);"},
    Migration{2, "two", "CREATE TABLE two (id INTEGER PRIMARY KEY); INSERT INTO two VALUES (2);"},
    Migration{3, "three", "ALTER TABLE one ADD COLUMN label TEXT NOT NULL DEFAULT 'x';"},
};

std::unique_ptr<SQLite::Database> Open(const std::filesystem::path& path) {
  auto db = OpenConnection(path, ConnectionOptions{});
  REQUIRE(db.has_value());
  return std::move(*db);
}

int UserVersion(SQLite::Database& db) { return db.execAndGet("PRAGMA user_version").getInt(); }

TEST_CASE("the fake migrations bring every older version to the latest") {
  for (std::size_t start = 0; start <= kFakeMigrations.size(); ++start) {
    CAPTURE(start);
    TempDir dir;
    auto db = Open(dir / "store.db");
    REQUIRE(ApplyMigrations(*db, std::span(kFakeMigrations).first(start)).has_value());
    REQUIRE(UserVersion(*db) == static_cast<int>(start));

    const Status applied = ApplyMigrations(*db, kFakeMigrations);
    REQUIRE(applied.has_value());
    CHECK(UserVersion(*db) == 3);
    CHECK(db->tableExists("one"));
    CHECK(db->execAndGet("SELECT count(*) FROM two").getInt() == 1);  // migration 2 ran once
    CHECK(db->execAndGet("SELECT count(*) FROM pragma_table_info('one') WHERE name = 'label'")
              .getInt() == 1);
  }
}

TEST_CASE("this build's migrations are numbered 1..N and apply from every older version") {
  const auto migrations = Migrations();
  REQUIRE_FALSE(migrations.empty());
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    CHECK(migrations[i].version == static_cast<int>(i) + 1);
  }
  const int latest = LatestVersion(migrations);
  CHECK(latest == static_cast<int>(migrations.size()));
  for (std::size_t start = 0; start < migrations.size(); ++start) {
    CAPTURE(start);
    TempDir dir;
    auto db = Open(dir / "store.db");
    REQUIRE(ApplyMigrations(*db, migrations.first(start)).has_value());
    REQUIRE(ApplyMigrations(*db, migrations).has_value());
    CHECK(UserVersion(*db) == latest);
    CHECK(db->tableExists("meta"));
  }
}

TEST_CASE("migration 1 creates a strict key/value meta table") {
  TempDir dir;
  auto db = Open(dir / "store.db");
  REQUIRE(ApplyMigrations(*db, Migrations()).has_value());
  db->exec("INSERT INTO meta (key, value) VALUES ('k', 'v')");
  CHECK(db->execAndGet("SELECT value FROM meta WHERE key = 'k'").getString() == "v");
  CHECK(db->tryExec("INSERT INTO meta (key, value) VALUES ('k', 'again')") == SQLITE_CONSTRAINT);
  CHECK(db->tryExec("INSERT INTO meta (key) VALUES ('no value')") == SQLITE_CONSTRAINT);
}

TEST_CASE("migration 8 gives the documents kept before it format 1") {
  TempDir dir;
  auto db = Open(dir / "store.db");
  const auto migrations = Migrations();
  REQUIRE(migrations.size() >= 8);
  REQUIRE(ApplyMigrations(*db, migrations.first(7)).has_value());
  db->exec(
      "INSERT INTO series (id, step_seconds, unit, description, zone_mix) "
      "VALUES ('web', 300, 'logins', '', '[]');"
      "INSERT INTO forecasts (id, series_id, generated_at, document) "
      "VALUES ('fc-old', 'web', 1, '{}');"
      "INSERT INTO plans (id, series_id, generated_at, valid_until, document) "
      "VALUES ('plan-old', 'web', 1, 2, '{}');");
  REQUIRE(ApplyMigrations(*db, migrations).has_value());
  CHECK(db->execAndGet("SELECT format FROM forecasts WHERE id = 'fc-old'").getInt() == 1);
  CHECK(db->execAndGet("SELECT format FROM plans WHERE id = 'plan-old'").getInt() == 1);
  CHECK(db->tryExec("UPDATE plans SET format = 0") == SQLITE_CONSTRAINT);
}

TEST_CASE("migration 12 makes the forecasts not yet scored due at their horizon's end") {
  TempDir dir;
  auto db = Open(dir / "store.db");
  const auto migrations = Migrations();
  REQUIRE(migrations.size() >= 12);
  REQUIRE(ApplyMigrations(*db, migrations.first(11)).has_value());
  db->exec(
      "INSERT INTO series (id, step_seconds, unit, description, zone_mix) "
      "VALUES ('web', 300, 'logins', '', '[]');"
      "INSERT INTO forecasts (id, series_id, generated_at, document, horizon_end, hypothetical) "
      "VALUES ('fc-waiting', 'web', 1, '{}', 600, 0), ('fc-scored', 'web', 1, '{}', 600, 0), "
      "('fc-what-if', 'web', 1, '{}', 600, 1), ('fc-before', 'web', 1, '{}', NULL, 0);"
      "INSERT INTO forecast_scores (forecast_id, series_id, as_of, generated_at, scored_at, "
      "horizon_end, forecast_steps, naive_steps) VALUES ('fc-scored', 'web', 0, 1, 700, 600, 2, "
      "2);");
  REQUIRE(ApplyMigrations(*db, migrations).has_value());
  const auto score_at = [&](const char* id) {
    SQLite::Statement query(*db, "SELECT score_at FROM forecasts WHERE id = ?");
    query.bind(1, id);
    REQUIRE(query.executeStep());
    return query.getColumn(0).isNull() ? -1 : query.getColumn(0).getInt64();
  };
  CHECK(score_at("fc-waiting") == 600);
  CHECK(score_at("fc-scored") == -1);
  CHECK(score_at("fc-what-if") == -1);
  CHECK(score_at("fc-before") == -1);
  // The scorecard kept before is complete.
  CHECK(db->execAndGet("SELECT next_score_at IS NULL FROM forecast_scores").getInt() == 1);
}

TEST_CASE("applying migrations to an up-to-date database changes nothing") {
  TempDir dir;
  const auto path = dir / "store.db";
  {
    auto db = Open(path);
    REQUIRE(ApplyMigrations(*db, kFakeMigrations).has_value());
  }
  auto db = Open(path);
  const int changes_before = db->getTotalChanges();
  REQUIRE(ApplyMigrations(*db, kFakeMigrations).has_value());
  CHECK(UserVersion(*db) == 3);
  CHECK(db->getTotalChanges() == changes_before);
  CHECK(db->execAndGet("SELECT count(*) FROM two").getInt() == 1);
}

TEST_CASE("a database newer than this build is refused and left at its version") {
  TempDir dir;
  auto db = Open(dir / "store.db");
  REQUIRE(ApplyMigrations(*db, kFakeMigrations).has_value());
  const Status applied = ApplyMigrations(*db, std::span(kFakeMigrations).first(2));
  REQUIRE_FALSE(applied.has_value());
  CHECK(applied.error().code == ErrorCode::kInternal);
  CHECK(applied.error().message ==
        "database schema version 3 is newer than this build supports (2)");
  CHECK(UserVersion(*db) == 3);
}

TEST_CASE("a negative schema version is refused") {
  TempDir dir;
  auto db = Open(dir / "store.db");
  db->exec("PRAGMA user_version = -1");
  const Status applied = ApplyMigrations(*db, kFakeMigrations);
  REQUIRE_FALSE(applied.has_value());
  CHECK(applied.error() == Internal("database schema version -1 is not valid"));
  CHECK_FALSE(db->tableExists("one"));
}

TEST_CASE("a failing migration is rolled back alone and names itself") {
  constexpr std::array kBroken = {
      kFakeMigrations[0],
      Migration{2, "broken", "CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);"},
  };
  TempDir dir;
  auto db = Open(dir / "store.db");
  const Status applied = ApplyMigrations(*db, kBroken);
  REQUIRE_FALSE(applied.has_value());
  CHECK(applied.error().code == ErrorCode::kInternal);
  CHECK(applied.error().message.starts_with("migration 2 (broken): "));
  CHECK(applied.error().message.find("no such table: nowhere") != std::string::npos);
  CHECK(UserVersion(*db) == 1);
  CHECK(db->tableExists("one"));
  CHECK_FALSE(db->tableExists("half"));
}

TEST_CASE("a misnumbered migration list is refused before anything runs") {
  constexpr std::array kGap = {kFakeMigrations[0], kFakeMigrations[2]};
  TempDir dir;
  auto db = Open(dir / "store.db");
  const Status applied = ApplyMigrations(*db, kGap);
  REQUIRE_FALSE(applied.has_value());
  CHECK(applied.error().code == ErrorCode::kInternal);
  CHECK(applied.error().message.find("entry 1 (three) has version 3, expected 2") !=
        std::string::npos);
  CHECK(UserVersion(*db) == 0);
  CHECK_FALSE(db->tableExists("one"));
}

TEST_CASE("LatestVersion is the last version, 0 for no migrations") {
  CHECK(LatestVersion({}) == 0);
  CHECK(LatestVersion(kFakeMigrations) == 3);
}

}  // namespace
}  // namespace patchcast::storage
