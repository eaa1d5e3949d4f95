#include "calendars/recurrence_set.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "calendars/zone.h"

namespace patchcast::calendars {
namespace {

// The rule's day filters after RFC 5545's defaults from DTSTART are applied.
struct DayFilters {
  std::vector<unsigned> by_month;
  std::vector<int> by_month_day;
  std::vector<WeekdayNum> by_day;
  bool ordinals_in_month = false;  // BYDAY ordinals count within the month (else the year)
  bool has_ordinals = false;
};

DayFilters Normalize(const RecurrenceRule& rule, const date::year_month_day& start) {
  DayFilters filters{rule.by_month, rule.by_month_day, rule.by_day};
  const bool no_day = filters.by_month_day.empty() && filters.by_day.empty();
  switch (rule.frequency) {
    case Frequency::kYearly:
      if (no_day) {
        if (filters.by_month.empty()) filters.by_month = {static_cast<unsigned>(start.month())};
        filters.by_month_day = {static_cast<int>(static_cast<unsigned>(start.day()))};
      }
      break;
    case Frequency::kMonthly:
      if (no_day) filters.by_month_day = {static_cast<int>(static_cast<unsigned>(start.day()))};
      break;
    case Frequency::kWeekly:
      if (filters.by_day.empty()) {
        filters.by_day = {WeekdayNum{0, date::weekday{date::local_days{start}}}};
      }
      break;
    case Frequency::kDaily:
      break;
  }
  filters.ordinals_in_month = rule.frequency == Frequency::kMonthly ||
                              (rule.frequency == Frequency::kYearly && !rule.by_month.empty());
  filters.has_ordinals = std::any_of(filters.by_day.begin(), filters.by_day.end(),
                                     [](const WeekdayNum& d) { return d.ordinal != 0; });
  return filters;
}

bool Matches(const DayFilters& filters, date::local_days day) {
  const date::year_month_day ymd{day};
  if (!filters.by_month.empty() &&
      std::find(filters.by_month.begin(), filters.by_month.end(),
                static_cast<unsigned>(ymd.month())) == filters.by_month.end()) {
    return false;
  }
  if (!filters.by_month_day.empty()) {
    const int d = static_cast<int>(static_cast<unsigned>(ymd.day()));
    const int last = static_cast<int>(static_cast<unsigned>(
        date::year_month_day_last{ymd.year() / ymd.month() / date::last}.day()));
    // Negative values count back from the month's end: -1 is the last day (RFC 5545 3.3.10).
    const bool hit = std::any_of(filters.by_month_day.begin(), filters.by_month_day.end(),
                                 [&](int v) { return v > 0 ? d == v : d == last + 1 + v; });
    if (!hit) return false;
  }
  if (!filters.by_day.empty()) {
    const date::weekday weekday{day};
    int from_start = 0;  // 1 for the scope's first such weekday, 2 for the second, ...
    int from_end = 0;    // 1 for the scope's last such weekday, ...
    if (filters.has_ordinals) {
      const date::local_days scope_first =
          filters.ordinals_in_month ? date::local_days{ymd.year() / ymd.month() / date::day{1}}
                                    : date::local_days{ymd.year() / date::January / date::day{1}};
      const date::local_days scope_last =
          filters.ordinals_in_month ? date::local_days{ymd.year() / ymd.month() / date::last}
                                    : date::local_days{ymd.year() / date::December / date::day{31}};
      from_start = (day - scope_first).count() / 7 + 1;
      from_end = (scope_last - day).count() / 7 + 1;
    }
    const bool hit =
        std::any_of(filters.by_day.begin(), filters.by_day.end(), [&](const WeekdayNum& d) {
          return d.weekday == weekday &&
                 (d.ordinal == 0 || d.ordinal == from_start || -d.ordinal == from_end);
        });
    if (!hit) return false;
  }
  return true;
}

long long MonthIndex(date::year_month_day day) {
  return static_cast<long long>(static_cast<int>(day.year())) * 12 +
         static_cast<unsigned>(day.month()) - 1;
}

date::local_days FirstOfMonthIndex(long long index) {
  const long long year = index >= 0 ? index / 12 : (index - 11) / 12;
  const auto month = static_cast<unsigned>(index - year * 12 + 1);
  return date::local_days{date::year{static_cast<int>(year)} / date::month{month} / date::day{1}};
}

// The latest local day a period may start on and still matter; keeps date arithmetic in range.
constexpr date::local_days kLastUsableDay{date::year{9999} / date::December / date::day{31}};

}  // namespace

Expansion ExpandRecurrence(const RecurrenceSet& set, const TimeRange& range,
                           std::size_t max_occurrences) {
  Expansion expansion;
  if (range.from >= range.to) return expansion;
  const RecurrenceRule& rule = set.rule;
  ZoneConverter converter(*set.zone);

  const date::local_days start_day = date::floor<date::days>(set.dtstart);
  const std::chrono::seconds time_of_day = set.dtstart - start_day;
  const date::year_month_day start_ymd{start_day};
  const DayFilters filters = Normalize(rule, start_ymd);

  long long generated = 0;  // what COUNT counts: every occurrence, excluded or not
  bool stop = false;
  // Handles one occurrence day in increasing order; sets `stop` when nothing later can qualify.
  auto emit = [&](date::local_days day) {
    const date::local_seconds local = day + time_of_day;
    const std::chrono::sys_seconds utc = converter.ToSys(local);
    if (rule.until) {
      const bool past = std::holds_alternative<std::chrono::sys_seconds>(*rule.until)
                            ? utc > std::get<std::chrono::sys_seconds>(*rule.until)
                            : day > std::get<date::local_days>(*rule.until);
      if (past) {
        stop = true;
        return;
      }
    }
    if (rule.count && generated >= *rule.count) {
      stop = true;
      return;
    }
    ++generated;
    if (std::find(set.exdates.begin(), set.exdates.end(), local) != set.exdates.end()) return;
    // Days increase and zone offsets differ by less than a day, so instants increase too.
    if (utc >= range.to) {
      stop = true;
      return;
    }
    if (utc < range.from) return;
    if (expansion.occurrences.size() >= max_occurrences) {
      expansion.truncated = true;
      stop = true;
      return;
    }
    expansion.occurrences.push_back({local, utc});
  };

  emit(start_day);  // DTSTART is always the first instance

  // Periods starting after this day cannot hold an occurrence inside the range (offsets < 1 day).
  const date::local_days last_day = std::min(
      date::local_days{date::floor<date::days>(range.to).time_since_epoch()} + date::days{2},
      kLastUsableDay);
  const date::local_days first_day =
      date::local_days{date::floor<date::days>(range.from).time_since_epoch()} - date::days{2};
  const long long interval = rule.interval;
  const date::local_days week_zero = start_day - (date::weekday{start_day} - rule.week_start);

  // Without COUNT the occurrences before the range need not be counted: start one period before it.
  long long period = 0;
  if (!rule.count && first_day > start_day) {
    long long periods_before = 0;
    switch (rule.frequency) {
      case Frequency::kDaily:
        periods_before = (first_day - start_day).count() / interval;
        break;
      case Frequency::kWeekly:
        periods_before = (first_day - week_zero).count() / (7 * interval);
        break;
      case Frequency::kMonthly:
        periods_before =
            (MonthIndex(date::year_month_day{first_day}) - MonthIndex(start_ymd)) / interval;
        break;
      case Frequency::kYearly:
        periods_before = (static_cast<int>(date::year_month_day{first_day}.year()) -
                          static_cast<int>(start_ymd.year())) /
                         interval;
        break;
    }
    period = std::max(0LL, periods_before - 1);
  }

  std::vector<date::local_days> candidates;
  for (; !stop; ++period) {
    // The period's first and last day, computed in 64 bits and checked before narrowing.
    date::local_days period_first;
    date::local_days period_last;
    const long long step = period * interval;
    switch (rule.frequency) {
      case Frequency::kDaily:
      case Frequency::kWeekly: {
        const long long length = rule.frequency == Frequency::kDaily ? 1 : 7;
        const date::local_days base = rule.frequency == Frequency::kDaily ? start_day : week_zero;
        if (step > (last_day - base).count() / length + 1) return expansion;
        period_first = base + date::days{static_cast<int>(step * length)};
        period_last = period_first + date::days{static_cast<int>(length - 1)};
        break;
      }
      case Frequency::kMonthly: {
        const long long index = MonthIndex(start_ymd) + step;
        if (index > MonthIndex(date::year_month_day{last_day})) return expansion;
        period_first = FirstOfMonthIndex(index);
        period_last = FirstOfMonthIndex(index + 1) - date::days{1};
        break;
      }
      case Frequency::kYearly: {
        const long long year = static_cast<int>(start_ymd.year()) + step;
        if (year > static_cast<int>(date::year_month_day{last_day}.year())) return expansion;
        const date::year y{static_cast<int>(year)};
        period_first = date::local_days{y / date::January / date::day{1}};
        period_last = date::local_days{y / date::December / date::day{31}};
        break;
      }
    }
    if (period_first > last_day) return expansion;

    candidates.clear();
    for (date::local_days day = period_first; day <= period_last; day += date::days{1}) {
      if (Matches(filters, day)) candidates.push_back(day);
    }
    if (!rule.by_set_pos.empty()) {
      // BYSETPOS picks from the period's whole sorted set, before DTSTART is applied (RFC 5545
      // 3.3.10; the "third instance of TU/WE/TH" example depends on it).
      std::vector<date::local_days> picked;
      const auto size = static_cast<long long>(candidates.size());
      for (int position : rule.by_set_pos) {
        const long long index = position > 0 ? position - 1 : size + position;
        if (index >= 0 && index < size)
          picked.push_back(candidates[static_cast<std::size_t>(index)]);
      }
      std::sort(picked.begin(), picked.end());
      picked.erase(std::unique(picked.begin(), picked.end()), picked.end());
      candidates.swap(picked);
    }
    for (date::local_days day : candidates) {
      if (day <= start_day) continue;  // DTSTART was emitted first; nothing precedes it
      emit(day);
      if (stop) break;
    }
  }
  return expansion;
}

namespace {

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Parses RFC 5545's basic form "YYYYMMDDTHHMMSS" with an optional trailing "Z".
std::optional<date::local_seconds> BasicDateTime(std::string_view text, bool& utc) {
  utc = !text.empty() && text.back() == 'Z';
  if (utc) text.remove_suffix(1);
  if (text.size() != 15 || text[8] != 'T') return std::nullopt;
  int fields[6] = {};
  const std::size_t positions[6] = {0, 4, 6, 9, 11, 13};
  const std::size_t widths[6] = {4, 2, 2, 2, 2, 2};
  for (int i = 0; i < 6; ++i) {
    for (std::size_t j = positions[i]; j < positions[i] + widths[i]; ++j) {
      if (!std::isdigit(static_cast<unsigned char>(text[j]))) return std::nullopt;
      fields[i] = fields[i] * 10 + (text[j] - '0');
    }
  }
  const date::year_month_day day = date::year{fields[0]} /
                                   date::month{static_cast<unsigned>(fields[1])} /
                                   date::day{static_cast<unsigned>(fields[2])};
  if (!day.ok() || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) return std::nullopt;
  return date::local_days{day} + std::chrono::hours{fields[3]} + std::chrono::minutes{fields[4]} +
         std::chrono::seconds{fields[5]};
}

struct Property {
  std::string name;                                         // upper case
  std::vector<std::pair<std::string, std::string>> params;  // names upper case
  std::string value;
};

std::optional<Property> SplitProperty(std::string_view line) {
  // name *(";" param) ":" value; a quoted parameter value may hold ':' or ';'.
  bool quoted = false;
  std::size_t colon = std::string_view::npos;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"') quoted = !quoted;
    if (line[i] == ':' && !quoted) {
      colon = i;
      break;
    }
  }
  if (colon == std::string_view::npos) return std::nullopt;
  Property property;
  property.value = std::string(line.substr(colon + 1));
  std::string_view head = line.substr(0, colon);
  const std::size_t semicolon = head.find(';');
  property.name = Upper(head.substr(0, semicolon));
  head = semicolon == std::string_view::npos ? std::string_view{} : head.substr(semicolon + 1);
  while (!head.empty()) {
    const std::size_t next = head.find(';');
    const std::string_view param = head.substr(0, next);
    const std::size_t equals = param.find('=');
    std::string value(equals == std::string_view::npos ? std::string_view{}
                                                       : param.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    property.params.emplace_back(Upper(param.substr(0, equals)), std::move(value));
    head = next == std::string_view::npos ? std::string_view{} : head.substr(next + 1);
  }
  return property;
}

std::optional<std::string> Param(const Property& property, std::string_view name) {
  for (const auto& [key, value] : property.params) {
    if (key == name) return value;
  }
  return std::nullopt;
}

}  // namespace

Result<RecurrenceSet> ParseRecurrenceSet(std::string_view text) {
  // Unfold (RFC 5545 3.1): a line break followed by one space or tab continues the line.
  std::string unfolded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (text[i] == '\n' && i + 1 < text.size() && (text[i + 1] == ' ' || text[i + 1] == '\t')) {
      ++i;
      continue;
    }
    unfolded.push_back(text[i]);
  }

  std::optional<Property> dtstart;
  std::optional<Property> rrule;
  std::vector<Property> exdates;
  std::string_view rest = unfolded;
  while (!rest.empty()) {
    const std::size_t newline = rest.find('\n');
    std::string_view line = rest.substr(0, newline);
    rest = newline == std::string_view::npos ? std::string_view{} : rest.substr(newline + 1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    if (line.empty()) continue;
    std::optional<Property> property = SplitProperty(line);
    if (!property) {
      return InvalidArgument("line '" + std::string(line) + "' is not an iCalendar property");
    }
    if (property->name == "DTSTART") {
      if (dtstart) return InvalidArgument("DTSTART appears twice");
      dtstart = std::move(property);
    } else if (property->name == "RRULE") {
      if (rrule) return InvalidArgument("RRULE appears twice");
      rrule = std::move(property);
    } else if (property->name == "EXDATE") {
      exdates.push_back(std::move(*property));
    } else if (property->name == "RDATE") {
      return Unprocessable("RDATE is not supported; use a date-list calendar");
    } else {
      return Unprocessable("property " + property->name + " is not supported");
    }
  }
  if (!dtstart) return InvalidArgument("DTSTART is missing");
  if (!rrule) return InvalidArgument("RRULE is missing");

  RecurrenceSet set;
  bool utc = false;
  const std::optional<date::local_seconds> start = BasicDateTime(dtstart->value, utc);
  if (!start) {
    return InvalidArgument("DTSTART value '" + dtstart->value +
                           "' is not a date-time in YYYYMMDDTHHMMSS form");
  }
  const std::optional<std::string> tzid = Param(*dtstart, "TZID");
  if (tzid.has_value() == utc)
    return InvalidArgument("DTSTART needs a TZID or a UTC time ending in Z");
  Result<const date::time_zone*> zone = LocateZone(utc ? "Etc/UTC" : *tzid);
  if (!zone) return zone.error();
  set.zone = *zone;
  set.dtstart = *start;

  Result<RecurrenceRule> rule = ParseRecurrenceRule(rrule->value);
  if (!rule) return rule.error();
  set.rule = std::move(*rule);

  ZoneConverter converter(*set.zone);
  for (const Property& exdate : exdates) {
    const std::optional<std::string> exdate_zone = Param(exdate, "TZID");
    if (exdate_zone && *exdate_zone != set.zone->name() && (!tzid || *exdate_zone != *tzid)) {
      return InvalidArgument("EXDATE zone '" + *exdate_zone + "' differs from DTSTART's");
    }
    std::string_view values = exdate.value;
    while (true) {
      const std::size_t comma = values.find(',');
      const std::string_view item = values.substr(0, comma);
      bool item_utc = false;
      const std::optional<date::local_seconds> local = BasicDateTime(item, item_utc);
      if (!local || (item_utc && exdate_zone)) {
        return InvalidArgument("EXDATE value '" + std::string(item) +
                               "' is not a date-time in YYYYMMDDTHHMMSS form");
      }
      set.exdates.push_back(
          item_utc ? converter.ToLocal(std::chrono::sys_seconds{local->time_since_epoch()})
                   : *local);
      if (comma == std::string_view::npos) break;
      values.remove_prefix(comma + 1);
    }
  }
  return set;
}

}  // namespace patchcast::calendars
