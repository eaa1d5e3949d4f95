// The document repository contract (store_contract.h): the same cases against every storage
// engine, each in a fresh store. A repository keeps plans and forecasts per series with the same
// rules (save, get, latest, listed per series, latest per series, retention, errors), so one set
// of tests runs against each kind through a small traits type; what differs (a plan's
// valid_until, a forecast's hypothetical flag) has its own tests.
#include <doctest/doctest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tests/server/storage/store_contract.h"

namespace patchcast::storage::contract {
namespace {

using forecasting::WithDocuments;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

sys_seconds At(std::int64_t unix_seconds) { return sys_seconds{seconds{unix_seconds}}; }

// Creates series `id` with one point.
void AddSeries(forecasting::SeriesRepository& series, const std::string& id) {
  const forecasting::SeriesMetadata metadata{id, seconds{300}, "logins", "", {}};
  const std::vector<forecasting::Point> points = {{At(kNov1), 1}};
  REQUIRE(series.WritePoints(metadata, points, forecasting::OnConflict::kReplace));
}

struct Plans {
  static constexpr forecasting::DocumentKind kKind = forecasting::DocumentKind::kPlan;
  static constexpr const char* kNoun = "plan";
  // valid_until a day after generation, so that a mix-up of the two columns shows.
  static forecasting::StoredDocument Make(std::string id, std::string series,
                                          std::int64_t generated_at) {
    return {.id = std::move(id),
            .series_id = std::move(series),
            .generated_at = At(generated_at),
            .valid_until = At(generated_at + 86'400),
            .document = R"({"kind":"plan","generated_at":)" + std::to_string(generated_at) + "}"};
  }
};

struct Forecasts {
  static constexpr forecasting::DocumentKind kKind = forecasting::DocumentKind::kForecast;
  static constexpr const char* kNoun = "forecast";
  static forecasting::StoredDocument Make(std::string id, std::string series,
                                          std::int64_t generated_at) {
    return {
        .id = std::move(id),
        .series_id = std::move(series),
        .generated_at = At(generated_at),
        .valid_until = std::nullopt,
        .document = R"({"kind":"forecast","generated_at":)" + std::to_string(generated_at) + "}"};
  }
};

// A fresh store with series "web" and "api", and the repository under test.
template <typename Traits>
struct Fixture {
  std::unique_ptr<StoreUnderTest> store = OpenStoreUnderTest();
  std::unique_ptr<forecasting::DocumentRepository> repository;

  explicit Fixture(int retention = 100) {
    repository = store->NewDocuments(Traits::kKind, retention);
    for (const char* id : {"web", "api"}) AddSeries(store->series(), id);
  }

  // Closes the database and opens it again, as a restart does.
  void Reopen(int retention = 100) {
    repository.reset();
    store->Reopen();
    repository = store->NewDocuments(Traits::kKind, retention);
  }

  void Save(const forecasting::StoredDocument& stored) { REQUIRE(repository->Save(stored)); }
};

TEST_SUITE_BEGIN("document repository contract" * doctest::skip(!StoreEngineAvailable()));
TEST_CASE_TEMPLATE("a saved document is read back by id and as the series' latest", T, Plans,
                   Forecasts) {
  Fixture<T> f;
  const auto stored = T::Make("doc-1", "web", kNov1);
  f.Save(stored);
  auto got = f.repository->Get("doc-1");
  REQUIRE(got);
  CHECK(*got == stored);
  auto latest = f.repository->Latest("web");
  REQUIRE(latest);
  CHECK(*latest == stored);
}

TEST_CASE_TEMPLATE("a document's format is kept with it, 1 unless said", T, Plans, Forecasts) {
  Fixture<T> f;
  f.Save(T::Make("doc-1", "web", kNov1));
  auto later = T::Make("doc-2", "web", kNov1 + 60);
  later.format = 2;
  f.Save(later);
  f.Reopen();
  CHECK(f.repository->Get("doc-1")->format == 1);
  CHECK(f.repository->Get("doc-2")->format == 2);
  CHECK(f.repository->Latest("web")->format == 2);
  auto all = f.repository->ForSeries("web");
  REQUIRE(all);
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].format == 2);
  CHECK((*all)[1].format == 1);
  auto per_series = f.repository->LatestPerSeries(WithDocuments::kNo);
  REQUIRE(per_series);
  REQUIRE(per_series->size() == 1);
  CHECK((*per_series)[0].format == 2);
}

TEST_CASE_TEMPLATE("unknown ids and series without documents are not found, with the name", T,
                   Plans, Forecasts) {
  Fixture<T> f;
  auto got = f.repository->Get("doc-none");
  REQUIRE_FALSE(got);
  CHECK(got.error().code == ErrorCode::kNotFound);
  CHECK(got.error().message == std::string(T::kNoun) + " 'doc-none' does not exist");
  auto latest = f.repository->Latest("web");
  REQUIRE_FALSE(latest);
  CHECK(latest.error().code == ErrorCode::kNotFound);
  CHECK(latest.error().message ==
        std::string("no ") + T::kNoun + " has been made for series 'web' yet");
  auto unknown = f.repository->Latest("absent");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kNotFound);
  CHECK(unknown.error().message == "series 'absent' does not exist");
}

TEST_CASE_TEMPLATE("a duplicate id is a conflict and leaves the first document alone", T, Plans,
                   Forecasts) {
  Fixture<T> f;
  const auto first = T::Make("doc-1", "web", kNov1);
  f.Save(first);
  Status again = f.repository->Save(T::Make("doc-1", "api", kNov1 + 60));
  REQUIRE_FALSE(again);
  CHECK(again.error().code == ErrorCode::kConflict);
  auto got = f.repository->Get("doc-1");
  REQUIRE(got);
  CHECK(*got == first);
  CHECK_FALSE(f.repository->Latest("api"));  // the refused save left nothing behind
}

TEST_CASE_TEMPLATE("a document for an unknown series is not found and not stored", T, Plans,
                   Forecasts) {
  Fixture<T> f;
  Status saved = f.repository->Save(T::Make("doc-1", "absent", kNov1));
  REQUIRE_FALSE(saved);
  CHECK(saved.error().code == ErrorCode::kNotFound);
  CHECK(saved.error().message == "series 'absent' does not exist");
  CHECK_FALSE(f.repository->Get("doc-1"));
}

TEST_CASE_TEMPLATE("retention keeps a series' newest documents by generated_at", T, Plans,
                   Forecasts) {
  Fixture<T> f(3);
  // Saved out of order: generated at +2, +4, +1, +5, +3 minutes.
  for (int minute : {2, 4, 1, 5, 3}) {
    f.Save(T::Make("web-" + std::to_string(minute), "web", kNov1 + 60 * minute));
  }
  f.Save(T::Make("api-1", "api", kNov1));  // another series: its own count
  for (int minute : {1, 2}) {
    auto got = f.repository->Get("web-" + std::to_string(minute));
    REQUIRE_FALSE(got);
    CHECK(got.error().code == ErrorCode::kNotFound);
  }
  for (int minute : {3, 4, 5}) CHECK(f.repository->Get("web-" + std::to_string(minute)));
  CHECK(f.repository->Get("api-1"));
}

TEST_CASE_TEMPLATE("latest is the newest generated_at, and the later save on a tie", T, Plans,
                   Forecasts) {
  Fixture<T> f;
  f.Save(T::Make("newer", "web", kNov1 + 600));
  f.Save(T::Make("older", "web", kNov1));  // saved last but generated earlier
  auto latest = f.repository->Latest("web");
  REQUIRE(latest);
  CHECK(latest->id == "newer");
  f.Save(T::Make("tie", "web", kNov1 + 600));
  latest = f.repository->Latest("web");
  REQUIRE(latest);
  CHECK(latest->id == "tie");
}

TEST_CASE_TEMPLATE("saved documents survive closing and reopening the database", T, Plans,
                   Forecasts) {
  Fixture<T> f;
  const auto stored = T::Make("doc-1", "web", kNov1);
  f.Save(stored);
  f.Reopen();
  auto got = f.repository->Get("doc-1");
  REQUIRE(got);
  CHECK(*got == stored);
  auto latest = f.repository->Latest("web");
  REQUIRE(latest);
  CHECK(latest->id == "doc-1");
}

TEST_CASE("a hypothetical forecast is kept by id but is never a series' latest") {
  Fixture<Forecasts> f;
  const auto plain = Forecasts::Make("fc-plain", "web", kNov1);
  auto what_if = Forecasts::Make("fc-what-if", "web", kNov1 + 60);
  what_if.hypothetical = true;
  f.Save(plain);
  f.Save(what_if);
  auto got = f.repository->Get("fc-what-if");
  REQUIRE(got);
  CHECK(got->hypothetical);
  CHECK_FALSE(f.repository->Get("fc-plain")->hypothetical);
  auto latest = f.repository->Latest("web");
  REQUIRE(latest);
  CHECK(latest->id == "fc-plain");
  auto per_series = f.repository->LatestPerSeries(WithDocuments::kNo);
  REQUIRE(per_series);
  REQUIRE(per_series->size() == 1);
  CHECK((*per_series)[0].id == "fc-plain");
  CHECK(f.repository->ForSeries("web")->size() == 2);  // listed with the others

  // A series whose only forecast is hypothetical has no latest one.
  auto only = Forecasts::Make("fc-only", "api", kNov1);
  only.hypothetical = true;
  f.Save(only);
  auto none = f.repository->Latest("api");
  REQUIRE_FALSE(none);
  CHECK(none.error().message == "no forecast has been made for series 'api' yet");
  f.Reopen();
  CHECK(f.repository->Get("fc-only")->hypothetical);
}

TEST_CASE("a forecast's horizon_end and score_at are kept with it, and none when not given") {
  Fixture<Forecasts> f;
  auto scored = Forecasts::Make("fc-horizon", "web", kNov1 + 60);
  scored.horizon_end = At(kNov1 + 7 * 86'400);
  scored.score_at = At(kNov1 + 3 * 86'400);
  const auto before = Forecasts::Make("fc-before", "web", kNov1);  // kept before horizons were
  f.Save(before);
  f.Save(scored);
  f.Reopen();
  auto got = f.repository->Get("fc-horizon");
  REQUIRE(got);
  CHECK(got->horizon_end == At(kNov1 + 7 * 86'400));
  CHECK(got->score_at == At(kNov1 + 3 * 86'400));
  CHECK(*got == scored);
  auto bare = f.repository->Get("fc-before");
  REQUIRE(bare);
  CHECK_FALSE(bare->horizon_end.has_value());
  CHECK_FALSE(bare->score_at.has_value());
  CHECK(*bare == before);
  CHECK(f.repository->Latest("web")->horizon_end == scored.horizon_end);
  CHECK(*f.repository->ForSeries("web") == std::vector{scored, before});
  auto per_series = f.repository->LatestPerSeries(WithDocuments::kNo);
  REQUIRE(per_series);
  REQUIRE(per_series->size() == 1);
  CHECK((*per_series)[0].horizon_end == scored.horizon_end);
}

TEST_CASE("a plan has no horizon_end or score_at, even when saved with them") {
  Fixture<Plans> f;
  auto plan = Plans::Make("plan-1", "web", kNov1);
  plan.horizon_end = At(kNov1 + 86'400);
  plan.score_at = At(kNov1 + 86'400);
  f.Save(plan);
  auto got = f.repository->Get("plan-1");
  REQUIRE(got);
  CHECK_FALSE(got->horizon_end.has_value());
  CHECK_FALSE(got->score_at.has_value());
  CHECK(got->valid_until == At(kNov1 + 86'400));
}

TEST_CASE_TEMPLATE("a series' documents are listed newest first, the later save first on a tie", T,
                   Plans, Forecasts) {
  Fixture<T> f;
  auto none = f.repository->ForSeries("web");
  REQUIRE(none);
  CHECK(none->empty());
  f.Save(T::Make("web-old", "web", kNov1));
  f.Save(T::Make("web-new", "web", kNov1 + 600));
  f.Save(T::Make("web-tie", "web", kNov1));
  f.Save(T::Make("api-1", "api", kNov1 + 900));  // another series: not listed
  auto listed = f.repository->ForSeries("web");
  REQUIRE(listed);
  CHECK(*listed == std::vector{T::Make("web-new", "web", kNov1 + 600),
                               T::Make("web-tie", "web", kNov1), T::Make("web-old", "web", kNov1)});
  auto unknown = f.repository->ForSeries("absent");
  REQUIRE(unknown);
  CHECK(unknown->empty());
}

TEST_CASE("a plan without valid_until is refused before it reaches the database") {
  Fixture<Plans> f;
  auto plan = Plans::Make("plan-1", "web", kNov1);
  plan.valid_until.reset();
  Status saved = f.repository->Save(plan);
  REQUIRE_FALSE(saved);
  CHECK(saved.error().code == ErrorCode::kInternal);
  CHECK_FALSE(f.repository->Get("plan-1"));
}

TEST_CASE_TEMPLATE("latest per series lists each series' latest once, by series id", T, Plans,
                   Forecasts) {
  Fixture<T> f;
  auto empty = f.repository->LatestPerSeries(WithDocuments::kYes);
  REQUIRE(empty);
  CHECK(empty->empty());

  f.Save(T::Make("web-new", "web", kNov1 + 600));
  f.Save(T::Make("web-old", "web", kNov1));
  f.Save(T::Make("api-1", "api", kNov1));
  f.Save(T::Make("api-2", "api", kNov1));  // a tie: the later save wins, as for Latest

  auto listed = f.repository->LatestPerSeries(WithDocuments::kYes);
  REQUIRE(listed);
  REQUIRE(listed->size() == 2);
  CHECK((*listed)[0] == T::Make("api-2", "api", kNov1));
  CHECK((*listed)[1] == T::Make("web-new", "web", kNov1 + 600));
  for (const auto& stored : *listed) {
    auto latest = f.repository->Latest(stored.series_id);
    REQUIRE(latest);
    CHECK(latest->id == stored.id);
  }

  auto keys = f.repository->LatestPerSeries(WithDocuments::kNo);
  REQUIRE(keys);
  REQUIRE(keys->size() == 2);
  auto expected = T::Make("web-new", "web", kNov1 + 600);
  expected.document.clear();
  CHECK((*keys)[1] == expected);
  CHECK((*keys)[0].document.empty());
}

TEST_CASE_TEMPLATE("latest per series picks each one's latest among many series", T, Plans,
                   Forecasts) {
  Fixture<T> f;
  forecasting::SeriesRepository& series = f.store->series();
  for (int i = 0; i < 50; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "s%03d", i);
    AddSeries(series, id);
    for (int k = 0; k < 2; ++k)
      f.Save(T::Make(std::string(id) + "-" + std::to_string(k), id, kNov1 + k));
  }
  auto keys = f.repository->LatestPerSeries(WithDocuments::kNo);
  REQUIRE(keys);
  REQUIRE(keys->size() == 50);
  int wrong = 0;
  for (int i = 0; i < 50; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "s%03d", i);
    wrong += (*keys)[static_cast<std::size_t>(i)].id != std::string(id) + "-1";
  }
  CHECK(wrong == 0);
}

TEST_CASE_TEMPLATE("a series' documents go with it", T, Plans, Forecasts) {
  Fixture<T> f;
  f.Save(T::Make("web-1", "web", kNov1));
  f.Save(T::Make("api-1", "api", kNov1));
  REQUIRE(f.store->series().DeleteSeries("web"));
  CHECK_FALSE(f.repository->Get("web-1"));
  AddSeries(f.store->series(), "web");  // a new series of the same name starts without documents
  auto listed = f.repository->ForSeries("web");
  REQUIRE(listed);
  CHECK(listed->empty());
  CHECK(f.repository->Get("api-1"));
}
TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::contract
