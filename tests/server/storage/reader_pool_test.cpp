#include "server/storage/reader_pool.h"

#include <doctest/doctest.h>
#include <sqlite3.h>

#include <atomic>
#include <future>
#include <thread>

#include "server/storage/connection.h"
#include "tests/support/temp_dir.h"

namespace patchcast::storage {
namespace {

using patchcast::testing::TempDir;

// A WAL database with a table of one row, its writer connection kept open.
struct PoolFixture {
  PoolFixture() {
    auto db = OpenConnection(path, ConnectionOptions{});
    REQUIRE(db.has_value());
    writer = std::move(*db);
    writer->exec("CREATE TABLE t (x INTEGER NOT NULL); INSERT INTO t VALUES (1)");
  }

  TempDir dir;
  std::filesystem::path path = dir / "store.db";
  std::unique_ptr<SQLite::Database> writer;
};

int Count(SQLite::Database& db) { return db.execAndGet("SELECT count(*) FROM t").getInt(); }

TEST_CASE("readers are read-only and see what the writer committed") {
  PoolFixture fixture;
  auto pool = ReaderPool::Open(fixture.path, 2, 100);
  REQUIRE(pool.has_value());
  CHECK((*pool)->size() == 2);
  {
    ReaderPool::Lease reader = (*pool)->Borrow();
    CHECK(Count(*reader) == 1);
    CHECK(reader->execAndGet("PRAGMA busy_timeout").getInt() == 100);
    CHECK(reader->tryExec("INSERT INTO t VALUES (2)") == SQLITE_READONLY);
  }
  fixture.writer->exec("INSERT INTO t VALUES (2)");
  ReaderPool::Lease reader = (*pool)->Borrow();
  CHECK(Count(*reader) == 2);
}

TEST_CASE("a reader in a read transaction neither blocks the writer nor sees its later commits") {
  PoolFixture fixture;
  auto pool = ReaderPool::Open(fixture.path, 1, 5000);
  REQUIRE(pool.has_value());
  ReaderPool::Lease reader = (*pool)->Borrow();
  reader->exec("BEGIN");
  CHECK(Count(*reader) == 1);  // the snapshot starts here
  fixture.writer->exec("BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT");
  CHECK(Count(*reader) == 1);
  reader->exec("COMMIT");
  CHECK(Count(*reader) == 2);
}

TEST_CASE("Borrow waits until a connection is returned") {
  PoolFixture fixture;
  auto pool = ReaderPool::Open(fixture.path, 1, 5000);
  REQUIRE(pool.has_value());
  std::atomic<bool> returned{false};
  std::future<bool> borrower;
  {
    ReaderPool::Lease only = (*pool)->Borrow();
    borrower = std::async(std::launch::async, [&pool, &returned] {
      ReaderPool::Lease lease = (*pool)->Borrow();
      return returned.load() && Count(*lease) == 1;
    });
    returned = true;
  }
  CHECK(borrower.get());
}

TEST_CASE("a moved lease returns its connection once") {
  PoolFixture fixture;
  auto pool = ReaderPool::Open(fixture.path, 1, 5000);
  REQUIRE(pool.has_value());
  {
    ReaderPool::Lease first = (*pool)->Borrow();
    ReaderPool::Lease second = std::move(first);
    CHECK(Count(*second) == 1);
  }
  ReaderPool::Lease again = (*pool)->Borrow();
  CHECK(Count(*again) == 1);
}

TEST_CASE("a transaction left open by a borrower ends when the lease does") {
  PoolFixture fixture;
  auto pool = ReaderPool::Open(fixture.path, 1, 5000);
  REQUIRE(pool.has_value());
  {
    ReaderPool::Lease reader = (*pool)->Borrow();
    reader->exec("BEGIN");
    CHECK(Count(*reader) == 1);
  }
  fixture.writer->exec("INSERT INTO t VALUES (2)");
  ReaderPool::Lease reader = (*pool)->Borrow();
  CHECK(sqlite3_get_autocommit(reader->getHandle()) != 0);
  CHECK(Count(*reader) == 2);
}

TEST_CASE("a pool cannot be opened empty, on a missing file, or before the writer set WAL") {
  TempDir dir;
  SUBCASE("size 0") {
    PoolFixture fixture;
    auto pool = ReaderPool::Open(fixture.path, 0, 5000);
    REQUIRE_FALSE(pool.has_value());
    CHECK(pool.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("missing file") {
    auto pool = ReaderPool::Open(dir / "missing.db", 2, 5000);
    REQUIRE_FALSE(pool.has_value());
    CHECK(pool.error().message.find((dir / "missing.db").string()) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "missing.db"));
  }
  SUBCASE("rollback-journal file") {
    const auto path = dir / "journal.db";
    {
      SQLite::Database plain(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      plain.exec("CREATE TABLE t (x)");
    }
    auto pool = ReaderPool::Open(path, 1, 5000);
    REQUIRE_FALSE(pool.has_value());
    CHECK(pool.error().code == ErrorCode::kInternal);
    CHECK(pool.error().message.find("expected 'wal'") != std::string::npos);
  }
}

}  // namespace
}  // namespace patchcast::storage
