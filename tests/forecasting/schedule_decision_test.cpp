// Unit tests of the scheduler's decision (schedule_decision.h): which run is due for a series'
// schedule given its last run, the calendar's events and the series' latest point, in order of
// precedence; and the events digest that tells an override apart. Every instant is given.
#include "forecasting/schedule_decision.h"

#include <doctest/doctest.h>

#include <vector>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using calendars::EventKind;
using std::chrono::hours;
using std::chrono::minutes;
using testing::MakeEvent;
using testing::Utc;

// Microsoft's December 2026 cycle: the advance notice on Thursday the 3rd, the release on
// Tuesday the 8th, both at 18:00Z.
std::vector<Event> December() {
  return {MakeEvent("microsoft", EventKind::kAdvanceNotice, Utc("2026-12-03T18:00:00Z"), 11),
          MakeEvent("microsoft", EventKind::kRelease, Utc("2026-12-08T18:00:00Z"))};
}

// A schedule put on 1 December, weekly on Mondays at 06:00 UTC, with the calendar's triggers and
// under-way runs every 15 minutes.
StoredSchedule Mondays() {
  StoredSchedule stored;
  stored.series_id = "logins";
  stored.schedule.weekly =
      WeeklySlot{.day = date::Monday, .time = hours{6}, .zone = &testing::Zone("UTC")};
  stored.updated_at = Utc("2026-12-01T00:00:00Z");
  return stored;
}

// A run that started at `started`, saw points up to `data_end` and the events as `events` were.
RunRecord RunAt(const char* started, const char* data_end, const std::vector<Event>& events) {
  RunRecord run;
  run.series_id = "logins";
  run.started = Utc(started);
  run.finished = run.started;
  run.data_end = Utc(data_end);
  run.events_digest = EventsDigest(events, run.started);
  return run;
}

TEST_CASE("triggers count from the schedule's put or its series' last run, the later") {
  const StoredSchedule stored = Mondays();
  CHECK(CountingSince(stored, {}) == Utc("2026-12-01T00:00:00Z"));
  const SeriesRunState ran{RunAt("2026-12-03T18:00:00Z", "2026-12-03T17:00:00Z", December()),
                           std::nullopt};
  CHECK(CountingSince(stored, ran) == Utc("2026-12-03T18:00:00Z"));
  const SeriesRunState before{RunAt("2026-11-20T00:00:00Z", "2026-11-20T00:00:00Z", December()),
                              std::nullopt};
  CHECK(CountingSince(stored, before) == Utc("2026-12-01T00:00:00Z"));
}

TEST_CASE("the events read reach back one under-way window and ahead one digest span") {
  const EventsRange range = EventsToRead(Utc("2026-12-08T00:00:00Z"), Utc("2026-12-09T00:00:00Z"));
  CHECK(range.from == Utc("2026-12-05T00:00:00Z"));
  CHECK(range.to == Utc("2027-01-13T00:00:00Z"));
}

TEST_CASE("the events digest changes with what a forecast reads, and only in its span") {
  const std::vector<Event> events = December();
  const auto from = Utc("2026-12-01T00:00:00Z");
  const std::string digest = EventsDigest(events, from);
  CHECK(digest.size() == 16);
  CHECK(EventsDigest(events, from) == digest);

  std::vector<Event> annotated = events;
  annotated[1].bulletins = 60;
  CHECK(EventsDigest(annotated, from) != digest);
  std::vector<Event> no_restart = events;
  no_restart[1].restart_required = false;
  CHECK(EventsDigest(no_restart, from) != digest);
  std::vector<Event> moved = events;
  moved[1].start += hours{24};
  CHECK(EventsDigest(moved, from) != digest);
  std::vector<Event> cancelled = {events[0]};
  CHECK(EventsDigest(cancelled, from) != digest);
  std::vector<Event> noted = events;
  noted[1].notes = "a note changes no forecast";
  CHECK(EventsDigest(noted, from) == digest);

  // An event beyond the span, or before its start, is not in it.
  std::vector<Event> later = events;
  later.push_back(MakeEvent("microsoft", EventKind::kRelease, Utc("2027-01-12T18:00:00Z")));
  CHECK(EventsDigest(later, from) == digest);
  std::vector<Event> earlier = events;
  earlier.push_back(MakeEvent("microsoft", EventKind::kRelease, Utc("2026-11-10T18:00:00Z")));
  CHECK(EventsDigest(earlier, from) == digest);
}

TEST_CASE("what is due, in order: weekly or calendar triggers, a calendar change, under way") {
  const StoredSchedule stored = Mondays();
  const std::vector<Event> events = December();

  SUBCASE("nothing yet") { CHECK_FALSE(WorkDue(stored, {}, events, Utc("2026-12-03T17:59:59Z"))); }
  SUBCASE("the advance notice, then nothing until the weekly slot") {
    CHECK(WorkDue(stored, {}, events, Utc("2026-12-03T18:00:00Z")) ==
          ScheduledRun{RunTrigger::kAdvanceNotice, Utc("2026-12-03T18:00:00Z")});
    const SeriesRunState after_notice{RunAt("2026-12-03T18:00:00Z", "2026-12-03T17:00:00Z", events),
                                      Utc("2026-12-05T00:00:00Z")};
    CHECK_FALSE(WorkDue(stored, after_notice, events, Utc("2026-12-07T05:59:59Z")));
    CHECK(WorkDue(stored, after_notice, events, Utc("2026-12-07T06:00:00Z")) ==
          ScheduledRun{RunTrigger::kWeekly, Utc("2026-12-07T06:00:00Z")});
  }
  SUBCASE("an override after the last run: a calendar change, at once") {
    const SeriesRunState ran{RunAt("2026-12-04T00:00:00Z", "2026-12-03T23:00:00Z", events),
                             Utc("2026-12-04T00:00:00Z")};
    CHECK_FALSE(WorkDue(stored, ran, events, Utc("2026-12-05T00:00:00Z")));
    std::vector<Event> overridden = events;
    overridden[1].start += hours{24};  // the release moved to Wednesday
    CHECK(WorkDue(stored, ran, overridden, Utc("2026-12-05T00:00:00Z")) ==
          ScheduledRun{RunTrigger::kCalendarChange, Utc("2026-12-05T00:00:00Z")});
  }
  SUBCASE("while the release rolls, only once new points arrived") {
    const SeriesRunState at_release{RunAt("2026-12-08T18:00:00Z", "2026-12-08T17:55:00Z", events),
                                    Utc("2026-12-08T17:55:00Z")};
    CHECK_FALSE(WorkDue(stored, at_release, events, Utc("2026-12-08T18:20:00Z")));
    SeriesRunState fresh = at_release;
    fresh.last_point = Utc("2026-12-08T18:15:00Z");
    CHECK(WorkDue(stored, fresh, events, Utc("2026-12-08T18:20:00Z")) ==
          ScheduledRun{RunTrigger::kUnderWay, Utc("2026-12-08T18:15:00Z")});
    // A series whose last run saw no points counts any point as new.
    SeriesRunState first_points = fresh;
    first_points.last_run->data_end.reset();
    CHECK(WorkDue(stored, first_points, events, Utc("2026-12-08T18:20:00Z")) ==
          ScheduledRun{RunTrigger::kUnderWay, Utc("2026-12-08T18:15:00Z")});
  }
  SUBCASE("a weekly slot outranks an under-way slot and a calendar change") {
    const std::vector<Event> monday_release = {
        MakeEvent("microsoft", EventKind::kOutOfBand, Utc("2026-12-06T00:00:00Z"))};
    const SeriesRunState ran{RunAt("2026-12-06T00:00:00Z", "2026-12-06T00:00:00Z", events),
                             Utc("2026-12-07T06:00:00Z")};
    CHECK(WorkDue(stored, ran, monday_release, Utc("2026-12-07T06:10:00Z")) ==
          ScheduledRun{RunTrigger::kWeekly, Utc("2026-12-07T06:00:00Z")});
  }
  SUBCASE("a disabled schedule asks for nothing") {
    StoredSchedule off = stored;
    off.schedule.enabled = false;
    CHECK_FALSE(WorkDue(off, {}, events, Utc("2026-12-09T00:00:00Z")));
  }
}

}  // namespace
}  // namespace patchcast::forecasting
