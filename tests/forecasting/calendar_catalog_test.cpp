// The calendar catalog (forecasting/calendar_catalog.h) over the in-memory repository.
#include "forecasting/calendar_catalog.h"

#include <doctest/doctest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "calendars/time_text.h"
#include "tests/support/in_memory_calendar_repository.h"

namespace patchcast::forecasting {
namespace {

using calendars::CustomCalendarDefinition;
using calendars::Override;
using testing::InMemoryCalendarRepository;
using testing::SequentialIds;

CustomCalendarDefinition Monthly(std::string id) {
  CustomCalendarDefinition definition;
  definition.id = std::move(id);
  definition.name = "Monthly";
  definition.zone = "Europe/Berlin";
  definition.schedule = calendars::RuleSchedule{
      *calendars::ParseLocalDateTime("2026-01-13T10:00"), "FREQ=MONTHLY;BYDAY=2TU", {}};
  return definition;
}

Override Cancel(std::string calendar, std::string_view day) {
  return {"", std::move(calendar), date::local_days{*calendars::ParseDate(day)},
          calendars::CancelAction{}};
}

std::unique_ptr<CalendarCatalog> OpenCatalog(InMemoryCalendarRepository& repository) {
  auto catalog = CalendarCatalog::Open(repository, SequentialIds{});
  REQUIRE_MESSAGE(catalog.has_value(), (catalog ? "" : catalog.error().message));
  return std::move(*catalog);
}

std::size_t EventCount(const CalendarCatalog& catalog, const std::string& id, std::string_view from,
                       std::string_view to) {
  const auto snapshot = catalog.Snapshot();
  auto range = calendars::UtcDayRange(*calendars::ParseDate(from), *calendars::ParseDate(to));
  REQUIRE(range.has_value());
  const std::vector<std::string> ids{id};
  auto events = snapshot->registry.Events(ids, *range);
  REQUIRE_MESSAGE(events.has_value(), (events ? "" : events.error().message));
  return events->size();
}

TEST_CASE("a new catalog serves the built-in calendars") {
  InMemoryCalendarRepository repository;
  auto catalog = OpenCatalog(repository);
  CHECK(catalog->Snapshot()->registry.CalendarIds() ==
        std::vector<std::string>{"microsoft", "adobe", "sap", "oracle", "android"});
  CHECK(catalog->Snapshot()->definitions.empty());
}

TEST_CASE("a created calendar is stored, published, and loaded again by a new catalog") {
  InMemoryCalendarRepository repository;
  auto catalog = OpenCatalog(repository);
  const auto before = catalog->Snapshot();
  auto info = catalog->CreateCalendar(Monthly("ops"));
  REQUIRE(info.has_value());
  CHECK(info->id == "ops");
  CHECK(info->kind == calendars::CalendarKind::kCustom);
  CHECK(before->registry.CalendarIds().size() == 5);  // a snapshot taken never changes
  CHECK(catalog->Snapshot()->FindDefinition("ops") != nullptr);
  CHECK(EventCount(*catalog, "ops", "2026-01-01", "2026-12-31") == 12);

  auto reopened = OpenCatalog(repository);
  REQUIRE(reopened->Snapshot()->FindDefinition("ops") != nullptr);
  CHECK(*reopened->Snapshot()->FindDefinition("ops") == Monthly("ops"));
}

TEST_CASE("invalid or conflicting definitions are refused before anything is stored") {
  InMemoryCalendarRepository repository;
  auto catalog = OpenCatalog(repository);
  REQUIRE(catalog->CreateCalendar(Monthly("ops")).has_value());

  SUBCASE("an existing id") {
    auto again = catalog->CreateCalendar(Monthly("ops"));
    REQUIRE_FALSE(again.has_value());
    CHECK(again.error() == Conflict("calendar 'ops' already exists"));
  }
  SUBCASE("a built-in id") {
    auto builtin = catalog->CreateCalendar(Monthly("microsoft"));
    REQUIRE_FALSE(builtin.has_value());
    CHECK(builtin.error().code == ErrorCode::kConflict);
  }
  SUBCASE("an RRULE part outside the subset") {
    CustomCalendarDefinition hourly = Monthly("hourly");
    std::get<calendars::RuleSchedule>(hourly.schedule).rrule = "FREQ=DAILY;BYHOUR=9";
    auto refused = catalog->CreateCalendar(hourly);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kUnprocessable);
    CHECK(refused.error().message.find("BYHOUR") != std::string::npos);
  }
  SUBCASE("the store fails") {
    repository.fail_writes = InsufficientStorage("disk full");
    auto refused = catalog->CreateCalendar(Monthly("other"));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == InsufficientStorage("disk full"));
    CHECK(catalog->Snapshot()->FindDefinition("other") == nullptr);
  }
  repository.fail_writes.reset();
  CHECK(repository.Load()->definitions.size() == 1);
  CHECK(catalog->Snapshot()->definitions.size() == 1);
}

TEST_CASE("overrides get fresh ids, apply in creation order and persist") {
  InMemoryCalendarRepository repository;
  auto catalog = OpenCatalog(repository);
  REQUIRE(catalog->CreateCalendar(Monthly("ops")).has_value());
  auto cancel = catalog->AddOverride(Cancel("ops", "2026-03-10"));
  REQUIRE(cancel.has_value());
  CHECK(cancel->id == "ovr-1");
  CHECK(EventCount(*catalog, "ops", "2026-01-01", "2026-12-31") == 11);
  calendars::AddAction add;
  add.at = *calendars::ParseUtcDateTime("2026-03-11T09:00:00Z");
  auto added = catalog->AddOverride(
      {"ignored", "ops", date::local_days{*calendars::ParseDate("2026-03-11")}, add});
  REQUIRE(added.has_value());
  CHECK(added->id == "ovr-2");
  CHECK(EventCount(*catalog, "ops", "2026-01-01", "2026-12-31") == 12);
  CHECK(catalog->Snapshot()->OverridesOf("ops").size() == 2);
  CHECK(catalog->Snapshot()->OverridesOf("microsoft").empty());

  auto reopened = OpenCatalog(repository);
  CHECK(reopened->Snapshot()->registry.overrides() == catalog->Snapshot()->registry.overrides());

  SUBCASE("deleting an override undoes it") {
    REQUIRE(catalog->DeleteOverride("ops", "ovr-1").has_value());
    CHECK(EventCount(*catalog, "ops", "2026-01-01", "2026-12-31") == 13);
    CHECK(catalog->DeleteOverride("ops", "ovr-1").error() ==
          NotFound("calendar 'ops' has no override 'ovr-1'"));
  }
  SUBCASE("deleting the calendar deletes its overrides") {
    REQUIRE(catalog->DeleteCalendar("ops").has_value());
    CHECK(catalog->Snapshot()->registry.overrides().empty());
    CHECK(repository.Load()->overrides.empty());
    CHECK(repository.Load()->definitions.empty());
  }
}

TEST_CASE("invalid overrides are refused and change nothing") {
  InMemoryCalendarRepository repository;
  auto catalog = OpenCatalog(repository);
  SUBCASE("an unknown calendar") {
    auto refused = catalog->AddOverride(Cancel("nope", "2026-03-10"));
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error() == NotFound("calendar 'nope' does not exist"));
  }
  SUBCASE("an added event on another local date") {
    calendars::AddAction add;
    add.at = *calendars::ParseUtcDateTime("2026-03-11T01:00:00Z");  // 03-10 in Los Angeles
    auto refused = catalog->AddOverride(
        {"", "microsoft", date::local_days{*calendars::ParseDate("2026-03-11")}, add});
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == ErrorCode::kInvalidArgument);
    CHECK(refused.error().message.find("not on 2026-03-11") != std::string::npos);
  }
  CHECK(catalog->Snapshot()->registry.overrides().empty());
  CHECK(repository.Load()->overrides.empty());
}

TEST_CASE("built-in calendars cannot be deleted; unknown ones are not found") {
  InMemoryCalendarRepository repository;
  auto catalog = OpenCatalog(repository);
  CHECK(catalog->DeleteCalendar("microsoft").error() ==
        Conflict("calendar 'microsoft' is built in and cannot be deleted"));
  CHECK(catalog->DeleteCalendar("nope").error() == NotFound("calendar 'nope' does not exist"));
}

TEST_CASE("two concurrent creations of one id give one success and one conflict") {
  for (int round = 0; round < 20; ++round) {
    InMemoryCalendarRepository repository;
    auto catalog = OpenCatalog(repository);
    std::atomic<int> created{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
      threads.emplace_back([&] {
        auto outcome = catalog->CreateCalendar(Monthly("race"));
        if (outcome) {
          ++created;
        } else if (outcome.error().code == ErrorCode::kConflict) {
          ++conflicts;
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    CHECK(created == 1);
    CHECK(conflicts == 3);
    CHECK(repository.Load()->definitions.size() == 1);
  }
}

TEST_CASE("stored data that no longer builds stops the catalog from opening") {
  InMemoryCalendarRepository repository;
  CustomCalendarDefinition broken = Monthly("broken");
  broken.zone = "Mars/Olympus";
  REQUIRE(repository.InsertCalendar(broken).has_value());
  auto catalog = CalendarCatalog::Open(repository, SequentialIds{});
  REQUIRE_FALSE(catalog.has_value());
  CHECK(catalog.error().message.starts_with("stored calendars: calendar 'broken': "));
}

// Two catalogs on one repository are two replicas on one database.
TEST_CASE("what one catalog changes, another on the same repository serves at its next read") {
  InMemoryCalendarRepository repository;
  auto writer = OpenCatalog(repository);
  auto reader = OpenCatalog(repository);
  REQUIRE(writer->CreateCalendar(Monthly("ops")).has_value());
  REQUIRE(reader->Snapshot()->FindDefinition("ops") != nullptr);
  CHECK(EventCount(*reader, "ops", "2026-01-01", "2026-12-31") == 12);

  REQUIRE(writer->AddOverride(Cancel("ops", "2026-03-10")).has_value());
  CHECK(EventCount(*reader, "ops", "2026-01-01", "2026-12-31") == 11);
  CHECK(reader->Snapshot()->OverridesOf("ops").size() == 1);

  // The reader's own changes start from what the writer stored: the id is taken.
  auto again = reader->CreateCalendar(Monthly("ops"));
  REQUIRE_FALSE(again.has_value());
  CHECK(again.error().code == ErrorCode::kConflict);

  REQUIRE(writer->DeleteCalendar("ops").has_value());
  CHECK(reader->Snapshot()->FindDefinition("ops") == nullptr);
  CHECK(reader->Snapshot()->OverridesOf("ops").empty());
}

TEST_CASE("a catalog loads again only when the repository's revision moved") {
  InMemoryCalendarRepository repository;
  auto writer = OpenCatalog(repository);
  auto reader = OpenCatalog(repository);
  const int loads = repository.loads();
  for (int i = 0; i < 5; ++i) reader->Snapshot();
  CHECK(repository.loads() == loads);
  REQUIRE(writer->CreateCalendar(Monthly("ops")).has_value());
  reader->Snapshot();
  reader->Snapshot();
  CHECK(repository.loads() == loads + 1);
}

TEST_CASE("a repository that cannot be read leaves the snapshot already held") {
  InMemoryCalendarRepository repository;
  auto writer = OpenCatalog(repository);
  auto reader = OpenCatalog(repository);
  REQUIRE(writer->CreateCalendar(Monthly("ops")).has_value());
  repository.fail_reads = Unavailable("connection lost");
  const auto held = reader->Snapshot();
  CHECK(held->FindDefinition("ops") == nullptr);
  CHECK(held->registry.CalendarIds().size() == 5);  // the built-ins still serve
  repository.fail_reads.reset();
  CHECK(reader->Snapshot()->FindDefinition("ops") != nullptr);
}

}  // namespace
}  // namespace patchcast::forecasting
