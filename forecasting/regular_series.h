// RegularSeries: values on a fixed step grid, the form in which storage hands history to the
// models.
//
// Value i is the count for the step starting at start + i * step. A gap (no data) is NaN; stored
// values are always finite and non-negative, so NaN is unambiguous. `start` is a multiple of `step`
// since the Unix epoch. Value type; thread-compatible.
#pragma once

#include <chrono>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace patchcast::forecasting {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct RegularSeries {
  std::chrono::sys_seconds start{};
  std::chrono::seconds step{60};
  std::vector<double> values;  // NaN = no data for that step

  std::size_t size() const { return values.size(); }
  bool empty() const { return values.empty(); }
  // The instant at which step `index` starts.
  std::chrono::sys_seconds TimeAt(std::size_t index) const {
    return start + step * static_cast<std::int64_t>(index);
  }
  // One past the last step: the instant the series' coverage ends.
  std::chrono::sys_seconds end() const { return TimeAt(values.size()); }
  static bool IsMissing(double value) { return std::isnan(value); }
};

}  // namespace patchcast::forecasting
