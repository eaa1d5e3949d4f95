// Reading an upload body of media type application/json into points (issue 4). Pure function;
// thread-safe.
#pragma once

#include <string_view>

#include "api/parsed_points.h"
#include "core/result.h"

namespace patchcast::api {

// Parses `body`, one JSON object in one of three shapes:
//   {"points": [["2026-11-01T00:00:00Z", 1234], ...]}              (layout kJsonPoints)
//   {"points": [{"ts": "2026-11-01T00:00:00Z", "value": 1234}, ...]}  (kJsonPoints; the two
//                                                                   element forms may be mixed)
//   {"timestamps": [...], "values": [...]}                         (kJsonColumns, either order)
// Timestamps are RFC 3339 strings (ParseRfc3339) or integer Unix seconds (JSON integers; 1.5 and
// 1e9 are refused, as are integers beyond int64). Values are JSON numbers, checked as the CSV
// parser checks them (ParseValueText: finite, not negative, at most limits.max_value; -0 is 0).
// An empty "points" array gives zero points. A UTF-8 byte order mark is skipped.
//
// Streams the body through nlohmann::json's SAX interface straight into the points vector: no
// document tree, no allocation per point (the vector grows geometrically: at most ~3x its final
// size in flight while it reallocates).
//
// Errors, all kInvalidArgument:
//  - "empty body";
//  - "request body is not valid JSON: syntax error at byte 57" (byte offset as nlohmann counts it);
//  - a number beyond a double (1e999) stops nlohmann's parser: it is reported as a bad row
//    ("points[3]: value 1e999 is not a finite number") with the bad rows before it, rows after it
//    unread; where no row can be named, "request body has a number beyond the range of a double
//    at byte 40";
//  - the shape: "request body must be a JSON object with 'points', or 'timestamps' and 'values'";
//    "unknown field 'point' in the request body; expected 'points', or 'timestamps' and 'values'";
//    "field 'points' must be an array, not string"; "field 'points' appears twice";
//    "'points' cannot be combined with 'timestamps' or 'values'"; "'timestamps' is given without
//    'values'"; "'timestamps' has 3 elements but 'values' has 2";
//  - TooManyPointsError(limits.max_points) as soon as the points exceed it (handler: 413);
//  - bad rows: "3 rows are invalid; the first are listed in details", details naming the first 20
//    in body order: "points[17]: value -3 is negative", "points[2]: timestamp
//    '2026-02-30T00:00:00Z' is not a valid date", "points[4]: value must be a number, not string",
//    "points[5]: expected [ts, value] or {\"ts\": ..., \"value\": ...}, not number",
//    "points[6]: has 3 elements; expected [ts, value]", "points[7]: lacks 'value'",
//    "points[8]: unknown member 'val'; expected 'ts' and 'value'", "values[3]: value 1e999 is not
//    a finite number", "timestamps[0]: timestamp 1.5 is not whole Unix seconds; ...".
// Grid, duplicate and time-window checks are forecasting::ValidatePoints' job.
Result<ParsedPoints> ParsePointsJson(std::string_view body, const ParseLimits& limits = {});

}  // namespace patchcast::api
