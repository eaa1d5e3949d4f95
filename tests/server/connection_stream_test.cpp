#include "server/connection_stream.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <string>

#include "tests/server/connected_socket.h"

namespace patchcast::server {
namespace {

using namespace std::chrono_literals;

StreamLimits Limits(std::chrono::steady_clock::time_point deadline) {
  return {.read_deadline = deadline, .read_pause = 10s, .write_pause = 10s};
}

std::string ReadSome(ConnectionStream& stream, std::size_t size) {
  std::string bytes(size, '\0');
  const ssize_t read = stream.read(bytes.data(), size);
  bytes.resize(read > 0 ? static_cast<std::size_t>(read) : 0);
  return bytes;
}

TEST_CASE("the pending bytes are read first, then the socket's") {
  ConnectedSocket connected;
  connected.connection->pending() = "head";
  connected.Send("body");
  ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s));
  CHECK(stream.is_readable());
  CHECK(ReadSome(stream, 2) == "he");
  CHECK(ReadSome(stream, 100) == "ad");
  CHECK(ReadSome(stream, 100) == "body");
}

TEST_CASE("bytes the library did not read stay pending for the next request") {
  ConnectedSocket connected;
  connected.connection->pending() = "GET /a\r\n\r\nGET /b";
  {
    ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s));
    CHECK(ReadSome(stream, 10) == "GET /a\r\n\r\n");
  }
  CHECK(connected.connection->pending() == "GET /b");
}

TEST_CASE("a read after the deadline fails, even with the socket readable") {
  ConnectedSocket connected;
  connected.Send("late");
  ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() - 1ms));
  char byte = 0;
  CHECK(stream.read(&byte, 1) == -1);
  CHECK(stream.deadline_passed());
}

TEST_CASE("writes reach the client") {
  ConnectedSocket connected;
  ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s));
  CHECK(stream.is_writable());
  CHECK(stream.write("HTTP/1.1 200 OK\r\n", 17) == 17);
  char received[32] = {};
  CHECK(::read(connected.client, received, sizeof received) == 17);
  CHECK(std::string(received) == "HTTP/1.1 200 OK\r\n");
}

}  // namespace
}  // namespace patchcast::server
