// Calendar: a source of events (built-in vendor calendars, custom calendars), and CalendarInfo,
// what the API lists about one.
//
// Implementations are immutable after construction and their const methods are thread-safe: any
// per-call state (zone caches) lives on the stack of the call.
#pragma once

#include <date/tz.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "calendars/event.h"
#include "calendars/time_range.h"
#include "core/result.h"

namespace patchcast::calendars {

enum class CalendarKind { kBuiltin, kCustom };

// "builtin" / "custom".
std::string_view ToString(CalendarKind kind);

struct CalendarInfo {
  std::string id;  // e.g. "microsoft"; [a-z0-9][a-z0-9_-]*, at most 64 characters
  std::string name;
  CalendarKind kind = CalendarKind::kBuiltin;
  const date::time_zone* zone = nullptr;  // the zone of its rules; never null
  std::string description;
};

// The error AppendEvents returns when a calendar has more than `max_events` events in `range`:
// kUnprocessable, "calendar 'x' has more than N events in <from>..<to>; narrow the range".
Error TooManyEvents(std::string_view calendar_id, std::size_t max_events, const TimeRange& range);

// Makes room in `out` for `additional` more events, growing geometrically so that many calendars
// appending to one vector do not each trigger an exact-fit reallocation.
void ReserveMore(std::vector<Event>& out, std::size_t additional);

class Calendar {
 public:
  virtual ~Calendar() = default;

  virtual const CalendarInfo& info() const = 0;

  // Appends to `out` every event of this calendar whose start lies in `range`, in no particular
  // order, before overrides and shifts (calendar_registry.h applies those).
  // Returns TooManyEvents(...) once more than `max_events` events would be appended; `out` then
  // holds a partial list the caller should discard. An empty or inverted range appends nothing.
  virtual Status AppendEvents(const TimeRange& range, std::size_t max_events,
                              std::vector<Event>& out) const = 0;
};

}  // namespace patchcast::calendars
