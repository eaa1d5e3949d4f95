// The series repository contract (series_repository_contract.h): the same cases against every
// storage engine, each in a fresh, empty store.
#include "tests/server/storage/series_repository_contract.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

namespace patchcast::storage::contract {
namespace {

using forecasting::OnConflict;
using forecasting::Point;
using forecasting::SeriesMetadata;
using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

sys_seconds At(std::int64_t unix_seconds) { return sys_seconds{seconds{unix_seconds}}; }

struct RepositoryFixture {
  std::unique_ptr<RepositoryUnderTest> under_test = OpenRepositoryUnderTest();
  forecasting::SeriesRepository* repository = &under_test->repository();

  SeriesMetadata Login(std::int64_t step = 60) {
    return {"skype-login", seconds{step}, "logins", "", {{"Europe/Berlin", 0.25}, {"UTC", 0.75}}};
  }
};

std::vector<Point> Minutes(std::int64_t start, std::size_t count, double first_value = 1) {
  std::vector<Point> points;
  for (std::size_t i = 0; i < count; ++i) {
    points.push_back(
        {At(start + 60 * static_cast<std::int64_t>(i)), first_value + static_cast<double>(i)});
  }
  return points;
}

TEST_SUITE_BEGIN("series repository contract" * doctest::skip(!RepositoryEngineAvailable()));
TEST_CASE("points written are read back on the grid, with NaN for steps without data") {
  RepositoryFixture f;
  std::vector<Point> points = Minutes(kNov1, 10);
  points.erase(points.begin() + 4);  // a gap at 00:04
  auto written = f.repository->WritePoints(f.Login(), points, OnConflict::kReplace);
  REQUIRE(written);
  CHECK(written->accepted == 9);
  CHECK(written->replaced == 0);
  auto read = f.repository->ReadRange("skype-login", At(kNov1 - 120), At(kNov1 + 600), 1000);
  REQUIRE(read);
  CHECK(read->start == At(kNov1 - 120));
  CHECK(read->step == seconds{60});
  REQUIRE(read->values.size() == 12);
  CHECK(std::isnan(read->values[0]));
  CHECK(read->values[2] == 1);
  CHECK(std::isnan(read->values[6]));
  CHECK(read->values[11] == 10);
}

TEST_CASE("a series' summary keeps its metadata, count and first and last points") {
  RepositoryFixture f;
  REQUIRE(f.repository->WritePoints(f.Login(), Minutes(kNov1, 5), OnConflict::kReplace));
  REQUIRE(f.repository->WritePoints(f.Login(), Minutes(kNov1 + 600, 2), OnConflict::kReplace));
  auto summary = f.repository->GetSeries("skype-login");
  REQUIRE(summary);
  CHECK(summary->metadata == f.Login());
  CHECK(summary->point_count == 7);
  CHECK(summary->first == At(kNov1));
  CHECK(summary->last == At(kNov1 + 660));
  CHECK(summary->missing_steps() == 5);
}

TEST_CASE("rewriting a point replaces it by default and is refused with reject") {
  RepositoryFixture f;
  REQUIRE(f.repository->WritePoints(f.Login(), Minutes(kNov1, 3, 10), OnConflict::kReplace));
  auto replaced =
      f.repository->WritePoints(f.Login(), Minutes(kNov1 + 60, 3, 100), OnConflict::kReplace);
  REQUIRE(replaced);
  CHECK(replaced->accepted == 3);
  CHECK(replaced->replaced == 2);
  CHECK(f.repository->GetSeries("skype-login")->point_count == 4);

  auto rejected =
      f.repository->WritePoints(f.Login(), Minutes(kNov1 + 120, 3, 5), OnConflict::kReject);
  REQUIRE_FALSE(rejected);
  CHECK(rejected.error().code == ErrorCode::kConflict);
  REQUIRE(rejected.error().details.size() == 2);
  CHECK(rejected.error().details[0] == "timestamp 2026-11-01T00:02:00Z already has a value");
  auto read = f.repository->ReadRange("skype-login", At(kNov1), At(kNov1 + 300), 100);
  REQUIRE(read->values.size() == 5);
  CHECK(read->values[0] == 10);
  CHECK(read->values[1] == 100);
  CHECK(read->values[3] == 102);  // the refused upload changed nothing
  CHECK(std::isnan(read->values[4]));
}

TEST_CASE("a year of 1-minute points round-trips across chunk boundaries") {
  RepositoryFixture f;
  const std::size_t year = 525'600;
  std::vector<Point> points = Minutes(kNov1, year, 0);
  REQUIRE(f.repository->WritePoints(f.Login(), points, OnConflict::kReplace));
  auto read = f.repository->ReadRange("skype-login", At(kNov1), At(kNov1 + 60 * year), year);
  REQUIRE(read);
  REQUIRE(read->values.size() == year);
  bool all_equal = true;
  for (std::size_t i = 0; i < year; ++i) all_equal &= read->values[i] == static_cast<double>(i);
  CHECK(all_equal);
  // A window that starts and ends inside chunks.
  auto window =
      f.repository->ReadRange("skype-login", At(kNov1 + 60 * 4000), At(kNov1 + 60 * 9000), year);
  REQUIRE(window);
  CHECK(window->values.front() == 4000);
  CHECK(window->values.back() == 8999);
  CHECK(f.repository->GetSeries("skype-login")->point_count == year);
}

TEST_CASE("reads floor the start and ceil the end to the grid, and bound the size") {
  RepositoryFixture f;
  REQUIRE(f.repository->WritePoints(f.Login(), Minutes(kNov1, 3), OnConflict::kReplace));
  auto read = f.repository->ReadRange("skype-login", At(kNov1 + 30), At(kNov1 + 90), 100);
  REQUIRE(read);
  CHECK(read->start == At(kNov1));
  CHECK(read->values.size() == 2);
  auto too_big = f.repository->ReadRange("skype-login", At(kNov1), At(kNov1 + 60 * 101), 100);
  REQUIRE_FALSE(too_big);
  CHECK(too_big.error().code == ErrorCode::kInvalidArgument);
  CHECK_FALSE(f.repository->ReadRange("skype-login", At(kNov1 + 60), At(kNov1), 100));
  CHECK(f.repository->ReadRange("nope", At(kNov1), At(kNov1), 100).error().code ==
        ErrorCode::kNotFound);
}

TEST_CASE("points on another grid than the series' are a conflict") {
  RepositoryFixture f;
  REQUIRE(f.repository->WritePoints(f.Login(60), Minutes(kNov1, 3), OnConflict::kReplace));
  auto other = f.repository->WritePoints(f.Login(300), {{{At(kNov1), 1}}}, OnConflict::kReplace);
  REQUIRE_FALSE(other);
  CHECK(other.error().code == ErrorCode::kConflict);
}

TEST_CASE("deleting a range removes its points and keeps the totals true") {
  RepositoryFixture f;
  REQUIRE(f.repository->WritePoints(f.Login(), Minutes(kNov1, 10), OnConflict::kReplace));
  auto removed = f.repository->DeletePoints("skype-login", At(kNov1), At(kNov1 + 180));
  REQUIRE(removed);
  CHECK(*removed == 3);
  auto summary = f.repository->GetSeries("skype-login");
  CHECK(summary->point_count == 7);
  CHECK(summary->first == At(kNov1 + 180));
  CHECK(summary->last == At(kNov1 + 540));
  REQUIRE(f.repository->DeletePoints("skype-login", At(0), At(kNov1 + 3600)));
  summary = f.repository->GetSeries("skype-login");
  CHECK(summary->point_count == 0);
  CHECK_FALSE(summary->first);
  CHECK_FALSE(summary->last);
}

TEST_CASE("metadata is created, updated and deleted; the step is fixed once points exist") {
  RepositoryFixture f;
  SeriesMetadata metadata{"team-a.login", seconds{0}, "logins", "new", {}};
  CHECK(f.repository->PutSeries(metadata).value() == true);
  metadata.description = "updated";
  metadata.step_seconds = seconds{300};
  CHECK(f.repository->PutSeries(metadata).value() == false);
  CHECK(f.repository->GetSeries("team-a.login")->metadata.description == "updated");
  REQUIRE(f.repository->WritePoints(metadata, {{{At(kNov1), 5}}}, OnConflict::kReplace));
  metadata.step_seconds = seconds{60};
  CHECK(f.repository->PutSeries(metadata).error().code == ErrorCode::kConflict);
  metadata.step_seconds = seconds{0};  // "keep the stored step"
  CHECK(f.repository->PutSeries(metadata));
  CHECK(f.repository->GetSeries("team-a.login")->metadata.step_seconds == seconds{300});

  REQUIRE(f.repository->PutSeries({"team-b.login", seconds{60}, "", "", {}}));
  auto listed = f.repository->ListSeries("team-a.");
  REQUIRE(listed);
  REQUIRE(listed->size() == 1);
  CHECK(listed->front().metadata.id == "team-a.login");
  CHECK(f.repository->ListSeries("")->size() == 2);

  REQUIRE(f.repository->DeleteSeries("team-a.login"));
  CHECK(f.repository->GetSeries("team-a.login").error().code == ErrorCode::kNotFound);
  CHECK(f.repository->DeleteSeries("team-a.login").error().code == ErrorCode::kNotFound);
}

TEST_CASE("eight writers into one series lose no point") {
  RepositoryFixture f;
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      for (int batch = 0; batch < 25; ++batch) {
        // Interleaved minutes: writer w owns minutes w, w+8, w+16, ...
        std::vector<Point> points;
        for (int k = 0; k < 40; ++k) {
          const std::int64_t minute = (batch * 40 + k) * 8 + w;
          points.push_back({At(kNov1 + 60 * minute), static_cast<double>(minute)});
        }
        if (!f.repository->WritePoints(f.Login(), points, OnConflict::kReplace)) ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  CHECK(failures == 0);
  CHECK(f.repository->GetSeries("skype-login")->point_count == 8 * 25 * 40);
  auto read = f.repository->ReadRange("skype-login", At(kNov1), At(kNov1 + 60 * 8000), 8000);
  REQUIRE(read);
  bool complete = true;
  for (std::size_t i = 0; i < 8000; ++i) complete &= read->values[i] == static_cast<double>(i);
  CHECK(complete);
}

TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::contract
