// WorkSlots: the counting limiter behind api::WorkLimiter, a fixed number of slots for heavy work.
//
// A request that finds every slot taken waits at most `wait` for one to free (a condition variable,
// woken by each Release), then is refused: nothing queues without bound. Counters for /metrics.
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

#include "api/work_limiter.h"

namespace patchcast::server {

class WorkSlots : public api::WorkLimiter {
 public:
  // Precondition: slots >= 1.
  WorkSlots(std::size_t slots, std::chrono::milliseconds wait);

  // Takes a slot, waiting up to `wait` for one. Returns false (and counts a refusal) when none
  // freed in time.
  bool TryAcquire() override;
  // Gives a slot back and wakes one waiter.
  void Release() override;

  std::size_t slots() const { return slots_; }
  std::size_t in_use() const;
  std::uint64_t refused() const;

 private:
  const std::size_t slots_;
  const std::chrono::milliseconds wait_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::size_t in_use_ = 0;
  std::uint64_t refused_ = 0;
};

// The default number of slots: one per hardware thread, at least one.
std::size_t DefaultWorkSlots();

}  // namespace patchcast::server
