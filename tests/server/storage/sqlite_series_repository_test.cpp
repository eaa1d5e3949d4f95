#include "server/storage/sqlite_series_repository.h"

#include <doctest/doctest.h>

#include "server/storage/series_rows.h"
#include "server/storage/sqlite_store.h"
#include "tests/server/storage/series_repository_contract.h"
#include "tests/support/temp_dir.h"

// The repository's behaviour is the contract every engine passes
// (series_repository_contract_test.cpp); this file runs it on SQLite, and tests what is SQLite's
// own.
namespace patchcast::storage {
namespace contract {
namespace {

struct SqliteRepository final : RepositoryUnderTest {
  testing::TempDir dir;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<SqliteSeriesRepository> series;

  SqliteRepository() {
    auto opened = SqliteStore::Open({.path = dir / "p.db"});
    REQUIRE(opened);
    store = std::move(*opened);
    series = std::make_unique<SqliteSeriesRepository>(store->writes(), store->readers());
  }
  forecasting::SeriesRepository& repository() override { return *series; }
};

}  // namespace

std::unique_ptr<RepositoryUnderTest> OpenRepositoryUnderTest() {
  return std::make_unique<SqliteRepository>();
}

bool RepositoryEngineAvailable() { return true; }

}  // namespace contract

namespace {

TEST_CASE("zone mixes are stored exactly") {
  std::vector<forecasting::ZoneShare> mix = {{"Europe/Berlin", 0.1}, {"Asia/Tokyo", 0.9}};
  auto decoded = DecodeZoneMix(EncodeZoneMix(mix));
  REQUIRE(decoded);
  CHECK(*decoded == mix);
  CHECK(DecodeZoneMix("")->empty());
  CHECK_FALSE(DecodeZoneMix("Europe/Berlin"));
}

}  // namespace
}  // namespace patchcast::storage
