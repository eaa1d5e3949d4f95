// SystemClock: the real wall clock, for main to pass wherever a `const Clock&` is needed.
#pragma once

#include "core/clock.h"

namespace patchcast::server {

class SystemClock : public Clock {
 public:
  Instant Now() const override {
    return std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now());
  }
};

}  // namespace patchcast::server
