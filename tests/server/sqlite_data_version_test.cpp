// SqliteDataVersion: moves after every commit, through this process's writer or by another
// connection to the file (another process, such as the cron job beside the live server), and stays
// put while nothing is written; both when it watches the wal-index header and when it asks PRAGMA
// data_version.
#include "server/sqlite_data_version.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <set>

#include "server/storage/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace patchcast::server {
namespace {

using storage::SqliteStore;
using storage::WriteQueue;

std::unique_ptr<SqliteStore> OpenStore(const std::filesystem::path& path, std::size_t readers) {
  auto store = SqliteStore::Open({.path = path, .reader_count = readers});
  REQUIRE(store.has_value());
  return std::move(*store);
}

// The version over the store's readers, each way it can notice commits: every test runs once each.
std::unique_ptr<SqliteDataVersion> MakeVersion(SqliteStore& store) {
  std::unique_ptr<SqliteDataVersion> version;
  SUBCASE("watching the wal-index header") {
    version = std::make_unique<SqliteDataVersion>(store.readers());
    REQUIRE(version->watches_wal_index());
  }
  SUBCASE("asking PRAGMA data_version") {
    version = std::make_unique<SqliteDataVersion>(store.readers(), std::nullopt);
    REQUIRE_FALSE(version->watches_wal_index());
  }
  return version;
}

WriteQueue::Job PutMeta(std::string value) {
  return [value = std::move(value)](SQLite::Database& db) -> Status {
    SQLite::Statement put(db, "INSERT OR REPLACE INTO meta (key, value) VALUES ('k', ?)");
    put.bind(1, value);
    put.exec();
    return {};
  };
}

TEST_CASE("the version moves after each commit of the store's writer, on every reader") {
  testing::TempDir dir;
  auto store = OpenStore(dir / "db", 4);
  auto version_owner = MakeVersion(*store);
  const SqliteDataVersion& version = *version_owner;
  std::set<std::uint64_t> before = {version.Current()};
  for (int round = 0; round < 5; ++round) {
    REQUIRE(store->writes().Submit(PutMeta(std::to_string(round))));
    // Whichever reader answers, the value is one never given before the commit.
    const std::uint64_t after = version.Current();
    CHECK(before.count(after) == 0);
    CHECK(after > *before.rbegin());
    before.insert(after);
  }
}

TEST_CASE("the version moves after a commit by another connection to the file") {
  testing::TempDir dir;
  auto store = OpenStore(dir / "db", 2);
  auto version_owner = MakeVersion(*store);
  const SqliteDataVersion& version = *version_owner;
  const std::uint64_t before = version.Current();
  {
    SQLite::Database other((dir / "db").string(), SQLite::OPEN_READWRITE);
    other.exec("PRAGMA busy_timeout = 5000");
    other.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('k', 'from elsewhere')");
  }
  CHECK(version.Current() > before);
}

TEST_CASE("the version stays put while nothing is written") {
  testing::TempDir dir;
  auto store = OpenStore(dir / "db", 1);
  auto version_owner = MakeVersion(*store);
  const SqliteDataVersion& version = *version_owner;
  const std::uint64_t first = version.Current();  // the reader's first answer counts as a change
  CHECK(version.Current() == first);
  CHECK(version.Current() == first);
  REQUIRE(store->writes().Submit(PutMeta("x")));
  const std::uint64_t moved = version.Current();
  CHECK(moved > first);
  CHECK(version.Current() == moved);
}

TEST_CASE("the version moves after a commit that follows a checkpoint restarting the WAL") {
  testing::TempDir dir;
  auto store = OpenStore(dir / "db", 1);
  auto version_owner = MakeVersion(*store);
  const SqliteDataVersion& version = *version_owner;
  REQUIRE(store->writes().Submit(PutMeta("before")));
  const std::uint64_t before = version.Current();
  SQLite::Database other((dir / "db").string(), SQLite::OPEN_READWRITE);
  other.exec("PRAGMA busy_timeout = 5000");
  other.exec("PRAGMA wal_checkpoint(TRUNCATE)");  // the next commit writes from the WAL's start
  const std::uint64_t restarted = version.Current();
  CHECK(restarted >= before);
  other.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('k', 'after the restart')");
  CHECK(version.Current() > restarted);
}

TEST_CASE("watching the wal-index header needs no reader: it sees a commit while all are lent") {
  testing::TempDir dir;
  auto store = OpenStore(dir / "db", 1);
  SqliteDataVersion version(store->readers());
  REQUIRE(version.watches_wal_index());
  const std::uint64_t before = version.Current();
  storage::ReaderPool::Lease only_reader = store->readers().Borrow();
  REQUIRE(store->writes().Submit(PutMeta("while lent")));
  CHECK(version.Current() > before);  // asking a reader would wait for this lease forever
}

}  // namespace
}  // namespace patchcast::server
