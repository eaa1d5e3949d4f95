// Small helpers shared by the calendar tests: literal dates and instants, and event look-ups.
#pragma once

#include <date/date.h>
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/calendar.h"
#include "calendars/event.h"
#include "calendars/time_range.h"
#include "calendars/time_text.h"

namespace patchcast::calendars::testing {

// A local date from "YYYY-MM-DD"; fails the test on a malformed literal.
inline date::local_days Day(std::string_view text) {
  Result<date::year_month_day> day = ParseDate(text);
  REQUIRE_MESSAGE(day.has_value(), text);
  return date::local_days{*day};
}

// A local date-time from "YYYY-MM-DDTHH:MM[:SS]".
inline date::local_seconds Local(std::string_view text) {
  Result<date::local_seconds> local = ParseLocalDateTime(text);
  REQUIRE_MESSAGE(local.has_value(), text);
  return *local;
}

// An instant from "YYYY-MM-DDTHH:MM:SSZ".
inline std::chrono::sys_seconds Utc(std::string_view text) {
  Result<std::chrono::sys_seconds> utc = ParseUtcDateTime(text);
  REQUIRE_MESSAGE(utc.has_value(), text);
  return *utc;
}

// The instant whose UTC wall-clock reading equals `local` (for writing expected offsets).
inline std::chrono::sys_seconds AsUtc(date::local_seconds local) {
  return std::chrono::sys_seconds{local.time_since_epoch()};
}

// The UTC days from `from` through `to`, both included, without the API's 200-year limit.
inline TimeRange Days(std::string_view from, std::string_view to) {
  return {std::chrono::sys_seconds{Day(from).time_since_epoch()},
          std::chrono::sys_seconds{(Day(to) + date::days{1}).time_since_epoch()}};
}

// Every event of `calendar` in `range`, sorted by start then id; fails the test on an error.
inline std::vector<Event> EventsOf(const Calendar& calendar, const TimeRange& range) {
  std::vector<Event> events;
  const Status status = calendar.AppendEvents(range, 1'000'000, events);
  REQUIRE_MESSAGE(status.has_value(), (status ? std::string() : status.error().message));
  std::sort(events.begin(), events.end(), StartThenIdLess);
  return events;
}

// The local date of an event's start.
inline date::local_days LocalDate(const Event& event) {
  return date::floor<date::days>(event.local_start);
}

// The events of `kind` whose local start falls on `day`.
inline std::vector<Event> On(const std::vector<Event>& events, date::local_days day,
                             EventKind kind) {
  std::vector<Event> found;
  for (const Event& event : events) {
    if (event.kind == kind && LocalDate(event) == day) found.push_back(event);
  }
  return found;
}

// The single event of `kind` on `day`; fails the test unless there is exactly one.
inline Event OnlyOn(const std::vector<Event>& events, std::string_view day, EventKind kind) {
  const std::vector<Event> found = On(events, Day(day), kind);
  REQUIRE_MESSAGE(found.size() == 1, day, " ", ToString(kind), ": ", found.size(), " events");
  return found.front();
}

}  // namespace patchcast::calendars::testing
