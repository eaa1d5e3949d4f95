// Clock: the one way code that truly needs "now" learns it.
//
// Domain functions never read the clock; they take the reference instant (`as_of`) as a parameter.
// The few objects that need the current time (request handlers stamping `generated_at`, plan
// staleness) receive a `const Clock&`: main passes the system clock, tests a FixedClock they
// advance. In core/ because forecasting, api and server all take one. Implementations must be
// thread-safe.
#pragma once

#include <chrono>

namespace patchcast {

using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current UTC instant.
  virtual Instant Now() const = 0;
};

}  // namespace patchcast
