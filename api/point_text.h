// The text forms of a telemetry point's timestamp and value (issue 4), shared by the CSV and JSON
// upload parsers so that both accept exactly the same things and give the same reasons.
//
// The parsers call these once per point, so each check comes in two parts: a noexcept function
// that returns a one-byte reason code and never allocates, and a Describe* function that writes the
// message, called only for the (at most 20) rows an error lists. Pure functions; thread-safe.
//
// Why not calendars::ParseUtcDateTime: it builds its error text (two heap strings) before it knows
// whether the input is valid, which makes it ~5x slower on the happy path (bench/
// ingest_parse_bench prints both), and it has no reasons for leap seconds, sub-second fractions or
// the 1970..9999 range that uploads need.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace patchcast::api {

// Why a timestamp was refused. Messages quote the input (cut to 64 bytes), e.g. for kDate:
// "timestamp '2026-02-30T00:00:00Z' is not a valid date".
enum class TimestampError : std::uint8_t {
  kNone = 0,
  kNotRfc3339,    // "timestamp 'x' is not an RFC 3339 date-time like 2026-11-01T00:00:00Z"
  kNotTimestamp,  // "timestamp 'x' is neither an RFC 3339 date-time like 2026-11-01T00:00:00Z
                  // nor integer Unix seconds"
  kNotInteger,    // a JSON number with a fraction or exponent: "timestamp 1.5 is not whole Unix
                  // seconds; give an integer or an RFC 3339 string"
  kDate,          // "... is not a valid date" (2026-02-30, month 13)
  kTimeOfDay,     // "... is not a valid time of day" (24:00:00, 12:60:00)
  kLeapSecond,    // "timestamp '2016-12-31T23:59:60Z': leap seconds are not supported"
  kSubSecond,     // "timestamp '...00.5Z': sub-second timestamps are not supported"
  kOffset,        // "timestamp '...+24:00' has an invalid UTC offset"
  kBefore1970,    // "timestamp '...' is before 1970-01-01T00:00:00Z"
  kAfter9999,     // "timestamp '...' is after 9999-12-31T23:59:59Z"
};

// Parses an RFC 3339 section 5.6 date-time with whole seconds: "2026-11-01T00:00:00Z",
// "2026-11-01T01:00:00+01:00", "2026-11-01t00:00:00z" (the RFC allows lower case), and zero
// fractions ("...00.000Z"). Sets `out` and returns kNone, or returns the first reason found, in
// this order: kNotRfc3339 (shape; a year of more than four digits is kAfter9999), kDate,
// kTimeOfDay, kLeapSecond (second 60), kOffset (hours > 23 or minutes > 59), kSubSecond (a non-zero
// fraction), kBefore1970 / kAfter9999 (the instant, offset applied, outside 1970-01-01T00:00:00Z ..
// 9999-12-31T23:59:59Z). `out` is unchanged on error.
TimestampError ParseRfc3339(std::string_view text, std::chrono::sys_seconds& out) noexcept;

// Parses a timestamp as CSV carries it: RFC 3339 as above, or integer Unix seconds ("1793491200",
// an optional leading '-', no '+', no blanks). Integers go through UnixSecondsToTime; anything
// else that is not RFC 3339 is kNotTimestamp.
TimestampError ParseTimestampText(std::string_view text, std::chrono::sys_seconds& out) noexcept;

// Converts integer Unix seconds, returning kBefore1970 for negative values and kAfter9999 past
// 9999-12-31T23:59:59Z (253402300799).
TimestampError UnixSecondsToTime(std::int64_t seconds, std::chrono::sys_seconds& out) noexcept;

// Returns the message for `error` (not kNone) about the timestamp written `text`. `quote` is false
// when `text` is a JSON number rather than a string, so that it is not quoted.
std::string DescribeTimestampError(TimestampError error, std::string_view text, bool quote = true);

// ParseRfc3339 with its message: Result for callers off the hot path. Errors are kInvalidArgument.
Result<std::chrono::sys_seconds> ParseRfc3339Seconds(std::string_view text);

// Why a value was refused. kRule means the number parsed but breaks the domain's rule
// (forecasting::CheckPointValue: NaN/inf, negative, over the limit) and takes its message.
enum class ValueError : std::uint8_t {
  kNone = 0,
  kEmpty,       // "value is empty"
  kNotANumber,  // "value '12abc' is not a number" (also "+5", " 5", "0x10", "1,5")
  kOverflow,    // "value 1e999 is not a finite number" (beyond the range of a double)
  kUnderflow,   // "value 1e-999 is too close to 0 to be represented"
  kRule,        // forecasting::CheckPointValue's message: "value -3 is negative"
};

// Parses a decimal value with std::from_chars (integers, fractions, exponents; "nan" and "inf"
// parse, then fail the rule) and checks it with forecasting::IsValidPointValue. Sets `out` (with
// -0 read as 0) and returns kNone, or returns the reason; `out` is unspecified on error.
ValueError ParseValueText(std::string_view text, double max_value, double& out) noexcept;

// Returns the message for `error` (not kNone) about the value written `text`.
std::string DescribeValueError(ValueError error, std::string_view text, double max_value);

}  // namespace patchcast::api
