#include "calendars/override.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "calendars/time_text.h"
#include "calendars/zone.h"

namespace patchcast::calendars {
namespace {

// Makes std::visit take a set of lambdas.
template <typename... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <typename... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

date::local_days LocalDate(const Event& event) {
  return date::floor<date::days>(event.local_start);
}

bool KindMatches(const std::optional<EventKind>& wanted, EventKind kind) {
  return !wanted || *wanted == kind;
}

void Annotate(Event& event, const Annotation& annotation) {
  if (annotation.bulletins) event.bulletins = annotation.bulletins;
  if (annotation.max_severity) event.max_severity = annotation.max_severity;
  if (annotation.restart_required) event.restart_required = annotation.restart_required;
  if (annotation.notes) event.notes = *annotation.notes;
  event.source = EventSource::kOverride;
}

Error Invalid(const Override& override_, const std::string& message) {
  return InvalidArgument("override '" + override_.id + "': " + message);
}

bool IsEmpty(const Annotation& annotation) { return annotation == Annotation{}; }

bool OnDate(const Event& event, const Override& override_) {
  return event.calendar_id == override_.calendar_id && LocalDate(event) == override_.date;
}

void Apply(std::vector<Event>& events, const Override& override_, const CalendarInfo&,
           const CancelAction& cancel) {
  std::erase_if(events, [&](const Event& event) {
    return OnDate(event, override_) && KindMatches(cancel.kind, event.kind);
  });
}

void Apply(std::vector<Event>& events, const Override& override_, const CalendarInfo& calendar,
           const MoveAction& move) {
  ZoneConverter converter(*calendar.zone);
  for (Event& event : events) {
    if (!OnDate(event, override_) || !KindMatches(move.kind, event.kind)) continue;
    event.local_start = move.to;  // scheduled_date, and so the id, stay (event.h)
    event.start = converter.ToSys(move.to);
    event.source = EventSource::kOverride;
  }
}

void Apply(std::vector<Event>& events, const Override&, const CalendarInfo& calendar,
           const AddAction& add) {
  ZoneConverter converter(*calendar.zone);
  Event event;
  event.calendar_id = calendar.id;
  event.kind = add.kind;
  event.local_start = converter.ToLocal(add.at);
  event.scheduled_date = date::floor<date::days>(event.local_start);
  event.start = add.at;
  event.zone = calendar.zone;
  event.duration = add.duration;
  // Ids must stay unique: follow any event already scheduled for that date and kind.
  int ordinal = 0;
  for (const Event& other : events) {
    if (other.calendar_id == calendar.id && other.scheduled_date == event.scheduled_date &&
        other.kind == event.kind) {
      ordinal = std::max(ordinal, other.ordinal + 1);
    }
  }
  event.ordinal = static_cast<std::uint16_t>(ordinal);
  Annotate(event, add.annotation);
  events.push_back(std::move(event));
}

void Apply(std::vector<Event>& events, const Override& override_, const CalendarInfo&,
           const AnnotateAction& annotate) {
  for (Event& event : events) {
    if (event.calendar_id != override_.calendar_id) continue;
    const bool release_on_date =
        event.kind != EventKind::kAdvanceNotice && LocalDate(event) == override_.date;
    const bool its_notice =
        event.kind == EventKind::kAdvanceNotice && event.announces == override_.date;
    if (release_on_date || its_notice) Annotate(event, annotate.annotation);
  }
}

}  // namespace

std::string_view ActionName(const OverrideAction& action) {
  return std::visit(Overloaded{
                        [](const CancelAction&) { return std::string_view{"cancel"}; },
                        [](const MoveAction&) { return std::string_view{"move"}; },
                        [](const AddAction&) { return std::string_view{"add"}; },
                        [](const AnnotateAction&) { return std::string_view{"annotate"}; },
                    },
                    action);
}

Status ValidateOverride(const Override& override_, const CalendarInfo& calendar) {
  if (override_.calendar_id != calendar.id) {
    return Invalid(override_,
                   "is for calendar '" + override_.calendar_id + "', not '" + calendar.id + "'");
  }
  auto check_annotation = [&](const Annotation& annotation) -> Status {
    if (annotation.bulletins && *annotation.bulletins < 0) {
      return Invalid(override_, "bulletins must not be negative");
    }
    return {};
  };
  if (const auto* add = std::get_if<AddAction>(&override_.action)) {
    ZoneConverter converter(*calendar.zone);
    const date::local_days local_date = date::floor<date::days>(converter.ToLocal(add->at));
    if (local_date != override_.date) {
      return Invalid(override_, "add at " + FormatUtcDateTime(add->at) + " is on " +
                                    FormatDate(local_date) + " in " + calendar.zone->name() +
                                    ", not on " + FormatDate(override_.date));
    }
    return check_annotation(add->annotation);
  }
  if (const auto* annotate = std::get_if<AnnotateAction>(&override_.action)) {
    if (IsEmpty(annotate->annotation)) return Invalid(override_, "the annotation sets no field");
    return check_annotation(annotate->annotation);
  }
  return {};
}

std::vector<Event> ApplyOverrides(std::vector<Event> events, std::span<const Override> overrides,
                                  const CalendarInfo& calendar) {
  for (const Override& override_ : overrides) {
    if (override_.calendar_id != calendar.id) continue;
    std::visit([&](const auto& action) { Apply(events, override_, calendar, action); },
               override_.action);
  }
  std::sort(events.begin(), events.end(), StartThenIdLess);
  return events;
}

}  // namespace patchcast::calendars
