#include "calendars/microsoft_calendar.h"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "calendars/builtin_calendars.h"
#include "calendars/msrc_history.h"
#include "tests/calendars/calendar_test_util.h"

namespace patchcast::calendars {
namespace {

using testing::Day;
using testing::Days;
using testing::EventsOf;
using testing::LocalDate;
using testing::On;
using testing::OnlyOn;
using testing::Utc;

const Calendar& Microsoft() {
  static const std::unique_ptr<MicrosoftCalendar> calendar = [] {
    const Result<MsrcHistory>& history = EmbeddedMsrcHistory();
    REQUIRE(history.has_value());
    Result<std::unique_ptr<MicrosoftCalendar>> created = MicrosoftCalendar::Create(*history);
    REQUIRE(created.has_value());
    return std::move(*created);
  }();
  return *calendar;
}

const Calendar& MicrosoftRule() {
  static const std::unique_ptr<Calendar> calendar = [] {
    Result<std::unique_ptr<Calendar>> created = MakeMicrosoftRuleCalendar();
    REQUIRE(created.has_value());
    return std::move(*created);
  }();
  return *calendar;
}

// The CSV as the data file in the repository has it (the test runs from the repository root).
std::string ReadFile(const char* path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return file ? text.str() : std::string();
}

TEST_CASE("UTC instants follow US daylight time on both sides of every change") {
  // Pacific time through the tz database: 10:00 PDT is 17:00Z, 10:00 PST is 18:00Z. 2006 used the
  // old rule (first Sunday of April to last Sunday of October), 2007 the new one (second Sunday of
  // March to first Sunday of November).
  struct Case {
    const char* day;
    EventKind kind;
    const char* utc;
  };
  const Case cases[] = {
      {"2006-03-09", EventKind::kAdvanceNotice, "2006-03-09T18:00:00Z"},
      {"2006-03-14", EventKind::kRelease, "2006-03-14T18:00:00Z"},  // PST: DST began 2006-04-02
      {"2006-04-06", EventKind::kAdvanceNotice, "2006-04-06T17:00:00Z"},
      {"2006-04-11", EventKind::kRelease, "2006-04-11T17:00:00Z"},
      {"2006-10-10", EventKind::kRelease, "2006-10-10T17:00:00Z"},  // PDT until 2006-10-29
      {"2006-11-14", EventKind::kRelease, "2006-11-14T18:00:00Z"},
      {"2007-03-08", EventKind::kAdvanceNotice, "2007-03-08T18:00:00Z"},  // before 2007-03-11
      {"2007-03-13", EventKind::kRelease, "2007-03-13T17:00:00Z"},  // after the 2007 rule change
      {"2007-10-09", EventKind::kRelease, "2007-10-09T17:00:00Z"},
      {"2007-11-08", EventKind::kAdvanceNotice, "2007-11-08T18:00:00Z"},  // DST ended 2007-11-04
      {"2007-11-13", EventKind::kRelease, "2007-11-13T18:00:00Z"},
      {"2020-03-05", EventKind::kAdvanceNotice, "2020-03-05T18:00:00Z"},  // DST began 2020-03-08
      {"2020-03-10", EventKind::kRelease, "2020-03-10T17:00:00Z"},
      {"2038-03-09", EventKind::kRelease, "2038-03-09T18:00:00Z"},  // DST begins 2038-03-14
      {"2038-04-13", EventKind::kRelease, "2038-04-13T17:00:00Z"},  // beyond the zoneinfo table
      {"2100-07-13", EventKind::kRelease, "2100-07-13T17:00:00Z"},
      {"2200-11-11", EventKind::kRelease, "2200-11-11T18:00:00Z"},
  };
  // The rule alone, so that 2007-03 (a month without a release in reality) is covered too.
  const std::vector<Event> events = EventsOf(MicrosoftRule(), Days("2006-01-01", "2200-12-31"));
  for (const Case& c : cases) {
    CAPTURE(c.day);
    CHECK(FormatUtcDateTime(OnlyOn(events, c.day, c.kind).start) == c.utc);
  }
}

TEST_CASE("March 2007 differs from March 2006 by the 2007 daylight-time change") {
  const std::vector<Event> events = EventsOf(MicrosoftRule(), Days("2006-03-01", "2007-03-31"));
  const Event march_2006 = OnlyOn(events, "2006-03-14", EventKind::kRelease);
  const Event march_2007 = OnlyOn(events, "2007-03-13", EventKind::kRelease);
  CHECK(march_2006.local_start - Day("2006-03-14") == std::chrono::hours{10});
  CHECK(march_2007.local_start - Day("2007-03-13") == std::chrono::hours{10});
  CHECK(march_2006.start - testing::AsUtc(Day("2006-03-14")) == std::chrono::hours{18});
  CHECK(march_2007.start - testing::AsUtc(Day("2007-03-13")) == std::chrono::hours{17});
}

TEST_CASE("the rule plus history reproduces every dated release in the history file exactly") {
  // Read the file independently of the library's parser: `date` and `kind` never need quoting.
  const std::string csv = std::string(EmbeddedMsrcHistoryCsv());
  std::set<date::local_days> releases, out_of_band, notices;
  std::set<date::year_month> no_release_months;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);  // header
  int rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    ++rows;
    const date::local_days day = Day(line.substr(0, 10));
    const std::string kind = line.substr(11, line.find(',', 11) - 11);
    if (kind == "patch_tuesday" || kind == "pre_schedule") {
      releases.insert(day);
    } else if (kind == "out_of_band") {
      out_of_band.insert(day);
    } else if (kind == "advance_notice") {
      notices.insert(day);
    } else if (kind == "no_release") {
      const date::year_month_day ymd{day};
      no_release_months.insert(ymd.year() / ymd.month());
    } else {
      FAIL("unexpected kind ", kind);
    }
  }
  REQUIRE(rows == 485);
  REQUIRE(releases.size() == 290);  // 270 patch_tuesday + 20 pre_schedule
  REQUIRE(out_of_band.size() == 98);
  REQUIRE(no_release_months.size() == 5);

  const std::vector<Event> events = EventsOf(Microsoft(), Days("2003-01-01", "2026-08-31"));
  std::set<date::local_days> release_days, out_of_band_days, notice_days;
  for (const Event& event : events) {
    CAPTURE(event.Id());
    if (event.kind == EventKind::kRelease) {
      CHECK(release_days.insert(LocalDate(event)).second);  // at most one release a day
      CHECK(event.source == EventSource::kHistory);
      CHECK(event.local_start - LocalDate(event) == std::chrono::hours{10});
    } else if (event.kind == EventKind::kOutOfBand) {
      CHECK(out_of_band_days.insert(LocalDate(event)).second);
      CHECK(event.source == EventSource::kHistory);
    } else if (event.kind == EventKind::kAdvanceNotice) {
      notice_days.insert(LocalDate(event));
    }
  }
  CHECK(release_days == releases);
  CHECK(out_of_band_days == out_of_band);
  for (date::local_days day : notices) {
    CAPTURE(FormatDate(day));
    const std::vector<Event> on_day = On(events, day, EventKind::kAdvanceNotice);
    REQUIRE(on_day.size() == 1);
    CHECK(on_day.front().source == EventSource::kHistory);
  }
  for (date::year_month month : no_release_months) {
    const date::local_days first{month / date::day{1}};
    const date::local_days last{month / date::last};
    for (date::local_days day = first; day <= last; day += date::days{1}) {
      CHECK(On(events, day, EventKind::kRelease).empty());
    }
  }
}

TEST_CASE("hand-checked history rows come out as the data README describes") {
  const std::vector<Event> events = EventsOf(Microsoft(), Days("2003-01-01", "2026-12-31"));

  SUBCASE("2007-08-14 is a release with nine bulletins, MS07-042..MS07-050") {
    const Event release = OnlyOn(events, "2007-08-14", EventKind::kRelease);
    CHECK(release.Id() == "microsoft:2007-08-14:release");
    CHECK(release.bulletins == 9);
    CHECK(release.notes ==
          "MS07-042;MS07-043;MS07-044;MS07-045;MS07-046;MS07-047;MS07-048;MS07-049;MS07-050");
    CHECK(release.source == EventSource::kHistory);
    CHECK(release.start == Utc("2007-08-14T17:00:00Z"));
    CHECK(release.ZoneName() == "America/Los_Angeles");
  }
  SUBCASE("2007-08-09 is its public advance notice, confirmed by the history") {
    const Event notice = OnlyOn(events, "2007-08-09", EventKind::kAdvanceNotice);
    CHECK(notice.source == EventSource::kHistory);
    CHECK(notice.is_public);
    CHECK(notice.announces == Day("2007-08-14"));
    CHECK(notice.notes == "ANS for 2007-Aug");
  }
  SUBCASE("2008-10-23 is the out-of-band MS08-067") {
    const Event oob = OnlyOn(events, "2008-10-23", EventKind::kOutOfBand);
    CHECK(oob.notes == "MS08-067");
    CHECK(oob.bulletins == 1);
    CHECK(oob.Id() == "microsoft:2008-10-23:out_of_band");
  }
  SUBCASE("February 2017 was postponed into March 2017") {
    CHECK(On(events, Day("2017-02-14"), EventKind::kRelease).empty());
    CHECK(On(events, Day("2017-02-09"), EventKind::kAdvanceNotice).empty());
    CHECK(OnlyOn(events, "2017-03-14", EventKind::kRelease).bulletins == 18);
  }
  SUBCASE("the first monthly release came on Wednesday 2003-10-15, not on the second Tuesday") {
    CHECK(On(events, Day("2003-10-14"), EventKind::kRelease).empty());
    const Event release = OnlyOn(events, "2003-10-15", EventKind::kRelease);
    CHECK(release.bulletins == 7);
    CHECK(OnlyOn(events, "2003-10-09", EventKind::kAdvanceNotice).announces == Day("2003-10-15"));
  }
  SUBCASE("2003's releases before the cycle come from history, without rule releases") {
    CHECK(OnlyOn(events, "2003-01-22", EventKind::kRelease).bulletins == 3);
    CHECK(On(events, Day("2003-01-14"), EventKind::kRelease).empty());
    CHECK(On(events, Day("2003-01-09"), EventKind::kAdvanceNotice).empty());
  }
  SUBCASE("advance notices off the rule's Thursday are extra notices for the next release") {
    CHECK(OnlyOn(events, "2010-01-20", EventKind::kAdvanceNotice).announces == Day("2010-01-21"));
    CHECK(OnlyOn(events, "2011-12-28", EventKind::kAdvanceNotice).announces == Day("2011-12-29"));
    CHECK(OnlyOn(events, "2012-09-19", EventKind::kAdvanceNotice).announces == Day("2012-09-21"));
    const Event reissue = OnlyOn(events, "2014-02-10", EventKind::kAdvanceNotice);
    CHECK(reissue.announces == Day("2014-02-11"));
    CHECK(reissue.source == EventSource::kHistory);
    // The regular Thursday notice stays, from the rule, since the history does not give it.
    const Event thursday = OnlyOn(events, "2014-02-06", EventKind::kAdvanceNotice);
    CHECK(thursday.source == EventSource::kRule);
    CHECK(thursday.announces == Day("2014-02-11"));
  }
  SUBCASE("a release and an out-of-band update on one day keep distinct ids") {
    CHECK(OnlyOn(events, "2025-11-11", EventKind::kRelease).Id() == "microsoft:2025-11-11:release");
    const Event oob = OnlyOn(events, "2025-11-11", EventKind::kOutOfBand);
    CHECK(oob.Id() == "microsoft:2025-11-11:out_of_band");
    CHECK_FALSE(oob.bulletins.has_value());  // KB numbers are not bulletins
  }
  SUBCASE("after the history the rule takes over") {
    const Event release = OnlyOn(events, "2026-09-08", EventKind::kRelease);
    CHECK(release.source == EventSource::kRule);
    CHECK(release.notes.empty());
    CHECK(OnlyOn(events, "2026-09-03", EventKind::kAdvanceNotice).source == EventSource::kRule);
  }
}

TEST_CASE("before 2003 the rule alone applies") {
  const std::vector<Event> events = EventsOf(Microsoft(), Days("2002-12-01", "2002-12-31"));
  REQUIRE(events.size() == 2);
  CHECK(events[1].Id() == "microsoft:2002-12-10:release");
  CHECK(events[1].source == EventSource::kRule);
}

TEST_CASE("advance notices are public only from November 2004 to December 2014") {
  const std::vector<Event> events = EventsOf(Microsoft(), Days("2000-01-01", "2100-12-31"));
  int public_notices = 0;
  for (const Event& event : events) {
    if (event.kind != EventKind::kAdvanceNotice) {
      CHECK(event.is_public);
      continue;
    }
    CAPTURE(event.Id());
    const bool in_public_era =
        LocalDate(event) >= Day("2004-11-01") && LocalDate(event) < Day("2015-01-01");
    CHECK(event.is_public == in_public_era);
    public_notices += event.is_public ? 1 : 0;
  }
  // One a month 2004-11..2014-12 (122 months less the release-free 2005-03, 2005-09 and 2007-03),
  // plus the four extra notices of 2010-01, 2011-12, 2012-09 and 2014-02.
  CHECK(public_notices == 119 + 4);
  CHECK(OnlyOn(events, "2014-12-04", EventKind::kAdvanceNotice).is_public);
  CHECK_FALSE(OnlyOn(events, "2015-01-08", EventKind::kAdvanceNotice).is_public);
}

TEST_CASE("a query over any range returns the same events as the full list, cut to it") {
  const std::vector<Event> all = EventsOf(Microsoft(), Days("2000-01-01", "2030-12-31"));
  for (const auto& days :
       {std::pair{"2002-11-05", "2003-02-10"}, std::pair{"2026-08-11", "2026-09-30"},
        std::pair{"2014-02-10", "2014-02-10"}}) {
    CAPTURE(days.first);
    const TimeRange range = Days(days.first, days.second);
    std::vector<Event> expected;
    for (const Event& event : all) {
      if (range.Contains(event.start)) expected.push_back(event);
    }
    CHECK(EventsOf(Microsoft(), range) == expected);
  }
}

TEST_CASE("the compiled-in history is byte-identical to the data file and the shared original") {
  const std::string repository_copy =
      ReadFile("calendars/data/msrc_release_calendar_2003_2026.csv");
  REQUIRE_FALSE(repository_copy.empty());
  CHECK(EmbeddedMsrcHistoryCsv() == repository_copy);

  const std::string shared = ReadFile("../shared/data/msrc_release_calendar_2003_2026.csv");
  if (shared.empty()) {
    MESSAGE("../shared/data is absent: skipping the comparison with the shared original");
    return;
  }
  CHECK(EmbeddedMsrcHistoryCsv() == shared);
}

}  // namespace
}  // namespace patchcast::calendars
