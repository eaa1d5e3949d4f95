// The series settings repository contract (store_contract.h): the same cases against every
// storage engine, each in a fresh store.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "tests/server/storage/store_contract.h"

namespace patchcast::storage::contract {
namespace {

using forecasting::kCapacityModelSetting;
using forecasting::kRebootPriorSetting;
using forecasting::kScheduleSetting;
using forecasting::StoredSetting;

std::chrono::sys_seconds At(std::int64_t unix_seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{unix_seconds}};
}

struct SettingsFixture {
  std::unique_ptr<StoreUnderTest> store = OpenStoreUnderTest();
  forecasting::SeriesRepository* series = &store->series();
  forecasting::SeriesSettingsRepository* settings = &store->settings();

  // Closes the database and opens it again, as a restart does.
  void Open() {
    store->Reopen();
    series = &store->series();
    settings = &store->settings();
  }

  void AddSeries(const std::string& id) {
    REQUIRE(series->PutSeries({id, std::chrono::seconds{3600}, "logins", "", {}}));
  }
};

TEST_SUITE_BEGIN("series settings repository contract" * doctest::skip(!StoreEngineAvailable()));
TEST_CASE("a stored setting is read back, and a second put replaces it") {
  SettingsFixture f;
  f.AddSeries("login");
  REQUIRE(f.settings->Put({"login", std::string(kRebootPriorSetting), At(100), R"({"a":1})"}));
  auto first = f.settings->Get("login", kRebootPriorSetting);
  REQUIRE(first);
  REQUIRE(first->has_value());
  CHECK((*first)->document == R"({"a":1})");
  CHECK((*first)->updated_at == At(100));
  CHECK((*first)->series_id == "login");
  CHECK((*first)->name == kRebootPriorSetting);

  REQUIRE(f.settings->Put({"login", std::string(kRebootPriorSetting), At(200), R"({"a":2})"}));
  auto second = f.settings->Get("login", kRebootPriorSetting);
  REQUIRE(second);
  REQUIRE(second->has_value());
  CHECK((*second)->document == R"({"a":2})");
  CHECK((*second)->updated_at == At(200));
}

TEST_CASE("settings are kept per series and per name") {
  SettingsFixture f;
  f.AddSeries("a");
  f.AddSeries("b");
  REQUIRE(f.settings->Put({"a", std::string(kRebootPriorSetting), At(1), "prior-a"}));
  REQUIRE(f.settings->Put({"a", std::string(kCapacityModelSetting), At(1), "model-a"}));
  REQUIRE(f.settings->Put({"b", std::string(kRebootPriorSetting), At(1), "prior-b"}));
  CHECK((*f.settings->Get("a", kRebootPriorSetting))->document == "prior-a");
  CHECK((*f.settings->Get("a", kCapacityModelSetting))->document == "model-a");
  CHECK((*f.settings->Get("b", kRebootPriorSetting))->document == "prior-b");
  auto none = f.settings->Get("b", kCapacityModelSetting);
  REQUIRE(none);
  CHECK_FALSE(none->has_value());
}

TEST_CASE("a name's settings are listed across series, by series id") {
  SettingsFixture f;
  f.AddSeries("b");
  f.AddSeries("a");
  f.AddSeries("c");
  REQUIRE(f.settings->Put({"b", std::string(kScheduleSetting), At(2), "schedule-b"}));
  REQUIRE(f.settings->Put({"a", std::string(kScheduleSetting), At(1), "schedule-a"}));
  REQUIRE(f.settings->Put({"c", std::string(kRebootPriorSetting), At(3), "prior-c"}));
  auto listed = f.settings->List(kScheduleSetting);
  REQUIRE(listed);
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0] == StoredSetting{"a", std::string(kScheduleSetting), At(1), "schedule-a"});
  CHECK((*listed)[1] == StoredSetting{"b", std::string(kScheduleSetting), At(2), "schedule-b"});
  auto none = f.settings->List(kCapacityModelSetting);
  REQUIRE(none);
  CHECK(none->empty());
}

TEST_CASE("a setting for a series that does not exist is refused") {
  SettingsFixture f;
  Status put = f.settings->Put({"ghost", std::string(kRebootPriorSetting), At(1), "{}"});
  REQUIRE_FALSE(put);
  CHECK(put.error().code == ErrorCode::kNotFound);
  CHECK(put.error().message == "series 'ghost' does not exist");
}

TEST_CASE("delete says whether a setting was stored") {
  SettingsFixture f;
  f.AddSeries("login");
  REQUIRE(f.settings->Put({"login", std::string(kCapacityModelSetting), At(1), "{}"}));
  auto deleted = f.settings->Delete("login", kCapacityModelSetting);
  REQUIRE(deleted);
  CHECK(*deleted);
  CHECK_FALSE(f.settings->Get("login", kCapacityModelSetting)->has_value());
  auto again = f.settings->Delete("login", kCapacityModelSetting);
  REQUIRE(again);
  CHECK_FALSE(*again);
}

TEST_CASE("a series' settings go with it") {
  SettingsFixture f;
  f.AddSeries("login");
  REQUIRE(f.settings->Put({"login", std::string(kRebootPriorSetting), At(1), "{}"}));
  REQUIRE(f.series->DeleteSeries("login"));
  f.AddSeries("login");  // a new series of the same name starts without settings
  CHECK_FALSE(f.settings->Get("login", kRebootPriorSetting)->has_value());
}

TEST_CASE("an acknowledged setting survives closing and reopening the database") {
  SettingsFixture f;
  f.AddSeries("login");
  REQUIRE(f.settings->Put({"login", std::string(kRebootPriorSetting), At(5), R"({"x":true})"}));
  f.Open();
  auto read = f.settings->Get("login", kRebootPriorSetting);
  REQUIRE(read);
  REQUIRE(read->has_value());
  CHECK((*read)->document == R"({"x":true})");
}
TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::contract
