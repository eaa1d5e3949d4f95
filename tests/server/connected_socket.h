// ConnectedSocket: a ClientConnection over one end of a Unix socket pair, with the other end for
// the test to write to and read from, as a client would.
#pragma once

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "server/client_connection.h"

namespace patchcast::server {

struct ConnectedSocket {
  ConnectedSocket() {
    int ends[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends) == 0);
    connection = std::make_unique<ClientConnection>(ends[0]);
    client = ends[1];
  }
  ~ConnectedSocket() { ::close(client); }
  ConnectedSocket(const ConnectedSocket&) = delete;
  ConnectedSocket& operator=(const ConnectedSocket&) = delete;

  // Makes the server end's send buffer as small as the system allows, so a write fills it soon.
  void ShrinkServerSendBuffer() const {
    const int smallest = 1;
    REQUIRE(::setsockopt(connection->socket(), SOL_SOCKET, SO_SNDBUF, &smallest, sizeof smallest) ==
            0);
  }

  // Reads from the client's end, waiting, until `size` bytes have come or the server end closes.
  std::string ReadUntil(std::size_t size) const {
    std::string bytes;
    char chunk[64u << 10];
    while (bytes.size() < size) {
      const ssize_t read = ::read(client, chunk, sizeof chunk);
      if (read <= 0) break;
      bytes.append(chunk, static_cast<std::size_t>(read));
    }
    return bytes;
  }

  // Sends `bytes` from the client's end.
  void Send(const std::string& bytes) const {
    REQUIRE(::write(client, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }

  std::unique_ptr<ClientConnection> connection;
  int client = -1;
};

}  // namespace patchcast::server
