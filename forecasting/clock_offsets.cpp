#include "forecasting/clock_offsets.h"

#include <algorithm>

namespace patchcast::forecasting {

ClockOffsets::ClockOffsets(const std::vector<ZoneWeight>& zones) {
  for (const ZoneWeight& z : zones) zones_.push_back({z.zone, {}});
}

const std::vector<std::int64_t>& ClockOffsets::At(std::chrono::sys_seconds t) {
  offsets_.clear();
  std::int64_t reference = 0;
  for (std::size_t z = 0; z < zones_.size(); ++z) {
    Tracked& tracked = zones_[z];
    if (t >= tracked.info.end || t < tracked.info.begin) tracked.info = tracked.zone->get_info(t);
    const std::int64_t offset = tracked.info.offset.count();
    if (z == 0) {
      reference = offset;
    } else {
      offsets_.push_back(offset - reference);
    }
  }
  return offsets_;
}

std::chrono::sys_seconds ClockOffsets::HeldUntil() const {
  std::chrono::sys_seconds until = std::chrono::sys_seconds::max();
  for (const Tracked& tracked : zones_) until = std::min(until, tracked.info.end);
  return until;
}

}  // namespace patchcast::forecasting
