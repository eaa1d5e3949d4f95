// Override: an operator's correction to one calendar on one local date — cancel, move, add or
// annotate — and ApplyOverrides, the pure function that applies them. Overrides win over rules and
// history: every event an override touches or creates gets source kOverride.
//
// Storing overrides (and assigning their ids) is the storage layer's job. Value types; thread-safe
// functions.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "calendars/calendar.h"
#include "calendars/event.h"
#include "core/result.h"

namespace patchcast::calendars {

// What an advance notice tells about a release. Fields left empty are not changed.
struct Annotation {
  std::optional<int> bulletins;  // >= 0
  std::optional<Severity> max_severity;
  std::optional<bool> restart_required;
  std::optional<std::string> notes;

  friend bool operator==(const Annotation&, const Annotation&) = default;
};

// Drops the calendar's events on the date (only those of `kind`, when set).
struct CancelAction {
  std::optional<EventKind> kind;
  friend bool operator==(const CancelAction&, const CancelAction&) = default;
};

// Moves the calendar's events on the date (only those of `kind`, when set) to local date-time `to`
// in the calendar's zone. Ids do not change (event.h).
struct MoveAction {
  date::local_seconds to{};
  std::optional<EventKind> kind;
  friend bool operator==(const MoveAction&, const MoveAction&) = default;
};

// Adds an event at instant `at`, whose local date in the calendar's zone must be the override's
// date.
struct AddAction {
  std::chrono::sys_seconds at{};
  EventKind kind = EventKind::kOutOfBand;
  std::optional<std::chrono::seconds> duration;
  Annotation annotation;
  friend bool operator==(const AddAction&, const AddAction&) = default;
};

// Sets advance-notice content on the release(s) of the date and on the advance notices that
// announce them: every event of the calendar on that date except advance notices, plus each advance
// notice whose `announces` is that date.
struct AnnotateAction {
  Annotation annotation;
  friend bool operator==(const AnnotateAction&, const AnnotateAction&) = default;
};

using OverrideAction = std::variant<CancelAction, MoveAction, AddAction, AnnotateAction>;

// "cancel", "move", "add", "annotate".
std::string_view ActionName(const OverrideAction& action);

struct Override {
  std::string id;  // assigned by the caller (storage)
  std::string calendar_id;
  date::local_days date{};  // the target local date in the calendar's zone
  OverrideAction action;

  friend bool operator==(const Override&, const Override&) = default;
};

// Checks an override against its calendar. Errors (kInvalidArgument, message starting
// "override '<id>': "): an `add` whose instant falls on another local date than `date` ("add at
// 2026-03-11T01:00:00Z is on 2026-03-10 in America/Los_Angeles, not on 2026-03-11"), an annotation
// with no field set, or a negative bulletin count; kInvalidArgument too when calendar_id differs
// from `calendar.id`.
Status ValidateOverride(const Override& override_, const CalendarInfo& calendar);

// Applies `overrides` to `events`, in the order given (each sees the result of the ones before it;
// storage should pass them in creation order). Only overrides and events of `calendar` take part;
// other events pass through unchanged. Matching uses each event's local date (date::floor of
// local_start). Precondition: every override is valid (ValidateOverride), and `events` holds every
// event of the calendar within two weeks before and one day after each override's date, so that
// annotations reach their notices and added events get unique ids; events outside the caller's
// range may be returned and are the caller's to filter. The result is sorted by start, then id.
std::vector<Event> ApplyOverrides(std::vector<Event> events, std::span<const Override> overrides,
                                  const CalendarInfo& calendar);

}  // namespace patchcast::calendars
