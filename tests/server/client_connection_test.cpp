#include "server/client_connection.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/server/connected_socket.h"

namespace patchcast::server {
namespace {

TEST_CASE("bytes that have arrived are received and appended to the pending ones") {
  ConnectedSocket connected;
  connected.connection->pending() = "GET /c HTTP/1.1\r\n";
  connected.Send("Host: x\r\n\r\n");
  CHECK(connected.connection->ReceiveAvailable() == ClientConnection::Received::kBytes);
  CHECK(connected.connection->pending() == "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(connected.connection->HeadComplete());
}

TEST_CASE("nothing sent: nothing received, without waiting") {
  ConnectedSocket connected;
  CHECK(connected.connection->ReceiveAvailable() == ClientConnection::Received::kNothingYet);
  CHECK(connected.connection->pending().empty());
}

TEST_CASE("a client that closed is told apart from one that sent nothing yet") {
  ConnectedSocket connected;
  ::close(connected.client);
  connected.client = -1;
  CHECK(connected.connection->ReceiveAvailable() == ClientConnection::Received::kClosed);
}

TEST_CASE("HeadComplete starts over after each head") {
  ConnectedSocket connected;
  std::string& pending = connected.connection->pending();
  pending = "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n";
  CHECK(connected.connection->HeadComplete());
  pending.erase(0, 19);
  CHECK_FALSE(connected.connection->HeadComplete());
  pending += "\r\n";
  CHECK(connected.connection->HeadComplete());
}

}  // namespace
}  // namespace patchcast::server
