#include "server/storage/pg/pg_migrations.h"

#include <doctest/doctest.h>

#include <array>
#include <chrono>
#include <latch>
#include <optional>
#include <pqxx/nontransaction>
#include <thread>

#include "tests/support/pg_test_database.h"

namespace patchcast::storage::pg {
namespace {

// A short list whose first step takes a while (pg_sleep, in the server), so that two processes
// starting together are certainly migrating at the same time. Without the lock the second would
// fail: "relation "first_table" already exists", or a duplicate schema_migrations row.
constexpr std::array kSlowMigrations = {
    PgMigration{1, "slow first", "SELECT pg_sleep(0.3); CREATE TABLE first_table (x INTEGER)"},
    PgMigration{2, "second", "CREATE TABLE second_table (x INTEGER)"},
};

std::int64_t Count(pqxx::connection& connection, const std::string& sql) {
  return pqxx::nontransaction(connection).exec1(sql)[0].as<std::int64_t>();
}

bool TableExists(pqxx::connection& connection, const std::string& table) {
  return pqxx::nontransaction(connection)
      .exec1("SELECT to_regclass('" + table + "') IS NOT NULL")[0]
      .as<bool>();
}

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

TEST_CASE("this build's migrations are numbered 1..N and bring a new database to N") {
  testing::PgTestDatabase database;
  pqxx::connection connection(database.url());
  CHECK(AppliedPgVersion(connection) == 0);
  REQUIRE(ApplyPgMigrations(connection, PgMigrations()));
  CHECK(AppliedPgVersion(connection) == LatestPgVersion(PgMigrations()));
  CHECK(LatestPgVersion(PgMigrations()) == static_cast<int>(PgMigrations().size()));
  CHECK(TableExists(connection, "series"));
  CHECK(TableExists(connection, "series_chunks"));
  REQUIRE(ApplyPgMigrations(connection, PgMigrations()));  // up to date: nothing to do
  CHECK(Count(connection, "SELECT count(*) FROM schema_migrations") ==
        LatestPgVersion(PgMigrations()));
}

TEST_CASE("two processes starting together migrate once: one waits for the other's lock") {
  testing::PgTestDatabase database;
  std::latch start(2);
  std::array<std::optional<Status>, 2> outcomes;
  std::array<std::thread, 2> processes;
  for (std::size_t i = 0; i < processes.size(); ++i) {
    processes[i] = std::thread([&, i] {
      pqxx::connection connection(database.url());  // each its own session, as two replicas
      start.arrive_and_wait();
      outcomes[i].emplace(ApplyPgMigrations(connection, kSlowMigrations));
    });
  }
  for (auto& process : processes) process.join();
  for (const auto& outcome : outcomes) {
    REQUIRE(outcome);
    INFO((*outcome ? std::string() : outcome->error().message));
    CHECK(outcome->has_value());
  }
  pqxx::connection connection(database.url());
  CHECK(Count(connection, "SELECT count(*) FROM schema_migrations") == 2);
  CHECK(Count(connection, "SELECT count(DISTINCT version) FROM schema_migrations") == 2);
}

TEST_CASE("a migration waits while another session holds the migration lock, then applies") {
  testing::PgTestDatabase database;
  pqxx::connection holder(database.url());
  pqxx::nontransaction(holder).exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) +
                                    ")");
  std::optional<Status> outcome;
  std::thread migrator([&] {
    pqxx::connection connection(database.url());
    outcome.emplace(ApplyPgMigrations(connection, PgMigrations()));
  });
  // Wait until the server shows the migrator blocked on the lock (not a fixed sleep: a bounded
  // poll of an observable state).
  pqxx::connection observer(database.url());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  bool waiting = false;
  while (!waiting && std::chrono::steady_clock::now() < deadline) {
    waiting = Count(observer,
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = "
                    "current_database())") == 1;
    if (!waiting) std::this_thread::yield();
  }
  CHECK(waiting);
  CHECK_FALSE(TableExists(observer, "schema_migrations"));  // nothing done while it waits
  pqxx::nontransaction(holder).exec("SELECT pg_advisory_unlock(" +
                                    std::to_string(kMigrationLockKey) + ")");
  migrator.join();
  REQUIRE(outcome);
  CHECK(outcome->has_value());
  CHECK(AppliedPgVersion(observer) == LatestPgVersion(PgMigrations()));
}

TEST_CASE("a database migrated by a newer build is refused and left unchanged") {
  testing::PgTestDatabase database;
  pqxx::connection connection(database.url());
  REQUIRE(ApplyPgMigrations(connection, PgMigrations()));
  const int latest = LatestPgVersion(PgMigrations());
  pqxx::nontransaction(connection)
      .exec("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(latest + 1) +
            ", 'from the future')");
  Status refused = ApplyPgMigrations(connection, PgMigrations());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kInternal);
  CHECK(refused.error().message == "database schema version " + std::to_string(latest + 1) +
                                       " is newer than this build supports (" +
                                       std::to_string(latest) + ")");
  CHECK(AppliedPgVersion(connection) == latest + 1);
}

TEST_CASE("a failing migration leaves the last complete version, and a fixed list resumes there") {
  testing::PgTestDatabase database;
  pqxx::connection connection(database.url());
  constexpr std::array broken = {
      PgMigration{1, "first", "CREATE TABLE first_table (x INTEGER)"},
      PgMigration{2, "broken", "CREATE TABLE half_done (x INTEGER); CREATE TABLE oops ("},
  };
  Status failed = ApplyPgMigrations(connection, broken);
  REQUIRE_FALSE(failed);
  CHECK(failed.error().code == ErrorCode::kInternal);
  CHECK(failed.error().message.starts_with("migration 2 (broken): "));
  CHECK(AppliedPgVersion(connection) == 1);
  CHECK(TableExists(connection, "first_table"));
  CHECK_FALSE(TableExists(connection, "half_done"));  // the failed step rolled back whole

  constexpr std::array fixed = {
      PgMigration{1, "first", "CREATE TABLE first_table (x INTEGER)"},
      PgMigration{2, "fixed", "CREATE TABLE half_done (x INTEGER)"},
  };
  REQUIRE(ApplyPgMigrations(connection, fixed));
  CHECK(AppliedPgVersion(connection) == 2);
}

TEST_CASE("a migration list with a gap is a bug, refused before touching the database") {
  testing::PgTestDatabase database;
  pqxx::connection connection(database.url());
  constexpr std::array gap = {
      PgMigration{1, "first", "CREATE TABLE first_table (x INTEGER)"},
      PgMigration{3, "third", "CREATE TABLE third_table (x INTEGER)"},
  };
  Status refused = ApplyPgMigrations(connection, gap);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "PostgreSQL migrations are not numbered 1..N");
  CHECK_FALSE(TableExists(connection, "schema_migrations"));
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::pg
