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

  // Sends `bytes` from the client's end.
  void Send(const std::string& bytes) const {
    REQUIRE(::write(client, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }

  std::unique_ptr<ClientConnection> connection;
  int client = -1;
};

}  // namespace patchcast::server
