// Time zones: looking an IANA zone up by name, and converting between one zone's wall-clock time
// and UTC with the rules iCalendar uses.
//
// Zones come from the system tz database (/usr/share/zoneinfo, read by Howard Hinnant's date with
// USE_OS_TZDB=1). A `const date::time_zone*` from LocateZone stays valid for the life of the
// process: nothing in Patchcast reloads the database.
//
// ZoneConverter is a small value type with a one-entry cache; it is NOT thread-safe. Make one per
// computation (they are cheap), never share one between threads.
#pragma once

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <string_view>

#include "core/result.h"

namespace patchcast::calendars {

// Returns the zone named `name` (e.g. "America/Los_Angeles"). If the tz database has no such zone,
// returns kNotFound with "time zone 'Mars/Olympus' is not in the tz database". An empty name is
// kInvalidArgument.
Result<const date::time_zone*> LocateZone(std::string_view name);

// Converts between local wall-clock time in one zone and UTC.
//
// Local to UTC follows RFC 5545 section 3.3.5 (DATE-TIME with TZID):
//  - a local time that occurs twice (the autumn fall-back hour) means its FIRST occurrence, i.e.
//  the
//    earlier instant, still under daylight time;
//  - a local time that does not exist (inside the spring-forward gap) is interpreted with the UTC
//    offset in force BEFORE the gap, so it lands after the gap: 02:30 on 2007-03-11 in New York is
//    07:30Z, shown as 03:30 EDT.
//
// Beyond the tz files: Debian's zoneinfo files list explicit transitions only up to 2037, and date
// 3.0.1 ignores the POSIX rule string that continues them, so a plain date::time_zone keeps 2037's
// last offset for ever (no summer time after 2037). When a zone's last two transitions fall within
// one year (a zone that still observes daylight time when the table ends), this converter extends
// the table: a local time in a later year Y uses the offsets of the latest year Y' <= the table's
// last year with the same weekday for 1 January and the same leap-ness. Y and Y' have identical
// calendars, so any rule of the form "second Sunday of March" gives the same month/day in both;
// this is the assumption the POSIX rule string makes too (the rules of the table's last year
// continue). Zones whose daylight time ended (e.g. Europe/Moscow since 2014) are left as the table
// says.
class ZoneConverter {
 public:
  explicit ZoneConverter(const date::time_zone& zone);

  // Returns the UTC instant of `local` in this zone, resolved as described above. Never fails.
  std::chrono::sys_seconds ToSys(date::local_seconds local);

  // Returns the local wall-clock time in this zone at instant `utc`. Never fails.
  date::local_seconds ToLocal(std::chrono::sys_seconds utc);

  const date::time_zone& zone() const { return *zone_; }

 private:
  // The zone's offsets at `local`, with the post-2037 extension applied.
  date::local_info LocalInfo(date::local_seconds local, std::chrono::seconds& shift);
  // The year whose table entries stand in for `year`, or `year` itself inside the table.
  date::year StandInYear(date::year year);

  const date::time_zone* zone_;
  bool extend_ = false;           // true when the table's daylight rules must be continued
  date::year last_table_year_{};  // the last year the table covers completely
  std::chrono::sys_seconds extend_from_{};  // first instant needing the extension (1 Jan after it)
  std::chrono::seconds final_offset_{};     // the offset in force at the end of the table

  // The stand-in year computed last (StandInYear is called once per cache miss after 2037).
  date::year memo_year_{0};
  date::year memo_stand_in_{0};

  // One-entry cache of the sys_info used last, valid on [cache_begin_, cache_end_) in UTC. Only
  // instants at least a day away from either end are served from it, so that a cached answer can
  // never be the wrong side of a gap or overlap.
  bool cache_valid_ = false;
  std::chrono::sys_seconds cache_begin_{};
  std::chrono::sys_seconds cache_end_{};
  std::chrono::seconds cache_offset_{};
};

}  // namespace patchcast::calendars
