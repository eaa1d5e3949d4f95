#include "server/connection_workers.h"

namespace patchcast::server {

ConnectionWorkers::ConnectionWorkers(std::size_t workers, Take take, Serve serve)
    : take_(std::move(take)), serve_(std::move(serve)) {
  for (std::size_t i = 0; i < workers; ++i) workers_.emplace_back([this] { Work(); });
  overflow_thread_ = std::thread([this] { ServeOverflow(); });
}

ConnectionWorkers::~ConnectionWorkers() { Shutdown(); }

ConnectionState& ConnectionWorkers::Current() {
  thread_local ConnectionState state;
  return state;
}

void ConnectionWorkers::Overflow(std::unique_ptr<ClientConnection> connection) {
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_) return;  // closed as it goes out of scope
    overflow_.push_back(std::move(connection));
  }
  overflow_arrived_.notify_one();
}

void ConnectionWorkers::Shutdown() {
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
  }
  overflow_arrived_.notify_all();
  if (overflow_thread_.joinable()) overflow_thread_.join();
}

void ConnectionWorkers::Work() {
  while (std::unique_ptr<ClientConnection> connection = take_()) {
    Current() = ConnectionState{};
    serve_(std::move(connection));
  }
}

void ConnectionWorkers::ServeOverflow() {
  std::unique_lock lock(mutex_);
  for (;;) {
    overflow_arrived_.wait(lock, [this] { return !overflow_.empty() || shutting_down_; });
    if (overflow_.empty()) return;  // shutting down, and nothing left to serve
    std::unique_ptr<ClientConnection> connection = std::move(overflow_.front());
    overflow_.pop_front();
    lock.unlock();
    Current() = ConnectionState{.overflow = true, .poisoned = false};
    serve_(std::move(connection));
    lock.lock();
  }
}

}  // namespace patchcast::server
