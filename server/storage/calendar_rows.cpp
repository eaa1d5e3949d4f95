#include "server/storage/calendar_rows.h"

#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "calendars/time_text.h"

namespace patchcast::storage {
namespace {

using calendars::AddAction;
using calendars::AnnotateAction;
using calendars::Annotation;
using calendars::CancelAction;
using calendars::CustomCalendarDefinition;
using calendars::DateListSchedule;
using calendars::MoveAction;
using calendars::Override;
using calendars::RuleSchedule;

std::optional<std::int64_t> Seconds(const std::optional<std::chrono::seconds>& duration) {
  if (!duration) return std::nullopt;
  return static_cast<std::int64_t>(duration->count());
}

std::optional<std::chrono::seconds> Duration(const std::optional<std::int64_t>& seconds) {
  if (!seconds) return std::nullopt;
  return std::chrono::seconds(*seconds);
}

std::optional<std::string> KindText(std::optional<calendars::EventKind> kind) {
  if (!kind) return std::nullopt;
  return std::string(calendars::ToString(*kind));
}

// Reads one row's text back into a domain value, or kInternal naming the row.
template <typename T>
Result<T> ParseStored(Result<T> parsed, const std::string& row) {
  if (!parsed) return Internal(row + ": " + parsed.error().message);
  return parsed;
}

template <typename T>
Result<T> Required(const std::optional<T>& value, std::string_view column, const std::string& row) {
  if (!value) return Internal(row + ": column " + std::string(column) + " is NULL");
  return *value;
}

Result<std::vector<date::local_seconds>> ParseTimes(const std::vector<std::string>& texts,
                                                    const std::string& name) {
  std::vector<date::local_seconds> times;
  times.reserve(texts.size());
  for (const std::string& text : texts) {
    auto parsed = ParseStored(calendars::ParseLocalDateTime(text), name);
    if (!parsed) return parsed.error();
    times.push_back(*parsed);
  }
  return times;
}

std::vector<std::string> FormatTimes(const std::vector<date::local_seconds>& times) {
  std::vector<std::string> texts;
  texts.reserve(times.size());
  for (const date::local_seconds& time : times) {
    texts.push_back(calendars::FormatLocalDateTime(time));
  }
  return texts;
}

void SetAnnotation(OverrideRow& row, const Annotation& annotation) {
  if (annotation.bulletins) row.bulletins = *annotation.bulletins;
  if (annotation.max_severity) {
    row.max_severity = std::string(calendars::ToString(*annotation.max_severity));
  }
  row.restart_required = annotation.restart_required;
  row.notes = annotation.notes;
}

Result<Annotation> ReadAnnotation(const OverrideRow& row, const std::string& name) {
  Annotation annotation;
  if (row.bulletins) annotation.bulletins = static_cast<int>(*row.bulletins);
  if (row.max_severity) {
    auto parsed = ParseStored(calendars::ParseSeverity(*row.max_severity), name);
    if (!parsed) return parsed.error();
    annotation.max_severity = *parsed;
  }
  annotation.restart_required = row.restart_required;
  annotation.notes = row.notes;
  return annotation;
}

Result<std::optional<calendars::EventKind>> ReadOptionalKind(const OverrideRow& row,
                                                             const std::string& name) {
  if (!row.event_kind) return std::optional<calendars::EventKind>();
  auto kind = ParseStored(calendars::ParseEventKind(*row.event_kind), name);
  if (!kind) return kind.error();
  return std::optional<calendars::EventKind>(*kind);
}

Result<calendars::OverrideAction> ReadAction(const OverrideRow& row, const std::string& name) {
  auto kind = ReadOptionalKind(row, name);
  if (!kind) return kind.error();
  if (row.action == "cancel") return calendars::OverrideAction(CancelAction{*kind});
  if (row.action == "move") {
    auto to_text = Required(row.to_local, "to_local", name);
    if (!to_text) return to_text.error();
    auto to = ParseStored(calendars::ParseLocalDateTime(*to_text), name);
    if (!to) return to.error();
    return calendars::OverrideAction(MoveAction{*to, *kind});
  }
  if (row.action == "add") {
    auto at_text = Required(row.at_utc, "at_utc", name);
    if (!at_text) return at_text.error();
    auto at = ParseStored(calendars::ParseUtcDateTime(*at_text), name);
    if (!at) return at.error();
    auto annotation = ReadAnnotation(row, name);
    if (!annotation) return annotation.error();
    AddAction add;
    add.at = *at;
    if (*kind) add.kind = **kind;
    add.duration = Duration(row.duration_seconds);
    add.annotation = std::move(*annotation);
    return calendars::OverrideAction(std::move(add));
  }
  if (row.action == "annotate") {
    auto annotation = ReadAnnotation(row, name);
    if (!annotation) return annotation.error();
    return calendars::OverrideAction(AnnotateAction{std::move(*annotation)});
  }
  return Internal(name + ": unknown action '" + row.action + "'");
}

}  // namespace

CalendarRow ToRow(const CustomCalendarDefinition& definition) {
  CalendarRow row;
  row.id = definition.id;
  row.name = definition.name;
  row.description = definition.description;
  row.zone = definition.zone;
  row.event_kind = calendars::ToString(definition.kind);
  row.duration_seconds = Seconds(definition.duration);
  if (const auto* rule = std::get_if<RuleSchedule>(&definition.schedule)) {
    row.schedule = "rule";
    row.dtstart = calendars::FormatLocalDateTime(rule->dtstart);
    row.rrule = rule->rrule;
    row.exdates = FormatTimes(rule->exdates);
  } else {
    row.schedule = "dates";
    row.starts = FormatTimes(std::get<DateListSchedule>(definition.schedule).starts);
  }
  return row;
}

Result<CustomCalendarDefinition> FromRow(const CalendarRow& row) {
  const std::string name = "stored calendar '" + row.id + "'";
  auto kind = ParseStored(calendars::ParseEventKind(row.event_kind), name);
  if (!kind) return kind.error();
  CustomCalendarDefinition definition;
  definition.id = row.id;
  definition.name = row.name;
  definition.description = row.description;
  definition.zone = row.zone;
  definition.kind = *kind;
  definition.duration = Duration(row.duration_seconds);
  if (row.schedule == "rule") {
    auto dtstart_text = Required(row.dtstart, "dtstart", name);
    if (!dtstart_text) return dtstart_text.error();
    auto rrule = Required(row.rrule, "rrule", name);
    if (!rrule) return rrule.error();
    auto dtstart = ParseStored(calendars::ParseLocalDateTime(*dtstart_text), name);
    if (!dtstart) return dtstart.error();
    auto exdates = ParseTimes(row.exdates, name);
    if (!exdates) return exdates.error();
    definition.schedule = RuleSchedule{
        .dtstart = *dtstart, .rrule = std::move(*rrule), .exdates = std::move(*exdates)};
  } else {
    auto starts = ParseTimes(row.starts, name);
    if (!starts) return starts.error();
    definition.schedule = DateListSchedule{std::move(*starts)};
  }
  return definition;
}

OverrideRow ToRow(const Override& override_) {
  OverrideRow row;
  row.id = override_.id;
  row.calendar_id = override_.calendar_id;
  row.date = calendars::FormatDate(override_.date);
  row.action = calendars::ActionName(override_.action);
  std::visit(
      [&row](const auto& action) {
        using Action = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<Action, CancelAction>) {
          row.event_kind = KindText(action.kind);
        } else if constexpr (std::is_same_v<Action, MoveAction>) {
          row.event_kind = KindText(action.kind);
          row.to_local = calendars::FormatLocalDateTime(action.to);
        } else if constexpr (std::is_same_v<Action, AddAction>) {
          row.event_kind = KindText(action.kind);
          row.at_utc = calendars::FormatUtcDateTime(action.at);
          row.duration_seconds = Seconds(action.duration);
          SetAnnotation(row, action.annotation);
        } else {
          SetAnnotation(row, action.annotation);
        }
      },
      override_.action);
  return row;
}

Result<Override> FromRow(const OverrideRow& row) {
  const std::string name = "stored override '" + row.id + "'";
  auto date = ParseStored(calendars::ParseDate(row.date), name);
  if (!date) return date.error();
  auto action = ReadAction(row, name);
  if (!action) return action.error();
  Override override_;
  override_.id = row.id;
  override_.calendar_id = row.calendar_id;
  override_.date = date::local_days{*date};
  override_.action = std::move(*action);
  return override_;
}

}  // namespace patchcast::storage
