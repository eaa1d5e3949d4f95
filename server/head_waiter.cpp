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
  {
    std::lock_guard lock(arrivals_mutex_);
    if (stopping_) return;  // closed as it goes out of scope
    arrivals_.push_back(std::move(connection));
  }
  Wake();
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
    const int count = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()),
                                   MillisecondsToNextDeadline());
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
    TakeArrivals();
    ExpireOverdue();
  }
  std::lock_guard lock(arrivals_mutex_);
  arrivals_.clear();
  deadlines_.clear();
  waiting_by_socket_.clear();
  CountWaiting();
}

void HeadWaiter::TakeArrivals() {
  std::vector<std::unique_ptr<ClientConnection>> arrivals;
  {
    std::lock_guard lock(arrivals_mutex_);
    arrivals.swap(arrivals_);
  }
  for (auto& connection : arrivals) Watch(std::move(connection));
}

void HeadWaiter::Watch(std::unique_ptr<ClientConnection> connection) {
  std::string& pending = connection->pending();
  if (connection->HeadComplete()) {
    hooks_.ready(std::move(connection));
    return;
  }
  if (pending.size() > options_.max_head_bytes) {
    hooks_.refuse(*connection, HeadRefusal::kTooLarge);
    return;
  }
  const int socket = connection->socket();
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = socket;
  if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, socket, &event) != 0) return;  // dropped
  const auto wait = pending.empty() ? options_.idle_timeout : options_.head_timeout;
  Waiting& waiting = waiting_by_socket_[socket];
  waiting.connection = std::move(connection);
  SetDeadline(socket, waiting, options_.now() + wait);
  CountWaiting();
}

void HeadWaiter::Receive(int socket) {
  auto found = waiting_by_socket_.find(socket);
  if (found == waiting_by_socket_.end()) return;
  Waiting& waiting = found->second;
  ClientConnection& connection = *waiting.connection;
  const bool head_begins = connection.pending().empty();
  switch (connection.ReceiveAvailable()) {
    case ClientConnection::Received::kNothingYet:
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

std::unique_ptr<ClientConnection> HeadWaiter::Release(int socket) {
  auto found = waiting_by_socket_.find(socket);
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, socket, nullptr);
  deadlines_.erase({found->second.deadline, socket});
  std::unique_ptr<ClientConnection> connection = std::move(found->second.connection);
  waiting_by_socket_.erase(found);
  CountWaiting();
  return connection;
}

void HeadWaiter::CountWaiting() {
  // The hook first: whoever sees waiting() change knows the hook has been told.
  if (hooks_.waiting_changed) hooks_.waiting_changed(waiting_by_socket_.size());
  waiting_.store(waiting_by_socket_.size(), std::memory_order_release);
}

void HeadWaiter::SetDeadline(int socket, Waiting& waiting, Clock::time_point deadline) {
  deadlines_.erase({waiting.deadline, socket});
  waiting.deadline = deadline;
  deadlines_.insert({deadline, socket});
}

int HeadWaiter::MillisecondsToNextDeadline() const {
  if (deadlines_.empty()) return -1;  // nothing to time out: wait for events only
  const auto left =
      std::chrono::ceil<std::chrono::milliseconds>(deadlines_.begin()->first - options_.now());
  // Capped, so that a clock far ahead (a test's) cannot overflow the wait.
  return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(left.count(), 0, 60'000));
}

}  // namespace patchcast::server
