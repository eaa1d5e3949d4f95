#include "api/timestamp_format.h"

#include <date/date.h>

namespace patchcast::api {
namespace {

void AppendDigits(std::string& out, unsigned value, int width) {
  char digits[4];
  for (int i = width - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out.append(digits, static_cast<std::size_t>(width));
}

}  // namespace

void AppendRfc3339(std::string& out, std::chrono::sys_seconds instant) {
  const auto day = std::chrono::floor<date::days>(instant);
  const date::year_month_day ymd{day};
  const auto seconds_of_day = static_cast<unsigned>((instant - day).count());
  AppendDigits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(ymd.month()), 2);
  out += '-';
  AppendDigits(out, static_cast<unsigned>(ymd.day()), 2);
  out += 'T';
  AppendDigits(out, seconds_of_day / 3600, 2);
  out += ':';
  AppendDigits(out, seconds_of_day / 60 % 60, 2);
  out += ':';
  AppendDigits(out, seconds_of_day % 60, 2);
  out += 'Z';
}

std::string FormatRfc3339(std::chrono::sys_seconds instant) {
  std::string text;
  AppendRfc3339(text, instant);
  return text;
}

}  // namespace patchcast::api
