// The calendar repository contract (store_contract.h): against every storage engine, each in a
// fresh store, custom calendars and overrides round-trip exactly and in order across a reopen,
// duplicates conflict, missing rows are not found, a calendar's deletion takes its times and
// overrides, and a row this build cannot read is an internal error naming it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "calendars/time_text.h"
#include "tests/server/storage/store_contract.h"

namespace patchcast::storage::contract {
namespace {

using calendars::AddAction;
using calendars::AnnotateAction;
using calendars::CancelAction;
using calendars::CustomCalendarDefinition;
using calendars::DateListSchedule;
using calendars::MoveAction;
using calendars::Override;
using calendars::RuleSchedule;

date::local_seconds Local(std::string_view text) { return *calendars::ParseLocalDateTime(text); }
date::local_days Day(std::string_view text) {
  return date::local_days{*calendars::ParseDate(text)};
}

// CustomCalendarDefinition has no operator== (calendars/ does not need one); compare every field.
bool Same(const CustomCalendarDefinition& a, const CustomCalendarDefinition& b) {
  if (a.id != b.id || a.name != b.name || a.description != b.description || a.zone != b.zone ||
      a.kind != b.kind || a.duration != b.duration || a.schedule.index() != b.schedule.index()) {
    return false;
  }
  if (const auto* rule = std::get_if<RuleSchedule>(&a.schedule)) {
    const auto& other = std::get<RuleSchedule>(b.schedule);
    return rule->dtstart == other.dtstart && rule->rrule == other.rrule &&
           rule->exdates == other.exdates;
  }
  return std::get<DateListSchedule>(a.schedule).starts ==
         std::get<DateListSchedule>(b.schedule).starts;
}

bool Same(const std::vector<CustomCalendarDefinition>& a,
          const std::vector<CustomCalendarDefinition>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const auto& x, const auto& y) { return Same(x, y); });
}

std::vector<CustomCalendarDefinition> Definitions() {
  CustomCalendarDefinition rule;
  rule.id = "ops";
  rule.name = "Ops window";
  rule.description = "second Tuesday, 'quoted'; with, punctuation";
  rule.zone = "Europe/Berlin";
  rule.kind = calendars::EventKind::kRelease;
  rule.duration = std::chrono::minutes(90);
  rule.schedule = RuleSchedule{Local("2026-01-13T10:00"),
                               "FREQ=MONTHLY;BYDAY=2TU",
                               {Local("2026-04-14T10:00"), Local("2026-08-11T10:00")}};
  CustomCalendarDefinition list;
  list.id = "freeze";
  list.name = "Freeze";
  list.zone = "UTC";
  list.schedule = DateListSchedule{{Local("2026-12-31T18:30:05"), Local("2026-12-24"),
                                    Local("2026-12-24")}};  // order and duplicates kept
  return {rule, list};
}

std::vector<Override> Overrides() {
  AddAction add;
  add.at = *calendars::ParseUtcDateTime("2026-12-10T18:00:00Z");
  add.kind = calendars::EventKind::kOutOfBand;
  add.duration = std::chrono::minutes(30);
  add.annotation.bulletins = 1;
  add.annotation.notes = "";  // an empty note is not an absent one
  AnnotateAction annotate;
  annotate.annotation.bulletins = 12;
  annotate.annotation.max_severity = calendars::Severity::kCritical;
  annotate.annotation.restart_required = false;
  annotate.annotation.notes = "naïve ✓";
  return {
      {"ovr-b", "microsoft", Day("2026-12-08"), CancelAction{calendars::EventKind::kRelease}},
      {"ovr-a", "ops", Day("2026-02-10"), MoveAction{Local("2026-02-11T09:00"), std::nullopt}},
      {"ovr-c", "microsoft", Day("2026-12-10"), add},
      {"ovr-d", "microsoft", Day("2027-01-12"), annotate},
      {"ovr-e", "ops", Day("2026-03-10"), CancelAction{}},
  };
}

TEST_SUITE_BEGIN("calendar repository contract" * doctest::skip(!StoreEngineAvailable()));
TEST_CASE("definitions and overrides round-trip exactly, in insertion order, across a reopen") {
  auto store = OpenStoreUnderTest();
  for (const auto& definition : Definitions()) {
    REQUIRE(store->calendars().InsertCalendar(definition).has_value());
  }
  for (const auto& override_ : Overrides()) {
    REQUIRE(store->calendars().InsertOverride(override_).has_value());
  }
  store->Reopen();
  auto loaded = store->calendars().Load();
  REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error().message));
  CHECK(Same(loaded->definitions, Definitions()));
  CHECK(loaded->overrides == Overrides());
}

TEST_CASE("an empty store loads nothing") {
  auto store = OpenStoreUnderTest();
  forecasting::CalendarRepository& repository = store->calendars();
  auto loaded = repository.Load();
  REQUIRE(loaded.has_value());
  CHECK(loaded->definitions.empty());
  CHECK(loaded->overrides.empty());
}

TEST_CASE("duplicates conflict, missing rows are not found, and failures change nothing") {
  auto store = OpenStoreUnderTest();
  forecasting::CalendarRepository& repository = store->calendars();
  const auto definitions = Definitions();
  const auto overrides = Overrides();
  REQUIRE(repository.InsertCalendar(definitions[0]).has_value());
  REQUIRE(repository.InsertOverride(overrides[1]).has_value());

  CHECK(repository.InsertCalendar(definitions[0]).error() ==
        Conflict("calendar 'ops' already exists"));
  CHECK(repository.InsertOverride(overrides[1]).error() ==
        Conflict("override 'ovr-a' already exists"));
  CHECK(repository.DeleteCalendar("nope").error() == NotFound("calendar 'nope' does not exist"));
  CHECK(repository.DeleteOverride("microsoft", "ovr-a").error() ==
        NotFound("calendar 'microsoft' has no override 'ovr-a'"));
  auto loaded = repository.Load();
  REQUIRE(loaded.has_value());
  CHECK(loaded->definitions.size() == 1);
  CHECK(loaded->overrides.size() == 1);
}

TEST_CASE("the revision moves with every write that changes something, and only then") {
  auto store = OpenStoreUnderTest();
  forecasting::CalendarRepository& repository = store->calendars();
  const auto revision = [&] {
    auto read = repository.Revision();
    REQUIRE_MESSAGE(read.has_value(), (read ? "" : read.error().message));
    return *read;
  };
  const auto definitions = Definitions();
  const auto overrides = Overrides();
  std::uint64_t last = revision();
  const auto moved = [&] {
    const std::uint64_t now = revision();
    const bool grew = now > last;
    last = now;
    return grew;
  };
  REQUIRE(repository.InsertCalendar(definitions[0]).has_value());
  CHECK(moved());
  REQUIRE(repository.InsertOverride(overrides[1]).has_value());
  CHECK(moved());
  CHECK_FALSE(repository.InsertCalendar(definitions[0]).has_value());
  CHECK_FALSE(repository.DeleteOverride("microsoft", "nope").has_value());
  CHECK(repository.Load().has_value());
  CHECK_FALSE(moved());
  REQUIRE(repository.DeleteOverride("ops", "ovr-a").has_value());
  CHECK(moved());
  REQUIRE(repository.DeleteCalendar("ops").has_value());
  CHECK(moved());
  store->Reopen();  // it is stored, not counted in memory
  CHECK(store->calendars().Revision().value_or(0) == last);
}

TEST_CASE("deleting a calendar deletes its times and overrides, and nothing else") {
  auto store = OpenStoreUnderTest();
  forecasting::CalendarRepository& repository = store->calendars();
  for (const auto& definition : Definitions()) {
    REQUIRE(repository.InsertCalendar(definition).has_value());
  }
  for (const auto& override_ : Overrides()) {
    REQUIRE(repository.InsertOverride(override_).has_value());
  }
  REQUIRE(repository.DeleteCalendar("ops").has_value());
  REQUIRE(repository.DeleteOverride("microsoft", "ovr-c").has_value());
  auto loaded = repository.Load();
  REQUIRE(loaded.has_value());
  REQUIRE(loaded->definitions.size() == 1);
  CHECK(loaded->definitions[0].id == "freeze");
  std::vector<std::string> ids;
  for (const Override& override_ : loaded->overrides) ids.push_back(override_.id);
  CHECK(ids == std::vector<std::string>{"ovr-b", "ovr-d"});
  CHECK(store->QueryInteger(
            "SELECT count(*) FROM custom_calendar_times WHERE calendar_id = 'ops'") == 0);
}

TEST_CASE("a stored row that does not parse back is an internal error naming it") {
  auto store = OpenStoreUnderTest();
  forecasting::CalendarRepository& repository = store->calendars();
  REQUIRE(repository.InsertOverride(Overrides()[0]).has_value());
  REQUIRE(store->Execute("UPDATE calendar_overrides SET event_kind = 'Release'").has_value());
  auto loaded = repository.Load();
  REQUIRE_FALSE(loaded.has_value());
  CHECK(loaded.error().code == ErrorCode::kInternal);
  CHECK(loaded.error().message.starts_with("stored override 'ovr-b': unknown event kind"));
}
TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::contract
