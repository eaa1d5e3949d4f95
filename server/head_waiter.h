// HeadWaiter: holds connections until a whole request head has arrived, and is where the worker
// threads wait for the next one.
//
// A worker is taken only by a request ready to be served. Until then a connection waits here, in
// an epoll set: a new connection, a kept-alive one between requests, or one whose head trickles
// in a byte at a time. So slow or idle clients cost a socket and a buffer each, never a worker,
// and however many there are, requests that arrive whole are served at once.
//
// Workers wait in Take(), blocked in epoll_wait on the shared set as nginx's workers are: the
// thread that sees a connection's bytes receives them and, once the head is whole, serves it
// itself. Each socket is registered with EPOLLONESHOT, so one thread at a time holds it, and a
// served connection given back with Add() is re-armed with one epoll_ctl. A poll of a kept-alive
// connection so costs one epoll_wait, recv, send and epoll_ctl on one thread, with no hand-off.
//
// Limits, each with a total deadline rather than one per read:
// - idle: a connection with no byte of a next request is closed, silently;
// - head: a head not complete this long after its first byte is refused (kTimedOut);
// - size: a head that grows past max_head_bytes is refused (kTooLarge).
// Refusals are answered by a callback that must not block, on the thread that found them (the
// waiter's own for deadlines); the connection is closed afterwards.
//
// The waiter's own thread keeps the deadlines, and stands in for the workers when none waits in
// Take(): it then receives heads itself, queues up to max_queue whole ones for the next worker
// to call Take(), and hands any beyond to the `overflow` callback (answered 503 there). Waking
// it costs a thread switch, so it is woken only when a deadline needs it or the last waiting
// worker leaves Take(). Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
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
  // Whole heads queued for a worker while every worker is busy; beyond it, `overflow`.
  std::size_t max_queue = 256;
  // The clock deadlines are measured on; tests pass their own.
  std::function<std::chrono::steady_clock::time_point()> now = std::chrono::steady_clock::now;
};

struct HeadWaiterHooks {
  // Answers a refused head, without blocking; the connection is closed after it returns.
  std::function<void(ClientConnection&, HeadRefusal)> refuse;
  // Takes a connection whose pending bytes begin with a whole head, received while every worker
  // was busy and max_queue others already waited. Called on the waiter's thread: must not block.
  std::function<void(std::unique_ptr<ClientConnection>)> overflow;
  // Told the number of waiting connections whenever it changes (optional; for a gauge). Called
  // under a lock: must be quick and must not call the waiter.
  std::function<void(std::size_t)> waiting_changed;
};

class HeadWaiter {
 public:
  // Starts the waiter's thread. Throws std::system_error if epoll or eventfd is unavailable.
  HeadWaiter(HeadWaiterOptions options, HeadWaiterHooks hooks);
  ~HeadWaiter();  // Stop()s; no thread may be in Take() by then
  HeadWaiter(const HeadWaiter&) = delete;
  HeadWaiter& operator=(const HeadWaiter&) = delete;

  // Waits for the connection's next head. One that already holds a whole head (pipelined) is
  // queued for Take() at once, behind any queued before it. After Stop(), the connection is
  // closed instead. May be called from any thread.
  void Add(std::unique_ptr<ClientConnection> connection);

  // For a worker thread: blocks until a connection's whole head is pending, and returns the
  // connection, to be served and given back with Add() (or closed). Meanwhile the calling thread
  // receives the bytes of any waiting connection, refusing heads that grow too large. Queued
  // connections come first. After Stop(), returns those still queued, then null.
  std::unique_ptr<ClientConnection> Take();

  // Makes the waiter's thread look at the clock again (tests that move their clock call it).
  void Wake();

  // Closes every connection waiting for a head, wakes every Take() and joins the waiter's thread.
  // Idempotent.
  void Stop();

  // Connections waiting for a head now (not those queued for Take()).
  std::size_t waiting() const { return waiting_.load(std::memory_order_acquire); }

  // Connections with a whole head queued for Take() now.
  std::size_t queued() const;

  // Threads blocked in Take() now.
  std::size_t idle_takers() const;

 private:
  using Clock = std::chrono::steady_clock;

  // What the events of the shared set carry: a signal's tag, or a waiting connection's token.
  static constexpr std::uint64_t kQueuedToken = 0;
  static constexpr std::uint64_t kStopToken = 1;
  static constexpr std::uint64_t kFirstToken = 2;

  struct Waiting {
    std::unique_ptr<ClientConnection> connection;
    Clock::time_point deadline;
  };

  // Take() once the caller counts as idle: waits for an event of the shared set and leaves idle
  // with a connection (with a whole head, or queued) or with null (nothing to serve after all).
  std::unique_ptr<ClientConnection> TakeWhileIdle();
  // Runs the deadlines, and receives heads while no worker waits in Take().
  void Run();
  // Watches the shared set from the waiter's thread iff no thread waits in Take(). Returns the
  // milliseconds the thread may sleep: until the next deadline, or -1 without one.
  int PlanSleep();
  // Receives the heads of connections whose bytes came, on the waiter's thread.
  void ReceiveForBusyWorkers();
  void ExpireOverdue();

  // Receives what `connection` has; returns it if its head is now whole. Otherwise the
  // connection waits again (armed, with its deadline), is refused or is dropped, and null is
  // returned. `deadline`: its deadline before.
  std::unique_ptr<ClientConnection> ReceiveHead(std::unique_ptr<ClientConnection> connection,
                                                Clock::time_point deadline);
  // Registers a connection to wait for `deadline` and arms its socket. Refuses or drops it
  // instead as its pending bytes require. Takes mutex_.
  void Wait(std::unique_ptr<ClientConnection> connection, Clock::time_point deadline);
  // Queues a connection with a whole head for Take(), waking a taker if one sleeps. False, and
  // the connection left as it was, if the queue is full and no taker waits. Takes mutex_.
  bool Queue(std::unique_ptr<ClientConnection>& connection, bool bounded);

  // The following need mutex_ held.
  // Registers `socket` for one readiness event (again, if it is registered already), its events
  // tagged with `token`. False if epoll refused.
  bool Arm(int socket, std::uint64_t token);
  // Removes the connection from the waiting ones and returns it, with its deadline.
  Waiting Release(std::map<std::uint64_t, Waiting>::iterator found);
  void CountWaiting();
  std::unique_ptr<ClientConnection> PopQueued();

  int MillisecondsUntil(Clock::time_point instant) const;

  const HeadWaiterOptions options_;
  const HeadWaiterHooks hooks_;
  int shared_ = -1;  // epoll set of the waiting sockets, and of queued_signal_ and stop_signal_
  int own_ = -1;     // the waiter thread's epoll set: wake_, and shared_ while no taker waits
  int wake_ = -1;    // eventfd: wakes the waiter's thread
  int queued_signal_ = -1;  // eventfd in shared_: connections are queued for Take()
  int stop_signal_ = -1;    // eventfd in shared_, set once by Stop(): wakes every taker

  mutable std::mutex mutex_;
  // Waiting connections by the token their socket's events carry (never reused, unlike a socket
  // number), and their deadlines. A thread owns a connection once it has removed it from here.
  std::map<std::uint64_t, Waiting> waiting_by_token_;
  std::set<std::pair<Clock::time_point, std::uint64_t>> deadlines_;
  std::uint64_t next_token_ = kFirstToken;
  std::deque<std::unique_ptr<ClientConnection>> queued_;
  std::size_t idle_takers_ = 0;
  bool stopping_ = false;
  // The waiter's thread has shared_ in its own set (it stands in for busy workers).
  bool watching_shared_ = false;
  // When the waiter's thread will look at its deadlines next, if nothing wakes it: Clock's max
  // while it sleeps with no deadline, its min while it is awake.
  Clock::time_point planned_wake_ = Clock::time_point::min();

  std::atomic<std::size_t> waiting_{0};
  std::thread thread_;
};

}  // namespace patchcast::server
