// ConnectionWorkers: the threads that serve connections whose request head has arrived.
//
// Each worker takes a connection from `take` (HeadWaiter::Take, in which it waits for one),
// serves it with `serve`, and takes the next, until `take` returns null. One more thread serves
// the connections given to Overflow(): ones whose head came while every worker was busy and the
// queue was full. It serves them one at a time with ConnectionState::overflow set, so that each
// request is answered 503 at once (GET /healthz excepted). Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "server/client_connection.h"

namespace patchcast::server {

// Facts about the connection the calling worker thread is serving. Reset for every connection.
struct ConnectionState {
  bool overflow = false;  // accepted beyond capacity: answer 503 and close
  bool poisoned = false;  // a response closed this connection: later bytes are not requests
};

class ConnectionWorkers {
 public:
  using Take = std::function<std::unique_ptr<ClientConnection>()>;
  using Serve = std::function<void(std::unique_ptr<ClientConnection>)>;

  // Starts `workers` threads that call `take` and `serve`, and the overflow thread, which calls
  // `serve` too.
  ConnectionWorkers(std::size_t workers, Take take, Serve serve);
  // Shutdown(): `take` must have returned null, or be about to, to every worker.
  ~ConnectionWorkers();
  ConnectionWorkers(const ConnectionWorkers&) = delete;
  ConnectionWorkers& operator=(const ConnectionWorkers&) = delete;

  // Queues a connection for the overflow thread. After Shutdown(), closes it instead.
  void Overflow(std::unique_ptr<ClientConnection> connection);

  // Joins the workers, each once `take` has returned null to it (so the caller stops what `take`
  // waits on first), then serves the connections still queued for the overflow thread and joins
  // it. Idempotent.
  void Shutdown();

  // The state of the connection served by the calling thread.
  static ConnectionState& Current();

 private:
  void Work();
  void ServeOverflow();

  const Take take_;
  const Serve serve_;
  std::mutex mutex_;
  std::condition_variable overflow_arrived_;
  std::deque<std::unique_ptr<ClientConnection>> overflow_;  // guarded by mutex_
  bool shutting_down_ = false;                              // guarded by mutex_
  std::vector<std::thread> workers_;
  std::thread overflow_thread_;
};

}  // namespace patchcast::server
