// WorkLimiter: admission to the service's CPU-heavy work, and WorkPermit, one admitted request.
//
// A forecast, plan, backtest or simulation can take a core for seconds. Unbounded, fifty of them
// take every worker and a liveness probe waits behind them; bounded, the excess is refused at once
// with 503 and Retry-After, so cheap reads stay fast. The dispatcher takes a permit for every route
// marked `heavy` before the request's body is read, and holds it until the response is handed over.
// server/ implements the limiter over its threads (server/work_slots.h); api tests use a fake.
// Implementations must be thread-safe.
#pragma once

#include <utility>

namespace patchcast::api {

class WorkLimiter {
 public:
  virtual ~WorkLimiter() = default;

  // Takes one slot, waiting at most the implementation's short bound for one to free. Returns false
  // when none freed in time: the caller must then refuse the work.
  virtual bool TryAcquire() = 0;

  // Gives back a slot TryAcquire took.
  virtual void Release() = 0;
};

// Holds one slot of a WorkLimiter and gives it back when destroyed. Empty by default. Move-only;
// thread-compatible.
class WorkPermit {
 public:
  WorkPermit() = default;
  // Takes ownership of a slot `limiter` already gave (TryAcquire returned true).
  explicit WorkPermit(WorkLimiter& limiter) : limiter_(&limiter) {}
  WorkPermit(WorkPermit&& other) noexcept : limiter_(std::exchange(other.limiter_, nullptr)) {}
  WorkPermit& operator=(WorkPermit&& other) noexcept {
    if (this != &other) {
      Reset();
      limiter_ = std::exchange(other.limiter_, nullptr);
    }
    return *this;
  }
  WorkPermit(const WorkPermit&) = delete;
  WorkPermit& operator=(const WorkPermit&) = delete;
  ~WorkPermit() { Reset(); }

  bool held() const { return limiter_ != nullptr; }

  // Gives the slot back now; no-op when empty.
  void Reset() {
    if (limiter_ != nullptr) std::exchange(limiter_, nullptr)->Release();
  }

 private:
  WorkLimiter* limiter_ = nullptr;
};

}  // namespace patchcast::api
