#include "calendars/cron_expression.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <span>
#include <vector>

namespace patchcast::calendars {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_seconds;

// How far a search for the next or latest firing looks: 28 years hold every combination of a
// date's weekday and leap year, so an expression that fires at all fires within them.
constexpr date::days kSearchSpan{28 * 366};
// A daylight-saving change moves a local time by at most this much: past it, a later (or earlier)
// local day cannot hold a nearer firing.
constexpr hours kLargestShift{3};

struct FieldSpec {
  std::string_view name;
  int min;
  int max;
  std::span<const std::string_view> names;  // names[i] stands for min + i
};

constexpr std::array<std::string_view, 12> kMonthNames = {"jan", "feb", "mar", "apr", "may", "jun",
                                                          "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};
constexpr std::array<FieldSpec, 5> kFields = {{
    {"minute", 0, 59, {}},
    {"hour", 0, 23, {}},
    {"day of month", 1, 31, {}},
    {"month", 1, 12, kMonthNames},
    {"day of week", 0, 7, kDayNames},
}};

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    const std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

// Reads one field: the values it allows, as bits indexed by value, or what is wrong with it.
class FieldParser {
 public:
  FieldParser(const FieldSpec& spec, std::size_t position, std::string_view text)
      : spec_(spec), position_(position), text_(text) {}

  Result<std::vector<bool>> Parse() const {
    std::vector<bool> bits(static_cast<std::size_t>(spec_.max + 1), false);
    for (std::string_view item : Split(text_, ',')) {
      if (Status added = AddItem(item, bits); !added) return added.error();
    }
    return bits;
  }

 private:
  Error Fail(const std::string& why) const {
    return InvalidArgument("cron field " + std::to_string(position_ + 1) + " (" +
                           std::string(spec_.name) + ") '" + std::string(text_) + "': " + why);
  }

  Result<int> Value(std::string_view text) const {
    for (std::size_t i = 0; i < spec_.names.size(); ++i) {
      if (text.size() == 3 &&
          std::equal(text.begin(), text.end(), spec_.names[i].begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == b;
          })) {
        return spec_.min + static_cast<int>(i);
      }
    }
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size()) {
      return Fail("'" + std::string(text) + "' is not a number" +
                  (spec_.names.empty()
                       ? ""
                       : " or a name such as '" + std::string(spec_.names.front()) + "'"));
    }
    if (value < spec_.min || value > spec_.max) {
      return Fail(std::to_string(value) + " is out of " + std::to_string(spec_.min) + "-" +
                  std::to_string(spec_.max));
    }
    return value;
  }

  Status AddItem(std::string_view item, std::vector<bool>& bits) const {
    const std::size_t slash = item.find('/');
    const std::string_view range = item.substr(0, slash);
    int step = 1;
    if (slash != std::string_view::npos) {
      const std::string_view text = item.substr(slash + 1);
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), step);
      if (text.empty() || error != std::errc{} || end != text.data() + text.size() || step < 1) {
        return Fail("the step '" + std::string(text) + "' is not a whole number from 1");
      }
    }
    int first = spec_.min;
    int last = spec_.max;
    if (range != "*") {
      const std::size_t dash = range.find('-');
      auto low = Value(range.substr(0, dash));
      if (!low) return low.error();
      first = *low;
      // "a/n" runs from a to the field's end, as in Vixie cron; a plain "a" is a itself.
      last = slash == std::string_view::npos ? first : spec_.max;
      if (dash != std::string_view::npos) {
        auto high = Value(range.substr(dash + 1));
        if (!high) return high.error();
        last = *high;
      }
      if (last < first) {
        return Fail("the range " + std::to_string(first) + "-" + std::to_string(last) +
                    " runs backwards");
      }
    }
    for (int value = first; value <= last; value += step) {
      bits[static_cast<std::size_t>(value)] = true;
    }
    return {};
  }

  const FieldSpec& spec_;
  std::size_t position_;
  std::string_view text_;
};

template <std::size_t N>
std::bitset<N> ToBitset(const std::vector<bool>& bits) {
  std::bitset<N> set;
  for (std::size_t i = 0; i < N && i < bits.size(); ++i) set[i] = bits[i];
  return set;
}

date::local_seconds At(date::local_days day, int hour, int minute) {
  return date::local_seconds{day} + hours{hour} + minutes{minute};
}

}  // namespace

Result<CronExpression> CronExpression::Parse(std::string_view text) {
  const std::vector<std::string_view> fields = Words(text);
  if (fields.size() != kFields.size()) {
    return InvalidArgument(
        "a cron expression has five fields (minute hour day-of-month month day-of-week), got " +
        std::to_string(fields.size()));
  }
  std::array<std::vector<bool>, 5> bits;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto parsed = FieldParser(kFields[i], i, fields[i]).Parse();
    if (!parsed) return parsed.error();
    bits[i] = std::move(*parsed);
  }
  bits[4][0] = bits[4][0] || bits[4][7];  // 7 is Sunday too

  CronExpression cron;
  for (std::string_view field : fields) {
    if (!cron.text_.empty()) cron.text_ += ' ';
    cron.text_ += field;
  }
  cron.minutes_ = ToBitset<60>(bits[0]);
  cron.hours_ = ToBitset<24>(bits[1]);
  cron.days_of_month_ = ToBitset<32>(bits[2]);
  cron.months_ = ToBitset<13>(bits[3]);
  cron.days_of_week_ = ToBitset<7>(bits[4]);
  cron.day_of_month_any_ = fields[2].starts_with('*');
  cron.day_of_week_any_ = fields[4].starts_with('*');

  const date::local_days first{date::year{2000} / 1 / 1};
  for (date::local_days day = first; day < first + kSearchSpan; day += date::days{1}) {
    if (cron.MatchesDay(day)) return cron;
  }
  return InvalidArgument("the cron expression '" + cron.text_ +
                         "' never fires: no date matches its day-of-month, month and day-of-week "
                         "fields");
}

bool CronExpression::MatchesDay(date::local_days day) const {
  const date::year_month_day date{day};
  if (!months_[static_cast<unsigned>(date.month())]) return false;
  const bool day_of_month = days_of_month_[static_cast<unsigned>(date.day())];
  const bool day_of_week = days_of_week_[date::weekday{day}.c_encoding()];
  // cron's rule: with both day fields restricted, either may match.
  if (day_of_month_any_ || day_of_week_any_) return day_of_month && day_of_week;
  return day_of_month || day_of_week;
}

std::optional<sys_seconds> CronExpression::FirstOnDayAfter(ZoneConverter& zone,
                                                           date::local_days day,
                                                           sys_seconds after) const {
  std::optional<sys_seconds> first;
  for (int hour = 0; hour < 24; ++hour) {
    if (!hours_[static_cast<std::size_t>(hour)]) continue;
    if (zone.ToSys(At(day, hour, 59)) + kLargestShift <= after) continue;  // all of it is past
    // A gap can map a skipped time past later ones, so a few hours beyond the first are checked.
    if (first && zone.ToSys(At(day, hour, 0)) > *first + kLargestShift) break;
    for (int minute = 0; minute < 60; ++minute) {
      if (!minutes_[static_cast<std::size_t>(minute)]) continue;
      const sys_seconds t = zone.ToSys(At(day, hour, minute));
      if (t > after && (!first || t < *first)) first = t;
    }
  }
  return first;
}

std::optional<sys_seconds> CronExpression::LastOnDayAtOrBefore(ZoneConverter& zone,
                                                               date::local_days day,
                                                               sys_seconds at) const {
  std::optional<sys_seconds> last;
  for (int hour = 23; hour >= 0; --hour) {
    if (!hours_[static_cast<std::size_t>(hour)]) continue;
    if (zone.ToSys(At(day, hour, 0)) - kLargestShift > at) continue;  // all of it is to come
    if (last && zone.ToSys(At(day, hour, 59)) < *last - kLargestShift) break;
    for (int minute = 59; minute >= 0; --minute) {
      if (!minutes_[static_cast<std::size_t>(minute)]) continue;
      const sys_seconds t = zone.ToSys(At(day, hour, minute));
      if (t <= at && (!last || t > *last)) last = t;
    }
  }
  return last;
}

sys_seconds CronExpression::NextAfter(const date::time_zone& zone, sys_seconds after) const {
  ZoneConverter converter(zone);
  const date::local_days start = date::floor<date::days>(converter.ToLocal(after)) - date::days{1};
  std::optional<sys_seconds> next;
  for (date::local_days day = start; day < start + kSearchSpan; day += date::days{1}) {
    if (next && converter.ToSys(date::local_seconds{day}) > *next + kLargestShift) break;
    if (!MatchesDay(day)) continue;
    const auto candidate = FirstOnDayAfter(converter, day, after);
    if (candidate && (!next || *candidate < *next)) next = candidate;
  }
  return next.value_or(after);  // Parse made sure it fires within the span
}

sys_seconds CronExpression::LatestAtOrBefore(const date::time_zone& zone, sys_seconds at) const {
  ZoneConverter converter(zone);
  const date::local_days start = date::floor<date::days>(converter.ToLocal(at)) + date::days{1};
  std::optional<sys_seconds> latest;
  for (date::local_days day = start; day > start - kSearchSpan; day -= date::days{1}) {
    const sys_seconds day_end = converter.ToSys(date::local_seconds{day + date::days{1}});
    if (latest && day_end < *latest - kLargestShift) break;
    if (!MatchesDay(day)) continue;
    const auto candidate = LastOnDayAtOrBefore(converter, day, at);
    if (candidate && (!latest || *candidate > *latest)) latest = candidate;
  }
  return latest.value_or(at);
}

}  // namespace patchcast::calendars
