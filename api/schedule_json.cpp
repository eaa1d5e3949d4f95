#include "api/schedule_json.h"

#include <array>
#include <charconv>
#include <string>

#include "api/forecast_json.h"
#include "api/json_body.h"
#include "api/json_fields.h"
#include "calendars/zone.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 7> kDayNames = {"sunday",   "monday", "tuesday", "wednesday",
                                                  "thursday", "friday", "saturday"};

Result<date::weekday> ParseDay(const std::string& text) {
  for (unsigned day = 0; day < kDayNames.size(); ++day) {
    if (text == kDayNames[day]) return date::weekday{day};
  }
  return InvalidArgument(
      "field 'weekly.day' must be a day of the week in lower case (monday .. "
      "sunday), not '" +
      text + "'");
}

// "HH:MM", 00:00 .. 23:59.
Result<std::chrono::minutes> ParseTimeOfDay(const std::string& text) {
  const auto number = [&](std::size_t at, int max) -> std::optional<int> {
    int value = 0;
    const char* first = text.data() + at;
    auto [end, error] = std::from_chars(first, first + 2, value);
    if (error != std::errc{} || end != first + 2 || value > max) return std::nullopt;
    return value;
  };
  if (text.size() == 5 && text[2] == ':') {
    const auto hours = number(0, 23);
    const auto minutes = number(3, 59);
    if (hours && minutes) return std::chrono::hours{*hours} + std::chrono::minutes{*minutes};
  }
  return InvalidArgument(
      "field 'weekly.time' must be a time of day as HH:MM (00:00 .. 23:59), "
      "not '" +
      text + "'");
}

Result<std::optional<forecasting::WeeklySlot>> ParseWeekly(const json& body) {
  if (!body.contains("weekly") || body["weekly"].is_null()) {
    return std::optional<forecasting::WeeklySlot>();
  }
  const json& weekly = body["weekly"];
  if (!weekly.is_object()) {
    return InvalidArgument("field 'weekly' must be an object with day, time and timezone, not " +
                           std::string(weekly.type_name()));
  }
  if (Status known = RejectUnknownFields(weekly, {"day", "time", "timezone"}); !known) {
    return FieldError("weekly", known.error());
  }
  auto day_text = Required(StringField(weekly, "day"), "weekly.day");
  if (!day_text) return day_text.error();
  auto day = ParseDay(*day_text);
  if (!day) return day.error();
  auto time_text = Required(StringField(weekly, "time"), "weekly.time");
  if (!time_text) return time_text.error();
  auto time = ParseTimeOfDay(*time_text);
  if (!time) return time.error();
  auto zone_name = StringField(weekly, "timezone");
  if (!zone_name) return FieldError("weekly", zone_name.error());
  auto zone = calendars::LocateZone(zone_name->value_or("UTC"));
  if (!zone) return InvalidArgument("field 'weekly.timezone': " + zone.error().message);
  return std::optional<forecasting::WeeklySlot>({*day, *time, *zone});
}

Result<std::optional<forecasting::CronSlot>> ParseCron(const json& body) {
  if (!body.contains("cron") || body["cron"].is_null())
    return std::optional<forecasting::CronSlot>();
  const json& cron = body["cron"];
  if (!cron.is_object()) {
    return InvalidArgument("field 'cron' must be an object with expression and timezone, not " +
                           std::string(cron.type_name()));
  }
  if (Status known = RejectUnknownFields(cron, {"expression", "timezone"}); !known) {
    return FieldError("cron", known.error());
  }
  auto text = Required(StringField(cron, "expression"), "cron.expression");
  if (!text) return text.error();
  auto expression = calendars::CronExpression::Parse(*text);
  if (!expression) {
    return InvalidArgument("field 'cron.expression': " + expression.error().message);
  }
  auto zone_name = StringField(cron, "timezone");
  if (!zone_name) return FieldError("cron", zone_name.error());
  auto zone = calendars::LocateZone(zone_name->value_or("UTC"));
  if (!zone) return InvalidArgument("field 'cron.timezone': " + zone.error().message);
  return std::optional<forecasting::CronSlot>({std::move(*expression), *zone});
}

Result<std::chrono::minutes> ParseUnderWayEvery(const json& body) {
  auto minutes = IntegerField(body, "under_way_every_minutes", 0, kMaxUnderWayEvery.count());
  if (!minutes) return minutes.error();
  const std::chrono::minutes every{minutes->value_or(15)};
  if (every > std::chrono::minutes::zero() && every < kMinUnderWayEvery) {
    return InvalidArgument(
        "field 'under_way_every_minutes' must be 0 (none) or between 5 and "
        "1440, not " +
        std::to_string(every.count()));
  }
  return every;
}

Status CheckRunsAtSomething(const forecasting::RunSchedule& schedule) {
  if (schedule.weekly && schedule.cron) {
    return InvalidArgument("give 'weekly' or 'cron', not both");
  }
  if (schedule.weekly || schedule.cron || schedule.on_calendar_events) return {};
  return InvalidArgument(
      "the schedule never runs: give 'weekly' or 'cron', or set 'on_calendar_events' to true");
}

std::string TimeOfDayText(std::chrono::minutes time) {
  const auto hours = static_cast<int>(time.count() / 60);
  const auto minutes = static_cast<int>(time.count() % 60);
  return std::string{static_cast<char>('0' + hours / 10), static_cast<char>('0' + hours % 10), ':',
                     static_cast<char>('0' + minutes / 10), static_cast<char>('0' + minutes % 10)};
}

}  // namespace

Result<forecasting::RunSchedule> ParseSchedule(const json& body) {
  if (Status known =
          RejectUnknownFields(body, {"enabled", "weekly", "cron", "on_calendar_events",
                                     "under_way_every_minutes", "horizon_hours", "calendars"});
      !known) {
    return known.error();
  }
  forecasting::RunSchedule schedule;
  auto enabled = BoolField(body, "enabled");
  if (!enabled) return enabled.error();
  schedule.enabled = enabled->value_or(true);
  auto weekly = ParseWeekly(body);
  if (!weekly) return weekly.error();
  schedule.weekly = *weekly;
  auto cron = ParseCron(body);
  if (!cron) return cron.error();
  schedule.cron = std::move(*cron);
  auto on_events = BoolField(body, "on_calendar_events");
  if (!on_events) return on_events.error();
  schedule.on_calendar_events = on_events->value_or(true);
  auto every = ParseUnderWayEvery(body);
  if (!every) return every.error();
  schedule.under_way_every = *every;
  auto horizon = IntegerField(body, "horizon_hours", 1, kMaxHorizon.count());
  if (!horizon) return horizon.error();
  schedule.horizon = std::chrono::hours{horizon->value_or(168)};
  auto calendars = StringArrayField(body, "calendars");
  if (!calendars) return calendars.error();
  if (*calendars && (*calendars)->empty()) {
    return InvalidArgument("field 'calendars' must not be empty");
  }
  if (*calendars) schedule.calendars = std::move(**calendars);
  if (Status runs = CheckRunsAtSomething(schedule); !runs) return runs.error();
  return schedule;
}

json ScheduleJson(const forecasting::RunSchedule& schedule) {
  json weekly = nullptr;
  if (schedule.weekly) {
    weekly = {{"day", kDayNames[schedule.weekly->day.c_encoding()]},
              {"time", TimeOfDayText(schedule.weekly->time)},
              {"timezone", schedule.weekly->zone->name()}};
  }
  json cron = nullptr;
  if (schedule.cron) {
    cron = {{"expression", schedule.cron->expression.text()},
            {"timezone", schedule.cron->zone->name()}};
  }
  return {
      {"enabled", schedule.enabled},
      {"weekly", std::move(weekly)},
      {"cron", std::move(cron)},
      {"on_calendar_events", schedule.on_calendar_events},
      {"under_way_every_minutes", schedule.under_way_every.count()},
      {"horizon_hours", std::chrono::duration_cast<std::chrono::hours>(schedule.horizon).count()},
      {"calendars", schedule.calendars}};
}

}  // namespace patchcast::api
