// ParsedPoints: the points of one upload body, as the CSV and JSON parsers return them, with what
// is needed to name a point the way the body's author wrote it; and the limits the parsers apply.
//
// Memory: 16 bytes a point and nothing else per point. Row names are computed from the index (a
// CSV body has no blank lines or comments, so data row r is always line r + 1), never stored.
// Value type; thread-compatible.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/result.h"
#include "forecasting/series.h"

namespace patchcast::api {

struct ParseLimits {
  // Bodies with more points are refused whole with TooManyPointsError. Default 5,000,000.
  std::size_t max_points = forecasting::kMaxPointsPerRequest;
  // Values above this are invalid rows. Default 1e15.
  double max_value = forecasting::kMaxPointValue;
};

// Where the points came from, which decides how rows are named in errors.
enum class PointsLayout {
  kCsv,          // "row 17 (line 18)": data rows count from 1, the header is line 1
  kJsonPoints,   // "points[16]": {"points":[[ts, value], ...]} or [{"ts":..,"value":..}, ...]
  kJsonColumns,  // "timestamps[16]": {"timestamps":[...],"values":[...]}
};

struct ParsedPoints {
  std::vector<forecasting::Point> points;  // in body order; not yet checked against a grid
  PointsLayout layout = PointsLayout::kCsv;

  // Names point `index` (0-based) as above; pass it to ValidatePoints as its row_name:
  //   options.row_name = [&parsed](std::size_t i) { return parsed.RowName(i); };
  std::string RowName(std::size_t index) const;
};

// Names row `index` of a body of `layout` (see PointsLayout); the parsers use it for their own
// errors, so that they and ValidatePoints name rows alike.
std::string RowName(PointsLayout layout, std::size_t index);

// The error for a body of more than `max_points` points: kInvalidArgument with the message
// "more than 5000000 points in one request; split the upload" and no details.
//
// The upload handler must answer it with 413 Payload Too Large, not the 400 its code maps to:
// ErrorCode has no "too large" member (see core/result.h), so the error is recognised by
// IsTooManyPoints, which checks exactly what this function writes. Both live here so they cannot
// drift apart.
Error TooManyPointsError(std::size_t max_points);

// True when `error` was made by TooManyPointsError.
bool IsTooManyPoints(const Error& error);

}  // namespace patchcast::api
