#include "server/client_connection.h"

#include <doctest/doctest.h>

#include <string>
#include <thread>

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

TEST_CASE("unsent bytes are sent whole, waiting for the client to make room") {
  ConnectedSocket connected;
  connected.ShrinkServerSendBuffer();
  std::string answer(2u << 20, '\0');
  for (std::size_t i = 0; i < answer.size(); ++i) answer[i] = static_cast<char>('A' + i % 23);
  connected.connection->unsent() = answer;
  std::string received;
  std::thread reader([&] { received = connected.ReadUntil(answer.size()); });
  const bool sent = connected.connection->SendUnsent(10s);
  reader.join();
  CHECK(sent);
  CHECK(connected.connection->unsent().empty());
  CHECK(received == answer);
}

TEST_CASE("unsent bytes a client makes no room for within the pause fail the connection") {
  ConnectedSocket connected;
  connected.ShrinkServerSendBuffer();
  connected.connection->unsent() = std::string(2u << 20, 'z');
  CHECK_FALSE(connected.connection->SendUnsent(0ms));
  CHECK(connected.connection->unsent().empty());
}

}  // namespace
}  // namespace patchcast::server
