// ClockOffsets: the UTC offsets of a zone mix's zones relative to its first zone, along a run of
// instants in time order. Each zone's sys_info is refreshed only when an instant passes its end,
// so a year of steps costs a few tz lookups per zone. Internal to the forecasting module.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "forecasting/reboot_prior.h"

namespace patchcast::forecasting {

class ClockOffsets {
 public:
  explicit ClockOffsets(const std::vector<ZoneWeight>& zones);

  // The offsets at t, in seconds, one per zone after the first (whose own is always 0).
  const std::vector<std::int64_t>& At(std::chrono::sys_seconds t);

  // The instant up to which (exclusive) the offsets of the last At() hold: the earliest next
  // change of any zone's. Only meaningful after an At().
  std::chrono::sys_seconds HeldUntil() const;

 private:
  struct Tracked {
    const date::time_zone* zone;
    date::sys_info info;
  };
  std::vector<Tracked> zones_;
  std::vector<std::int64_t> offsets_;
};

}  // namespace patchcast::forecasting
