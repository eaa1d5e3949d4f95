// The surge alert log contract (store_contract.h): against every storage engine, each in a fresh
// store, episodes are recorded, updated in place when they end, listed, told open or not, and kept
// across a reopen.
#include <doctest/doctest.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/server/storage/store_contract.h"

namespace patchcast::storage::contract {
namespace {

using forecasting::SurgeAlert;
using forecasting::SurgeReason;

std::chrono::sys_seconds At(std::int64_t unix_seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{unix_seconds}};
}

struct AlertsFixture {
  std::unique_ptr<StoreUnderTest> store = OpenStoreUnderTest();
  forecasting::SeriesRepository* series = &store->series();
  forecasting::SurgeAlertLog* alerts = &store->surge_alerts();

  // Closes the database and opens it again, as a restart does.
  void Open() {
    store->Reopen();
    series = &store->series();
    alerts = &store->surge_alerts();
  }

  void AddSeries(const std::string& id) {
    REQUIRE(series->PutSeries({id, std::chrono::seconds{3600}, "logins", "", {}}));
  }
};

SurgeAlert Alert(const std::string& series, std::int64_t started,
                 std::optional<std::int64_t> ended) {
  SurgeAlert alert{series, "microsoft:2026-12-08:release", "fc-1", {}};
  alert.episode.started = At(started);
  if (ended) alert.episode.ended = At(*ended);
  alert.episode.reason = SurgeReason::kOverP90Ratio;
  alert.episode.peak_ratio = 1.75;
  alert.episode.peak_at = At(started + 3600);
  return alert;
}

TEST_SUITE_BEGIN("surge alert log contract" * doctest::skip(!StoreEngineAvailable()));
TEST_CASE("an episode is recorded, then updated in place when it ends") {
  AlertsFixture f;
  f.AddSeries("login");
  const SurgeAlert open = Alert("login", 1000, std::nullopt);
  REQUIRE(f.alerts->Record(open));
  auto listed = f.alerts->List("login", At(0), At(1'000'000), 10);
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0] == open);
  auto states = f.alerts->States();
  REQUIRE(states);
  CHECK(*states == std::vector<forecasting::SurgeState>{{"login", true}});

  SurgeAlert ended = open;
  ended.episode.ended = At(9000);
  ended.episode.peak_ratio = 2.0;
  REQUIRE(f.alerts->Record(ended));
  listed = f.alerts->List("login", At(0), At(1'000'000), 10);
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0] == ended);
  CHECK(*f.alerts->States() == std::vector<forecasting::SurgeState>{{"login", false}});
}

TEST_CASE("alerts are listed newest first within [from, to), limited, per series") {
  AlertsFixture f;
  f.AddSeries("a");
  f.AddSeries("b");
  REQUIRE(f.alerts->Record(Alert("a", 1000, 2000)));
  REQUIRE(f.alerts->Record(Alert("a", 3000, std::nullopt)));
  REQUIRE(f.alerts->Record(Alert("b", 5000, 6000)));
  auto all = f.alerts->List("a", At(0), At(10'000), 10);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].episode.started == At(3000));
  CHECK((*all)[1].episode.started == At(1000));
  CHECK(f.alerts->List("a", At(1000), At(3000), 10)->size() == 1);
  CHECK(f.alerts->List("a", At(0), At(10'000), 1)->size() == 1);
  // A limit beyond any count, and the widest range, list them all (a copy asks so).
  auto unbounded = f.alerts->List("a", At(std::numeric_limits<std::int64_t>::min()),
                                  At(std::numeric_limits<std::int64_t>::max()),
                                  std::numeric_limits<std::size_t>::max());
  REQUIRE(unbounded);
  CHECK(unbounded->size() == 2);
  CHECK(f.alerts->List("nope", At(0), At(10'000), 10)->empty());
  CHECK(*f.alerts->States() == std::vector<forecasting::SurgeState>{{"a", true}, {"b", false}});
}

TEST_CASE("an alert for an unknown series is refused, and a series' alerts go with it") {
  AlertsFixture f;
  auto refused = f.alerts->Record(Alert("nope", 1000, std::nullopt));
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kNotFound);
  CHECK(refused.error().message == "series 'nope' does not exist");
  f.AddSeries("login");
  REQUIRE(f.alerts->Record(Alert("login", 1000, std::nullopt)));
  REQUIRE(f.series->DeleteSeries("login"));
  CHECK(f.alerts->States()->empty());
}

TEST_CASE("a recorded alert survives closing and reopening the database") {
  AlertsFixture f;
  f.AddSeries("login");
  REQUIRE(f.alerts->Record(Alert("login", 1000, 4000)));
  f.Open();
  auto listed = f.alerts->List("login", At(0), At(10'000), 10);
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0] == Alert("login", 1000, 4000));
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::contract
