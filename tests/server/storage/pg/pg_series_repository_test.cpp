#include "server/storage/pg/pg_series_repository.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>

#include "server/storage/pg/pg_store.h"
#include "tests/server/storage/series_repository_contract.h"
#include "tests/support/pg_test_database.h"

// The repository's behaviour is the contract every engine passes
// (series_repository_contract_test.cpp); this file runs it on PostgreSQL, and tests what is
// PostgreSQL's own: lost connections and the stored layout.
namespace patchcast::storage {
namespace contract {
namespace {

struct PgRepository final : RepositoryUnderTest {
  testing::PgTestDatabase database;
  std::unique_ptr<pg::PgStore> store;
  std::unique_ptr<pg::PgSeriesRepository> series;

  PgRepository() {
    auto opened = pg::PgStore::Open(
        {.url = database.url(), .pool_size = 4, .borrow_timeout = std::chrono::seconds(30)});
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened);
    store = std::move(*opened);
    series = std::make_unique<pg::PgSeriesRepository>(store->pool());
  }
  forecasting::SeriesRepository& repository() override { return *series; }
};

}  // namespace

std::unique_ptr<RepositoryUnderTest> OpenRepositoryUnderTest() {
  return std::make_unique<PgRepository>();
}

bool RepositoryEngineAvailable() { return testing::PgInstalled(); }

}  // namespace contract

namespace pg {
namespace {

using forecasting::OnConflict;
using forecasting::Point;
using forecasting::SeriesMetadata;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

sys_seconds At(std::int64_t unix_seconds) { return sys_seconds{seconds{unix_seconds}}; }

const SeriesMetadata kLogin{"skype-login", seconds{60}, "logins", "", {}};

std::vector<Point> Minutes(std::int64_t start, std::size_t count) {
  std::vector<Point> points;
  for (std::size_t i = 0; i < count; ++i) {
    points.push_back({At(start + 60 * static_cast<std::int64_t>(i)), static_cast<double>(i)});
  }
  return points;
}

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

TEST_CASE("reads and writes go on when the pool's connections were terminated meanwhile") {
  testing::PgTestDatabase database;
  auto opened = PgStore::Open({.url = database.url(), .pool_size = 1});
  REQUIRE(opened);
  PgSeriesRepository repository((*opened)->pool());
  REQUIRE(repository.WritePoints(kLogin, Minutes(kNov1, 10), OnConflict::kReplace));

  CHECK(database.TerminateConnections() == 1);
  auto read = repository.ReadRange("skype-login", At(kNov1), At(kNov1 + 600), 100);
  REQUIRE(read);
  CHECK(read->values.size() == 10);
  CHECK(read->values[9] == 9);

  CHECK(database.TerminateConnections() == 1);
  auto written = repository.WritePoints(kLogin, Minutes(kNov1 + 600, 5), OnConflict::kReplace);
  REQUIRE(written);
  CHECK(written->accepted == 5);
  CHECK(repository.GetSeries("skype-login")->point_count == 15);
}

TEST_CASE("values are stored packed: one bytea row per chunk of 4096 steps, not a row per point") {
  testing::PgTestDatabase database;
  auto opened = PgStore::Open({.url = database.url()});
  REQUIRE(opened);
  PgSeriesRepository repository((*opened)->pool());
  REQUIRE(repository.WritePoints(kLogin, Minutes(kNov1, 10'000), OnConflict::kReplace));
  pqxx::connection connection(database.url());
  const pqxx::row chunks =
      pqxx::nontransaction(connection)
          .exec1(
              "SELECT count(*), sum(octet_length(data)) FROM series_chunks WHERE series_id = "
              "'skype-login'");
  // 2026-11-01 is grid step 29,891,520 = chunk 7297 + 3,008 steps: 10,000 points span 4 chunks.
  CHECK(chunks[0].as<int>() == 4);
  CHECK(chunks[1].as<std::int64_t>() == (10'000 + 3'008) * 8);  // leading gaps are stored
}

TEST_CASE("an upload refused part-way leaves nothing behind (one transaction)") {
  testing::PgTestDatabase database;
  auto opened = PgStore::Open({.url = database.url()});
  REQUIRE(opened);
  PgSeriesRepository repository((*opened)->pool());
  REQUIRE(repository.WritePoints(kLogin, Minutes(kNov1 + 60 * 8000, 1), OnConflict::kReplace));
  // The first chunk of this upload is new; its last point collides in the next chunk.
  auto refused = repository.WritePoints(kLogin, Minutes(kNov1, 8001), OnConflict::kReject);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kConflict);
  CHECK(repository.GetSeries("skype-login")->point_count == 1);
  auto read = repository.ReadRange("skype-login", At(kNov1), At(kNov1 + 60), 10);
  REQUIRE(read);
  CHECK(std::isnan(read->values[0]));
}

TEST_SUITE_END();

}  // namespace
}  // namespace pg
}  // namespace patchcast::storage
