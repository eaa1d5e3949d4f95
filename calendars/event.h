// Event: one dated occurrence on a patch calendar (a release, an advance notice, an out-of-band
// release, ...), with its instant, its local wall-clock time and what is known about it.
//
// A plain value type; thread-compatible. `zone` points into the process-wide tz database and stays
// valid for the life of the process (see zone.h).
//
// Identity. Id() is "<calendar>:<scheduled date>:<kind>", e.g. "microsoft:2007-08-14:release". When
// one calendar has several events of the same kind on the same scheduled date, the first keeps the
// plain id and the n-th (n >= 2, in start order) gets the suffix ":<n>", e.g.
// "microsoft:2025-11-11:out_of_band:2". The scheduled date is the local date the rule, history or
// list gave the event; it does not change when an override moves the event (like iCalendar's
// RECURRENCE-ID, RFC 5545 3.8.4.4, which keeps "the time when the original recurrence instance
// would occur"), so ids stay stable and a moved event can still be found by its original day.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::calendars {

enum class EventKind : std::uint8_t {
  kRelease,        // a scheduled release (Patch Tuesday, CPU day, bulletin day, ...)
  kAdvanceNotice,  // an announcement of an upcoming release (Microsoft ANS)
  kOutOfBand,      // an unscheduled release
  kPreview,        // an optional preview release
  kCustom,         // anything else a custom calendar defines
};

enum class Severity : std::uint8_t { kCritical, kImportant, kModerate, kLow };

// Where an event's current form comes from; later sources win over earlier ones.
enum class EventSource : std::uint8_t {
  kRule,      // computed from a calendar rule
  kHistory,   // confirmed, cancelled or added by the compiled-in release history
  kOverride,  // changed or added by an operator override (override.h)
  kApi,       // defined by a custom calendar created through the API
};

// Stable snake_case names: "release", "advance_notice", "out_of_band", "preview", "custom";
// "critical", "important", "moderate", "low"; "rule", "history", "override", "api".
std::string_view ToString(EventKind kind);
std::string_view ToString(Severity severity);
std::string_view ToString(EventSource source);

// Strict inverses of ToString: exact lower-case names only. Anything else is kInvalidArgument
// naming the text and the accepted names, e.g. "unknown event kind 'Release' (expected one of
// release, advance_notice, out_of_band, preview, custom)".
Result<EventKind> ParseEventKind(std::string_view text);
Result<Severity> ParseSeverity(std::string_view text);
Result<EventSource> ParseEventSource(std::string_view text);

// Fields are ordered to keep the struct small (136 bytes): the registry returns hundreds of
// thousands of them, and 200 years of built-in events must generate within 2 ms.
struct Event {
  std::string calendar_id;
  std::chrono::sys_seconds start{};   // UTC
  date::local_seconds local_start{};  // wall-clock time in `zone`
  const date::time_zone* zone = nullptr;
  std::optional<std::chrono::seconds> duration;
  std::optional<int> bulletins;  // number of security bulletins, when known
  // For advance notices: the scheduled date of the release they announce.
  std::optional<date::local_days> announces;
  date::local_days scheduled_date{};  // names the event; see the header comment
  std::uint16_t ordinal = 0;          // 0 for the first event of this kind on scheduled_date
  EventKind kind = EventKind::kRelease;
  EventSource source = EventSource::kRule;
  std::optional<Severity> max_severity;
  std::optional<bool> restart_required;
  bool is_public = true;  // false for Microsoft's private advance notices
  std::string notes;

  // Returns the stable id described in the header comment.
  std::string Id() const;
  // Returns the IANA name of `zone`, or "" when zone is null.
  std::string_view ZoneName() const;

  friend bool operator==(const Event&, const Event&) = default;
};

// Numbers events that share calendar_id, scheduled_date and kind: ordinal 0, 1, 2, ... in order of
// start (then local_start). Events that share nothing keep ordinal 0. Order of `events` is changed.
void AssignOrdinals(std::vector<Event>& events);

// Orders events by Id() (byte-wise, as std::string would) without building the strings.
std::strong_ordering CompareIds(const Event& a, const Event& b);

// The order of every event list this module returns: by start instant, then by Id().
bool StartThenIdLess(const Event& a, const Event& b);

}  // namespace patchcast::calendars
