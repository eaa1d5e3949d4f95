#include "server/connection_workers.h"

namespace patchcast::server {

ConnectionWorkers::ConnectionWorkers(std::size_t workers, std::size_t max_queue)
    : workers_(workers), max_queue_(max_queue) {
  for (std::size_t i = 0; i < workers_; ++i) threads_.emplace_back([this] { Work(false); });
  threads_.emplace_back([this] { Work(true); });
}

ConnectionWorkers::~ConnectionWorkers() { shutdown(); }

ConnectionState& ConnectionWorkers::Current() {
  thread_local ConnectionState state;
  return state;
}

void ConnectionWorkers::enqueue(std::function<void()> connection) {
  bool overflow = false;
  {
    std::lock_guard lock(mutex_);
    overflow = busy_ + queue_.size() >= workers_ + max_queue_;
    (overflow ? overflow_ : queue_).push_back(std::move(connection));
  }
  (overflow ? overflow_arrived_ : work_arrived_).notify_one();
}

void ConnectionWorkers::shutdown() {
  {
    std::lock_guard lock(mutex_);
    if (shutting_down_ && threads_.empty()) return;
    shutting_down_ = true;
  }
  work_arrived_.notify_all();
  overflow_arrived_.notify_all();
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

std::size_t ConnectionWorkers::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void ConnectionWorkers::Work(bool overflow_thread) {
  std::deque<std::function<void()>>& source = overflow_thread ? overflow_ : queue_;
  std::condition_variable& arrived = overflow_thread ? overflow_arrived_ : work_arrived_;
  std::unique_lock lock(mutex_);
  for (;;) {
    arrived.wait(lock, [&] { return !source.empty() || shutting_down_; });
    if (source.empty()) return;  // shutting down, and nothing left to serve
    std::function<void()> connection = std::move(source.front());
    source.pop_front();
    if (!overflow_thread) ++busy_;
    lock.unlock();
    Current() = ConnectionState{overflow_thread, false};
    connection();
    lock.lock();
    if (!overflow_thread) --busy_;
  }
}

}  // namespace patchcast::server
