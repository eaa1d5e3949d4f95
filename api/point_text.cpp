#include "api/point_text.h"

#include <algorithm>
#include <charconv>
#include <system_error>

#include "forecasting/series.h"

namespace patchcast::api {
namespace {

constexpr std::int64_t kSecondsPerDay = 86400;
// 9999-12-31T23:59:59Z: the last instant four-digit years can write.
constexpr std::int64_t kLastSecond = 253402300799;
constexpr std::size_t kMaxQuotedBytes = 64;

// The input, quoted and cut so that a 10,000-byte field cannot bloat an error.
std::string Quoted(std::string_view text) {
  std::string quoted;
  quoted.reserve(std::min(text.size(), kMaxQuotedBytes) + 6);
  quoted.append(1, '\'').append(text.substr(0, kMaxQuotedBytes));
  if (text.size() > kMaxQuotedBytes) quoted.append("...");
  quoted.append(1, '\'');
  return quoted;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The two ASCII digits at p as 0..99, or -1.
int TwoDigits(const char* p) {
  const unsigned tens = static_cast<unsigned char>(p[0]) - unsigned{'0'};
  const unsigned ones = static_cast<unsigned char>(p[1]) - unsigned{'0'};
  if (tens > 9 || ones > 9) return -1;
  return static_cast<int>(tens * 10 + ones);
}

constexpr bool IsLeapYear(int year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

constexpr int DaysInMonth(int year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to year-month-day (proleptic Gregorian), for a valid date. Howard Hinnant,
// "chrono-Compatible Low-Level Date Algorithms", days_from_civil; year here is 0..9999, so every
// intermediate is below 2^22 and int64 is ample.
constexpr std::int64_t DaysFromCivil(int year, int month, int day) {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t year_of_era = y - era * 400;  // [0, 399]
  const std::int64_t day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // [0, 146096]
  return era * 146097 + day_of_era - 719468;
}
static_assert(DaysFromCivil(1970, 1, 1) == 0);
static_assert(DaysFromCivil(2000, 3, 1) == 11017);
static_assert(DaysFromCivil(9999, 12, 31) * kSecondsPerDay + 86399 == kLastSecond);

}  // namespace

TimestampError ParseRfc3339(std::string_view text, std::chrono::sys_seconds& out) noexcept {
  const char* p = text.data();
  const std::size_t n = text.size();
  // "YYYY-MM-DDTHH:MM:SS" then an optional fraction, then "Z" or "+HH:MM".
  if (n < 20) return TimestampError::kNotRfc3339;
  const int century = TwoDigits(p);
  const int year_in_century = TwoDigits(p + 2);
  if (century < 0 || year_in_century < 0) return TimestampError::kNotRfc3339;
  if (IsDigit(p[4])) {
    // A year of five or more digits is well-formed but after 9999.
    std::size_t end = 4;
    while (end < n && IsDigit(p[end])) ++end;
    return end < n && p[end] == '-' ? TimestampError::kAfter9999 : TimestampError::kNotRfc3339;
  }
  const int month = TwoDigits(p + 5);
  const int day = TwoDigits(p + 8);
  const int hour = TwoDigits(p + 11);
  const int minute = TwoDigits(p + 14);
  const int second = TwoDigits(p + 17);
  if (p[4] != '-' || p[7] != '-' || (p[10] != 'T' && p[10] != 't') || p[13] != ':' ||
      p[16] != ':' || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return TimestampError::kNotRfc3339;
  }
  std::size_t pos = 19;
  bool fraction_is_zero = true;
  if (p[pos] == '.') {
    const std::size_t first_digit = ++pos;
    while (pos < n && IsDigit(p[pos])) fraction_is_zero &= p[pos++] == '0';
    if (pos == first_digit) return TimestampError::kNotRfc3339;
  }
  int offset_minutes = 0;
  bool offset_ok = true;
  if (pos + 1 == n && (p[pos] == 'Z' || p[pos] == 'z')) {
    // UTC
  } else if (pos + 6 == n && (p[pos] == '+' || p[pos] == '-') && p[pos + 3] == ':') {
    const int offset_hours = TwoDigits(p + pos + 1);
    const int offset_mins = TwoDigits(p + pos + 4);
    if (offset_hours < 0 || offset_mins < 0) return TimestampError::kNotRfc3339;
    offset_ok = offset_hours <= 23 && offset_mins <= 59;
    offset_minutes = (offset_hours * 60 + offset_mins) * (p[pos] == '-' ? -1 : 1);
  } else {
    return TimestampError::kNotRfc3339;
  }
  const int year = century * 100 + year_in_century;
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) {
    return TimestampError::kDate;
  }
  if (hour > 23 || minute > 59 || second > 60) return TimestampError::kTimeOfDay;
  if (second == 60) return TimestampError::kLeapSecond;
  if (!offset_ok) return TimestampError::kOffset;
  if (!fraction_is_zero) return TimestampError::kSubSecond;
  const std::int64_t seconds = DaysFromCivil(year, month, day) * kSecondsPerDay + hour * 3600 +
                               minute * 60 + second - std::int64_t{offset_minutes} * 60;
  return UnixSecondsToTime(seconds, out);
}

TimestampError UnixSecondsToTime(std::int64_t seconds, std::chrono::sys_seconds& out) noexcept {
  if (seconds < 0) return TimestampError::kBefore1970;
  if (seconds > kLastSecond) return TimestampError::kAfter9999;
  out = std::chrono::sys_seconds{std::chrono::seconds{seconds}};
  return TimestampError::kNone;
}

TimestampError ParseTimestampText(std::string_view text, std::chrono::sys_seconds& out) noexcept {
  // RFC 3339 text has '-' at index 4; an integer has digits only after an optional '-'.
  const std::size_t first = !text.empty() && text[0] == '-' ? 1 : 0;
  std::size_t end = first;
  while (end < text.size() && IsDigit(text[end])) ++end;
  if (end == text.size() && end > first) {
    std::int64_t seconds = 0;
    const std::from_chars_result parsed =
        std::from_chars(text.data(), text.data() + text.size(), seconds);
    if (parsed.ec == std::errc::result_out_of_range) {
      return first == 1 ? TimestampError::kBefore1970 : TimestampError::kAfter9999;
    }
    return UnixSecondsToTime(seconds, out);
  }
  const TimestampError error = ParseRfc3339(text, out);
  return error == TimestampError::kNotRfc3339 ? TimestampError::kNotTimestamp : error;
}

std::string DescribeTimestampError(TimestampError error, std::string_view text, bool quote) {
  std::string message = "timestamp ";
  message += quote ? Quoted(text) : std::string(text.substr(0, kMaxQuotedBytes));
  switch (error) {
    case TimestampError::kNone:
      return message + " is valid";
    case TimestampError::kNotRfc3339:
      return message + " is not an RFC 3339 date-time like 2026-11-01T00:00:00Z";
    case TimestampError::kNotTimestamp:
      return message +
             " is neither an RFC 3339 date-time like 2026-11-01T00:00:00Z nor integer Unix seconds";
    case TimestampError::kNotInteger:
      return message + " is not whole Unix seconds; give an integer or an RFC 3339 string";
    case TimestampError::kDate:
      return message + " is not a valid date";
    case TimestampError::kTimeOfDay:
      return message + " is not a valid time of day";
    case TimestampError::kLeapSecond:
      return message + ": leap seconds are not supported";
    case TimestampError::kSubSecond:
      return message + ": sub-second timestamps are not supported";
    case TimestampError::kOffset:
      return message + " has an invalid UTC offset";
    case TimestampError::kBefore1970:
      return message + " is before 1970-01-01T00:00:00Z";
    case TimestampError::kAfter9999:
      return message + " is after 9999-12-31T23:59:59Z";
  }
  return message + " is invalid";
}

Result<std::chrono::sys_seconds> ParseRfc3339Seconds(std::string_view text) {
  std::chrono::sys_seconds parsed;
  const TimestampError error = ParseRfc3339(text, parsed);
  if (error != TimestampError::kNone) return InvalidArgument(DescribeTimestampError(error, text));
  return parsed;
}

ValueError ParseValueText(std::string_view text, double max_value, double& out) noexcept {
  if (text.empty()) return ValueError::kEmpty;
  const char* const end = text.data() + text.size();
  // Fast path, exact: up to 15 digits (below 1e15, so below 2^53) is the usual login count.
  if (text.size() <= 15) {
    std::int64_t integer = 0;
    const char* p = text.data();
    while (p != end && IsDigit(*p)) integer = integer * 10 + (*p++ - '0');
    if (p == end) {
      out = static_cast<double>(integer);
      return forecasting::IsValidPointValue(out, max_value) ? ValueError::kNone : ValueError::kRule;
    }
  }
  const std::from_chars_result parsed = std::from_chars(text.data(), end, out);
  if (parsed.ec == std::errc::invalid_argument || parsed.ptr != end) return ValueError::kNotANumber;
  if (parsed.ec == std::errc::result_out_of_range) {
    // from_chars reports both ends of the range. The exponent's sign says which; without one, a
    // number that is all zeros up to its point ("0.000...01") was too small, any other too large.
    const std::size_t exponent = text.find_first_of("eE");
    const bool tiny = exponent != std::string_view::npos
                          ? exponent + 1 < text.size() && text[exponent + 1] == '-'
                          : text.find_first_not_of("-0") == text.find('.');
    return tiny ? ValueError::kUnderflow : ValueError::kOverflow;
  }
  if (!forecasting::IsValidPointValue(out, max_value)) return ValueError::kRule;
  out += 0.0;  // -0 is 0: -0.0 + 0.0 is +0.0
  return ValueError::kNone;
}

std::string DescribeValueError(ValueError error, std::string_view text, double max_value) {
  switch (error) {
    case ValueError::kNone:
      return "value is valid";
    case ValueError::kEmpty:
      return "value is empty";
    case ValueError::kNotANumber:
      return "value " + Quoted(text) + " is not a number";
    case ValueError::kOverflow:
      return "value " + std::string(text.substr(0, kMaxQuotedBytes)) + " is not a finite number";
    case ValueError::kUnderflow:
      return "value " + std::string(text.substr(0, kMaxQuotedBytes)) +
             " is too close to 0 to be represented";
    case ValueError::kRule:
      break;
  }
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  const Status rule = forecasting::CheckPointValue(value, max_value, text);
  return rule ? "value " + Quoted(text) + " is invalid" : rule.error().message;
}

}  // namespace patchcast::api
