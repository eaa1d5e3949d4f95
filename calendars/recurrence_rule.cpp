#include "calendars/recurrence_rule.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <set>

#include "calendars/time_text.h"

namespace patchcast::calendars {
namespace {

constexpr std::array<std::string_view, 7> kWeekdayCodes{"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

Error BadValue(std::string_view part, std::string_view value) {
  return InvalidArgument("RRULE part " + std::string(part) + " has invalid value '" +
                         std::string(value) + "'");
}

// Parses an optionally signed decimal integer of at most 9 digits, all of `text`.
std::optional<int> Integer(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const bool negative = !text.empty() && text.front() == '-';
  const std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.size() > 9) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return negative ? -value : value;
}

std::optional<date::weekday> Weekday(std::string_view code) {
  for (unsigned i = 0; i < kWeekdayCodes.size(); ++i) {
    if (kWeekdayCodes[i] == code) return date::weekday{i};
  }
  return std::nullopt;
}

// Splits a comma-separated list and parses each item with `parse_item`; fails on an empty item.
template <typename T, typename ParseItem>
Result<std::vector<T>> List(std::string_view part, std::string_view value, ParseItem parse_item) {
  std::vector<T> items;
  while (true) {
    const std::size_t comma = value.find(',');
    const std::string_view item = value.substr(0, comma);
    std::optional<T> parsed = parse_item(item);
    if (!parsed) return BadValue(part, item);
    items.push_back(*parsed);
    if (comma == std::string_view::npos) return items;
    value.remove_prefix(comma + 1);
  }
}

std::optional<int> Ranged(std::string_view text, int min, int max, bool allow_negative) {
  const std::optional<int> value = Integer(text);
  if (!value) return std::nullopt;
  const int magnitude = *value < 0 ? -*value : *value;
  if (magnitude < min || magnitude > max || (*value < 0 && !allow_negative)) return std::nullopt;
  return value;
}

Result<RecurrenceUntil> Until(std::string_view value) {
  // "YYYYMMDD" or "YYYYMMDDTHHMMSSZ" (RFC 5545 3.3.4 DATE, 3.3.5 DATE-TIME in UTC).
  auto digits = [&](std::size_t pos, std::size_t n) -> int {
    if (pos + n > value.size()) return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(value[i]))) return -1;
      v = v * 10 + (value[i] - '0');
    }
    return v;
  };
  const int year = digits(0, 4), month = digits(4, 2), day = digits(6, 2);
  if (year < 0 || month < 0 || day < 0) return BadValue("UNTIL", value);
  const date::year_month_day ymd = date::year{year} / date::month{static_cast<unsigned>(month)} /
                                   date::day{static_cast<unsigned>(day)};
  if (!ymd.ok()) return BadValue("UNTIL", value);
  if (value.size() == 8) return RecurrenceUntil{date::local_days{ymd}};
  const int hours = digits(9, 2), minutes = digits(11, 2), seconds = digits(13, 2);
  if (value.size() == 15 && value[8] == 'T') {
    return InvalidArgument("RRULE part UNTIL must be a UTC date-time ending in Z or a date, got '" +
                           std::string(value) + "'");
  }
  if (value.size() != 16 || value[8] != 'T' || value[15] != 'Z' || hours < 0 || hours > 23 ||
      minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
    return BadValue("UNTIL", value);
  }
  return RecurrenceUntil{date::sys_days{ymd} + std::chrono::hours{hours} +
                         std::chrono::minutes{minutes} + std::chrono::seconds{seconds}};
}

void AppendIntegers(std::string& out, const std::vector<int>& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += std::to_string(values[i]);
  }
}

std::string UntilText(const RecurrenceUntil& until) {
  std::string text;
  if (const auto* day = std::get_if<date::local_days>(&until)) {
    text = FormatDate(*day);
  } else {
    text = FormatUtcDateTime(std::get<std::chrono::sys_seconds>(until));
  }
  // From "YYYY-MM-DD[THH:MM:SSZ]" to RFC 5545's basic format "YYYYMMDD[THHMMSSZ]".
  text.erase(std::remove_if(text.begin(), text.end(), [](char c) { return c == '-' || c == ':'; }),
             text.end());
  return text;
}

}  // namespace

Result<RecurrenceRule> ParseRecurrenceRule(std::string_view text) {
  if (text.size() >= 6 && Upper(text.substr(0, 6)) == "RRULE:") text.remove_prefix(6);
  if (text.empty()) return InvalidArgument("RRULE is empty");

  RecurrenceRule rule;
  std::set<std::string> seen;
  bool has_frequency = false;
  while (!text.empty()) {
    const std::size_t semicolon = text.find(';');
    const std::string_view part_text = text.substr(0, semicolon);
    text = semicolon == std::string_view::npos ? std::string_view{} : text.substr(semicolon + 1);
    if (part_text.empty()) continue;  // tolerate "A=1;;B=2" and a trailing ';'

    const std::size_t equals = part_text.find('=');
    const std::string name = Upper(part_text.substr(0, equals));
    if (equals == std::string_view::npos || equals + 1 == part_text.size()) {
      return InvalidArgument("RRULE part '" + name + "' has no value");
    }
    const std::string value = Upper(part_text.substr(equals + 1));
    if (!seen.insert(name).second) {
      return InvalidArgument("RRULE part " + name + " appears twice");
    }

    if (name == "FREQ") {
      has_frequency = true;
      if (value == "DAILY") {
        rule.frequency = Frequency::kDaily;
      } else if (value == "WEEKLY") {
        rule.frequency = Frequency::kWeekly;
      } else if (value == "MONTHLY") {
        rule.frequency = Frequency::kMonthly;
      } else if (value == "YEARLY") {
        rule.frequency = Frequency::kYearly;
      } else if (value == "SECONDLY" || value == "MINUTELY" || value == "HOURLY") {
        return Unprocessable("RRULE FREQ=" + value + " is not supported");
      } else {
        return BadValue(name, value);
      }
    } else if (name == "INTERVAL") {
      const std::optional<int> interval = Ranged(value, 1, 999'999'999, false);
      if (!interval) return BadValue(name, value);
      rule.interval = *interval;
    } else if (name == "COUNT") {
      const std::optional<int> count = Ranged(value, 1, 999'999'999, false);
      if (!count) return BadValue(name, value);
      rule.count = count;
    } else if (name == "UNTIL") {
      Result<RecurrenceUntil> until = Until(value);
      if (!until) return until.error();
      rule.until = *until;
    } else if (name == "BYDAY") {
      Result<std::vector<WeekdayNum>> days =
          List<WeekdayNum>(name, value, [](std::string_view item) -> std::optional<WeekdayNum> {
            if (item.size() < 2) return std::nullopt;
            const std::optional<date::weekday> weekday = Weekday(item.substr(item.size() - 2));
            if (!weekday) return std::nullopt;
            const std::string_view ordinal = item.substr(0, item.size() - 2);
            if (ordinal.empty()) return WeekdayNum{0, *weekday};
            const std::optional<int> n = Ranged(ordinal, 1, 53, true);
            if (!n) return std::nullopt;
            return WeekdayNum{*n, *weekday};
          });
      if (!days) return days.error();
      rule.by_day = std::move(*days);
    } else if (name == "BYMONTHDAY") {
      Result<std::vector<int>> days =
          List<int>(name, value, [](std::string_view item) { return Ranged(item, 1, 31, true); });
      if (!days) return days.error();
      rule.by_month_day = std::move(*days);
    } else if (name == "BYMONTH") {
      Result<std::vector<unsigned>> months =
          List<unsigned>(name, value, [](std::string_view item) -> std::optional<unsigned> {
            const std::optional<int> month = Ranged(item, 1, 12, false);
            if (!month) return std::nullopt;
            return static_cast<unsigned>(*month);
          });
      if (!months) return months.error();
      rule.by_month = std::move(*months);
    } else if (name == "BYSETPOS") {
      Result<std::vector<int>> positions =
          List<int>(name, value, [](std::string_view item) { return Ranged(item, 1, 366, true); });
      if (!positions) return positions.error();
      rule.by_set_pos = std::move(*positions);
    } else if (name == "WKST") {
      const std::optional<date::weekday> weekday = Weekday(value);
      if (!weekday) return BadValue(name, value);
      rule.week_start = *weekday;
    } else {
      // RFC 5545 parts outside the subset (BYSECOND, BYMINUTE, BYHOUR, BYWEEKNO, BYYEARDAY) and
      // unknown parts alike: the rule is well-formed enough to name the part; honouring it is what
      // we cannot do.
      return Unprocessable("RRULE part " + name + " is not supported");
    }
  }

  if (!has_frequency) return InvalidArgument("RRULE has no FREQ");
  // RFC 5545 3.3.10: "UNTIL or COUNT rule parts are OPTIONAL, but they MUST NOT occur in the same
  // 'recur'."
  if (rule.count && rule.until) return InvalidArgument("RRULE must not have both COUNT and UNTIL");
  // "The BYDAY rule part MUST NOT be specified with a numeric value when the FREQ rule part is not
  // set to MONTHLY or YEARLY."
  if (rule.frequency == Frequency::kDaily || rule.frequency == Frequency::kWeekly) {
    for (const WeekdayNum& day : rule.by_day) {
      if (day.ordinal != 0) {
        return InvalidArgument("RRULE part BYDAY value '" + std::to_string(day.ordinal) +
                               std::string(kWeekdayCodes[day.weekday.c_encoding()]) +
                               "' has an ordinal, which needs FREQ=MONTHLY or FREQ=YEARLY");
      }
    }
  }
  // "The BYMONTHDAY rule part MUST NOT be specified when the FREQ rule part is set to WEEKLY."
  if (rule.frequency == Frequency::kWeekly && !rule.by_month_day.empty()) {
    return InvalidArgument("RRULE part BYMONTHDAY is not allowed with FREQ=WEEKLY");
  }
  // BYSETPOS "MUST only be used in conjunction with another BYxxx rule part".
  if (!rule.by_set_pos.empty() && rule.by_day.empty() && rule.by_month_day.empty() &&
      rule.by_month.empty()) {
    return InvalidArgument("RRULE part BYSETPOS needs another BY part");
  }
  return rule;
}

std::string ToString(const RecurrenceRule& rule) {
  static constexpr std::array<std::string_view, 4> kFrequencies{"DAILY", "WEEKLY", "MONTHLY",
                                                                "YEARLY"};
  std::string out = "FREQ=" + std::string(kFrequencies[static_cast<std::size_t>(rule.frequency)]);
  if (rule.interval != 1) out += ";INTERVAL=" + std::to_string(rule.interval);
  if (rule.count) out += ";COUNT=" + std::to_string(*rule.count);
  if (rule.until) out += ";UNTIL=" + UntilText(*rule.until);
  if (!rule.by_month.empty()) {
    out += ";BYMONTH=";
    AppendIntegers(out, std::vector<int>(rule.by_month.begin(), rule.by_month.end()));
  }
  if (!rule.by_month_day.empty()) {
    out += ";BYMONTHDAY=";
    AppendIntegers(out, rule.by_month_day);
  }
  if (!rule.by_day.empty()) {
    out += ";BYDAY=";
    for (std::size_t i = 0; i < rule.by_day.size(); ++i) {
      if (i > 0) out += ',';
      if (rule.by_day[i].ordinal != 0) out += std::to_string(rule.by_day[i].ordinal);
      out += kWeekdayCodes[rule.by_day[i].weekday.c_encoding()];
    }
  }
  if (!rule.by_set_pos.empty()) {
    out += ";BYSETPOS=";
    AppendIntegers(out, rule.by_set_pos);
  }
  if (rule.week_start != date::Monday) {
    out += ";WKST=" + std::string(kWeekdayCodes[rule.week_start.c_encoding()]);
  }
  return out;
}

}  // namespace patchcast::calendars
