#include "calendars/time_text.h"

#include <cstdlib>

namespace patchcast::calendars {
namespace {

// Built by appending: g++ 12 at -O3 reports a false -Wrestrict on "'" + std::string(...).
std::string Quoted(std::string_view text) {
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '\'').append(text).append(1, '\'');
  return quoted;
}

// Reads `count` ASCII digits at text[pos]; returns -1 unless all are digits and present.
int Digits(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos + count > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Parses "YYYY-MM-DD" at the start of `text` (which may continue). Returns the date, !ok() when the
// digits form no valid date, or year 0/0/0 when the shape is wrong (`shape_ok` false).
date::year_month_day DatePrefix(std::string_view text, bool& shape_ok) {
  const int year = Digits(text, 0, 4);
  const int month = Digits(text, 5, 2);
  const int day = Digits(text, 8, 2);
  shape_ok = year >= 0 && month >= 0 && day >= 0 && text[4] == '-' && text[7] == '-';
  if (!shape_ok) return {};
  return date::year{year} / date::month{static_cast<unsigned>(month)} /
         date::day{static_cast<unsigned>(day)};
}

// Parses "THH:MM" or "THH:MM:SS" at text[10..]; sets `seconds_of_day` (-1 when not a valid time of
// day) and returns false when the shape is wrong. `allow_short` admits the form without seconds.
bool TimePart(std::string_view text, bool allow_short, long& seconds_of_day) {
  const std::string_view rest = text.substr(10);
  if (rest.size() != 6 && rest.size() != 9) return false;
  if (rest.size() == 6 && !allow_short) return false;
  if (rest[0] != 'T' || rest[3] != ':') return false;
  const int hours = Digits(rest, 1, 2);
  const int minutes = Digits(rest, 4, 2);
  int seconds = 0;
  if (rest.size() == 9) {
    if (rest[6] != ':') return false;
    seconds = Digits(rest, 7, 2);
  }
  if (hours < 0 || minutes < 0 || seconds < 0) return false;
  seconds_of_day = (hours > 23 || minutes > 59 || seconds > 59)
                       ? -1
                       : static_cast<long>(hours) * 3600 + minutes * 60 + seconds;
  return true;
}

void WriteTwo(std::string& out, unsigned value) {
  out.push_back(static_cast<char>('0' + value / 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

void AppendTimeOfDay(std::string& out, std::chrono::seconds since_midnight) {
  const auto total = static_cast<unsigned>(since_midnight.count());
  out.push_back('T');
  WriteTwo(out, total / 3600);
  out.push_back(':');
  WriteTwo(out, total / 60 % 60);
  out.push_back(':');
  WriteTwo(out, total % 60);
}

}  // namespace

Result<date::year_month_day> ParseDate(std::string_view text) {
  bool shape_ok = false;
  const date::year_month_day date =
      text.size() == 10 ? DatePrefix(text, shape_ok) : date::year_month_day{};
  if (!shape_ok) return InvalidArgument(Quoted(text) + " is not a date in YYYY-MM-DD form");
  if (!date.ok()) return InvalidArgument(Quoted(text) + " is not a valid date");
  return date;
}

Result<date::local_seconds> ParseLocalDateTime(std::string_view text) {
  const std::string shape_error =
      Quoted(text) + " is not a local date-time in YYYY-MM-DD[THH:MM[:SS]] form";
  if (text.size() < 10) return InvalidArgument(shape_error);
  bool shape_ok = false;
  const date::year_month_day date = DatePrefix(text, shape_ok);
  if (!shape_ok) return InvalidArgument(shape_error);
  long seconds_of_day = 0;
  if (text.size() > 10 && !TimePart(text, /*allow_short=*/true, seconds_of_day)) {
    return InvalidArgument(shape_error);
  }
  if (!date.ok()) return InvalidArgument(Quoted(text.substr(0, 10)) + " is not a valid date");
  if (seconds_of_day < 0) return InvalidArgument(Quoted(text) + " is not a valid time of day");
  return date::local_days{date} + std::chrono::seconds{seconds_of_day};
}

Result<std::chrono::sys_seconds> ParseUtcDateTime(std::string_view text) {
  const std::string shape_error =
      Quoted(text) + " is not a UTC date-time in YYYY-MM-DDTHH:MM:SSZ form";
  std::chrono::seconds offset{0};
  std::string_view local_part;
  if (text.size() == 20 && text.back() == 'Z') {
    local_part = text.substr(0, 19);
  } else if (text.size() == 25 && (text[19] == '+' || text[19] == '-') && text[22] == ':') {
    const int hours = Digits(text, 20, 2);
    const int minutes = Digits(text, 23, 2);
    if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) {
      return InvalidArgument(Quoted(text) + " has an invalid UTC offset");
    }
    offset = std::chrono::hours{hours} + std::chrono::minutes{minutes};
    if (text[19] == '-') offset = -offset;
    local_part = text.substr(0, 19);
  } else {
    return InvalidArgument(shape_error);
  }
  bool shape_ok = false;
  const date::year_month_day date = DatePrefix(local_part, shape_ok);
  long seconds_of_day = 0;
  if (!shape_ok || !TimePart(local_part, /*allow_short=*/false, seconds_of_day)) {
    return InvalidArgument(shape_error);
  }
  if (!date.ok()) return InvalidArgument(Quoted(text.substr(0, 10)) + " is not a valid date");
  if (seconds_of_day < 0) return InvalidArgument(Quoted(text) + " is not a valid time of day");
  return date::sys_days{date} + std::chrono::seconds{seconds_of_day} - offset;
}

DateText::DateText(date::year_month_day date) {
  int year = static_cast<int>(date.year());
  if (year >= 0 && year <= 9999) {
    chars_[0] = static_cast<char>('0' + year / 1000);
    chars_[1] = static_cast<char>('0' + year / 100 % 10);
    chars_[2] = static_cast<char>('0' + year / 10 % 10);
    chars_[3] = static_cast<char>('0' + year % 10);
    size_ = 4;
  } else {
    // date::year spans -32767..32767: at most a sign and five digits.
    char digits[8];
    std::size_t count = 0;
    const bool negative = year < 0;
    year = std::abs(year);
    do {
      digits[count++] = static_cast<char>('0' + year % 10);
      year /= 10;
    } while (year > 0);
    if (negative) chars_[size_++] = '-';
    while (count > 0) chars_[size_++] = digits[--count];
  }
  const auto month = static_cast<unsigned>(date.month());
  const auto day = static_cast<unsigned>(date.day());
  chars_[size_++] = '-';
  chars_[size_++] = static_cast<char>('0' + month / 10);
  chars_[size_++] = static_cast<char>('0' + month % 10);
  chars_[size_++] = '-';
  chars_[size_++] = static_cast<char>('0' + day / 10);
  chars_[size_++] = static_cast<char>('0' + day % 10);
}

std::string FormatDate(date::year_month_day date) { return std::string(DateText(date).view()); }

std::string FormatDate(date::local_days date) { return std::string(DateText(date).view()); }

std::string FormatLocalDateTime(date::local_seconds local) {
  const date::local_days day = date::floor<date::days>(local);
  std::string out = FormatDate(day);
  AppendTimeOfDay(out, local - day);
  return out;
}

std::string FormatUtcDateTime(std::chrono::sys_seconds utc) {
  const date::sys_days day = date::floor<date::days>(utc);
  std::string out(DateText(date::year_month_day{day}).view());
  AppendTimeOfDay(out, utc - day);
  out.push_back('Z');
  return out;
}

}  // namespace patchcast::calendars
