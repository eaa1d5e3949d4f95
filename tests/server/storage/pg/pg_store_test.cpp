#include "server/storage/pg/pg_store.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <string>
#include <thread>

#include "server/storage/pg/pg_calendar_repository.h"
#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_document_repository.h"
#include "server/storage/pg/pg_migrations.h"
#include "server/storage/pg/pg_run_log.h"
#include "server/storage/pg/pg_scorecard_store.h"
#include "server/storage/pg/pg_series_repository.h"
#include "server/storage/pg/pg_series_settings_repository.h"
#include "server/storage/pg/pg_surge_alert_log.h"
#include "tests/server/storage/store_contract.h"
#include "tests/support/pg_test_database.h"

// The document and series settings repositories' and the surge alert log's behaviour is the
// contract every engine passes (store_contract.h); this file runs it on PostgreSQL, and tests the
// PostgreSQL store itself.
namespace patchcast::storage {
namespace contract {
namespace {

struct PgStoreUnderTest final : StoreUnderTest {
  testing::PgTestDatabase database;
  std::unique_ptr<pg::PgStore> store;
  std::unique_ptr<pg::PgSeriesRepository> series_repository;
  std::unique_ptr<pg::PgSeriesSettingsRepository> settings_repository;
  std::unique_ptr<pg::PgSurgeAlertLog> alert_log;
  std::unique_ptr<pg::PgRunLog> run_log;
  std::unique_ptr<pg::PgScorecardStore> scorecard_store;
  std::unique_ptr<pg::PgCalendarRepository> calendar_repository;

  PgStoreUnderTest() { Open(); }

  void Open() {
    auto opened = pg::PgStore::Open(
        {.url = database.url(), .pool_size = 4, .borrow_timeout = std::chrono::seconds(30)});
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened);
    store = std::move(*opened);
    series_repository = std::make_unique<pg::PgSeriesRepository>(store->pool());
    settings_repository = std::make_unique<pg::PgSeriesSettingsRepository>(store->pool());
    alert_log = std::make_unique<pg::PgSurgeAlertLog>(store->pool());
    run_log = std::make_unique<pg::PgRunLog>(store->pool());
    scorecard_store = std::make_unique<pg::PgScorecardStore>(store->pool());
    calendar_repository = std::make_unique<pg::PgCalendarRepository>(store->pool());
  }

  forecasting::SeriesRepository& series() override { return *series_repository; }
  forecasting::SeriesSettingsRepository& settings() override { return *settings_repository; }
  forecasting::SurgeAlertLog& surge_alerts() override { return *alert_log; }
  forecasting::RunLog& runs() override { return *run_log; }
  forecasting::ScorecardStore& scorecards() override { return *scorecard_store; }
  forecasting::CalendarRepository& calendars() override { return *calendar_repository; }
  Status Execute(const std::string& sql) override {
    return pg::RunOnPool(store->pool(), "execute", [&](pqxx::connection& connection) -> Status {
      pqxx::work transaction(connection);
      transaction.exec(sql);
      transaction.commit();
      return {};
    });
  }
  std::int64_t QueryInteger(const std::string& sql) override {
    pqxx::connection connection(database.url());
    return pqxx::nontransaction(connection).exec1(sql)[0].as<std::int64_t>();
  }
  std::unique_ptr<forecasting::DocumentRepository> NewDocuments(forecasting::DocumentKind kind,
                                                                int retention) override {
    return std::make_unique<pg::PgDocumentRepository>(kind, store->pool(), retention);
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
  return std::make_unique<PgStoreUnderTest>();
}

bool StoreEngineAvailable() { return testing::PgInstalled(); }

}  // namespace contract

namespace pg {
namespace {

using namespace std::chrono_literals;

TEST_CASE("opening an unreachable server is kUnavailable, and the message hides the password") {
  auto opened = PgStore::Open({.url = "postgresql://app:s3cret@127.0.0.1:1/patchcast"});
  REQUIRE_FALSE(opened);
  CHECK(opened.error().code == ErrorCode::kUnavailable);
  CHECK(opened.error().message.starts_with(
      "open database 'postgresql://app:***@127.0.0.1:1/patchcast': cannot connect to the "
      "database ("));
  CHECK(opened.error().message.find("s3cret") == std::string::npos);
}

TEST_CASE("opening with a bad URL or pool size is invalid input") {
  auto bad_url = PgStore::Open({.url = "postgresql://app:s3cret@db/x?no_such_setting=1"});
  REQUIRE_FALSE(bad_url);
  CHECK(bad_url.error().code == ErrorCode::kInvalidArgument);
  CHECK(bad_url.error().message.find("s3cret") == std::string::npos);
  auto no_pool = PgStore::Open({.url = "postgresql://db/x", .pool_size = 0});
  REQUIRE_FALSE(no_pool);
  CHECK(no_pool.error().code == ErrorCode::kInvalidArgument);
  CHECK(no_pool.error().message ==
        "open database 'postgresql://db/x': the pool size must be at least 1");
}

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

TEST_CASE("opening migrates a new database, and its status says so") {
  testing::PgTestDatabase database;
  auto opened = PgStore::Open({.url = database.url(), .pool_size = 2});
  REQUIRE(opened);
  CHECK((*opened)->redacted_url() == database.url());  // no password to hide
  auto status = (*opened)->Status();
  REQUIRE(status);
  CHECK(status->schema_version == LatestPgVersion(PgMigrations()));
  CHECK(status->latest_schema_version == LatestPgVersion(PgMigrations()));
  CHECK(status->size_bytes > 0);
  CHECK((*opened)->pool().open_count() == 1);  // the migrating connection, kept for reuse
}

TEST_CASE("a store whose database a newer build migrated is refused at open and unready after") {
  testing::PgTestDatabase database;
  auto opened = PgStore::Open({.url = database.url()});
  REQUIRE(opened);
  const int latest = LatestPgVersion(PgMigrations());
  database.Admin("SELECT 1");  // the maintenance connection works
  {
    pqxx::connection connection(database.url());
    pqxx::nontransaction(connection)
        .exec("INSERT INTO schema_migrations (version, name) VALUES (" +
              std::to_string(latest + 1) + ", 'from the future')");
  }
  auto status = (*opened)->Status();
  REQUIRE_FALSE(status);
  CHECK(status.error().code == ErrorCode::kUnavailable);
  auto reopened = PgStore::Open({.url = database.url()});
  REQUIRE_FALSE(reopened);
  CHECK(reopened.error().code == ErrorCode::kInternal);
  CHECK(reopened.error().message.find("is newer than this build supports") != std::string::npos);
}

TEST_CASE("two stores opening one new database together both open, migrated once") {
  testing::PgTestDatabase database;
  std::optional<Result<std::unique_ptr<PgStore>>> first;
  std::thread other([&] { first.emplace(PgStore::Open({.url = database.url()})); });
  auto second = PgStore::Open({.url = database.url()});
  other.join();
  REQUIRE(first);
  CHECK(first->has_value());
  CHECK(second.has_value());
  pqxx::connection connection(database.url());
  CHECK(pqxx::nontransaction(connection)
            .exec1("SELECT count(*) FROM schema_migrations")[0]
            .as<int>() == LatestPgVersion(PgMigrations()));
}

// Sets an environment variable for one scope: libpq reads PGPASSWORD and PGPASSFILE when it
// connects.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { ::unsetenv(name_); }

 private:
  const char* name_;
};

TEST_CASE(
    "the password comes from the URL, else from PGPASSWORD or a password file (libpq's rules)") {
  testing::PgTestDatabase database;
  const std::string role(testing::PgCluster::kPasswordRole);
  database.Admin("DROP ROLE IF EXISTS " + role);
  database.Admin("CREATE ROLE " + role + " LOGIN PASSWORD 's3cret'");
  database.Admin("ALTER DATABASE " + database.name() + " OWNER TO " + role);
  const std::string host = "127.0.0.1:" + std::to_string(database.cluster().port());
  const std::string without = "postgresql://" + role + "@" + host + "/" + database.name();

  SUBCASE("in the URL, shown redacted") {
    auto opened =
        PgStore::Open({.url = "postgresql://" + role + ":s3cret@" + host + "/" + database.name()});
    REQUIRE(opened);
    CHECK((*opened)->redacted_url() ==
          "postgresql://" + role + ":***@" + host + "/" + database.name());
  }
  SUBCASE("a wrong one is refused as unavailable, and not repeated in the message") {
    auto opened =
        PgStore::Open({.url = "postgresql://" + role + ":n0tit@" + host + "/" + database.name()});
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == ErrorCode::kUnavailable);
    CHECK(opened.error().message.find("password authentication failed") != std::string::npos);
    CHECK(opened.error().message.find("n0tit") == std::string::npos);
  }
  SUBCASE("none anywhere is refused") {
    auto opened = PgStore::Open({.url = without});
    REQUIRE_FALSE(opened);
    CHECK(opened.error().code == ErrorCode::kUnavailable);
  }
  SUBCASE("PGPASSWORD") {
    ScopedEnv password("PGPASSWORD", "s3cret");
    CHECK(PgStore::Open({.url = without}).has_value());
  }
  SUBCASE("a password file (~/.pgpass, or PGPASSFILE)") {
    testing::TempDir dir;
    const std::filesystem::path file = dir / "pgpass";
    std::ofstream(file) << host << ":*:" << role << ":s3cret\n";
    std::filesystem::permissions(
        file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    ScopedEnv password_file("PGPASSFILE", file.string());
    CHECK(PgStore::Open({.url = without}).has_value());
  }
}

TEST_SUITE_END();

}  // namespace
}  // namespace pg
}  // namespace patchcast::storage
