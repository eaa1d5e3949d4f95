#include "server/client_connection.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

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

bool ClientConnection::SendWithoutWaiting(const std::string& bytes) {
  const ssize_t sent = ::send(socket_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  return sent == static_cast<ssize_t>(bytes.size());
}

}  // namespace patchcast::server
