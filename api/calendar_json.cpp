#include "api/calendar_json.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <variant>

#include "api/json_fields.h"
#include "api/quoted_input.h"
#include "calendars/recurrence_rule.h"
#include "calendars/time_text.h"
#include "calendars/zone.h"

namespace patchcast::api {
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
using nlohmann::json;

constexpr std::int64_t kSecondsPerMinute = 60;

void PutAnnotation(json& out, const Annotation& annotation) {
  if (annotation.bulletins) out["bulletins"] = *annotation.bulletins;
  if (annotation.max_severity) out["max_severity"] = ToString(*annotation.max_severity);
  if (annotation.restart_required) out["restart_required"] = *annotation.restart_required;
  if (annotation.notes) out["notes"] = *annotation.notes;
}

void PutDuration(json& out, const std::optional<std::chrono::seconds>& duration) {
  if (duration) out["duration_minutes"] = duration->count() / kSecondsPerMinute;
}

json LocalTimes(const std::vector<date::local_seconds>& times) {
  json list = json::array();
  for (date::local_seconds time : times) list.push_back(calendars::FormatLocalDateTime(time));
  return list;
}

// Fails naming the first member of `body` that is not in `known`.
Status CheckFields(const json& body, std::initializer_list<std::string_view> known) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (std::find(known.begin(), known.end(), it.key()) == known.end()) {
      return InvalidArgument("unknown field " + QuotedInput(it.key()) + " in the request body");
    }
  }
  return {};
}

template <typename T>
Result<T> WithField(std::string_view name, Result<T> parsed) {
  if (!parsed) return FieldError(name, parsed.error());
  return parsed;
}

Result<std::optional<calendars::EventKind>> KindField(const json& body) {
  auto text = StringField(body, "kind");
  if (!text) return text.error();
  if (!*text) return std::optional<calendars::EventKind>();
  auto kind = WithField("kind", calendars::ParseEventKind(**text));
  if (!kind) return kind.error();
  return std::optional<calendars::EventKind>(*kind);
}

Result<std::optional<std::chrono::seconds>> DurationField(const json& body) {
  auto minutes = IntegerField(body, "duration_minutes", 0, kMaxDurationMinutes);
  if (!minutes) return minutes.error();
  if (!*minutes) return std::optional<std::chrono::seconds>();
  return std::optional<std::chrono::seconds>(std::chrono::minutes(**minutes));
}

Result<std::vector<date::local_seconds>> LocalTimesField(const json& body, std::string_view name,
                                                         bool required) {
  auto texts = StringArrayField(body, name);
  if (!texts) return texts.error();
  if (!*texts) {
    if (required) return InvalidArgument("field '" + std::string(name) + "' is required");
    return std::vector<date::local_seconds>();
  }
  std::vector<date::local_seconds> times;
  times.reserve((*texts)->size());
  for (std::size_t i = 0; i < (*texts)->size(); ++i) {
    auto time = calendars::ParseLocalDateTime((**texts)[i]);
    if (!time) {
      Error error = time.error();
      error.message =
          "field '" + std::string(name) + "'[" + std::to_string(i) + "]: " + error.message;
      return error;
    }
    times.push_back(*time);
  }
  return times;
}

Result<Annotation> ReadAnnotation(const json& body) {
  Annotation annotation;
  auto bulletins = IntegerField(body, "bulletins", 0, kMaxBulletins);
  if (!bulletins) return bulletins.error();
  if (*bulletins) annotation.bulletins = static_cast<int>(**bulletins);
  auto severity = StringField(body, "max_severity");
  if (!severity) return severity.error();
  if (*severity) {
    auto parsed = WithField("max_severity", calendars::ParseSeverity(**severity));
    if (!parsed) return parsed.error();
    annotation.max_severity = *parsed;
  }
  auto restart = BoolField(body, "restart_required");
  if (!restart) return restart.error();
  annotation.restart_required = *restart;
  auto notes = StringField(body, "notes", kMaxTextBytes);
  if (!notes) return notes.error();
  annotation.notes = std::move(*notes);
  return annotation;
}

// The fields each override action takes besides "date" and "action".
struct ActionFields {
  std::string_view action;
  std::vector<std::string_view> fields;
};
const std::array<ActionFields, 4>& OverrideActions() {
  static const std::array<ActionFields, 4> actions = {{
      {"cancel", {"kind"}},
      {"move", {"to", "kind"}},
      {"add",
       {"at", "kind", "duration_minutes", "bulletins", "max_severity", "restart_required",
        "notes"}},
      {"annotate", {"bulletins", "max_severity", "restart_required", "notes"}},
  }};
  return actions;
}

bool Contains(const std::vector<std::string_view>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

Status CheckOverrideFields(const json& body, const ActionFields& chosen) {
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& name = it.key();
    if (name == "date" || name == "action" || Contains(chosen.fields, name)) continue;
    for (const ActionFields& other : OverrideActions()) {
      if (Contains(other.fields, name)) {
        return InvalidArgument("field '" + name + "' does not apply to action '" +
                               std::string(chosen.action) + "'");
      }
    }
    return InvalidArgument("unknown field " + QuotedInput(name) + " in the request body");
  }
  return {};
}

}  // namespace

json EventJson(const calendars::Event& event) {
  json out = {{"id", event.Id()},
              {"calendar", event.calendar_id},
              {"kind", ToString(event.kind)},
              {"start", calendars::FormatUtcDateTime(event.start)},
              {"local_start", calendars::FormatLocalDateTime(event.local_start)},
              {"timezone", event.ZoneName()}};
  if (event.duration) {
    out["end"] = calendars::FormatUtcDateTime(event.start + *event.duration);
    PutDuration(out, event.duration);
  }
  out["public"] = event.is_public;
  if (event.bulletins) out["bulletins"] = *event.bulletins;
  if (event.max_severity) out["max_severity"] = ToString(*event.max_severity);
  if (event.restart_required) out["restart_required"] = *event.restart_required;
  if (!event.notes.empty()) out["notes"] = event.notes;
  if (event.announces) out["announces"] = calendars::FormatDate(*event.announces);
  out["source"] = ToString(event.source);
  return out;
}

json CalendarJson(const calendars::CalendarInfo& calendar,
                  const CustomCalendarDefinition* definition) {
  json out = {{"id", calendar.id},
              {"name", calendar.name},
              {"description", calendar.description},
              {"timezone", calendar.zone == nullptr ? "" : calendar.zone->name()},
              {"type", ToString(calendar.kind)}};
  if (definition != nullptr) out["definition"] = DefinitionJson(*definition);
  return out;
}

json DefinitionJson(const CustomCalendarDefinition& definition) {
  json out = {{"id", definition.id},
              {"name", definition.name},
              {"description", definition.description},
              {"timezone", definition.zone},
              {"kind", ToString(definition.kind)}};
  PutDuration(out, definition.duration);
  if (const auto* rule = std::get_if<RuleSchedule>(&definition.schedule)) {
    out["rrule"] = rule->rrule;
    out["dtstart"] = calendars::FormatLocalDateTime(rule->dtstart);
    out["exdates"] = LocalTimes(rule->exdates);
  } else {
    out["dates"] = LocalTimes(std::get<DateListSchedule>(definition.schedule).starts);
  }
  return out;
}

json OverrideJson(const Override& override_) {
  json out = {{"id", override_.id},
              {"calendar", override_.calendar_id},
              {"date", calendars::FormatDate(override_.date)},
              {"action", calendars::ActionName(override_.action)}};
  std::visit(
      [&out](const auto& action) {
        using Action = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<Action, CancelAction>) {
          if (action.kind) out["kind"] = ToString(*action.kind);
        } else if constexpr (std::is_same_v<Action, MoveAction>) {
          out["to"] = calendars::FormatLocalDateTime(action.to);
          if (action.kind) out["kind"] = ToString(*action.kind);
        } else if constexpr (std::is_same_v<Action, AddAction>) {
          out["at"] = calendars::FormatUtcDateTime(action.at);
          out["kind"] = ToString(action.kind);
          PutDuration(out, action.duration);
          PutAnnotation(out, action.annotation);
        } else {
          PutAnnotation(out, action.annotation);
        }
      },
      override_.action);
  return out;
}

Result<CustomCalendarDefinition> ParseCalendarDefinition(const json& body) {
  if (Status known =
          CheckFields(body, {"id", "name", "description", "timezone", "kind", "duration_minutes",
                             "rrule", "dtstart", "exdates", "dates"});
      !known) {
    return known.error();
  }
  CustomCalendarDefinition definition;
  auto id = Required(StringField(body, "id"), "id");
  if (!id) return id.error();
  definition.id = std::move(*id);
  auto name = Required(StringField(body, "name"), "name");
  if (!name) return name.error();
  definition.name = std::move(*name);
  auto description = StringField(body, "description", kMaxTextBytes);
  if (!description) return description.error();
  definition.description = description->value_or("");
  auto zone = Required(StringField(body, "timezone"), "timezone");
  if (!zone) return zone.error();
  if (auto located = calendars::LocateZone(*zone); !located) {
    // An unknown zone is bad input here, not a missing resource.
    return FieldError("timezone", InvalidArgument(located.error().message));
  }
  definition.zone = std::move(*zone);
  auto kind = KindField(body);
  if (!kind) return kind.error();
  definition.kind = kind->value_or(calendars::EventKind::kCustom);
  auto duration = DurationField(body);
  if (!duration) return duration.error();
  definition.duration = *duration;

  const auto given = [&body](const char* field) {
    auto it = body.find(field);
    return it != body.end() && !it->is_null();
  };
  if (given("dates")) {
    for (const char* rule_field : {"rrule", "dtstart", "exdates"}) {
      if (given(rule_field)) {
        return InvalidArgument("field '" + std::string(rule_field) +
                               "' cannot be combined with 'dates': give either 'dates', or "
                               "'rrule' with 'dtstart'");
      }
    }
    auto starts = LocalTimesField(body, "dates", true);
    if (!starts) return starts.error();
    if (starts->empty()) return InvalidArgument("field 'dates' must not be empty");
    if (starts->size() > calendars::kMaxListedDates) {
      return InvalidArgument("field 'dates' has " + std::to_string(starts->size()) +
                             " entries; at most " + std::to_string(calendars::kMaxListedDates) +
                             " are allowed");
    }
    definition.schedule = DateListSchedule{std::move(*starts)};
    return definition;
  }
  if (!given("rrule")) {
    return InvalidArgument(
        "the request body needs a schedule: field 'rrule' with 'dtstart', or field 'dates'");
  }
  RuleSchedule rule;
  auto rrule = Required(StringField(body, "rrule", kMaxTextBytes), "rrule");
  if (!rrule) return rrule.error();
  if (auto parsed = calendars::ParseRecurrenceRule(*rrule); !parsed) {
    return FieldError("rrule", parsed.error());
  }
  rule.rrule = std::move(*rrule);
  auto dtstart_text = Required(StringField(body, "dtstart"), "dtstart");
  if (!dtstart_text) return dtstart_text.error();
  auto dtstart = WithField("dtstart", calendars::ParseLocalDateTime(*dtstart_text));
  if (!dtstart) return dtstart.error();
  rule.dtstart = *dtstart;
  auto exdates = LocalTimesField(body, "exdates", false);
  if (!exdates) return exdates.error();
  rule.exdates = std::move(*exdates);
  definition.schedule = std::move(rule);
  return definition;
}

Result<Override> ParseOverride(const json& body, std::string_view calendar_id) {
  Override override_;
  override_.calendar_id = std::string(calendar_id);
  auto action_name = Required(StringField(body, "action"), "action");
  if (!action_name) return action_name.error();
  const auto& actions = OverrideActions();
  auto chosen = std::find_if(actions.begin(), actions.end(),
                             [&](const ActionFields& a) { return a.action == *action_name; });
  if (chosen == actions.end()) {
    return InvalidArgument("field 'action' must be one of cancel, move, add, annotate, not " +
                           QuotedInput(*action_name));
  }
  if (Status fields = CheckOverrideFields(body, *chosen); !fields) return fields.error();
  auto date_text = Required(StringField(body, "date"), "date");
  if (!date_text) return date_text.error();
  auto day = WithField("date", calendars::ParseDate(*date_text));
  if (!day) return day.error();
  override_.date = date::local_days{*day};

  auto kind = KindField(body);
  if (!kind) return kind.error();
  if (chosen->action == "cancel") {
    override_.action = CancelAction{*kind};
  } else if (chosen->action == "move") {
    auto to_text = Required(StringField(body, "to"), "to");
    if (!to_text) return to_text.error();
    auto to = WithField("to", calendars::ParseLocalDateTime(*to_text));
    if (!to) return to.error();
    override_.action = MoveAction{*to, *kind};
  } else if (chosen->action == "add") {
    AddAction add;
    auto at_text = Required(StringField(body, "at"), "at");
    if (!at_text) return at_text.error();
    auto at = WithField("at", calendars::ParseUtcDateTime(*at_text));
    if (!at) return at.error();
    add.at = *at;
    if (*kind) add.kind = **kind;
    auto duration = DurationField(body);
    if (!duration) return duration.error();
    add.duration = *duration;
    auto annotation = ReadAnnotation(body);
    if (!annotation) return annotation.error();
    add.annotation = std::move(*annotation);
    override_.action = std::move(add);
  } else {
    auto annotation = ReadAnnotation(body);
    if (!annotation) return annotation.error();
    override_.action = AnnotateAction{std::move(*annotation)};
  }
  return override_;
}

}  // namespace patchcast::api
