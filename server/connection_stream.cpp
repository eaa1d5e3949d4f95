#include "server/connection_stream.h"

#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace patchcast::server {

using std::chrono::milliseconds;

ConnectionStream::ConnectionStream(ClientConnection& connection, StreamLimits limits)
    : connection_(connection), limits_(limits) {}

ConnectionStream::~ConnectionStream() { connection_.pending().erase(0, consumed_); }

bool ConnectionStream::is_readable() const {
  return consumed_ < connection_.pending().size() || WaitToRead();
}

bool ConnectionStream::is_writable() const { return Poll(POLLOUT, limits_.write_pause); }

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  const std::string& pending = connection_.pending();
  if (consumed_ < pending.size()) {
    const std::size_t count = std::min(size, pending.size() - consumed_);
    std::memcpy(ptr, pending.data() + consumed_, count);
    consumed_ += count;
    return static_cast<ssize_t>(count);
  }
  if (!WaitToRead()) return -1;
  return ::recv(connection_.socket(), ptr, size, 0);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  // Most writes fit in the socket's buffer: try at once, and wait (bounded) only when it is full,
  // which saves a poll per write. A partial write returns its count; the library writes the rest.
  const ssize_t sent = ::send(connection_.socket(), ptr, size, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (sent >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return sent;
  if (!is_writable()) return -1;
  return ::send(connection_.socket(), ptr, size, MSG_NOSIGNAL);
}

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
