// Series: a named telemetry series (login counts per step) and the rules its metadata and its
// points must follow before anything is stored (issue 4).
//
// A series is named by a path-safe id, has a fixed step (the grid its timestamps sit on: a multiple
// of `step_seconds` since 1970-01-01T00:00:00Z), a unit, a description and the mix of time zones
// its users live in. Its points are counts per step: finite, non-negative, at most kMaxPointValue.
//
// Pure domain code: value types and pure functions, no clock (callers pass the latest acceptable
// instant), no I/O. All functions are thread-safe; the types are thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::forecasting {

// The largest value a point may have (issue 4: "value over 1e15" is rejected). Every count up to it
// is exactly representable as a double (2^53 > 9e15).
inline constexpr double kMaxPointValue = 1e15;

// The most points one upload may carry (issue 4: more is refused with 413).
inline constexpr std::size_t kMaxPointsPerRequest = 5'000'000;

// The most details an error lists (issue 4: "the first 20" offending rows).
inline constexpr std::size_t kMaxErrorDetails = 20;

// The latest instant the text forms of a timestamp can express: 9999-12-31T23:59:59Z.
inline constexpr std::chrono::sys_seconds kLatestTimestamp{std::chrono::seconds{253402300799}};

// One share of a series' users: those in `timezone` (an IANA name) make up `share` of them.
struct ZoneShare {
  std::string timezone;
  double share = 0;

  friend bool operator==(const ZoneShare&, const ZoneShare&) = default;
};

// What the service knows about a series besides its points.
struct SeriesMetadata {
  std::string id;                        // see ValidateSeriesId
  std::chrono::seconds step_seconds{0};  // the grid; 0 = not known yet (set by the first upload)
  std::string unit;                      // free text, e.g. "logins"; may be empty
  std::string description;               // free text; may be empty
  std::vector<ZoneShare> zone_mix;       // empty = not given

  friend bool operator==(const SeriesMetadata&, const SeriesMetadata&) = default;
};

// One observation: `value` counts in the step starting at `ts`. 16 bytes; an upload of 5 million
// points is 80 MB, so nothing else is kept per point.
struct Point {
  std::chrono::sys_seconds ts;
  double value = 0;

  friend bool operator==(const Point&, const Point&) = default;
};
static_assert(sizeof(Point) == 16);

// Returns success when `id` is 1..128 characters of [A-Za-z0-9._-] and is neither "." nor ".."
// (both match the pattern but are not safe as a path segment). Errors (kInvalidArgument):
// "series id must not be empty"; "series id is 129 characters long; at most 128 are allowed";
// "series id 'a/b' has '/' at position 1; only A-Z a-z 0-9 . _ - are allowed" (position 0-based);
// "series id '..' is reserved".
Status ValidateSeriesId(std::string_view id);

// Returns success when `step` is a whole number of seconds from 1 s to 1 day that divides a day
// (60, 300, 900, 3600, ...), so that the grid lines up with every UTC midnight. Errors
// (kInvalidArgument): "step_seconds must be between 1 and 86400, not 0"; "step_seconds must divide
// a day (86400 s) evenly, e.g. 60, 300, 900, 3600; 7 does not".
Status ValidateStep(std::chrono::seconds step);

// Returns success when every zone of `mix` is in the tz database (calendars::LocateZone), appears
// once, has a share in (0, 1], and the shares sum to 1 within 1e-6. An empty mix is valid (not
// given). Errors (kInvalidArgument), naming the entry by its 0-based index:
// "zone_mix[2]: time zone 'Mars/Olympus' is not in the tz database"; "zone_mix[1]: time zone must
// not be empty"; "zone_mix[3]: time zone 'Europe/Berlin' appears twice (also zone_mix[0])";
// "zone_mix[0]: share must be greater than 0 and at most 1, not 1.5" (NaN included);
// "zone_mix shares sum to 0.9, not 1"; "zone_mix has 101 entries; at most 100 are allowed".
Status ValidateZoneMix(std::span<const ZoneShare> mix);

// Returns success when the id, the step (unless 0, "not known yet"), the zone mix, the unit (at
// most 64 bytes) and the description (at most 4096 bytes) are valid. Errors (kInvalidArgument) are
// those of the checks above, or "unit is 65 bytes long; at most 64 are allowed" and the like.
Status ValidateSeriesMetadata(const SeriesMetadata& metadata);

// True when `value` may be a point's value: 0 <= value <= max_value (so NaN and infinities fail).
// The allocation-free test for hot loops; CheckPointValue says why a value fails.
constexpr bool IsValidPointValue(double value, double max_value = kMaxPointValue) {
  return value >= 0 && value <= max_value;
}

// Returns success when `value` may be a point's value: finite, not negative (-0 is allowed: it is
// 0), at most `max_value`. Errors (kInvalidArgument) name the value as `written` in the input when
// given (cut to 64 bytes), else in its shortest round-trip form: "value -3 is negative"; "value nan
// is not a finite number"; "value inf is not a finite number"; "value 2e+15 is over the limit of
// 1e+15" (written "2000000000000000": "value 2000000000000000 is over the limit of 1e+15").
Status CheckPointValue(double value, double max_value = kMaxPointValue,
                       std::string_view written = {});

// Returns "-3", "1234.5", "2e+15", "nan": the shortest text that reads back as `value`.
std::string FormatPointValue(double value);

// Names point `index` (0-based, in upload order) the way the upload's author knows it, e.g.
// "row 17 (line 18)" for a CSV body or "points[16]" for JSON. Called only to write error details.
using RowNamer = std::function<std::string(std::size_t index)>;

struct PointValidationOptions {
  // When true, each timestamp is floored to the step grid instead of being rejected when off it;
  // duplicates are then checked after flooring. Default false (?align=floor turns it on).
  bool align_floor = false;
  // Timestamps before this are rejected. Default 1970-01-01T00:00:00Z.
  std::chrono::sys_seconds not_before{};
  // Timestamps after this are rejected. Callers pass now + the configured future allowance (a day
  // by default, issue 4); the default, kLatestTimestamp, rejects nothing a parser can produce.
  std::chrono::sys_seconds not_after = kLatestTimestamp;
  // Values above this are rejected. Default kMaxPointValue (1e15).
  double max_value = kMaxPointValue;
  // Names rows in error details. Default (empty): "points[i]".
  RowNamer row_name;
};

// Checks the points of one upload against the series' grid, in full, so that the upload can be
// stored atomically: all points or none. `step` must be valid (ValidateStep); if it is not, returns
// ValidateStep's error.
//
// On success every timestamp is on the grid (floored to it when options.align_floor), no two points
// share a timestamp, and `points` is sorted by ts ascending (it is left as is when already sorted,
// the usual case, and sorted in place otherwise). An empty upload is valid.
//
// Errors (kUnprocessable, "3 rows are invalid; the first are listed in details", or "1 row is
// invalid; ..."): `details` lists the first kMaxErrorDetails offending rows in upload order, one
// reason each (the first found for the row), e.g.
//   "row 17 (line 18): timestamp 2026-11-01T00:00:30Z is not on the 60 s grid"
//   "points[4]: timestamp 2026-11-01T00:01:00Z duplicates points[1]"
//   "points[4]: timestamp 2026-11-01T00:01:00Z (floored to the 60 s grid) duplicates points[1]"
//   "points[0]: timestamp 1969-12-31T23:59:00Z is before 1970-01-01T00:00:00Z"
//   "points[9]: timestamp 2026-11-03T00:00:00Z is after 2026-11-02T12:00:00Z, the latest accepted"
//   "points[2]: value -3 is negative" (see CheckPointValue)
// The first of a set of duplicates is not an offending row; every later one is. On error the
// order of `points` is unchanged but, with align_floor, timestamps may already be floored.
// Extra memory: none when the points arrive sorted; 4 bytes a point otherwise.
Status ValidatePoints(std::span<Point> points, std::chrono::seconds step,
                      const PointValidationOptions& options);

// Infers a series' step from its first upload: the greatest common divisor of the gaps between
// distinct timestamps, so missing points do not matter (gaps of 60 s and 180 s give 60 s). `points`
// need not be sorted (the GCD of the differences from the first timestamp is the GCD of all
// gaps); no extra memory. Errors (kInvalidArgument): "cannot infer step_seconds from a single
// timestamp; give step_seconds" (fewer than two distinct timestamps, the empty upload included);
// "the timestamps' spacing suggests a step of 7 s, which does not divide a day; give step_seconds"
// (the inferred step fails ValidateStep). Callers then run ValidatePoints with the step, which
// also rejects timestamps that are evenly spaced but off the grid (00:00:30, 00:01:30, ...).
Result<std::chrono::seconds> InferStep(std::span<const Point> points);

// Collects the offending rows of one upload: counts every one, keeps the details of the first
// kMaxErrorDetails. Shared by the parsers and ValidatePoints so that all of them report alike.
class RowErrors {
 public:
  // Records one more offending row. `make_detail()` returns its std::string detail and is called
  // only while fewer than kMaxErrorDetails are kept, so rows past the cap cost no allocation.
  template <typename MakeDetail>
  void Add(MakeDetail&& make_detail) {
    if (details_.size() < kMaxErrorDetails) details_.push_back(make_detail());
    ++count_;
  }
  std::size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }

  // Returns Error{code, "3 rows are invalid; the first are listed in details", details} ("1 row is
  // invalid; it is listed in details" for one). Precondition: !empty().
  Error ToError(ErrorCode code) &&;

 private:
  std::vector<std::string> details_;
  std::size_t count_ = 0;
};

}  // namespace patchcast::forecasting
