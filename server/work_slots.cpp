#include "server/work_slots.h"

#include <algorithm>
#include <thread>

namespace patchcast::server {

WorkSlots::WorkSlots(std::size_t slots, std::chrono::milliseconds wait)
    : slots_(slots), wait_(wait) {}

bool WorkSlots::TryAcquire() {
  std::unique_lock lock(mutex_);
  if (!freed_.wait_for(lock, wait_, [this] { return in_use_ < slots_; })) {
    ++refused_;
    return false;
  }
  ++in_use_;
  return true;
}

void WorkSlots::Release() {
  {
    std::lock_guard lock(mutex_);
    --in_use_;
  }
  freed_.notify_one();
}

std::size_t WorkSlots::in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

std::uint64_t WorkSlots::refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

std::size_t DefaultWorkSlots() {
  return std::max<std::size_t>(1, std::thread::hardware_concurrency());
}

}  // namespace patchcast::server
