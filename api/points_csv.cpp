#include "api/points_csv.h"

#include <algorithm>
#include <cstring>

#include "api/point_text.h"
#include "forecasting/series.h"

namespace patchcast::api {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kMaxQuotedHeaderBytes = 64;

std::string_view WithoutCarriageReturn(std::string_view line) {
  return !line.empty() && line.back() == '\r' ? line.substr(0, line.size() - 1) : line;
}

// Reads the header; sets `ts_first`. Returns the error naming line 1, if any.
Status ParseHeader(std::string_view header, bool& ts_first) {
  const std::size_t comma = header.find(',');
  const std::string_view first = header.substr(0, comma);
  const std::string_view second =
      comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
  const std::size_t columns =
      1 + static_cast<std::size_t>(std::count(header.begin(), header.end(), ','));
  if (columns == 2 && first == "ts" && second == "value") {
    ts_first = true;
    return {};
  }
  if (columns == 2 && first == "value" && second == "ts") {
    ts_first = false;
    return {};
  }
  bool has_ts = false;
  bool has_value = false;
  for (std::size_t begin = 0; begin <= header.size();) {
    std::size_t end = header.find(',', begin);
    if (end == std::string_view::npos) end = header.size();
    const std::string_view name = header.substr(begin, end - begin);
    has_ts |= name == "ts";
    has_value |= name == "value";
    begin = end + 1;
  }
  if (has_ts && has_value) {
    return InvalidArgument("line 1: the header has " + std::to_string(columns) +
                           " columns; expected exactly ts and value");
  }
  if (has_ts != has_value) {
    return InvalidArgument(std::string("line 1: the header lacks the column '") +
                           (has_ts ? "value" : "ts") + "'");
  }
  std::string quoted(header.substr(0, kMaxQuotedHeaderBytes));
  if (header.size() > kMaxQuotedHeaderBytes) quoted += "...";
  return InvalidArgument("line 1: the header must be 'ts,value', not '" + quoted + "'");
}

}  // namespace

Result<ParsedPoints> ParsePointsCsv(std::string_view body, const ParseLimits& limits) {
  if (body.starts_with(kByteOrderMark)) body.remove_prefix(kByteOrderMark.size());
  if (body.empty()) return InvalidArgument("empty body");

  const std::size_t header_end = std::min(body.find('\n'), body.size());
  bool ts_first = true;
  if (Status header = ParseHeader(WithoutCarriageReturn(body.substr(0, header_end)), ts_first);
      !header) {
    return header.error();
  }
  const std::string_view rows = header_end < body.size() ? body.substr(header_end + 1) : "";

  // Count the rows first: refuse an oversized body before parsing it, and allocate once.
  std::size_t row_count = static_cast<std::size_t>(std::count(rows.begin(), rows.end(), '\n'));
  if (!rows.empty() && rows.back() != '\n') ++row_count;
  if (row_count > limits.max_points) return TooManyPointsError(limits.max_points);

  ParsedPoints parsed;
  parsed.layout = PointsLayout::kCsv;
  parsed.points.reserve(row_count);
  forecasting::RowErrors errors;
  const char* cursor = rows.data();
  const char* const end = rows.data() + rows.size();
  for (std::size_t row = 0; cursor != end; ++row) {
    const void* newline = std::memchr(cursor, '\n', static_cast<std::size_t>(end - cursor));
    const char* const line_end = newline != nullptr ? static_cast<const char*>(newline) : end;
    const std::string_view line = WithoutCarriageReturn(
        std::string_view(cursor, static_cast<std::size_t>(line_end - cursor)));
    cursor = line_end == end ? end : line_end + 1;

    const auto reject = [&](auto&& describe) {
      errors.Add([&] { return RowName(PointsLayout::kCsv, row) + ": " + describe(); });
    };
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos || line.find(',', comma + 1) != std::string_view::npos) {
      if (line.empty()) {
        reject([] { return std::string("empty line"); });
      } else {
        reject([&] {
          const auto commas = std::count(line.begin(), line.end(), ',');
          return "has " + std::to_string(commas + 1) + " column" + (commas == 0 ? "" : "s") +
                 "; expected 2 (ts,value)";
        });
      }
      continue;
    }
    const std::string_view ts_text = ts_first ? line.substr(0, comma) : line.substr(comma + 1);
    const std::string_view value_text = ts_first ? line.substr(comma + 1) : line.substr(0, comma);
    forecasting::Point point;
    if (const TimestampError ts_error = ParseTimestampText(ts_text, point.ts);
        ts_error != TimestampError::kNone) {
      reject([&] { return DescribeTimestampError(ts_error, ts_text); });
      continue;
    }
    if (const ValueError value_error = ParseValueText(value_text, limits.max_value, point.value);
        value_error != ValueError::kNone) {
      reject([&] { return DescribeValueError(value_error, value_text, limits.max_value); });
      continue;
    }
    parsed.points.push_back(point);
  }
  if (!errors.empty()) return std::move(errors).ToError(ErrorCode::kInvalidArgument);
  return parsed;
}

}  // namespace patchcast::api
