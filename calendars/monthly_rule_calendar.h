// MonthlyRuleCalendar: a calendar with at most one release a month on a rule-given local date at a
// fixed local time, optionally with an advance notice a fixed number of days before each release.
// The built-in vendor calendars are instances (vendor_calendars.h).
//
// Immutable; thread-safe. Generation is allocation-free apart from the output vector: dates come
// from constexpr date arithmetic (monthly_rules.h) and one ZoneConverter per call caches the zone
// offsets.
#pragma once

#include <date/date.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

#include "calendars/calendar.h"

namespace patchcast::calendars {

struct MonthlyRuleSpec {
  CalendarInfo info;  // info.zone must not be null
  // The month's local release date, or a date for which ok() is false when there is none.
  date::year_month_day (*release_day)(date::year_month) = nullptr;
  std::chrono::minutes release_time{0};  // local time of day of every event
  // No events before this month (the start of the vendor's programme). Default: no limit.
  date::year_month first_month{date::year::min() / date::January};

  // Advance notices: when set, each release has one `notice_lead` days earlier, same local time,
  // announcing it. They are public from `public_notices_from` (included) to `public_notices_until`
  // (excluded), by the notice's month; outside that window is_public is false.
  std::optional<date::days> notice_lead;
  date::year_month public_notices_from{date::year::min() / date::January};
  date::year_month public_notices_until{date::year::max() / date::December};
};

class MonthlyRuleCalendar final : public Calendar {
 public:
  explicit MonthlyRuleCalendar(MonthlyRuleSpec spec);

  const CalendarInfo& info() const override { return spec_.info; }

  // See Calendar. Events have source kRule; releases kind kRelease, notices kAdvanceNotice.
  Status AppendEvents(const TimeRange& range, std::size_t max_events,
                      std::vector<Event>& out) const override;

 private:
  MonthlyRuleSpec spec_;
};

}  // namespace patchcast::calendars
