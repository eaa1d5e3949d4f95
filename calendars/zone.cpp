#include "calendars/zone.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace patchcast::calendars {
namespace {

constexpr std::chrono::seconds kDay = std::chrono::hours{24};

// Debian's "fat" zoneinfo files stop listing transitions in 2037. A zone whose last transitions lie
// in or after this year has a truncated table rather than abolished daylight time.
constexpr date::year kTruncatedTableYear{2037};

date::local_days FirstOfYear(date::year year) {
  return date::local_days{year / date::January / date::day{1}};
}

// True when `a` and `b` have identical calendars: same leap-ness, same weekday on 1 January.
bool SameCalendar(date::year a, date::year b) {
  return a.is_leap() == b.is_leap() &&
         date::weekday{FirstOfYear(a)} == date::weekday{FirstOfYear(b)};
}

std::chrono::sys_seconds AsSys(date::local_seconds local) {
  return std::chrono::sys_seconds{local.time_since_epoch()};
}

}  // namespace

Result<const date::time_zone*> LocateZone(std::string_view name) {
  if (name.empty()) return InvalidArgument("time zone name is empty");
  try {
    return date::locate_zone(name);
  } catch (const std::runtime_error&) {
    // date::locate_zone reports an unknown name (and an unreadable database) this way.
    return NotFound("time zone '" + std::string(name) + "' is not in the tz database");
  }
}

ZoneConverter::ZoneConverter(const date::time_zone& zone) : zone_(&zone) {
  const date::sys_info last = zone.get_info(date::sys_days{date::year{2200} / 1 / 1});
  const date::year last_year =
      date::year_month_day{date::floor<date::days>(last.begin + last.offset)}.year();
  if (last_year < kTruncatedTableYear || last_year > date::year{2100}) return;
  const date::sys_info previous = zone.get_info(last.begin - std::chrono::seconds{1});
  // Two transitions in the table's final year: the zone still switched between standard and
  // daylight time when the table ends, so its rules continue.
  if (previous.offset != last.offset && last.begin - previous.begin < 366 * kDay) {
    extend_ = true;
    last_table_year_ = last_year;
    final_offset_ = last.offset;
    extend_from_ = AsSys(FirstOfYear(last_year + date::years{1})) - final_offset_;
  }
}

date::year ZoneConverter::StandInYear(date::year year) {
  if (!extend_ || year <= last_table_year_) return year;
  if (year == memo_year_) return memo_stand_in_;
  memo_year_ = year;
  memo_stand_in_ = last_table_year_;
  // Every combination of leap-ness and 1 January weekday occurs within any 28 consecutive years
  // between 1901 and 2099, so this search over 2010..2037 always succeeds.
  for (date::year candidate = last_table_year_; candidate > last_table_year_ - date::years{28};
       --candidate) {
    if (SameCalendar(year, candidate)) {
      memo_stand_in_ = candidate;
      break;
    }
  }
  return memo_stand_in_;
}

date::local_info ZoneConverter::LocalInfo(date::local_seconds local, std::chrono::seconds& shift) {
  shift = std::chrono::seconds{0};
  if (extend_) {
    const date::year year = date::year_month_day{date::floor<date::days>(local)}.year();
    if (year > last_table_year_) {
      shift = FirstOfYear(year) - FirstOfYear(StandInYear(year));
      date::local_info info = zone_->get_info(local - shift);
      info.first.begin += shift;
      info.first.end += shift;
      info.second.begin += shift;
      info.second.end += shift;
      return info;
    }
  }
  return zone_->get_info(local);
}

std::chrono::sys_seconds ZoneConverter::ToSys(date::local_seconds local) {
  if (cache_valid_) {
    const std::chrono::sys_seconds utc = AsSys(local) - cache_offset_;
    if (utc >= cache_begin_ + kDay && utc < cache_end_ - kDay) return utc;
  }
  std::chrono::seconds shift{};
  const date::local_info info = LocalInfo(local, shift);
  // RFC 5545 3.3.5: a unique local time uses its own offset; an ambiguous one its first occurrence
  // (info.first, still daylight time); a nonexistent one the offset before the gap (info.first).
  const std::chrono::sys_seconds utc = AsSys(local) - info.first.offset;
  if (info.result == date::local_info::unique) {
    cache_valid_ = true;
    cache_begin_ = info.first.begin;
    cache_end_ = info.first.end;
    cache_offset_ = info.first.offset;
    if (shift != std::chrono::seconds{0}) {
      // A stand-in year's entries are only valid inside the year they stand in for.
      const date::year year = date::year_month_day{date::floor<date::days>(local)}.year();
      cache_begin_ = std::max(cache_begin_, AsSys(FirstOfYear(year)) - final_offset_);
      cache_end_ = std::min(cache_end_, AsSys(FirstOfYear(year + date::years{1})) - final_offset_);
    } else if (extend_) {
      cache_end_ = std::min(cache_end_, extend_from_);
    }
  }
  return utc;
}

date::local_seconds ZoneConverter::ToLocal(std::chrono::sys_seconds utc) {
  if (cache_valid_ && utc >= cache_begin_ && utc < cache_end_) {
    return date::local_seconds{(utc + cache_offset_).time_since_epoch()};
  }
  date::sys_info info;
  if (extend_ && utc >= extend_from_) {
    // Near 1 January the offset is the table's final one (no zone changes clocks at New Year),
    // so this finds the local year reliably.
    const date::year year =
        date::year_month_day{date::floor<date::days>(utc + final_offset_)}.year();
    const std::chrono::seconds shift = FirstOfYear(year) - FirstOfYear(StandInYear(year));
    info = zone_->get_info(utc - shift);
    info.begin = std::max(info.begin + shift, AsSys(FirstOfYear(year)) - final_offset_);
    info.end =
        std::min(info.end + shift, AsSys(FirstOfYear(year + date::years{1})) - final_offset_);
  } else {
    info = zone_->get_info(utc);
    if (extend_) info.end = std::min(info.end, extend_from_);
  }
  cache_valid_ = true;
  cache_begin_ = info.begin;
  cache_end_ = info.end;
  cache_offset_ = info.offset;
  return date::local_seconds{(utc + info.offset).time_since_epoch()};
}

}  // namespace patchcast::calendars
