#include "server/head_waiter.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <system_error>

namespace patchcast::server {
namespace {

// Tags of the waiter thread's own epoll set.
constexpr std::uint64_t kOwnWake = 0;
constexpr std::uint64_t kOwnShared = 1;

[[noreturn]] void ThrowSystemError(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

int MakeEventFd() {
  const int event = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (event < 0) ThrowSystemError("eventfd");
  return event;
}

void Register(int epoll, int fd, std::uint64_t tag) {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = tag;
  if (::epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event) != 0) ThrowSystemError("epoll_ctl");
}

void Signal(int event_fd) {
  const std::uint64_t one = 1;
  // A full counter already means "set", so a failed write loses nothing.
  [[maybe_unused]] const ssize_t written = ::write(event_fd, &one, sizeof one);
}

void Clear(int event_fd) {
  std::uint64_t counter = 0;
  [[maybe_unused]] const ssize_t read = ::read(event_fd, &counter, sizeof counter);
}

}  // namespace

HeadWaiter::HeadWaiter(HeadWaiterOptions options, HeadWaiterHooks hooks)
    : options_(std::move(options)), hooks_(std::move(hooks)) {
  shared_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (shared_ < 0) ThrowSystemError("epoll_create1");
  own_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (own_ < 0) ThrowSystemError("epoll_create1");
  wake_ = MakeEventFd();
  queued_signal_ = MakeEventFd();
  stop_signal_ = MakeEventFd();
  Register(own_, wake_, kOwnWake);
  // Level-triggered: a taker woken by either leaves it set for the others.
  Register(shared_, queued_signal_, kQueuedToken);
  Register(shared_, stop_signal_, kStopToken);
  thread_ = std::thread([this] { Run(); });
}

HeadWaiter::~HeadWaiter() {
  Stop();
  for (const int fd : {stop_signal_, queued_signal_, wake_, own_, shared_}) ::close(fd);
}

void HeadWaiter::Add(std::unique_ptr<ClientConnection> connection) {
  if (connection->HeadComplete()) {
    Queue(connection, /*bounded=*/false);
    return;
  }
  const auto wait = connection->pending().empty() ? options_.idle_timeout : options_.head_timeout;
  Wait(std::move(connection), options_.now() + wait);
}

std::unique_ptr<ClientConnection> HeadWaiter::Take() {
  for (;;) {
    {
      // The queue is looked at under the same lock as the taker becomes idle: whoever queues a
      // connection later sees the idle taker, and signals it.
      std::lock_guard lock(mutex_);
      if (!queued_.empty()) return PopQueued();
      if (stopping_) return nullptr;
      ++idle_takers_;
    }
    if (std::unique_ptr<ClientConnection> connection = TakeWhileIdle()) return connection;
  }
}

std::unique_ptr<ClientConnection> HeadWaiter::TakeWhileIdle() {
  for (;;) {
    epoll_event event{};
    if (::epoll_wait(shared_, &event, 1, -1) != 1) continue;  // interrupted
    const std::uint64_t token = event.data.u64;
    std::unique_ptr<ClientConnection> connection;
    Clock::time_point deadline;
    bool leave = false;  // with a queued connection, or null when stopping
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      const auto found = waiting_by_token_.find(token);
      leave = !queued_.empty() || stopping_;
      if (!leave && found == waiting_by_token_.end()) {
        if (token == kQueuedToken) Clear(queued_signal_);  // the queue was emptied by another
        continue;  // or a connection another thread has taken (or timed out) since
      }
      --idle_takers_;
      // The last taker leaves: the waiter's thread must stand in, should a head come now.
      wake = idle_takers_ == 0 && !watching_shared_ && !stopping_;
      if (leave) {
        // Queued connections first (none when stopping); this socket's bytes are left for
        // another thread.
        if (found != waiting_by_token_.end() && !Arm(found->second.connection->socket(), token)) {
          Release(found);  // dropped
        }
        if (!queued_.empty()) connection = PopQueued();
      } else {
        Waiting waiting = Release(found);
        connection = std::move(waiting.connection);
        deadline = waiting.deadline;
      }
    }
    if (wake) Wake();
    if (leave) return connection;
    return ReceiveHead(std::move(connection), deadline);  // null: Take() waits again
  }
}

void HeadWaiter::Wake() { Signal(wake_); }

void HeadWaiter::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  Signal(stop_signal_);  // never cleared: every Take() sees it
  Wake();
  if (thread_.joinable()) thread_.join();
}

std::size_t HeadWaiter::queued() const {
  std::lock_guard lock(mutex_);
  return queued_.size();
}

std::size_t HeadWaiter::idle_takers() const {
  std::lock_guard lock(mutex_);
  return idle_takers_;
}

void HeadWaiter::Run() {
  std::array<epoll_event, 2> events;
  for (;;) {
    const int count =
        ::epoll_wait(own_, events.data(), static_cast<int>(events.size()), PlanSleep());
    for (int i = 0; i < count; ++i) {
      if (events[i].data.u64 == kOwnWake) Clear(wake_);
    }
    {
      // After the wake-up is cleared: Stop() sets stopping_ before it wakes the thread.
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      planned_wake_ = Clock::time_point::min();  // awake until PlanSleep: no Add() need wake it
    }
    for (int i = 0; i < count; ++i) {
      if (events[i].data.u64 == kOwnShared) ReceiveForBusyWorkers();
    }
    ExpireOverdue();
  }
  std::map<std::uint64_t, Waiting> closing;
  std::lock_guard lock(mutex_);
  closing.swap(waiting_by_token_);
  deadlines_.clear();
  CountWaiting();
}

int HeadWaiter::PlanSleep() {
  std::lock_guard lock(mutex_);
  if (stopping_) return 0;
  const bool watch = idle_takers_ == 0 && !stopping_;
  if (watch != watching_shared_) {
    if (watch) {
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.u64 = kOwnShared;
      watching_shared_ = ::epoll_ctl(own_, EPOLL_CTL_ADD, shared_, &event) == 0;
    } else {
      ::epoll_ctl(own_, EPOLL_CTL_DEL, shared_, nullptr);
      watching_shared_ = false;
    }
  }
  if (deadlines_.empty()) {
    planned_wake_ = Clock::time_point::max();
    return -1;  // nothing to time out: wait for events only
  }
  planned_wake_ = deadlines_.begin()->first;
  return MillisecondsUntil(planned_wake_);
}

void HeadWaiter::ReceiveForBusyWorkers() {
  std::array<epoll_event, 16> events;
  const int count = ::epoll_wait(shared_, events.data(), static_cast<int>(events.size()), 0);
  for (int i = 0; i < count; ++i) {
    const std::uint64_t token = events[i].data.u64;
    std::unique_ptr<ClientConnection> connection;
    Clock::time_point deadline;
    {
      std::lock_guard lock(mutex_);
      if (token == kQueuedToken) {
        // With no taker waiting, nobody needs the signal: a worker looks at the queue before it
        // waits. Left set otherwise, for the taker it was meant for.
        if (idle_takers_ == 0) Clear(queued_signal_);
        continue;
      }
      const auto found = waiting_by_token_.find(token);
      if (found == waiting_by_token_.end()) continue;  // the stop signal, or a connection gone
      if (idle_takers_ > 0) {
        // A worker waits now: re-armed, with its bytes unread, the socket fires again for it.
        if (!Arm(found->second.connection->socket(), token)) Release(found);
        continue;
      }
      Waiting waiting = Release(found);
      connection = std::move(waiting.connection);
      deadline = waiting.deadline;
    }
    connection = ReceiveHead(std::move(connection), deadline);
    if (connection && !Queue(connection, /*bounded=*/true)) hooks_.overflow(std::move(connection));
  }
}

void HeadWaiter::ExpireOverdue() {
  std::vector<std::unique_ptr<ClientConnection>> overdue;
  {
    std::lock_guard lock(mutex_);
    const Clock::time_point now = options_.now();
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
      overdue.push_back(Release(waiting_by_token_.find(deadlines_.begin()->second)).connection);
    }
  }
  for (const auto& connection : overdue) {
    // An idle connection just closes; a head cut short is answered.
    if (!connection->pending().empty()) hooks_.refuse(*connection, HeadRefusal::kTimedOut);
  }
}

std::unique_ptr<ClientConnection> HeadWaiter::ReceiveHead(
    std::unique_ptr<ClientConnection> connection, Clock::time_point deadline) {
  const bool head_begins = connection->pending().empty();
  switch (connection->ReceiveAvailable()) {
    case ClientConnection::Received::kNothingYet:
      break;
    case ClientConnection::Received::kClosed:
      return nullptr;  // the client closed or the connection failed: nothing to answer
    case ClientConnection::Received::kBytes:
      if (connection->HeadComplete()) return connection;
      if (head_begins) deadline = options_.now() + options_.head_timeout;
      break;
  }
  Wait(std::move(connection), deadline);
  return nullptr;
}

void HeadWaiter::Wait(std::unique_ptr<ClientConnection> connection, Clock::time_point deadline) {
  if (connection->pending().size() > options_.max_head_bytes) {
    hooks_.refuse(*connection, HeadRefusal::kTooLarge);
    return;
  }
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;  // closed as it goes out of scope
    const std::uint64_t token = next_token_++;
    const int socket = connection->socket();
    // Armed under the lock: no other thread can take the connection, and close its socket (whose
    // number a new connection may then get), before it is armed.
    if (!Arm(socket, token)) return;  // dropped
    waiting_by_token_.emplace(token, Waiting{std::move(connection), deadline});
    deadlines_.insert({deadline, token});
    CountWaiting();
    wake = deadline < planned_wake_;
  }
  if (wake) Wake();
}

bool HeadWaiter::Queue(std::unique_ptr<ClientConnection>& connection, bool bounded) {
  bool signal = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      connection.reset();  // closed
      return true;
    }
    if (bounded && idle_takers_ == 0 && queued_.size() >= options_.max_queue) return false;
    queued_.push_back(std::move(connection));
    signal = idle_takers_ > 0;
  }
  if (signal) Signal(queued_signal_);
  return true;
}

bool HeadWaiter::Arm(int socket, std::uint64_t token) {
  epoll_event event{};
  event.events = EPOLLIN | EPOLLONESHOT;
  event.data.u64 = token;
  // A socket stays in the set after its event (closing it removes it): re-arm it, or add it the
  // first time. A closed socket's number given to a new connection is not in the set any more.
  if (::epoll_ctl(shared_, EPOLL_CTL_MOD, socket, &event) == 0) return true;
  return errno == ENOENT && ::epoll_ctl(shared_, EPOLL_CTL_ADD, socket, &event) == 0;
}

// The socket is left in the epoll set, not armed (its event fired) or about to be closed.
HeadWaiter::Waiting HeadWaiter::Release(std::map<std::uint64_t, Waiting>::iterator found) {
  Waiting waiting = std::move(found->second);
  deadlines_.erase({waiting.deadline, found->first});
  waiting_by_token_.erase(found);
  CountWaiting();
  return waiting;
}

std::unique_ptr<ClientConnection> HeadWaiter::PopQueued() {
  std::unique_ptr<ClientConnection> connection = std::move(queued_.front());
  queued_.pop_front();
  if (queued_.empty()) Clear(queued_signal_);
  return connection;
}

void HeadWaiter::CountWaiting() {
  // The hook first: whoever sees waiting() change knows the hook has been told.
  if (hooks_.waiting_changed) hooks_.waiting_changed(waiting_by_token_.size());
  waiting_.store(waiting_by_token_.size(), std::memory_order_release);
}

int HeadWaiter::MillisecondsUntil(Clock::time_point instant) const {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(instant - options_.now());
  // Capped, so that a clock far ahead (a test's) cannot overflow the wait.
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, 60'000));
}

}  // namespace patchcast::server
