// OpenStorageEngine: --db picks the engine (a file is SQLite, a postgresql:// URL is PostgreSQL),
// every port works on either, the password never shows, and two processes on one PostgreSQL
// database see each other's writes, the data version included.
#include "server/storage_engine.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/pg_test_database.h"
#include "tests/support/temp_dir.h"

namespace patchcast::server {
namespace {

using namespace std::chrono_literals;

const std::chrono::sys_seconds kStart{std::chrono::sys_days{std::chrono::year{2026} / 11 / 10}};

forecasting::SeriesMetadata Logins() {
  forecasting::SeriesMetadata metadata;
  metadata.id = "logins";
  metadata.step_seconds = 300s;
  return metadata;
}

// Writes through the engine's series and settings ports and reads the writes back through
// `reader` (the same engine, or another on the same database).
void CheckWritesReadBack(StorageEngine& writer, const StorageEngine& reader) {
  REQUIRE(writer.series->PutSeries(Logins()));
  const std::vector<forecasting::Point> points = {{kStart, 10}, {kStart + 300s, 20}};
  REQUIRE(writer.series->WritePoints(Logins(), points, forecasting::OnConflict::kReplace));
  auto summary = reader.series->GetSeries("logins");
  REQUIRE(summary);
  CHECK(summary->point_count == 2);
  const forecasting::StoredSetting setting{"logins", "capacity_model", kStart, R"({"x":1})"};
  REQUIRE(writer.settings->Put(setting));
  auto read = reader.settings->Get("logins", "capacity_model");
  REQUIRE(read);
  CHECK(*read == setting);
}

void CheckEveryPortIsOpen(const StorageEngine& engine) {
  CHECK(engine.store->Status());
  CHECK(engine.calendars);
  CHECK(engine.forecasts);
  CHECK(engine.plans);
  CHECK(engine.runs);
  CHECK(engine.scorecards);
  CHECK(engine.surges);
  CHECK(engine.data_version);
}

TEST_CASE("a file path opens SQLite, shown as given, with every port") {
  testing::TempDir dir;
  const std::string path = (dir.path() / "engine.db").string();
  auto engine = OpenStorageEngine({.db = path});
  REQUIRE(engine);
  CHECK(engine->shown_name == path);
  CheckEveryPortIsOpen(*engine);
  CheckWritesReadBack(*engine, *engine);
}

TEST_CASE("an unreachable PostgreSQL server is refused at open, its password not shown") {
  auto engine = OpenStorageEngine({.db = "postgresql://app:s3cret@127.0.0.1:1/patchcast"});
  REQUIRE_FALSE(engine);
  CHECK(engine.error().code == ErrorCode::kUnavailable);
  CHECK(engine.error().message.find("postgresql://app:***@127.0.0.1:1/patchcast") !=
        std::string::npos);
  CHECK(engine.error().message.find("s3cret") == std::string::npos);
}

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

TEST_CASE("a postgresql:// URL opens PostgreSQL, shown and refusing backups without its password") {
  testing::PgTestDatabase database;
  const std::string role(testing::PgCluster::kPasswordRole);
  database.Admin("DROP ROLE IF EXISTS " + role);
  database.Admin("CREATE ROLE " + role + " LOGIN PASSWORD 's3cret'");
  database.Admin("ALTER DATABASE " + database.name() + " OWNER TO " + role);
  const std::string at =
      "@127.0.0.1:" + std::to_string(database.cluster().port()) + "/" + database.name();

  auto engine = OpenStorageEngine({.db = "postgresql://" + role + ":s3cret" + at, .pool_size = 2});
  INFO((engine ? std::string() : engine.error().message));
  REQUIRE(engine);
  CHECK(engine->shown_name == "postgresql://" + role + ":***" + at);
  CheckEveryPortIsOpen(*engine);
  CheckWritesReadBack(*engine, *engine);

  auto backup = engine->store->CreateBackup(kStart, "");
  REQUIRE_FALSE(backup);
  CHECK(backup.error().code == ErrorCode::kUnprocessable);
  CHECK(backup.error().message.find("pg_dump") != std::string::npos);
  CHECK(backup.error().message.find("s3cret") == std::string::npos);
  auto backups = engine->store->ListBackups();
  REQUIRE(backups);
  CHECK(backups->empty());
}

TEST_CASE("two processes' engines on one PostgreSQL database share writes and the data version") {
  testing::PgTestDatabase database;
  auto first = OpenStorageEngine({.db = database.url(), .pool_size = 2});
  auto second = OpenStorageEngine({.db = database.url(), .pool_size = 2});
  REQUIRE(first);
  REQUIRE(second);
  const std::uint64_t before = second->data_version->Current();
  CheckWritesReadBack(*first, *second);
  const std::uint64_t after = second->data_version->Current();
  CHECK(after > before);
  CHECK(first->data_version->Current() >= after);
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::server
