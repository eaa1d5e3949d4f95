#include "api/parsed_points.h"

#include <string_view>

namespace patchcast::api {
namespace {

constexpr std::string_view kTooManyPrefix = "more than ";
constexpr std::string_view kTooManySuffix = " points in one request; split the upload";

}  // namespace

std::string RowName(PointsLayout layout, std::size_t index) {
  switch (layout) {
    case PointsLayout::kCsv:
      return "row " + std::to_string(index + 1) + " (line " + std::to_string(index + 2) + ")";
    case PointsLayout::kJsonPoints:
      return "points[" + std::to_string(index) + "]";
    case PointsLayout::kJsonColumns:
      return "timestamps[" + std::to_string(index) + "]";
  }
  return "point " + std::to_string(index);
}

std::string ParsedPoints::RowName(std::size_t index) const { return api::RowName(layout, index); }

Error TooManyPointsError(std::size_t max_points) {
  std::string message(kTooManyPrefix);
  message += std::to_string(max_points);
  message += kTooManySuffix;
  return InvalidArgument(std::move(message));
}

bool IsTooManyPoints(const Error& error) {
  const std::string_view message = error.message;
  if (error.code != ErrorCode::kInvalidArgument || !error.details.empty() ||
      !message.starts_with(kTooManyPrefix) || !message.ends_with(kTooManySuffix)) {
    return false;
  }
  const std::string_view number = message.substr(
      kTooManyPrefix.size(), message.size() - kTooManyPrefix.size() - kTooManySuffix.size());
  return !number.empty() && number.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace patchcast::api
