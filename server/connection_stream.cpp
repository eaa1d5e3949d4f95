#include "server/connection_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace patchcast::server {

using std::chrono::milliseconds;

ConnectionStream::ConnectionStream(ClientConnection& connection, StreamLimits limits,
                                   StreamMode mode)
    : connection_(connection), limits_(limits), mode_(mode) {}

ConnectionStream::~ConnectionStream() {
  Flush();
  connection_.unsent().append(held_);  // empty unless kNeverWaits found the socket full
  connection_.pending().erase(0, consumed_);
}

bool ConnectionStream::is_readable() const {
  if (consumed_ < connection_.pending().size()) return true;
  if (mode_ == StreamMode::kNeverWaits) return false;
  // Waiting for the client: it may be waiting for what is held (an interim response).
  return SendHeld() && WaitToRead();
}

// The library asks before each write of a body; kNeverWaits keeps what does not fit instead.
bool ConnectionStream::is_writable() const {
  return mode_ == StreamMode::kNeverWaits || WaitToWrite();
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  const std::string& pending = connection_.pending();
  if (consumed_ < pending.size()) {
    const std::size_t count = std::min(size, pending.size() - consumed_);
    std::memcpy(ptr, pending.data() + consumed_, count);
    consumed_ += count;
    return static_cast<ssize_t>(count);
  }
  if (mode_ == StreamMode::kNeverWaits || !SendHeld() || !WaitToRead()) return -1;
  return ::recv(connection_.socket(), ptr, size, 0);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (held_.size() + size <= kHeldBytes || socket_full_) {
    held_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  return mode_ == StreamMode::kNeverWaits ? WriteOrKeep(ptr, size) : WriteWaiting(ptr, size);
}

ssize_t ConnectionStream::WriteWaiting(const char* ptr, size_t size) {
  // The held bytes go first, in the same send. A partial write returns the count of `ptr`'s bytes
  // sent; the library writes the rest.
  while (!held_.empty()) {
    iovec parts[2] = {{held_.data(), held_.size()}, {const_cast<char*>(ptr), size}};
    const ssize_t sent = Send(parts, 2);
    if (sent < 0) return -1;
    const auto sent_bytes = static_cast<std::size_t>(sent);
    if (sent_bytes < held_.size()) {
      held_.erase(0, sent_bytes);
      continue;
    }
    const std::size_t of_ptr = sent_bytes - held_.size();
    held_.clear();
    if (of_ptr > 0) return static_cast<ssize_t>(of_ptr);
  }
  iovec part{const_cast<char*>(ptr), size};
  return Send(&part, 1);
}

ssize_t ConnectionStream::WriteOrKeep(const char* ptr, size_t size) {
  iovec parts[2] = {{held_.data(), held_.size()}, {const_cast<char*>(ptr), size}};
  const ssize_t sent = Send(parts, 2);
  if (sent < 0) return -1;
  const auto sent_bytes = static_cast<std::size_t>(sent);
  const std::size_t of_held = std::min(sent_bytes, held_.size());
  held_.erase(0, of_held);
  const std::size_t of_ptr = sent_bytes - of_held;
  if (of_ptr < size) {
    held_.append(ptr + of_ptr, size - of_ptr);
    socket_full_ = true;
  }
  return static_cast<ssize_t>(size);
}

bool ConnectionStream::Flush() { return SendHeld(); }

bool ConnectionStream::SendHeld() const {
  while (!held_.empty() && !socket_full_) {
    iovec part{held_.data(), held_.size()};
    const ssize_t sent = Send(&part, 1);
    if (sent > 0) {
      held_.erase(0, static_cast<std::size_t>(sent));
    } else if (sent == 0 && mode_ == StreamMode::kNeverWaits) {
      socket_full_ = true;  // what is held stays, for the connection's unsent bytes
    } else {
      held_.clear();
      return false;
    }
  }
  return true;
}

ssize_t ConnectionStream::Send(iovec* parts, int count) const {
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = static_cast<std::size_t>(count);
  // Most writes fit in the socket's buffer: try at once, and wait (bounded) only when it is full,
  // which saves a poll per write.
  const ssize_t sent = ::sendmsg(connection_.socket(), &message, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (sent >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return sent;
  if (mode_ == StreamMode::kNeverWaits) return 0;
  if (!WaitToWrite()) return -1;
  return ::sendmsg(connection_.socket(), &message, MSG_NOSIGNAL);
}

bool ConnectionStream::WaitToWrite() const { return Poll(POLLOUT, limits_.write_pause); }

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.remote_ip();
  port = connection_.remote_port();
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = connection_.local_ip();
  port = connection_.local_port();
}

socket_t ConnectionStream::socket() const { return connection_.socket(); }

bool ConnectionStream::WaitToRead() const {
  const auto left =
      std::chrono::ceil<milliseconds>(limits_.read_deadline - std::chrono::steady_clock::now());
  if (left <= milliseconds::zero()) {
    deadline_passed_ = true;
    return false;
  }
  if (Poll(POLLIN, std::min(left, limits_.read_pause))) return true;
  deadline_passed_ = left <= limits_.read_pause;
  return false;
}

bool ConnectionStream::Poll(short events, milliseconds timeout) const {
  pollfd watched{connection_.socket(), events, 0};
  int ready = 0;
  do {
    ready = ::poll(&watched, 1, static_cast<int>(timeout.count()));
  } while (ready < 0 && errno == EINTR);
  // An error or hang-up counts as ready: the read or write that follows reports it.
  return ready > 0;
}

}  // namespace patchcast::server
