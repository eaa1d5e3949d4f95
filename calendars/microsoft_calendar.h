// MicrosoftCalendar: Microsoft's security releases, the Patch Tuesday rule (MicrosoftRuleSpec)
// merged with the real release history (msrc_history.h). Immutable; thread-safe.
//
// Within the history's months (its first to its last month: 2003-01 .. 2026-08 for the compiled-in
// file) the history decides, and every event it yields has source kHistory unless stated:
//  - Releases come only from `patch_tuesday` rows (the monthly release, including the first one on
//    Wednesday 2003-10-15) and `pre_schedule` rows (2003's release days before the monthly cycle).
//    notes = the row's ids; bulletins = their number when they are MS bulletin ids (until 2017-03).
//    So a month without a patch_tuesday row has no rule release: the `no_release` months
//    (2003-12, 2005-03, 2005-09, 2007-03, 2017-02) and the months before the cycle (2003-01..09).
//  - `out_of_band` rows add out_of_band events, notes = the ids (bulletins as above).
//  - A month with a monthly release has the rule's advance notice, on the Thursday five days before
//    the month's second Tuesday, announcing that release. Its source is kHistory (notes = the row's
//    id) when an `advance_notice` row confirms that date, else kRule. The ANS rows only cover
//    2004-11 and 2007-06 .. 2014-12 (data README: "do not treat that gap as 'no ANS'").
//  - `advance_notice` rows on any other day (notices for out-of-band releases, the 2014-02-10
//    re-issue) become extra advance notices announcing the next release or out-of-band release.
//  - Advance notices are public only from 2004-11 to 2014-12 (MicrosoftRuleSpec).
// Outside those months the rule alone applies (source kRule): a hypothetical extension before 2003,
// the published schedule after the file ends. Every event is at 10:00 America/Los_Angeles, the time
// the data README gives for Microsoft's releases.
#pragma once

#include <date/date.h>

#include <cstddef>
#include <memory>
#include <vector>

#include "calendars/calendar.h"
#include "calendars/monthly_rule_calendar.h"
#include "calendars/msrc_history.h"

namespace patchcast::calendars {

class MicrosoftCalendar final : public Calendar {
 public:
  // Builds the calendar from `history` (normally *EmbeddedMsrcHistory()), precomputing the events
  // of the history's months once. Fails (kInternal) only if the tz database lacks
  // America/Los_Angeles.
  static Result<std::unique_ptr<MicrosoftCalendar>> Create(const MsrcHistory& history);

  const CalendarInfo& info() const override { return rule_.info(); }

  Status AppendEvents(const TimeRange& range, std::size_t max_events,
                      std::vector<Event>& out) const override;

  // The UTC instants spanned by the history's local months, [first month 00:00, after last month).
  const TimeRange& history_span() const { return history_span_; }

 private:
  MicrosoftCalendar(MonthlyRuleSpec spec, const MsrcHistory& history);

  MonthlyRuleCalendar rule_;
  std::vector<Event> history_events_;  // the history months' events, sorted by start then id
  TimeRange history_span_{};
};

}  // namespace patchcast::calendars
