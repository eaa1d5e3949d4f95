// EffectiveDateShift: the seam for rules like "if the date is a public holiday in zone Z, the wave
// starts the next working day" (e.g. the Android bulletin published the Tuesday after Labor Day).
//
// Out of scope for now: no holiday data ships, and NoShift is the only implementation. The registry
// (calendar_registry.h) applies a calendar's shift, if it has one, to each event before overrides:
// the event keeps its local time of day and its id, and moves to the returned date.
// Implementations must be pure and thread-safe.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include "calendars/event.h"

namespace patchcast::calendars {

// How far a shift may move an event; the registry widens its generation window by this much so that
// shifted events are not lost at the edges of a query.
inline constexpr date::days kMaxShiftDays{7};

class EffectiveDateShift {
 public:
  virtual ~EffectiveDateShift() = default;

  // Returns the local date on which an event of `kind`, scheduled for local date `scheduled` in
  // `zone`, takes effect. Must be within kMaxShiftDays of `scheduled`.
  virtual date::local_days EffectiveDate(date::local_days scheduled, const date::time_zone& zone,
                                         EventKind kind) const = 0;
};

// The default: every event takes effect on its scheduled date.
class NoShift final : public EffectiveDateShift {
 public:
  date::local_days EffectiveDate(date::local_days scheduled, const date::time_zone&,
                                 EventKind) const override {
    return scheduled;
  }
};

}  // namespace patchcast::calendars
