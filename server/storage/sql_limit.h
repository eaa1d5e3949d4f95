// SqlLimit: a row count as a LIMIT parameter. SQLite's and PostgreSQL's LIMIT are both signed
// 64-bit integers, so a larger size_t is held at the largest.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace patchcast::storage {

inline std::int64_t SqlLimit(std::size_t limit) {
  return static_cast<std::int64_t>(
      std::min<std::size_t>(limit, std::numeric_limits<std::int64_t>::max()));
}

}  // namespace patchcast::storage
