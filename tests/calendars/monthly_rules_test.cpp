#include "calendars/monthly_rules.h"

#include <date/date.h>
#include <doctest/doctest.h>

#include <map>

#include "calendars/builtin_calendars.h"
#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Day;
using testing::Days;
using testing::EventsOf;
using testing::LocalDate;

TEST_CASE("every month from 1900 to 2200 has its release on a Tuesday between the 8th and 14th") {
  for (date::year_month month = date::year{1900} / date::January;
       month <= date::year{2200} / date::December; month += date::months{1}) {
    const date::year_month_day release = PatchTuesday(month);
    const date::year_month_day notice = AdvanceNoticeDay(month);
    CAPTURE(FormatDate(release));
    REQUIRE(release.year() / release.month() == month);
    REQUIRE(date::weekday{date::sys_days{release}} == date::Tuesday);
    REQUIRE(release.day() >= date::day{8});
    REQUIRE(release.day() <= date::day{14});
    REQUIRE(date::weekday{date::sys_days{notice}} == date::Thursday);
    REQUIRE(date::sys_days{release} - date::sys_days{notice} == date::days{5});
  }
}

TEST_CASE(
    "the Microsoft rule calendar yields exactly that release and notice in every month, "
    "1900-2200") {
  Result<std::unique_ptr<Calendar>> rule = MakeMicrosoftRuleCalendar();
  REQUIRE(rule.has_value());
  const std::vector<Event> events = EventsOf(**rule, Days("1900-01-01", "2200-12-31"));
  REQUIRE(events.size() == 301 * 12 * 2);

  std::map<date::year_month, std::vector<const Event*>> by_month;
  for (const Event& event : events) {
    const date::year_month_day day{LocalDate(event)};
    by_month[day.year() / day.month()].push_back(&event);
  }
  REQUIRE(by_month.size() == 301 * 12);
  for (const auto& [month, month_events] : by_month) {
    REQUIRE(month_events.size() == 2);
    const Event& notice = *month_events[0];
    const Event& release = *month_events[1];
    CAPTURE(release.Id());
    REQUIRE(release.kind == EventKind::kRelease);
    REQUIRE(notice.kind == EventKind::kAdvanceNotice);
    const date::year_month_day release_day{LocalDate(release)};
    REQUIRE(date::weekday{LocalDate(release)} == date::Tuesday);
    REQUIRE(release_day.day() >= date::day{8});
    REQUIRE(release_day.day() <= date::day{14});
    REQUIRE(date::weekday{LocalDate(notice)} == date::Thursday);
    REQUIRE(LocalDate(release) - LocalDate(notice) == date::days{5});
    REQUIRE(notice.announces == LocalDate(release));
    REQUIRE(release.local_start - LocalDate(release) == std::chrono::hours{10});
    REQUIRE(notice.local_start - LocalDate(notice) == std::chrono::hours{10});
    REQUIRE(release.source == EventSource::kRule);
  }
}

TEST_CASE("Oracle Critical Patch Update days match Oracle's published dates") {
  struct Case {
    const char* month;  // YYYY-MM-01
    const char* expected;
  };
  // 2010: Tuesday closest to the 15th; 2011-2024: closest to the 17th; 2025 on: third Tuesday.
  const Case cases[] = {
      {"2010-01-01", "2010-01-12"}, {"2010-10-01", "2010-10-12"}, {"2018-01-01", "2018-01-16"},
      {"2018-04-01", "2018-04-17"}, {"2018-07-01", "2018-07-17"}, {"2018-10-01", "2018-10-16"},
      {"2020-01-01", "2020-01-14"}, {"2020-07-01", "2020-07-14"}, {"2023-01-01", "2023-01-17"},
      {"2024-01-01", "2024-01-16"}, {"2024-04-01", "2024-04-16"}, {"2024-07-01", "2024-07-16"},
      {"2024-10-01", "2024-10-15"}, {"2025-01-01", "2025-01-21"}, {"2025-04-01", "2025-04-15"},
      {"2025-07-01", "2025-07-15"}, {"2025-10-01", "2025-10-21"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.month);
    const date::year_month_day first{Day(c.month)};
    CHECK(FormatDate(OracleCriticalPatchUpdateDay(first.year() / first.month())) == c.expected);
  }
  for (unsigned m : {2u, 3u, 5u, 6u, 8u, 9u, 11u, 12u}) {
    CHECK_FALSE(OracleCriticalPatchUpdateDay(date::year{2024} / date::month{m}).ok());
  }
}

TEST_CASE("the Tuesday nearest a day is within three days of it") {
  for (date::year_month month = date::year{2000} / date::January;
       month <= date::year{2030} / date::December; month += date::months{1}) {
    const date::year_month_day tuesday = TuesdayNearest(month, 17);
    CAPTURE(FormatDate(tuesday));
    CHECK(date::weekday{date::sys_days{tuesday}} == date::Tuesday);
    CHECK(tuesday.day() >= date::day{14});
    CHECK(tuesday.day() <= date::day{20});
  }
}

TEST_CASE("the first Monday is the Monday among days 1 to 7") {
  const char* expected_2024[] = {"2024-01-01", "2024-02-05", "2024-03-04", "2024-04-01",
                                 "2024-05-06", "2024-06-03", "2024-07-01", "2024-08-05",
                                 "2024-09-02", "2024-10-07", "2024-11-04", "2024-12-02"};
  for (unsigned m = 1; m <= 12; ++m) {
    CHECK(FormatDate(FirstMonday(date::year{2024} / date::month{m})) == expected_2024[m - 1]);
  }
}

}  // namespace
}  // namespace patchcast::calendars
