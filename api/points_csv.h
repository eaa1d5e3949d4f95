// Reading an upload body of media type text/csv into points (issue 4). Pure function; thread-safe.
#pragma once

#include <string_view>

#include "api/parsed_points.h"
#include "core/result.h"

namespace patchcast::api {

// Parses `body`: a header naming the columns "ts" and "value" (in either order, nothing else), then
// one row per line. Lines end with LF or CRLF; the last line end is optional; a UTF-8 byte order
// mark before the header is skipped. No quoting, no blank lines, no blanks around fields.
// Timestamps are RFC 3339 or integer Unix seconds (ParseTimestampText), values decimal numbers
// (ParseValueText). A header and no rows gives zero points.
//
// The work is one pass over the body plus a memchr count of its lines, with a single allocation:
// the points vector, reserved to the exact row count.
//
// Errors, all kInvalidArgument:
//  - "empty body" (nothing, or only a byte order mark);
//  - the header: "line 1: the header must be 'ts,value', not 'time,count'"; "line 1: the header
//    lacks the column 'value'"; "line 1: the header has 3 columns; expected exactly ts and value";
//  - TooManyPointsError(limits.max_points) when there are more rows than that (checked before
//    parsing any; the handler maps it to 413, see IsTooManyPoints);
//  - bad rows: "3 rows are invalid; the first are listed in details", with details naming the
//    first 20 such rows in order and the first reason for each: "row 17 (line 18): timestamp
//    '2026-02-30T00:00:00Z' is not a valid date", "row 2 (line 3): value -3 is negative",
//    "row 5 (line 6): has 1 column; expected 2 (ts,value)", "row 9 (line 10): has 10000
//    columns; expected 2 (ts,value)", "row 4 (line 5): empty line".
// Grid, duplicate and time-window checks are forecasting::ValidatePoints' job.
Result<ParsedPoints> ParsePointsCsv(std::string_view body, const ParseLimits& limits = {});

}  // namespace patchcast::api
