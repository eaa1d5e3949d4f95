// HeadWaiter: holds connections until a whole request head has arrived, on one thread.
//
// A worker thread is taken only by a request ready to be served. Until then a connection waits
// here, in an epoll set: a new connection, a kept-alive one between requests, or one whose head
// trickles in a byte at a time. So slow or idle clients cost a socket and a buffer each, never a
// worker, and however many there are, requests that arrive whole are served at once.
//
// Limits, each with a total deadline rather than one per read:
// - idle: a connection with no byte of a next request is closed, silently;
// - head: a head not complete this long after its first byte is refused (kTimedOut);
// - size: a head that grows past max_head_bytes is refused (kTooLarge).
// Refusals are answered by a callback on this thread, which must not block; the connection is
// closed afterwards. Thread-safe.
//
// Cost per request of a kept-alive connection: Add() from a worker registers the socket in the
// epoll set itself (EPOLLONESHOT, so it stays registered and one epoll_ctl re-arms it), and wakes
// the thread only when the connection's deadline is earlier than the thread's next planned
// wake-up; the thread then receives the head when it arrives and hands the connection on, without
// removing the socket from the set. So a poll costs one epoll_ctl and no thread wake-up besides
// the head's arrival.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "server/client_connection.h"

namespace patchcast::server {

enum class HeadRefusal { kTimedOut, kTooLarge };

struct HeadWaiterOptions {
  std::chrono::milliseconds idle_timeout{5000};
  std::chrono::milliseconds head_timeout{10000};
  std::size_t max_head_bytes = 64u << 10;
  // The clock deadlines are measured on; tests pass their own.
  std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
};

struct HeadWaiterHooks {
  // Takes a connection whose pending bytes begin with a complete head, on the waiting thread: it
  // may answer a quick request itself, but must never wait for a client.
  std::function<void(std::unique_ptr<ClientConnection>)> ready;
  // Answers a refused head, without blocking; the connection is closed after it returns.
  std::function<void(ClientConnection&, HeadRefusal)> refuse;
  // Told each change in the number of connections the waiter holds, from the thread that made it:
  // +1 when Add() takes one, -1 when one leaves (optional; for a gauge). A connection given back
  // while the thread sleeps is counted at once, though the thread takes it only when it wakes.
  std::function<void(int change)> held_changed;
};

class HeadWaiter {
 public:
  // Starts the waiting thread. Throws std::system_error if epoll is unavailable.
  HeadWaiter(HeadWaiterOptions options, HeadWaiterHooks hooks);
  ~HeadWaiter();
  HeadWaiter(const HeadWaiter&) = delete;
  HeadWaiter& operator=(const HeadWaiter&) = delete;

  // Waits for the connection's next head. One that already holds a whole head (pipelined) is
  // handed on at once. After Stop(), the connection is closed instead. May be called from any
  // thread; waiting() counts the connection once the waiting thread has taken it.
  void Add(std::unique_ptr<ClientConnection> connection);

  // Makes the thread look at the clock again (tests that move their clock call it).
  void Wake();

  // Closes every waiting connection and joins the thread. Idempotent.
  void Stop();

  // Connections the waiting thread has taken and waits on now (not those given to Add() that it
  // has not taken yet).
  std::size_t waiting() const { return waiting_.load(std::memory_order_acquire); }

 private:
  using Clock = std::chrono::steady_clock;

  struct Waiting {
    std::unique_ptr<ClientConnection> connection;
    Clock::time_point deadline;
  };

  // A connection given to Add(), not yet taken by the waiting thread. `armed`: its socket is
  // already registered for its next bytes, with `deadline` as its idle deadline.
  struct Arrival {
    std::unique_ptr<ClientConnection> connection;
    bool armed = false;
    Clock::time_point deadline;
  };

  void Run();
  // Milliseconds the thread may sleep: 0 when arrivals wait, else until the next deadline.
  int PlanSleep();
  void TakeArrivals();
  void Watch(std::unique_ptr<ClientConnection> connection);
  void WatchArmed(Arrival arrival);
  // Registers `socket` for one readiness event (again, if it is registered already). False if
  // epoll refused.
  bool Arm(int socket);
  void Receive(int socket);
  void ExpireOverdue();
  // Removes `socket` from the set and returns its connection.
  std::unique_ptr<ClientConnection> Release(int socket);
  void SetDeadline(int socket, Waiting& waiting, Clock::time_point deadline);
  void CountWaiting();
  void TellHeldChanged(int change) const;
  int MillisecondsUntil(Clock::time_point instant) const;

  const HeadWaiterOptions options_;
  const HeadWaiterHooks hooks_;
  int epoll_ = -1;
  int wake_ = -1;  // eventfd: arrivals, Wake() and Stop()

  std::mutex arrivals_mutex_;
  std::vector<Arrival> arrivals_;  // guarded by arrivals_mutex_
  std::vector<Arrival> taken_;     // the thread's: arrivals being watched
  bool stopping_ = false;          // guarded by arrivals_mutex_
  // When the thread will look at its deadlines next, if nothing wakes it: Clock's max while it
  // sleeps with no deadline, its min while it is awake (it takes arrivals before it sleeps).
  Clock::time_point planned_wake_ = Clock::time_point::min();  // guarded by arrivals_mutex_

  // Owned by the waiting thread.
  std::map<int, Waiting> waiting_by_socket_;
  std::set<std::pair<Clock::time_point, int>> deadlines_;

  std::atomic<std::size_t> waiting_{0};
  std::thread thread_;
};

}  // namespace patchcast::server
