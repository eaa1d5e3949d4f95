// RunLeases: the storage port that keeps scheduled work to one process among those sharing a
// database (issue 17). The scheduler already keeps its own process to one run of a series at a
// time; a lease extends that to every replica on one PostgreSQL database, so that a due run is
// made once, not once per replica. A lease ends when its holder releases it or dies (its
// connection closes), so another replica takes the work over at its next pass.
//
// Implementations must be thread-safe. A lease may be destroyed on any thread.
#pragma once

#include <memory>
#include <string_view>

#include "core/result.h"

namespace patchcast::forecasting {

class RunLeases {
 public:
  // Held from TryTake until destroyed.
  class Lease {
   public:
    virtual ~Lease() = default;
  };

  virtual ~RunLeases() = default;

  // A lease on `name` (e.g. "run:<series id>") when no other holder has one, else nullptr.
  // Errors: kUnavailable when the database cannot be reached.
  virtual Result<std::unique_ptr<Lease>> TryTake(std::string_view name) = 0;
};

}  // namespace patchcast::forecasting
