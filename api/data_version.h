// DataVersion: a number that moves whenever the stored data may have changed, so that a response
// made from the data can be kept until then (api/response_cache.h).
//
// Contract: if a change to the data was committed before a call to Current() began, that call
// returns a value different from every value returned before the change was committed. Values
// only grow. Implementations must be thread-safe; server/sqlite_data_version.h is the one over
// the database, which sees commits from any connection of any process.
#pragma once

#include <cstdint>

namespace patchcast::api {

class DataVersion {
 public:
  virtual ~DataVersion() = default;
  virtual std::uint64_t Current() const = 0;
};

}  // namespace patchcast::api
