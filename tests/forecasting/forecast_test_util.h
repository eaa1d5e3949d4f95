// Helpers shared by the forecasting tests: literal instants, hand-made events and series with
// known answers (a weekly pattern, an injected response curve).
#pragma once

#include <date/date.h>
#include <date/tz.h>
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/event.h"
#include "calendars/time_text.h"
#include "calendars/zone.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting::testing {

// An instant from "YYYY-MM-DDTHH:MM:SSZ"; fails the test on a malformed literal.
inline std::chrono::sys_seconds Utc(std::string_view text) {
  Result<std::chrono::sys_seconds> utc = calendars::ParseUtcDateTime(text);
  REQUIRE_MESSAGE(utc.has_value(), text);
  return *utc;
}

inline const date::time_zone& Zone(std::string_view name) {
  Result<const date::time_zone*> zone = calendars::LocateZone(name);
  REQUIRE(zone.has_value());
  return **zone;
}

// An event of `calendar` and `kind` starting at `start`, in UTC (so local == UTC).
inline calendars::Event MakeEvent(std::string calendar, calendars::EventKind kind,
                                  std::chrono::sys_seconds start,
                                  std::optional<int> bulletins = std::nullopt) {
  calendars::Event event;
  event.calendar_id = std::move(calendar);
  event.kind = kind;
  event.start = start;
  event.local_start = date::local_seconds{start.time_since_epoch()};
  event.zone = &Zone("UTC");
  event.scheduled_date = date::floor<date::days>(event.local_start);
  event.bulletins = bulletins;
  return event;
}

// A quiet weekday/weekend pattern in UTC hours: 100 at night, 400 at midday, weekends at 60 %.
inline double Pattern(std::chrono::sys_seconds t) {
  const auto day = date::floor<date::days>(t);
  const double hour = std::chrono::duration<double>(t - day).count() / 3600;
  const unsigned weekday = date::weekday{day}.iso_encoding();
  const double daily = 100 + 300 * std::exp(-0.5 * std::pow((hour - 12) / 3, 2));
  return weekday >= 6 ? 0.6 * daily : daily;
}

// The series value(start + i * step) for i in [0, count).
inline RegularSeries MakeSeries(std::chrono::sys_seconds start, std::chrono::seconds step,
                                std::size_t count,
                                const std::function<double(std::chrono::sys_seconds)>& value) {
  RegularSeries series;
  series.start = start;
  series.step = step;
  series.values.resize(count);
  for (std::size_t i = 0; i < count; ++i) series.values[i] = value(series.TimeAt(i));
  return series;
}

// An injected response: excess over the baseline at `offset` after an event's start: 0 before,
// a sharp peak of 1.5 at +14 h, a broad morning wave of 0.6 at +39 h, an echo of 0.3 at +72 h.
inline double InjectedExcess(std::chrono::seconds offset) {
  const double h = std::chrono::duration<double>(offset).count() / 3600;
  if (h < 0 || h > 192) return 0;
  const auto bump = [&](double centre, double width, double height) {
    return height * std::exp(-0.5 * std::pow((h - centre) / width, 2));
  };
  return bump(14, 1.0, 1.5) + bump(39, 3.0, 0.6) + bump(72, 1.5, 0.3);
}

// Monthly release events at 18:00 UTC on the second Tuesday of each month from `first`.
inline std::vector<calendars::Event> MonthlyReleases(date::year_month first, int months,
                                                     std::string calendar = "microsoft") {
  std::vector<calendars::Event> events;
  for (int m = 0; m < months; ++m) {
    const date::year_month ym = first + date::months{m};
    const date::sys_days day{ym.year() / ym.month() / date::Tuesday[2]};
    events.push_back(MakeEvent(calendar, calendars::EventKind::kRelease,
                               std::chrono::sys_seconds{day} + std::chrono::hours{18}));
  }
  return events;
}

}  // namespace patchcast::forecasting::testing
