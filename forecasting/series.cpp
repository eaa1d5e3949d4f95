#include "forecasting/series.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <optional>
#include <system_error>

#include "calendars/time_text.h"
#include "calendars/zone.h"

namespace patchcast::forecasting {
namespace {

constexpr std::size_t kMaxSeriesIdLength = 128;
constexpr std::size_t kMaxUnitBytes = 64;
constexpr std::size_t kMaxDescriptionBytes = 4096;
constexpr std::size_t kMaxZones = 100;
constexpr double kShareTolerance = 1e-6;
constexpr std::chrono::seconds kDay{86400};

// Built by appending: g++ 12 at -O3 reports a false -Wrestrict on "'" + std::string(...).
std::string Quoted(std::string_view text) {
  std::string quoted;
  quoted.reserve(text.size() + 2);
  quoted.append(1, '\'').append(text).append(1, '\'');
  return quoted;
}

// A share or a sum of shares to 7 significant digits: 0.9, not 0.8999999999999999.
std::string FormatShare(double share) {
  char buffer[32];
  const std::to_chars_result written =
      std::to_chars(buffer, buffer + sizeof buffer, share, std::chars_format::general, 7);
  return std::string(buffer, written.ptr);
}

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

Error InvalidRowsError(ErrorCode code, std::size_t count, std::vector<std::string> details) {
  std::string message = std::to_string(count);
  message += count == 1 ? " row is invalid; it is listed in details"
                        : " rows are invalid; the first are listed in details";
  return Error(code, std::move(message), std::move(details));
}

// What is wrong with one row, found by ValidatePoints; formatted only for the listed rows.
enum class Problem { kBeforeRange, kAfterRange, kOffGrid, kValue, kDuplicate };

struct RowProblem {
  std::size_t index;
  Problem problem;
  std::size_t first_index;  // kDuplicate: the row it duplicates
};

// floor(a / b) for b > 0, also for negative a (C++ division truncates toward zero).
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t quotient = a / b;
  return (a % b != 0 && a < 0) ? quotient - 1 : quotient;
}

std::optional<Problem> FindProblem(const Point& point, std::int64_t step,
                                   const PointValidationOptions& options) {
  if (point.ts < options.not_before) return Problem::kBeforeRange;
  if (point.ts > options.not_after) return Problem::kAfterRange;
  if (point.ts.time_since_epoch().count() % step != 0) return Problem::kOffGrid;
  if (!IsValidPointValue(point.value, options.max_value)) return Problem::kValue;
  return std::nullopt;
}

std::string Describe(const RowProblem& row, std::span<const Point> points,
                     std::chrono::seconds step, const PointValidationOptions& options) {
  const auto name = [&](std::size_t index) {
    return options.row_name ? options.row_name(index) : "points[" + std::to_string(index) + "]";
  };
  const Point& point = points[row.index];
  std::string text = name(row.index) + ": ";
  if (row.problem == Problem::kValue) {
    return text + CheckPointValue(point.value, options.max_value).error().message;
  }
  text += "timestamp " + calendars::FormatUtcDateTime(point.ts);
  const std::string grid = std::to_string(step.count()) + " s grid";
  switch (row.problem) {
    case Problem::kBeforeRange:
      return text + " is before " + calendars::FormatUtcDateTime(options.not_before);
    case Problem::kAfterRange:
      return text + " is after " + calendars::FormatUtcDateTime(options.not_after) +
             ", the latest accepted";
    case Problem::kOffGrid:
      return text + " is not on the " + grid;
    case Problem::kDuplicate:
      if (options.align_floor) text += " (floored to the " + grid + ")";
      return text + " duplicates " + name(row.first_index);
    case Problem::kValue:
      break;
  }
  return text;
}

// Finds the rows whose timestamp an earlier row already has. Keeps the kMaxErrorDetails lowest
// such rows in `listed` (sorted by index) and counts those not already in `failed`.
std::size_t FindDuplicates(std::span<const Point> points, const std::vector<bool>& failed,
                           std::vector<RowProblem>& listed) {
  // Indices fit 32 bits: uploads are capped at kMaxPointsPerRequest.
  std::vector<std::uint32_t> order(points.size());
  std::iota(order.begin(), order.end(), std::uint32_t{0});
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return points[a].ts != points[b].ts ? points[a].ts < points[b].ts : a < b;
  });
  // A max-heap by index of the lowest duplicate rows seen so far.
  const auto by_index = [](const RowProblem& a, const RowProblem& b) { return a.index < b.index; };
  std::size_t count = 0;
  std::size_t group_first = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k == 0 || points[order[k]].ts != points[order[k - 1]].ts) {
      group_first = order[k];  // the lowest index with this timestamp
      continue;
    }
    const std::size_t index = order[k];
    if (!failed.empty() && failed[index]) continue;
    ++count;
    if (listed.size() < kMaxErrorDetails || index < listed.front().index) {
      listed.push_back({index, Problem::kDuplicate, group_first});
      std::push_heap(listed.begin(), listed.end(), by_index);
      if (listed.size() > kMaxErrorDetails) {
        std::pop_heap(listed.begin(), listed.end(), by_index);
        listed.pop_back();
      }
    }
  }
  std::sort_heap(listed.begin(), listed.end(), by_index);
  return count;
}

}  // namespace

Status ValidateSeriesId(std::string_view id) {
  if (id.empty()) return InvalidArgument("series id must not be empty");
  if (id.size() > kMaxSeriesIdLength) {
    return InvalidArgument("series id is " + std::to_string(id.size()) +
                           " characters long; at most 128 are allowed");
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (!IsIdChar(id[i])) {
      return InvalidArgument("series id " + Quoted(id) + " has " + Quoted(id.substr(i, 1)) +
                             " at position " + std::to_string(i) +
                             "; only A-Z a-z 0-9 . _ - are allowed");
    }
  }
  if (id == "." || id == "..") return InvalidArgument("series id " + Quoted(id) + " is reserved");
  return {};
}

Status ValidateStep(std::chrono::seconds step) {
  if (step < std::chrono::seconds{1} || step > kDay) {
    return InvalidArgument("step_seconds must be between 1 and 86400, not " +
                           std::to_string(step.count()));
  }
  if (kDay % step != std::chrono::seconds{0}) {
    return InvalidArgument(
        "step_seconds must divide a day (86400 s) evenly, e.g. 60, 300, 900, 3600; " +
        std::to_string(step.count()) + " does not");
  }
  return {};
}

Status ValidateZoneMix(std::span<const ZoneShare> mix) {
  if (mix.size() > kMaxZones) {
    return InvalidArgument("zone_mix has " + std::to_string(mix.size()) +
                           " entries; at most 100 are allowed");
  }
  double sum = 0;
  for (std::size_t i = 0; i < mix.size(); ++i) {
    const std::string entry = "zone_mix[" + std::to_string(i) + "]: ";
    const ZoneShare& zone = mix[i];
    if (zone.timezone.empty()) return InvalidArgument(entry + "time zone must not be empty");
    if (Result<const date::time_zone*> found = calendars::LocateZone(zone.timezone); !found) {
      // Unknown zone in a request is bad input (400), not a missing resource (404).
      return InvalidArgument(entry + found.error().message);
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (mix[j].timezone == zone.timezone) {
        return InvalidArgument(entry + "time zone " + Quoted(zone.timezone) +
                               " appears twice (also zone_mix[" + std::to_string(j) + "])");
      }
    }
    if (!(zone.share > 0 && zone.share <= 1)) {
      return InvalidArgument(entry + "share must be greater than 0 and at most 1, not " +
                             FormatShare(zone.share));
    }
    sum += zone.share;
  }
  if (!mix.empty() && std::abs(sum - 1) > kShareTolerance) {
    return InvalidArgument("zone_mix shares sum to " + FormatShare(sum) + ", not 1");
  }
  return {};
}

Status ValidateSeriesMetadata(const SeriesMetadata& metadata) {
  if (Status id = ValidateSeriesId(metadata.id); !id) return id;
  if (metadata.step_seconds != std::chrono::seconds{0}) {
    if (Status step = ValidateStep(metadata.step_seconds); !step) return step;
  }
  if (metadata.unit.size() > kMaxUnitBytes) {
    return InvalidArgument("unit is " + std::to_string(metadata.unit.size()) +
                           " bytes long; at most 64 are allowed");
  }
  if (metadata.description.size() > kMaxDescriptionBytes) {
    return InvalidArgument("description is " + std::to_string(metadata.description.size()) +
                           " bytes long; at most 4096 are allowed");
  }
  return ValidateZoneMix(metadata.zone_mix);
}

std::string FormatPointValue(double value) {
  char buffer[32];  // the shortest round-trip form of a double is at most 24 characters
  const std::to_chars_result written = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, written.ptr);
}

Status CheckPointValue(double value, double max_value, std::string_view written) {
  const auto named = [&] {
    constexpr std::size_t kMaxWrittenBytes = 64;
    if (written.empty()) return "value " + FormatPointValue(value);
    std::string text = "value ";
    text.append(written.substr(0, kMaxWrittenBytes));
    if (written.size() > kMaxWrittenBytes) text += "...";
    return text;
  };
  if (!std::isfinite(value)) return InvalidArgument(named() + " is not a finite number");
  if (value < 0) return InvalidArgument(named() + " is negative");
  if (value > max_value) {
    return InvalidArgument(named() + " is over the limit of " + FormatPointValue(max_value));
  }
  return {};
}

Status ValidatePoints(std::span<Point> points, std::chrono::seconds step,
                      const PointValidationOptions& options) {
  if (Status valid_step = ValidateStep(step); !valid_step) return valid_step;
  const std::int64_t step_count = step.count();
  std::vector<RowProblem> listed;  // the first rows with a problem of their own, in row order
  std::vector<bool> failed;        // allocated on the first problem
  std::size_t count = 0;
  bool strictly_increasing = true;
  for (std::size_t i = 0; i < points.size(); ++i) {
    Point& point = points[i];
    if (options.align_floor) {
      const std::int64_t seconds = point.ts.time_since_epoch().count();
      point.ts = std::chrono::sys_seconds{
          std::chrono::seconds{FloorDiv(seconds, step_count) * step_count}};
    }
    if (i > 0 && !(points[i - 1].ts < point.ts)) strictly_increasing = false;
    if (const std::optional<Problem> problem = FindProblem(point, step_count, options)) {
      if (failed.empty()) failed.resize(points.size());
      failed[i] = true;
      ++count;
      if (listed.size() < kMaxErrorDetails) listed.push_back({i, *problem, 0});
    }
  }
  if (!strictly_increasing) {
    std::vector<RowProblem> duplicates;
    count += FindDuplicates(points, failed, duplicates);
    listed.insert(listed.end(), duplicates.begin(), duplicates.end());
    std::sort(listed.begin(), listed.end(),
              [](const RowProblem& a, const RowProblem& b) { return a.index < b.index; });
    if (listed.size() > kMaxErrorDetails) listed.resize(kMaxErrorDetails);
  }
  if (count > 0) {
    std::vector<std::string> details;
    details.reserve(listed.size());
    for (const RowProblem& row : listed) details.push_back(Describe(row, points, step, options));
    return InvalidRowsError(ErrorCode::kUnprocessable, count, std::move(details));
  }
  if (!strictly_increasing) {
    // No duplicates, so the order by ts alone is total.
    std::sort(points.begin(), points.end(),
              [](const Point& a, const Point& b) { return a.ts < b.ts; });
  }
  return {};
}

Result<std::chrono::seconds> InferStep(std::span<const Point> points) {
  // Timestamps are within ±2^63 s of each other only if they are sane; uploads come from parsers
  // that bound them to 1970..9999, so differences fit easily.
  std::int64_t gcd = 0;
  for (const Point& point : points) {
    const std::int64_t gap = (point.ts - points.front().ts).count();
    gcd = std::gcd(gcd, gap < 0 ? -gap : gap);
  }
  if (gcd == 0) {
    return InvalidArgument("cannot infer step_seconds from a single timestamp; give step_seconds");
  }
  const std::chrono::seconds step{gcd};
  if (!ValidateStep(step)) {
    return InvalidArgument("the timestamps' spacing suggests a step of " + std::to_string(gcd) +
                           " s, which does not divide a day; give step_seconds");
  }
  return step;
}

Error RowErrors::ToError(ErrorCode code) && {
  return InvalidRowsError(code, count_, std::move(details_));
}

}  // namespace patchcast::forecasting
