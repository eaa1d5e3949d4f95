#include "server/client_connection.h"

#include <doctest/doctest.h>

#include <string>

#include "tests/server/connected_socket.h"

namespace patchcast::server {
namespace {

using namespace std::chrono_literals;

TEST_CASE("a head already pending (pipelined) is found without waiting for the socket") {
  ConnectedSocket connected;
  connected.connection->pending() = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  CHECK(connected.connection->NextHeadArrives(0us));
}

TEST_CASE("a next head that has arrived on the socket is received") {
  ConnectedSocket connected;
  connected.Send("GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(connected.connection->NextHeadArrives(10s));
  CHECK(connected.connection->pending() == "GET /c HTTP/1.1\r\nHost: x\r\n\r\n");
}

TEST_CASE("a head cut short stays pending, for the head waiter to finish") {
  ConnectedSocket connected;
  connected.Send("GET /d HTTP/1.1\r\nHo");
  CHECK_FALSE(connected.connection->NextHeadArrives(10s));
  CHECK(connected.connection->pending() == "GET /d HTTP/1.1\r\nHo");
  connected.Send("st: x\r\n\r\n");
  CHECK(connected.connection->NextHeadArrives(10s));
}

TEST_CASE("nothing sent: no head") {
  ConnectedSocket connected;
  CHECK_FALSE(connected.connection->NextHeadArrives(0us));
  CHECK(connected.connection->pending().empty());
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
