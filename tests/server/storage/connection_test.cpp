#include "server/storage/connection.h"

#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

#include "tests/support/temp_dir.h"

namespace patchcast::storage {
namespace {

using patchcast::testing::TempDir;

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void WriteBytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Writes a real, multi-page database at `path` and closes it (which folds the WAL into the file).
void WriteDatabase(const std::filesystem::path& path) {
  auto db = OpenConnection(path, ConnectionOptions{});
  REQUIRE(db.has_value());
  (*db)->exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
  for (int i = 0; i < 200; ++i) (*db)->exec("INSERT INTO t (payload) VALUES (randomblob(200))");
}

bool Mentions(const Error& error, const std::filesystem::path& path) {
  return error.message.find(path.string()) != std::string::npos;
}

// After a failed open, the file is exactly as it was and SQLite left no journal beside it.
void CheckUntouched(const std::filesystem::path& path, const std::string& bytes_before) {
  CHECK(ReadBytes(path) == bytes_before);
  CHECK_FALSE(std::filesystem::exists(path.string() + "-wal"));
  CHECK_FALSE(std::filesystem::exists(path.string() + "-journal"));
}

TEST_CASE("a new database is created with WAL, full sync, foreign keys and the busy timeout") {
  TempDir dir;
  const auto path = dir / "new.db";
  auto db = OpenConnection(path, ConnectionOptions{.busy_timeout_ms = 1234});
  REQUIRE(db.has_value());
  CHECK(std::filesystem::exists(path));
  CHECK((*db)->execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK((*db)->execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
  CHECK((*db)->execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK((*db)->execAndGet("PRAGMA busy_timeout").getInt() == 1234);
  CHECK((*db)->execAndGet("PRAGMA user_version").getInt() == 0);
}

TEST_CASE("a read-only connection has the same settings and cannot write") {
  TempDir dir;
  const auto path = dir / "store.db";
  auto writer = OpenConnection(path, ConnectionOptions{});
  REQUIRE(writer.has_value());
  auto reader =
      OpenConnection(path, ConnectionOptions{.mode = AccessMode::kReadOnly, .busy_timeout_ms = 77});
  REQUIRE(reader.has_value());
  CHECK((*reader)->execAndGet("PRAGMA journal_mode").getString() == "wal");
  CHECK((*reader)->execAndGet("PRAGMA synchronous").getInt() == 2);
  CHECK((*reader)->execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK((*reader)->execAndGet("PRAGMA busy_timeout").getInt() == 77);
  CHECK((*reader)->tryExec("CREATE TABLE t (x INTEGER)") == SQLITE_READONLY);
}

TEST_CASE("a read-only connection to a missing file fails and creates nothing") {
  TempDir dir;
  const auto path = dir / "missing.db";
  auto db = OpenConnection(path, ConnectionOptions{.mode = AccessMode::kReadOnly});
  REQUIRE_FALSE(db.has_value());
  CHECK(db.error().code == ErrorCode::kInternal);
  CHECK(Mentions(db.error(), path));
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("a missing parent directory is reported by name and not created") {
  TempDir dir;
  const auto parent = dir / "no-such-dir";
  const auto path = parent / "store.db";
  auto db = OpenConnection(path, ConnectionOptions{});
  REQUIRE_FALSE(db.has_value());
  CHECK(db.error().code == ErrorCode::kInternal);
  CHECK(Mentions(db.error(), path));
  CHECK(db.error().message.find("directory '" + parent.string() + "' does not exist") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(parent));
}

TEST_CASE("a file that is not a SQLite database is refused and left untouched") {
  TempDir dir;
  const auto path = dir / "garbage.db";
  const std::string garbage = "this is not a database\n" + std::string(5000, '\x7f');
  WriteBytes(path, garbage);
  for (const bool quick_check : {false, true}) {
    CAPTURE(quick_check);
    auto db = OpenConnection(path, ConnectionOptions{.quick_check = quick_check});
    REQUIRE_FALSE(db.has_value());
    CHECK(db.error().code == ErrorCode::kInternal);
    CHECK(Mentions(db.error(), path));
    CHECK(db.error().message.find("not a SQLite database") != std::string::npos);
    CheckUntouched(path, garbage);
  }
}

TEST_CASE("a truncated database is refused and left untouched") {
  TempDir dir;
  const auto path = dir / "truncated.db";
  WriteDatabase(path);
  REQUIRE(std::filesystem::file_size(path) > 8192);
  std::filesystem::resize_file(path, 300);
  const std::string truncated = ReadBytes(path);
  for (const bool quick_check : {false, true}) {
    CAPTURE(quick_check);
    auto db = OpenConnection(path, ConnectionOptions{.quick_check = quick_check});
    REQUIRE_FALSE(db.has_value());
    CHECK(db.error().code == ErrorCode::kInternal);
    CHECK(Mentions(db.error(), path));
    CHECK(db.error().message.find("corrupt") != std::string::npos);
    CheckUntouched(path, truncated);
  }
}

TEST_CASE("damage beyond the schema is caught by quick_check") {
  TempDir dir;
  const auto path = dir / "damaged.db";
  WriteDatabase(path);
  // Overwrite the middle of the last page, a leaf of table t, leaving the schema page intact.
  std::string bytes = ReadBytes(path);
  const std::size_t page_size = 4096;
  REQUIRE(bytes.size() % page_size == 0);
  const std::size_t last_page = bytes.size() - page_size;
  for (std::size_t i = last_page; i < last_page + 64; ++i) bytes[i] = '\xff';
  WriteBytes(path, bytes);

  SUBCASE("without quick_check the schema read alone passes") {
    auto db = OpenConnection(path, ConnectionOptions{.quick_check = false});
    CHECK(db.has_value());
  }
  SUBCASE("with quick_check the open fails naming the file") {
    auto db = OpenConnection(path, ConnectionOptions{.quick_check = true});
    REQUIRE_FALSE(db.has_value());
    CHECK(db.error().code == ErrorCode::kInternal);
    CHECK(Mentions(db.error(), path));
    CHECK(db.error().message.find("corrupt") != std::string::npos);
    CheckUntouched(path, bytes);
  }
}

TEST_CASE("an unreadable file is refused and left untouched") {
  if (::geteuid() == 0) {
    MESSAGE("skipped: running as root, where chmod 000 does not deny reads");
    return;
  }
  TempDir dir;
  const auto path = dir / "unreadable.db";
  WriteDatabase(path);
  const std::string bytes = ReadBytes(path);
  REQUIRE(::chmod(path.c_str(), 0) == 0);
  auto db = OpenConnection(path, ConnectionOptions{});
  ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
  REQUIRE_FALSE(db.has_value());
  CHECK(db.error().code == ErrorCode::kInternal);
  CHECK(Mentions(db.error(), path));
  CheckUntouched(path, bytes);
}

TEST_CASE("a negative busy timeout is refused") {
  TempDir dir;
  auto db = OpenConnection(dir / "store.db", ConnectionOptions{.busy_timeout_ms = -1});
  REQUIRE_FALSE(db.has_value());
  CHECK(db.error().code == ErrorCode::kInvalidArgument);
  CHECK_FALSE(std::filesystem::exists(dir / "store.db"));
}

}  // namespace
}  // namespace patchcast::storage
