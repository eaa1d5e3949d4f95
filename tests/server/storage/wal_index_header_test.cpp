// WalIndexHeader: changes with every commit of another connection, including after the WAL has
// restarted, stays put while nothing is committed, and is refused where the wal-index is not in
// shared memory or a header copy is being rewritten.
#include "server/storage/wal_index_header.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "server/storage/connection.h"
#include "tests/support/temp_dir.h"

namespace patchcast::storage {
namespace {

using patchcast::testing::TempDir;
using Words = WalIndexHeader::Words;

// A WAL database with one table, its writer and one read-only connection open.
struct WalFixture {
  WalFixture() {
    auto opened = OpenConnection(path, ConnectionOptions{});
    REQUIRE(opened.has_value());
    writer = std::move(*opened);
    writer->exec("CREATE TABLE t (x INTEGER NOT NULL)");
    auto read_only = OpenConnection(
        path, ConnectionOptions{
                  .mode = AccessMode::kReadOnly, .busy_timeout_ms = 5000, .quick_check = false});
    REQUIRE(read_only.has_value());
    reader = std::move(*read_only);
  }

  void Commit() { writer->exec("INSERT INTO t VALUES (1)"); }

  TempDir dir;
  std::filesystem::path path = dir / "store.db";
  std::unique_ptr<SQLite::Database> writer;
  std::unique_ptr<SQLite::Database> reader;
};

Words Header(const WalIndexHeader& header) {
  const std::optional<Words> words = header.Read();
  REQUIRE(words.has_value());
  return *words;
}

TEST_CASE("the header changes with each commit of another connection and only then") {
  WalFixture fixture;
  const std::optional<WalIndexHeader> header = WalIndexHeader::Of(*fixture.reader);
  REQUIRE(header.has_value());
  const Words before = Header(*header);
  CHECK(Header(*header) == before);
  fixture.reader->execAndGet("SELECT count(*) FROM t");  // a read is no commit
  CHECK(Header(*header) == before);

  fixture.Commit();
  const Words once = Header(*header);
  CHECK(once != before);
  fixture.Commit();
  const Words twice = Header(*header);
  CHECK(twice != once);
  CHECK(twice != before);
}

TEST_CASE("the header changes with a commit after a checkpoint restarted the WAL") {
  WalFixture fixture;
  const std::optional<WalIndexHeader> header = WalIndexHeader::Of(*fixture.reader);
  REQUIRE(header.has_value());
  fixture.Commit();
  const Words committed = Header(*header);
  // Back to an empty WAL: the next commit writes its frames from the start again, so mxFrame
  // alone could repeat an earlier value; the salts do not.
  fixture.writer->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const Words restarted = Header(*header);
  fixture.Commit();
  const Words after = Header(*header);
  CHECK(after != restarted);
  CHECK(after != committed);
}

TEST_CASE("the header is not read where the wal-index is not shared memory") {
  TempDir dir;
  SUBCASE("a database in rollback-journal mode") {
    SQLite::Database db((dir / "rollback.db").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE t (x INTEGER)");
    CHECK_FALSE(WalIndexHeader::Of(db).has_value());
    CHECK_FALSE(std::filesystem::exists(dir / "rollback.db-shm"));  // and none was made
  }
  SUBCASE("a WAL database in exclusive locking mode, whose wal-index is on the heap") {
    SQLite::Database db((dir / "exclusive.db").string(),
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("CREATE TABLE t (x INTEGER)");
    CHECK_FALSE(WalIndexHeader::Of(db).has_value());
  }
}

// Two copies of a header as they lie in the wal-index: the format version, isInit set, and
// `change` in the iChange word.
std::array<std::uint32_t, 24> Copies(std::uint32_t change) {
  Words copy{};
  copy[0] = WalIndexHeader::kFormatVersion;
  copy[2] = change;
  reinterpret_cast<unsigned char*>(copy.data())[12] = 1;  // isInit
  std::array<std::uint32_t, 24> both{};
  std::copy(copy.begin(), copy.end(), both.begin());
  std::copy(copy.begin(), copy.end(), both.begin() + 12);
  return both;
}

TEST_CASE("a header is read only when both copies agree on an initialised, known format") {
  std::array<std::uint32_t, 24> shared = Copies(7);
  SUBCASE("equal copies are the header") {
    const std::optional<Words> words = WalIndexHeader::ReadCopies(shared.data());
    REQUIRE(words.has_value());
    CHECK((*words)[2] == 7);
  }
  SUBCASE("a commit halfway: the second copy rewritten, the first not yet") {
    shared[12 + 2] = 8;
    CHECK_FALSE(WalIndexHeader::ReadCopies(shared.data()).has_value());
  }
  SUBCASE("not initialised") {
    reinterpret_cast<unsigned char*>(shared.data())[12] = 0;
    reinterpret_cast<unsigned char*>(shared.data() + 12)[12] = 0;
    CHECK_FALSE(WalIndexHeader::ReadCopies(shared.data()).has_value());
  }
  SUBCASE("another format version") {
    shared[0] = shared[12] = WalIndexHeader::kFormatVersion + 1;
    CHECK_FALSE(WalIndexHeader::ReadCopies(shared.data()).has_value());
  }
}

}  // namespace
}  // namespace patchcast::storage
