// MsrcHistory: Microsoft's real security-release history, 2003-01 to 2026-08, from
// calendars/data/msrc_release_calendar_2003_2026.csv (provenance in calendars/data/README.md).
//
// The CSV is compiled into the library at build time (embed_text.cmake) and parsed once, on first
// use. ParseMsrcHistory takes the text, so it is pure and tests can feed it small tables.
// All functions are thread-safe.
#pragma once

#include <date/date.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::calendars {

// The CSV's `kind` column (data README, section 1).
enum class HistoryKind {
  kPatchTuesday,   // the month's scheduled release (2003-10 .. 2026-08)
  kNoRelease,      // a second Tuesday without a scheduled release
  kOutOfBand,      // a release outside the monthly cycle
  kAdvanceNotice,  // an Advance Notification Service date
  kPreSchedule,    // a 2003 release day before the monthly cycle began
};

// "patch_tuesday", "no_release", "out_of_band", "advance_notice", "pre_schedule".
std::string_view ToString(HistoryKind kind);

struct HistoryRow {
  date::year_month_day date;  // US Pacific calendar date
  HistoryKind kind = HistoryKind::kPatchTuesday;
  std::string ids;  // the `id` column: ';'-separated MS bulletins, KB numbers, or a CVRF name
  std::string note;
  std::string source;
  int line = 0;  // 1-based line of the row in the CSV (the header is line 1)
};

struct MsrcHistory {
  std::vector<HistoryRow> rows;  // sorted by date; rows of one date keep their file order
  date::year_month first_month;  // the month of the earliest row
  date::year_month last_month;   // the month of the latest row
};

// Parses the CSV: header exactly "date,kind,id,note,source", then one row per line, RFC 4180
// quoting (a quoted field may hold commas; "" is a quote), LF or CRLF line ends, blank lines
// ignored. Errors (kInvalidArgument) name the line: "line 1: header must be
// 'date,kind,id,note,source'", "line 7: expected 5 fields, found 4", "line 3: '2003-02-30' is not a
// valid date", "line 25: unknown kind 'foo'", "line 9: unterminated quoted field", "the history has
// no rows".
Result<MsrcHistory> ParseMsrcHistory(std::string_view csv);

// The CSV text compiled into the library.
std::string_view EmbeddedMsrcHistoryCsv();

// The compiled-in history, parsed on first use. An error here (kInternal) means the embedded file
// is broken: a build defect, which the calendar tests catch.
const Result<MsrcHistory>& EmbeddedMsrcHistory();

// The number of security bulletins in an `ids` value, when every ';'-separated id has the form
// "MSyy-nnn" (bulletins existed until March 2017); nullopt for KB numbers, CVRF names or "".
std::optional<int> CountBulletins(std::string_view ids);

}  // namespace patchcast::calendars
