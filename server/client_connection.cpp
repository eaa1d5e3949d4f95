#include "server/client_connection.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace patchcast::server {
namespace {

using AddressReader = int (*)(int, sockaddr*, socklen_t*);

// The numeric host and port of the socket's peer or its own end, or empty and 0.
void ReadAddress(int socket, AddressReader read, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (read(socket, reinterpret_cast<sockaddr*>(&address), &length) != 0) return;
  char host[NI_MAXHOST];
  char service[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&address), length, host, sizeof host, service,
                    sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
    return;
  }
  ip = host;
  port = std::atoi(service);
}

}  // namespace

ClientConnection::ClientConnection(int socket) : socket_(socket) {
  ReadAddress(socket_, ::getpeername, remote_ip_, remote_port_);
  ReadAddress(socket_, ::getsockname, local_ip_, local_port_);
}

ClientConnection::~ClientConnection() {
  ::shutdown(socket_, SHUT_RDWR);
  ::close(socket_);
}

bool ClientConnection::HeadComplete() {
  if (!head_scanner_.Scan(pending_)) return false;
  head_scanner_.Reset();
  return true;
}

bool ClientConnection::NextHeadArrives(std::chrono::microseconds wait) {
  if (HeadComplete()) return true;
  pollfd watched{socket_, POLLIN, 0};
  const auto whole_seconds = std::chrono::duration_cast<std::chrono::seconds>(wait);
  const timespec timeout{static_cast<time_t>(whole_seconds.count()),
                         static_cast<long>(std::chrono::nanoseconds(wait - whole_seconds).count())};
  if (::ppoll(&watched, 1, &timeout, nullptr) <= 0) return false;
  // On a close or an error the head waiter, given the connection, sees it again and drops it.
  return ReceiveAvailable() == Received::kBytes && HeadComplete();
}

ClientConnection::Received ClientConnection::ReceiveAvailable() {
  char chunk[16u << 10];
  const ssize_t received = ::recv(socket_, chunk, sizeof chunk, MSG_DONTWAIT);
  if (received < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
    return Received::kNothingYet;
  }
  if (received <= 0) return Received::kClosed;
  pending_.append(chunk, static_cast<std::size_t>(received));
  return Received::kBytes;
}

bool ClientConnection::SendUnsent(std::chrono::milliseconds pause) {
  std::size_t sent_so_far = 0;
  while (sent_so_far < unsent_.size()) {
    const ssize_t sent = ::send(socket_, unsent_.data() + sent_so_far, unsent_.size() - sent_so_far,
                                MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0) {
      sent_so_far += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    if (sent == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) break;
    pollfd watched{socket_, POLLOUT, 0};
    if (::poll(&watched, 1, static_cast<int>(pause.count())) <= 0) break;
  }
  const bool all_sent = sent_so_far == unsent_.size();
  unsent_.clear();
  return all_sent;
}

bool ClientConnection::SendWithoutWaiting(const std::string& bytes) {
  const ssize_t sent = ::send(socket_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  return sent == static_cast<ssize_t>(bytes.size());
}

}  // namespace patchcast::server
