#include "server/storage/sqlite_store.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <future>
#include <iterator>
#include <string>
#include <vector>

#include "server/storage/migrations.h"
#include "server/storage/sqlite_calendar_repository.h"
#include "server/storage/sqlite_document_repository.h"
#include "server/storage/sqlite_run_log.h"
#include "server/storage/sqlite_scorecard_store.h"
#include "server/storage/sqlite_series_repository.h"
#include "server/storage/sqlite_series_settings_repository.h"
#include "server/storage/sqlite_surge_alert_log.h"
#include "tests/server/storage/store_contract.h"
#include "tests/support/temp_dir.h"

// The document and series settings repositories' and the surge alert log's behaviour is the
// contract every engine passes (store_contract.h); this file runs it on SQLite, and tests the
// SQLite store itself.
namespace patchcast::storage {
namespace contract {
namespace {

struct SqliteStoreUnderTest final : StoreUnderTest {
  testing::TempDir dir;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<SqliteSeriesRepository> series_repository;
  std::unique_ptr<SqliteSeriesSettingsRepository> settings_repository;
  std::unique_ptr<SqliteSurgeAlertLog> alert_log;
  std::unique_ptr<SqliteRunLog> run_log;
  std::unique_ptr<SqliteScorecardStore> scorecard_store;
  std::unique_ptr<SqliteCalendarRepository> calendar_repository;

  SqliteStoreUnderTest() { Open(); }

  void Open() {
    auto opened = SqliteStore::Open({.path = dir / "p.db"});
    REQUIRE(opened);
    store = std::move(*opened);
    series_repository = std::make_unique<SqliteSeriesRepository>(store->writes(), store->readers());
    settings_repository =
        std::make_unique<SqliteSeriesSettingsRepository>(store->writes(), store->readers());
    alert_log = std::make_unique<SqliteSurgeAlertLog>(store->writes(), store->readers());
    run_log = std::make_unique<SqliteRunLog>(store->writes(), store->readers());
    scorecard_store = std::make_unique<SqliteScorecardStore>(store->writes(), store->readers());
    calendar_repository =
        std::make_unique<SqliteCalendarRepository>(store->writes(), store->readers());
  }

  forecasting::SeriesRepository& series() override { return *series_repository; }
  forecasting::SeriesSettingsRepository& settings() override { return *settings_repository; }
  forecasting::SurgeAlertLog& surge_alerts() override { return *alert_log; }
  forecasting::RunLog& runs() override { return *run_log; }
  forecasting::ScorecardStore& scorecards() override { return *scorecard_store; }
  forecasting::CalendarRepository& calendars() override { return *calendar_repository; }
  Status Execute(const std::string& sql) override {
    return store->writes().Submit([&](SQLite::Database& db) -> Status {
      db.exec(sql);
      return {};
    });
  }
  std::int64_t QueryInteger(const std::string& sql) override {
    ReaderPool::Lease reader = store->readers().Borrow();
    return reader->execAndGet(sql).getInt64();
  }
  std::unique_ptr<forecasting::DocumentRepository> NewDocuments(forecasting::DocumentKind kind,
                                                                int retention) override {
    return std::make_unique<SqliteDocumentRepository>(kind, store->writes(), store->readers(),
                                                      retention);
  }
  void Reopen() override {
    calendar_repository.reset();
    scorecard_store.reset();
    run_log.reset();
    alert_log.reset();
    settings_repository.reset();
    series_repository.reset();
    store.reset();
    Open();
  }
};

}  // namespace

std::unique_ptr<StoreUnderTest> OpenStoreUnderTest() {
  return std::make_unique<SqliteStoreUnderTest>();
}

bool StoreEngineAvailable() { return true; }

}  // namespace contract

namespace {

using patchcast::testing::TempDir;

std::string ReadBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::unique_ptr<SqliteStore> OpenStore(const StoreOptions& options) {
  auto store = SqliteStore::Open(options);
  REQUIRE(store.has_value());
  return std::move(*store);
}

WriteQueue::Job PutMeta(std::string key, std::string value) {
  return [key = std::move(key), value = std::move(value)](SQLite::Database& db) -> Status {
    SQLite::Statement put(db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
    put.bind(1, key);
    put.bind(2, value);
    put.exec();
    return {};
  };
}

int MetaRows(SqliteStore& store) {
  ReaderPool::Lease reader = store.readers().Borrow();
  return reader->execAndGet("SELECT count(*) FROM meta").getInt();
}

TEST_CASE("a new store is migrated to the latest schema and reports its status") {
  TempDir dir;
  const auto path = dir / "patchcast.db";
  auto store = OpenStore({.path = path});
  CHECK(store->path() == path);
  CHECK(store->readers().size() == 4);

  const Result<StorageStatus> status = store->Status();
  REQUIRE(status.has_value());
  const int latest = LatestVersion(Migrations());
  CHECK(status->schema_version == latest);
  CHECK(status->latest_schema_version == latest);

  std::uint64_t expected_bytes = 0;
  {
    SQLite::Database check(path.string(), SQLite::OPEN_READONLY);
    expected_bytes = static_cast<std::uint64_t>(check.execAndGet("PRAGMA page_count").getInt64() *
                                                check.execAndGet("PRAGMA page_size").getInt64());
  }
  expected_bytes += std::filesystem::exists(path.string() + "-wal")
                        ? std::filesystem::file_size(path.string() + "-wal")
                        : 0;
  CHECK(status->size_bytes > 0);
  CHECK(status->size_bytes == expected_bytes);
}

TEST_CASE("the write-ahead log counts towards the store's size") {
  TempDir dir;
  auto store = OpenStore({.path = dir / "patchcast.db"});
  REQUIRE(store->writes().Submit(PutMeta("k", std::string(100000, 'x'))).has_value());
  const auto wal = dir / "patchcast.db-wal";
  REQUIRE(std::filesystem::exists(wal));
  const std::uint64_t wal_bytes = std::filesystem::file_size(wal);
  CHECK(wal_bytes > 100000);
  const Result<StorageStatus> status = store->Status();
  REQUIRE(status.has_value());
  CHECK(status->size_bytes > wal_bytes);
}

TEST_CASE("every connection of the store has the required settings") {
  TempDir dir;
  auto store = OpenStore({.path = dir / "patchcast.db", .busy_timeout_ms = 2500});
  struct Settings {
    std::string journal_mode;
    int synchronous = -1;
    int foreign_keys = -1;
    int busy_timeout = -1;
  };
  auto read_settings = [](SQLite::Database& db) {
    return Settings{db.execAndGet("PRAGMA journal_mode").getString(),
                    db.execAndGet("PRAGMA synchronous").getInt(),
                    db.execAndGet("PRAGMA foreign_keys").getInt(),
                    db.execAndGet("PRAGMA busy_timeout").getInt()};
  };
  Settings writer;
  REQUIRE(store->writes()
              .Submit([&](SQLite::Database& db) -> Status {
                writer = read_settings(db);
                return {};
              })
              .has_value());
  ReaderPool::Lease lease = store->readers().Borrow();
  for (const Settings& settings : {writer, read_settings(*lease)}) {
    CHECK(settings.journal_mode == "wal");
    CHECK(settings.synchronous == 2);  // FULL
    CHECK(settings.foreign_keys == 1);
    CHECK(settings.busy_timeout == 2500);
  }
}

TEST_CASE("reopening a store keeps its data and changes nothing") {
  TempDir dir;
  const StoreOptions options{.path = dir / "patchcast.db"};
  {
    auto store = OpenStore(options);
    REQUIRE(store->writes().Submit(PutMeta("owner", "capacity-team")).has_value());
  }
  CHECK_FALSE(std::filesystem::exists(dir / "patchcast.db-wal"));  // checkpointed at close
  for (int reopen = 0; reopen < 2; ++reopen) {
    auto store = OpenStore(options);
    const Result<StorageStatus> status = store->Status();
    REQUIRE(status.has_value());
    CHECK(status->schema_version == LatestVersion(Migrations()));
    ReaderPool::Lease reader = store->readers().Borrow();
    CHECK(reader->execAndGet("SELECT value FROM meta WHERE key = 'owner'").getString() ==
          "capacity-team");
    CHECK(reader->execAndGet("SELECT count(*) FROM meta").getInt() == 1);
  }
}

TEST_CASE("a database from a newer build is refused and left as it was") {
  TempDir dir;
  const auto path = dir / "patchcast.db";
  { OpenStore({.path = path}); }
  {
    SQLite::Database newer(path.string(), SQLite::OPEN_READWRITE);
    newer.exec("PRAGMA user_version = 99");
  }
  const std::string before = ReadBytes(path);

  auto store = SqliteStore::Open({.path = path});
  REQUIRE_FALSE(store.has_value());
  CHECK(store.error().code == ErrorCode::kInternal);
  CHECK(store.error().message == "open database '" + path.string() +
                                     "': database schema version 99 is newer than this build "
                                     "supports (" +
                                     std::to_string(LatestVersion(Migrations())) + ")");
  CHECK(ReadBytes(path) == before);
}

TEST_CASE("a store refuses a file that is not a database, and a missing directory") {
  TempDir dir;
  SUBCASE("garbage") {
    const auto path = dir / "patchcast.db";
    {
      std::ofstream out(path, std::ios::binary);
      out << std::string(3000, 'G');
    }
    auto store = SqliteStore::Open({.path = path});
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().message.find("'" + path.string() + "'") != std::string::npos);
    CHECK(store.error().message.find("not a SQLite database") != std::string::npos);
    CHECK(ReadBytes(path) == std::string(3000, 'G'));
  }
  SUBCASE("missing directory") {
    auto store = SqliteStore::Open({.path = dir / "absent" / "patchcast.db"});
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().message.find("does not exist") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir / "absent"));
  }
}

TEST_CASE("out-of-range options are refused") {
  TempDir dir;
  const auto path = dir / "patchcast.db";
  SUBCASE("no readers") {
    auto store = SqliteStore::Open({.path = path, .reader_count = 0});
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("zero batch") {
    auto store = SqliteStore::Open({.path = path, .max_batch_jobs = 0});
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("negative busy timeout") {
    auto store = SqliteStore::Open({.path = path, .busy_timeout_ms = -5});
    REQUIRE_FALSE(store.has_value());
    CHECK(store.error().code == ErrorCode::kInvalidArgument);
  }
  CHECK_FALSE(std::filesystem::exists(path));
}

TEST_CASE("Status is unavailable when the schema no longer matches this build") {
  TempDir dir;
  const auto path = dir / "patchcast.db";
  auto store = OpenStore({.path = path});
  {
    SQLite::Database other(path.string(), SQLite::OPEN_READWRITE);
    other.exec("PRAGMA user_version = 0");
  }
  const Result<StorageStatus> status = store->Status();
  REQUIRE_FALSE(status.has_value());
  CHECK(status.error().code == ErrorCode::kUnavailable);
  CHECK(status.error().message.find("schema version 0") != std::string::npos);
}

TEST_CASE("readers see committed writes") {
  TempDir dir;
  auto store = OpenStore({.path = dir / "patchcast.db", .reader_count = 2});
  CHECK(MetaRows(*store) == 0);
  REQUIRE(store->writes().Submit(PutMeta("a", "1")).has_value());
  CHECK(MetaRows(*store) == 1);
  REQUIRE(store->writes().Submit(PutMeta("b", "2")).has_value());
  CHECK(MetaRows(*store) == 2);
}

TEST_CASE("concurrent readers get no errors while writers commit") {
  TempDir dir;
  auto store = OpenStore({.path = dir / "patchcast.db", .reader_count = 3});
  constexpr int kWriters = 2;
  constexpr int kWritesEach = 200;
  std::atomic<int> writers_left{kWriters};

  std::vector<std::future<int>> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.push_back(std::async(std::launch::async, [&store, &writers_left, w] {
      int failed = 0;
      for (int n = 0; n < kWritesEach; ++n) {
        const std::string key = std::to_string(w) + "/" + std::to_string(n);
        failed += store->writes().Submit(PutMeta(key, "v")) ? 0 : 1;
      }
      --writers_left;
      return failed;
    }));
  }
  // Each reader counts rows until the writers are done; a count must never go down, and no read
  // may fail.
  struct ReaderReport {
    int errors = 0;
    int regressions = 0;
    int reads = 0;
  };
  std::vector<std::future<ReaderReport>> readers;
  for (int r = 0; r < 4; ++r) {  // more threads than connections: some wait in Borrow
    readers.push_back(std::async(std::launch::async, [&store, &writers_left] {
      ReaderReport report;
      int last = 0;
      do {
        try {
          const int rows = MetaRows(*store);
          if (rows < last) ++report.regressions;
          last = rows;
        } catch (const SQLite::Exception&) {
          ++report.errors;
        }
        ++report.reads;
      } while (writers_left.load() > 0);
      return report;
    }));
  }
  for (auto& failed : writers) CHECK(failed.get() == 0);
  for (auto& reader : readers) {
    const ReaderReport report = reader.get();
    CHECK(report.errors == 0);
    CHECK(report.regressions == 0);
    CHECK(report.reads >= 1);
  }
  CHECK(MetaRows(*store) == kWriters * kWritesEach);
  CHECK(store->Status().has_value());
}

}  // namespace
}  // namespace patchcast::storage
