#include "server/head_waiter.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace patchcast::server {
namespace {

[[noreturn]] void ThrowSystemError(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

HeadWaiter::HeadWaiter(HeadWaiterOptions options, HeadWaiterHooks hooks)
    : options_(std::move(options)), hooks_(std::move(hooks)) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) ThrowSystemError("epoll_create1");
  wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_ < 0) ThrowSystemError("eventfd");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = wake_;
  if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &event) != 0) ThrowSystemError("epoll_ctl");
  thread_ = std::thread([this] { Run(); });
}

HeadWaiter::~HeadWaiter() {
  Stop();
  ::close(wake_);
  ::close(epoll_);
}

void HeadWaiter::Add(std::unique_ptr<ClientConnection> connection) {
  // Pending bytes (a pipelined head, or part of one) are looked at by the thread, which must be
  // woken for it; so are connections epoll refuses here.
  const bool idle = connection->pending().empty();
  const Clock::time_point deadline = options_.now() + options_.idle_timeout;
  bool wake = true;
  {
    std::lock_guard lock(arrivals_mutex_);
    if (stopping_) return;  // closed as it goes out of scope
    // Armed under the lock: the thread cannot take the arrival, and close it, before that.
    const bool armed = idle && Arm(connection->socket());
    // Told under the lock, before the thread can take the connection and tell its -1.
    TellHeldChanged(+1);
    arrivals_.push_back({std::move(connection), armed, deadline});
    wake = !armed || deadline < planned_wake_;
  }
  if (wake) Wake();
}

void HeadWaiter::Wake() {
  const std::uint64_t one = 1;
  // A full counter already means "wake up", so a failed write loses nothing.
  [[maybe_unused]] const ssize_t written = ::write(wake_, &one, sizeof one);
}

void HeadWaiter::Stop() {
  {
    std::lock_guard lock(arrivals_mutex_);
    stopping_ = true;
  }
  Wake();
  if (thread_.joinable()) thread_.join();
}

void HeadWaiter::Run() {
  std::array<epoll_event, 64> events;
  for (;;) {
    const int count =
        ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), PlanSleep());
    // Arrivals first: an event may be for a socket added since the last look.
    TakeArrivals();
    bool woken = false;
    for (int i = 0; i < count; ++i) {
      if (events[i].data.fd == wake_) {
        woken = true;
      } else {
        Receive(events[i].data.fd);
      }
    }
    if (woken) {
      std::uint64_t counter = 0;
      [[maybe_unused]] const ssize_t read = ::read(wake_, &counter, sizeof counter);
      std::lock_guard lock(arrivals_mutex_);
      if (stopping_) break;
    }
    ExpireOverdue();
  }
  std::lock_guard lock(arrivals_mutex_);
  TellHeldChanged(-static_cast<int>(arrivals_.size() + waiting_by_socket_.size()));
  arrivals_.clear();
  taken_.clear();
  deadlines_.clear();
  waiting_by_socket_.clear();
  CountWaiting();
}

int HeadWaiter::PlanSleep() {
  std::lock_guard lock(arrivals_mutex_);
  if (!arrivals_.empty()) return 0;  // planned_wake_ stays "awake": no Add() needs to wake us
  if (deadlines_.empty()) {
    planned_wake_ = Clock::time_point::max();
    return -1;  // nothing to time out: wait for events only
  }
  planned_wake_ = deadlines_.begin()->first;
  return MillisecondsUntil(planned_wake_);
}

void HeadWaiter::TakeArrivals() {
  {
    std::lock_guard lock(arrivals_mutex_);
    taken_.swap(arrivals_);
    planned_wake_ = Clock::time_point::min();  // awake until PlanSleep
  }
  for (Arrival& arrival : taken_) {
    if (arrival.armed) {
      WatchArmed(std::move(arrival));
    } else {
      Watch(std::move(arrival.connection));
    }
  }
  taken_.clear();  // keeps its capacity, which the next swap lends to arrivals_
}

void HeadWaiter::Watch(std::unique_ptr<ClientConnection> connection) {
  std::string& pending = connection->pending();
  if (connection->HeadComplete()) {
    TellHeldChanged(-1);
    hooks_.ready(std::move(connection));
    return;
  }
  if (pending.size() > options_.max_head_bytes) {
    TellHeldChanged(-1);
    hooks_.refuse(*connection, HeadRefusal::kTooLarge);
    return;
  }
  const int socket = connection->socket();
  if (!Arm(socket)) {
    TellHeldChanged(-1);  // dropped
    return;
  }
  const auto wait = pending.empty() ? options_.idle_timeout : options_.head_timeout;
  Waiting& waiting = waiting_by_socket_[socket];
  waiting.connection = std::move(connection);
  SetDeadline(socket, waiting, options_.now() + wait);
  CountWaiting();
}

void HeadWaiter::WatchArmed(Arrival arrival) {
  const int socket = arrival.connection->socket();
  Waiting& waiting = waiting_by_socket_[socket];
  waiting.connection = std::move(arrival.connection);
  SetDeadline(socket, waiting, arrival.deadline);
  CountWaiting();
}

bool HeadWaiter::Arm(int socket) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLONESHOT;
  event.data.fd = socket;
  // A socket stays in the set after its event (closing it removes it): re-arm it, or add it the
  // first time. A closed socket's number given to a new connection is not in the set any more.
  if (::epoll_ctl(epoll_, EPOLL_CTL_MOD, socket, &event) == 0) return true;
  return errno == ENOENT && ::epoll_ctl(epoll_, EPOLL_CTL_ADD, socket, &event) == 0;
}

void HeadWaiter::Receive(int socket) {
  auto found = waiting_by_socket_.find(socket);
  if (found == waiting_by_socket_.end()) return;
  Waiting& waiting = found->second;
  ClientConnection& connection = *waiting.connection;
  const bool head_begins = connection.pending().empty();
  switch (connection.ReceiveAvailable()) {
    case ClientConnection::Received::kNothingYet:
      if (!Arm(socket)) Release(socket);  // dropped
      return;
    case ClientConnection::Received::kClosed:
      Release(socket);  // the client closed or the connection failed: nothing to answer
      return;
    case ClientConnection::Received::kBytes:
      break;
  }
  if (head_begins) SetDeadline(socket, waiting, options_.now() + options_.head_timeout);

  if (connection.HeadComplete()) {
    hooks_.ready(Release(socket));
  } else if (connection.pending().size() > options_.max_head_bytes) {
    hooks_.refuse(*Release(socket), HeadRefusal::kTooLarge);
  } else if (!Arm(socket)) {
    Release(socket);  // dropped
  }
}

void HeadWaiter::ExpireOverdue() {
  const Clock::time_point now = options_.now();
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    std::unique_ptr<ClientConnection> overdue = Release(deadlines_.begin()->second);
    // An idle connection just closes; a head cut short is answered.
    if (!overdue->pending().empty()) hooks_.refuse(*overdue, HeadRefusal::kTimedOut);
  }
}

// The socket is left in the epoll set, not armed (its event fired) or about to be closed.
std::unique_ptr<ClientConnection> HeadWaiter::Release(int socket) {
  auto found = waiting_by_socket_.find(socket);
  deadlines_.erase({found->second.deadline, socket});
  std::unique_ptr<ClientConnection> connection = std::move(found->second.connection);
  waiting_by_socket_.erase(found);
  // Told first: whoever sees waiting() change knows the hook has been told.
  TellHeldChanged(-1);
  CountWaiting();
  return connection;
}

void HeadWaiter::CountWaiting() {
  waiting_.store(waiting_by_socket_.size(), std::memory_order_release);
}

void HeadWaiter::TellHeldChanged(int change) const {
  if (hooks_.held_changed && change != 0) hooks_.held_changed(change);
}

void HeadWaiter::SetDeadline(int socket, Waiting& waiting, Clock::time_point deadline) {
  deadlines_.erase({waiting.deadline, socket});
  waiting.deadline = deadline;
  deadlines_.insert({deadline, socket});
}

int HeadWaiter::MillisecondsUntil(Clock::time_point instant) const {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(instant - options_.now());
  // Capped, so that a clock far ahead (a test's) cannot overflow the wait.
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, 60'000));
}

}  // namespace patchcast::server
