// The scorecard store contract (store_contract.h): against every storage engine, each in a fresh
// store, scorecards with NaN scores and events are kept, replaced, listed, picked as each series'
// latest, dropped with their series, kept across a reopen and past their forecast's retention, and
// the forecasts due for scoring are found.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tests/server/storage/store_contract.h"

namespace patchcast::storage::contract {
namespace {

using forecasting::DueScoring;
using forecasting::EventAccuracy;
using forecasting::ForecastScorecard;
using forecasting::WindowScore;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z
constexpr std::int64_t kStep = 300;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::chrono::sys_seconds At(std::int64_t unix_seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{unix_seconds}};
}

// Equal, NaN equal to NaN (a score with nothing to score is NaN, and NaN != NaN).
bool Same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

bool SameScore(const WindowScore& a, const WindowScore& b) {
  return Same(a.peak_error, b.peak_error) &&
         Same(a.peak_timing_error_minutes, b.peak_timing_error_minutes) && Same(a.mape, b.mape) &&
         Same(a.coverage_p50, b.coverage_p50) && Same(a.coverage_p90, b.coverage_p90) &&
         Same(a.coverage_p99, b.coverage_p99) && a.steps == b.steps;
}

bool SameEvent(const EventAccuracy& a, const EventAccuracy& b) {
  return a.event_id == b.event_id && a.start == b.start && Same(a.actual_peak, b.actual_peak) &&
         a.actual_peak_ts == b.actual_peak_ts && SameScore(a.forecast, b.forecast) &&
         SameScore(a.seasonal_naive, b.seasonal_naive);
}

// Checks `got` field by field against `want`, treating NaN as equal to NaN.
void CheckSameCard(const ForecastScorecard& got, const ForecastScorecard& want) {
  CAPTURE(want.forecast_id);
  CHECK(got.forecast_id == want.forecast_id);
  CHECK(got.series_id == want.series_id);
  CHECK(got.as_of == want.as_of);
  CHECK(got.generated_at == want.generated_at);
  CHECK(got.scored_at == want.scored_at);
  CHECK(got.horizon_end == want.horizon_end);
  CHECK(got.next_score_at == want.next_score_at);
  CHECK(SameScore(got.forecast, want.forecast));
  CHECK(SameScore(got.seasonal_naive, want.seasonal_naive));
  REQUIRE(got.events.size() == want.events.size());
  for (std::size_t i = 0; i < want.events.size(); ++i) {
    CAPTURE(i);
    CHECK(SameEvent(got.events[i], want.events[i]));
  }
}

// The forecast ids of `cards`, in order.
std::vector<std::string> Ids(const std::vector<ForecastScorecard>& cards) {
  std::vector<std::string> ids;
  for (const ForecastScorecard& card : cards) ids.push_back(card.forecast_id);
  return ids;
}

std::vector<std::string> Ids(const std::vector<DueScoring>& due) {
  std::vector<std::string> ids;
  for (const DueScoring& entry : due) ids.push_back(entry.forecast_id);
  return ids;
}

// A score with every field set, distinct per `seed`.
WindowScore Score(double seed) {
  return {.peak_error = -0.05 * seed,
          .peak_timing_error_minutes = 15 * seed,
          .mape = 0.08 * seed,
          .coverage_p50 = 0.5,
          .coverage_p90 = 0.875,
          .coverage_p99 = 0.984375,
          .steps = static_cast<std::size_t>(seed * 100)};
}

// A scorecard of forecast `id` for `series_id` generated `generated` seconds after kNov1, whose
// horizon ends a week later, without events.
ForecastScorecard Card(std::string id, std::string series_id, std::int64_t generated,
                       std::int64_t horizon = 7 * 86'400) {
  return {.forecast_id = std::move(id),
          .series_id = std::move(series_id),
          .as_of = At(kNov1 + generated - 600),
          .generated_at = At(kNov1 + generated),
          .scored_at = At(kNov1 + generated + horizon + 3600),
          .horizon_end = At(kNov1 + generated + horizon),
          .forecast = Score(1),
          .seasonal_naive = Score(2),
          .events = {}};
}

EventAccuracy Event(std::string id, std::int64_t start, double seed) {
  return {.event_id = std::move(id),
          .start = At(kNov1 + start),
          .actual_peak = 1000 * seed,
          .actual_peak_ts = At(kNov1 + start + 3600),
          .forecast = Score(seed),
          .seasonal_naive = Score(seed + 0.5)};
}

// A store in a temporary directory with the store under test and the repositories that feed it.
struct ScorecardFixture {
  std::unique_ptr<StoreUnderTest> store = OpenStoreUnderTest();
  forecasting::SeriesRepository* series = &store->series();
  std::unique_ptr<forecasting::DocumentRepository> forecasts =
      store->NewDocuments(forecasting::DocumentKind::kForecast, 100);
  forecasting::ScorecardStore* cards = &store->scorecards();

  // Closes the database and opens it again, as a restart does, keeping `retention` forecasts per
  // series from then on.
  void Open(int retention = 100) {
    forecasts.reset();
    store->Reopen();
    series = &store->series();
    forecasts = store->NewDocuments(forecasting::DocumentKind::kForecast, retention);
    cards = &store->scorecards();
  }

  void AddSeries(const std::string& id) {
    REQUIRE(series->PutSeries({id, std::chrono::seconds{kStep}, "logins", "", {}}));
  }

  // Writes one point of series `id` at `offset` seconds after kNov1 (creating the series).
  void WritePoint(const std::string& id, std::int64_t offset) {
    const forecasting::SeriesMetadata metadata{id, std::chrono::seconds{kStep}, "logins", "", {}};
    const std::vector<forecasting::Point> points = {{At(kNov1 + offset), 100}};
    REQUIRE(series->WritePoints(metadata, points, forecasting::OnConflict::kReplace));
  }

  // Saves forecast `id` of `series_id` whose horizon ends `horizon_end` seconds after kNov1, first
  // due for scoring `first_score` seconds after kNov1 (by default at its horizon's end).
  void SaveForecast(const std::string& id, const std::string& series_id,
                    std::optional<std::int64_t> horizon_end, bool hypothetical = false,
                    std::int64_t generated = 0, std::optional<std::int64_t> first_score = {}) {
    forecasting::StoredDocument document{.id = id,
                                         .series_id = series_id,
                                         .generated_at = At(kNov1 + generated),
                                         .document = "{}",
                                         .hypothetical = hypothetical};
    if (horizon_end) document.horizon_end = At(kNov1 + *horizon_end);
    if (auto score = first_score ? first_score : horizon_end)
      document.score_at = At(kNov1 + *score);
    REQUIRE(forecasts->Save(document));
  }

  void Keep(const ForecastScorecard& card) { REQUIRE(cards->Keep(card)); }

  // Every scorecard of `series_id`.
  std::vector<ForecastScorecard> All(const std::string& series_id) {
    auto listed = cards->List(series_id, At(0), At(kNov1 * 2));
    REQUIRE(listed);
    return *listed;
  }

  std::vector<std::string> DueIds(std::size_t limit = 100) {
    auto due = cards->Due(limit);
    REQUIRE(due);
    return Ids(*due);
  }

  std::int64_t Rows(const std::string& table) {
    return store->QueryInteger("SELECT count(*) FROM " + table);
  }
};

TEST_SUITE_BEGIN("scorecard store contract" * doctest::skip(!StoreEngineAvailable()));
TEST_CASE("a kept scorecard with NaN scores and events is read back equal") {
  ScorecardFixture f;
  f.AddSeries("login");
  ForecastScorecard card = Card("fc-1", "login", 0);
  card.forecast.coverage_p99 = kNaN;    // a forecast without the 0.99 quantile
  card.seasonal_naive = WindowScore{};  // nothing scored: all NaN, 0 steps
  card.events = {Event("patch-tuesday", 86'400, 1), Event("out-of-band", 2 * 86'400, 2),
                 Event("quiet", 3 * 86'400, 3)};
  card.events[1].actual_peak = kNaN;
  card.events[1].forecast.mape = kNaN;
  card.events[2].seasonal_naive = WindowScore{};
  f.Keep(card);

  const std::vector<ForecastScorecard> listed = f.All("login");
  REQUIRE(listed.size() == 1);
  CheckSameCard(listed[0], card);
  // NaN reads back as NaN, not 0, and numbers exactly.
  CHECK(std::isnan(listed[0].forecast.coverage_p99));
  CHECK(std::isnan(listed[0].seasonal_naive.peak_error));
  CHECK(listed[0].seasonal_naive.steps == 0);
  CHECK(listed[0].forecast.coverage_p90 == 0.875);
  CHECK(std::isnan(listed[0].events[1].actual_peak));
  CHECK(listed[0].events[2].actual_peak == 3000);
  // Events come back in the card's order, not by id.
  CHECK(listed[0].events[0].event_id == "patch-tuesday");
  CHECK(listed[0].events[1].event_id == "out-of-band");
}

TEST_CASE("Keep replaces the scorecard kept earlier for the same forecast, events included") {
  ScorecardFixture f;
  f.AddSeries("login");
  ForecastScorecard first = Card("fc-1", "login", 0);
  first.events = {Event("a", 86'400, 1), Event("b", 2 * 86'400, 2), Event("c", 3 * 86'400, 3)};
  f.Keep(first);
  ForecastScorecard other = Card("fc-2", "login", 60);
  other.events = {Event("x", 86'400, 4)};
  f.Keep(other);

  ForecastScorecard again = Card("fc-1", "login", 0);
  again.scored_at += std::chrono::hours{1};
  again.forecast = Score(5);
  again.events = {Event("d", 4 * 86'400, 6)};
  f.Keep(again);

  const std::vector<ForecastScorecard> listed = f.All("login");
  REQUIRE(listed.size() == 2);
  CheckSameCard(listed[0], again);
  CheckSameCard(listed[1], other);
  CHECK(f.Rows("forecast_scores") == 2);
  CHECK(f.Rows("forecast_event_scores") == 2);  // the first card's three events are gone
}

TEST_CASE("List returns the series' scorecards generated in [from, to), by time then id") {
  ScorecardFixture f;
  f.AddSeries("a");
  f.AddSeries("b");
  f.Keep(Card("fc-early", "a", 0));
  ForecastScorecard tie_b = Card("fc-tie-b", "a", 100);
  tie_b.events = {Event("b1", 86'400, 1), Event("b2", 2 * 86'400, 2)};
  f.Keep(tie_b);
  ForecastScorecard tie_a = Card("fc-tie-a", "a", 100);
  tie_a.events = {Event("a1", 86'400, 3)};
  f.Keep(tie_a);
  f.Keep(Card("fc-mid", "a", 150));
  f.Keep(Card("fc-end", "a", 200));    // at `to`: excluded
  f.Keep(Card("fc-other", "b", 120));  // another series

  auto listed = f.cards->List("a", At(kNov1 + 100), At(kNov1 + 200));
  REQUIRE(listed);
  CHECK(Ids(*listed) == std::vector<std::string>{"fc-tie-a", "fc-tie-b", "fc-mid"});
  // Each card has its own events.
  CheckSameCard((*listed)[0], tie_a);
  CheckSameCard((*listed)[1], tie_b);
  CHECK((*listed)[2].events.empty());

  auto empty_range = f.cards->List("a", At(kNov1 + 100), At(kNov1 + 100));
  REQUIRE(empty_range);
  CHECK(empty_range->empty());
  auto unknown = f.cards->List("ghost", At(0), At(kNov1 * 2));
  REQUIRE(unknown);
  CHECK(unknown->empty());
}

TEST_CASE("LatestPerSeries picks each series' scorecard with the greatest horizon end") {
  ScorecardFixture f;
  for (const char* id : {"c", "a", "b", "idle"}) f.AddSeries(id);
  // Series a: the card generated later has the earlier horizon end.
  f.Keep(Card("fc-a-long", "a", 0, 14 * 86'400));
  f.Keep(Card("fc-a-short", "a", 3600, 86'400));
  // Series b: a tie of horizon ends goes to the greatest forecast id.
  f.Keep(Card("fc-b-2", "b", 0));
  f.Keep(Card("fc-b-1", "b", 0));
  f.Keep(Card("fc-b-0", "b", -86'400));
  ForecastScorecard c_card = Card("fc-c", "c", 0);
  c_card.events = {Event("c1", 86'400, 1), Event("c2", 2 * 86'400, 2)};
  f.Keep(c_card);

  auto latest = f.cards->LatestPerSeries();
  REQUIRE(latest);
  CHECK(Ids(*latest) == std::vector<std::string>{"fc-a-long", "fc-b-2", "fc-c"});
  REQUIRE(latest->size() == 3);
  CheckSameCard((*latest)[0], Card("fc-a-long", "a", 0, 14 * 86'400));
  CheckSameCard((*latest)[2], c_card);
}

TEST_CASE("LatestPerSeries is empty when no scorecard is kept") {
  ScorecardFixture f;
  f.AddSeries("login");
  auto latest = f.cards->LatestPerSeries();
  REQUIRE(latest);
  CHECK(latest->empty());
}

TEST_CASE("a scorecard of a series that does not exist is refused and not kept") {
  ScorecardFixture f;
  ForecastScorecard card = Card("fc-1", "ghost", 0);
  card.events = {Event("e", 86'400, 1)};
  const Status kept = f.cards->Keep(card);
  REQUIRE_FALSE(kept);
  CHECK(kept.error().code == ErrorCode::kNotFound);
  CHECK(kept.error().message == "series 'ghost' does not exist");
  CHECK(f.Rows("forecast_scores") == 0);
  CHECK(f.Rows("forecast_event_scores") == 0);
}

TEST_CASE("a series' scorecards and their events go with it") {
  ScorecardFixture f;
  f.AddSeries("login");
  f.AddSeries("other");
  ForecastScorecard gone = Card("fc-gone", "login", 0);
  gone.events = {Event("e1", 86'400, 1), Event("e2", 2 * 86'400, 2)};
  f.Keep(gone);
  ForecastScorecard kept = Card("fc-kept", "other", 0);
  kept.events = {Event("e3", 86'400, 3)};
  f.Keep(kept);

  REQUIRE(f.series->DeleteSeries("login"));
  CHECK(f.Rows("forecast_scores") == 1);
  CHECK(f.Rows("forecast_event_scores") == 1);
  f.AddSeries("login");  // a new series of the same name starts without scorecards
  CHECK(f.All("login").empty());
  auto latest = f.cards->LatestPerSeries();
  REQUIRE(latest);
  REQUIRE(latest->size() == 1);
  CheckSameCard((*latest)[0], kept);
}

TEST_CASE("a kept scorecard survives closing and reopening the database") {
  ScorecardFixture f;
  f.AddSeries("login");
  ForecastScorecard card = Card("fc-1", "login", 0);
  card.seasonal_naive.mape = kNaN;
  card.events = {Event("e", 86'400, 1)};
  f.Keep(card);
  f.Open();
  const std::vector<ForecastScorecard> listed = f.All("login");
  REQUIRE(listed.size() == 1);
  CheckSameCard(listed[0], card);
}

TEST_CASE("a scorecard outlives its forecast's retention") {
  ScorecardFixture f;
  f.Open(1);  // each series keeps one forecast
  f.AddSeries("login");
  f.SaveForecast("fc-1", "login", 600);
  f.Keep(Card("fc-1", "login", 0));
  f.SaveForecast("fc-2", "login", 900, false, 60);  // prunes fc-1
  REQUIRE_FALSE(f.forecasts->Get("fc-1"));
  CHECK(Ids(f.All("login")) == std::vector<std::string>{"fc-1"});
}

TEST_CASE("a forecast is due once the series' last point reaches its horizon end") {
  ScorecardFixture f;
  f.WritePoint("login", 0);
  f.SaveForecast("fc-1", "login", 2 * kStep);
  CHECK(f.DueIds().empty());
  f.WritePoint("login", kStep);
  CHECK(f.DueIds().empty());  // one step short
  f.WritePoint("login", 2 * kStep);
  auto due = f.cards->Due(10);
  REQUIRE(due);
  CHECK(*due ==
        std::vector<DueScoring>{{"fc-1", "login", At(kNov1 + 2 * kStep), At(kNov1 + 2 * kStep)}});
  f.WritePoint("login", 5 * kStep);  // and stays due past it
  CHECK(f.DueIds() == std::vector<std::string>{"fc-1"});
}

TEST_CASE("a series without points has nothing due") {
  ScorecardFixture f;
  f.AddSeries("login");
  f.SaveForecast("fc-1", "login", -86'400);
  CHECK(f.DueIds().empty());
}

TEST_CASE("hypothetical forecasts and forecasts without a horizon end are never due") {
  ScorecardFixture f;
  f.WritePoint("login", 10 * kStep);
  f.SaveForecast("fc-what-if", "login", kStep, true);
  f.SaveForecast("fc-before", "login", std::nullopt);  // kept before horizons were recorded
  f.SaveForecast("fc-plain", "login", kStep);
  CHECK(f.DueIds() == std::vector<std::string>{"fc-plain"});
}

TEST_CASE("a forecast is no longer due once its scorecard is kept") {
  ScorecardFixture f;
  f.WritePoint("login", 10 * kStep);
  f.SaveForecast("fc-1", "login", kStep);
  f.SaveForecast("fc-2", "login", 2 * kStep);
  CHECK(f.DueIds() == std::vector<std::string>{"fc-1", "fc-2"});
  f.Keep(Card("fc-1", "login", 0));
  CHECK(f.DueIds() == std::vector<std::string>{"fc-2"});
}

TEST_CASE("Due lists the oldest horizon end first, then by forecast id, up to limit") {
  ScorecardFixture f;
  f.WritePoint("a", 10 * kStep);
  f.WritePoint("b", 3 * kStep);
  f.SaveForecast("fc-a-late", "a", 9 * kStep);
  f.SaveForecast("fc-a-tie", "a", 3 * kStep);
  f.SaveForecast("fc-b-tie", "b", 3 * kStep);
  f.SaveForecast("fc-b-early", "b", kStep);
  f.SaveForecast("fc-b-beyond", "b", 4 * kStep);  // past b's last point, though not a's

  CHECK(f.DueIds() == std::vector<std::string>{"fc-b-early", "fc-a-tie", "fc-b-tie", "fc-a-late"});
  CHECK(f.DueIds(2) == std::vector<std::string>{"fc-b-early", "fc-a-tie"});
  CHECK(f.DueIds(0).empty());
  auto due = f.cards->Due(1);
  REQUIRE(due);
  CHECK(*due == std::vector<DueScoring>{{"fc-b-early", "b", At(kNov1 + kStep), At(kNov1 + kStep)}});
}

TEST_CASE("a partial scorecard makes its forecast due again at its next milestone, not before") {
  ScorecardFixture f;
  f.WritePoint("login", 2 * kStep);
  // The first event's window ends at step 2, the horizon at step 6.
  f.SaveForecast("fc-1", "login", 6 * kStep, false, 0, 2 * kStep);
  auto due = f.cards->Due(10);
  REQUIRE(due);
  CHECK(*due ==
        std::vector<DueScoring>{{"fc-1", "login", At(kNov1 + 6 * kStep), At(kNov1 + 2 * kStep)}});

  ForecastScorecard partial = Card("fc-1", "login", 0, 6 * kStep);
  partial.next_score_at = At(kNov1 + 4 * kStep);
  partial.forecast = WindowScore{};
  partial.seasonal_naive = WindowScore{};
  partial.events = {Event("first", kStep, 1)};
  f.Keep(partial);
  CheckSameCard(f.All("login").at(0), partial);
  CHECK(f.DueIds().empty());
  CHECK(f.forecasts->Get("fc-1")->score_at == At(kNov1 + 4 * kStep));
  // A partial card is not the series' latest for the gauges.
  CHECK(f.cards->LatestPerSeries()->empty());

  f.WritePoint("login", 4 * kStep);
  CHECK(f.DueIds() == std::vector<std::string>{"fc-1"});
  f.Keep(Card("fc-1", "login", 0, 6 * kStep));  // complete
  CHECK(f.forecasts->Get("fc-1")->score_at == std::nullopt);
  f.WritePoint("login", 9 * kStep);
  CHECK(f.DueIds().empty());
  CHECK(Ids(*f.cards->LatestPerSeries()) == std::vector<std::string>{"fc-1"});
}

TEST_CASE("LatestPerSeries passes over a later partial scorecard for the last complete one") {
  ScorecardFixture f;
  f.AddSeries("login");
  f.Keep(Card("fc-complete", "login", 0));
  ForecastScorecard partial = Card("fc-partial", "login", 86'400);
  partial.next_score_at = At(kNov1 + 3 * 86'400);
  f.Keep(partial);
  CHECK(Ids(*f.cards->LatestPerSeries()) == std::vector<std::string>{"fc-complete"});
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::contract
