// ConnectionWorkers: the thread pool that serves accepted connections, with a bounded queue.
//
// cpp-httplib's own pool queues without bound, so an overloaded server only gets slower. Here, a
// connection that arrives when every worker is busy and `max_queue` connections already wait is
// handed to one overflow thread instead, which marks it so its request is answered 503 at once
// (see ConnectionState::overflow). Thread-safe. Plugged into httplib through `new_task_queue`.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace patchcast::server {

// Facts about the connection the calling worker thread is serving. Reset for every connection.
struct ConnectionState {
  bool overflow = false;  // accepted beyond capacity: answer 503 and close
  bool poisoned = false;  // a response closed this connection: later bytes are not requests
};

class ConnectionWorkers : public httplib::TaskQueue {
 public:
  ConnectionWorkers(std::size_t workers, std::size_t max_queue);
  ~ConnectionWorkers() override;

  // Queues a connection, or hands it to the overflow thread when the pool is full.
  void enqueue(std::function<void()> connection) override;

  // Serves every queued connection, then joins the threads. httplib calls it once the listening
  // socket is closed.
  void shutdown() override;

  // The state of the connection served by the calling thread.
  static ConnectionState& Current();

  std::size_t queued() const;

 private:
  void Work(bool overflow_thread);

  const std::size_t workers_;
  const std::size_t max_queue_;
  mutable std::mutex mutex_;
  // One each, so that a connection wakes one thread that can take it, not every thread.
  std::condition_variable work_arrived_;
  std::condition_variable overflow_arrived_;
  std::deque<std::function<void()>> queue_;
  std::deque<std::function<void()>> overflow_;
  std::size_t busy_ = 0;
  bool shutting_down_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace patchcast::server
