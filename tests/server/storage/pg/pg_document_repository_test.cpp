#include "server/storage/pg/pg_document_repository.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "server/storage/pg/pg_series_repository.h"
#include "server/storage/pg/pg_series_settings_repository.h"
#include "server/storage/pg/pg_store.h"
#include "tests/support/pg_test_database.h"

// The document and settings repositories' behaviour is the contract every engine passes
// (tests/server/storage/store_contract.h, run on PostgreSQL by pg_store_test.cpp); this file tests
// what is PostgreSQL's own: lost connections and the message for a duplicate id.
namespace patchcast::storage::pg {
namespace {

using forecasting::DocumentKind;
using forecasting::StoredDocument;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

sys_seconds At(std::int64_t unix_seconds) { return sys_seconds{seconds{unix_seconds}}; }

StoredDocument Forecast(std::string id, std::int64_t generated_at) {
  return {.id = std::move(id),
          .series_id = "web",
          .generated_at = At(generated_at),
          .document = R"({"kind":"forecast"})"};
}

// A database holding series "web", with a pool of one connection.
struct Fixture {
  testing::PgTestDatabase database;
  std::unique_ptr<PgStore> store;

  Fixture() {
    auto opened = PgStore::Open({.url = database.url(), .pool_size = 1});
    INFO((opened ? std::string() : opened.error().message));
    REQUIRE(opened);
    store = std::move(*opened);
    PgSeriesRepository series(store->pool());
    REQUIRE(series.PutSeries({"web", seconds{300}, "logins", "", {}}));
  }
};

TEST_SUITE_BEGIN("postgresql" * doctest::skip(!testing::PgInstalled()));

TEST_CASE("a duplicate document id is a conflict that names the document") {
  Fixture f;
  PgDocumentRepository plans(DocumentKind::kPlan, f.store->pool());
  StoredDocument plan = Forecast("plan-1", kNov1);
  plan.valid_until = At(kNov1 + 86'400);
  REQUIRE(plans.Save(plan));
  Status again = plans.Save(plan);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kConflict);
  CHECK(again.error().message == "plan 'plan-1' already exists");
}

TEST_CASE("documents are saved and read when the pool's connections were terminated meanwhile") {
  Fixture f;
  PgDocumentRepository forecasts(DocumentKind::kForecast, f.store->pool());
  REQUIRE(forecasts.Save(Forecast("fc-1", kNov1)));

  CHECK(f.database.TerminateConnections() == 1);
  auto latest = forecasts.Latest("web");
  REQUIRE(latest);
  CHECK(latest->id == "fc-1");

  CHECK(f.database.TerminateConnections() == 1);
  REQUIRE(forecasts.Save(Forecast("fc-2", kNov1 + 60)));
  auto listed = forecasts.ForSeries("web");
  REQUIRE(listed);
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0].id == "fc-2");
}

TEST_CASE("settings are put and read when the pool's connections were terminated meanwhile") {
  Fixture f;
  PgSeriesSettingsRepository settings(f.store->pool());
  const forecasting::StoredSetting prior{"web", std::string(forecasting::kRebootPriorSetting),
                                         At(kNov1), R"({"a":1})"};
  REQUIRE(settings.Put(prior));

  CHECK(f.database.TerminateConnections() == 1);
  auto read = settings.Get("web", forecasting::kRebootPriorSetting);
  REQUIRE(read);
  REQUIRE(read->has_value());
  CHECK(**read == prior);

  CHECK(f.database.TerminateConnections() == 1);
  auto deleted = settings.Delete("web", forecasting::kRebootPriorSetting);
  REQUIRE(deleted);
  CHECK(*deleted);
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::pg
