#include "server/connection_stream.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
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

// What the client can read now, without waiting.
std::string Received(const ConnectedSocket& connected) {
  std::string bytes(1 << 20, '\0');
  const ssize_t read = ::recv(connected.client, bytes.data(), bytes.size(), MSG_DONTWAIT);
  bytes.resize(read > 0 ? static_cast<std::size_t>(read) : 0);
  return bytes;
}

TEST_CASE("writes reach the client") {
  ConnectedSocket connected;
  ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s));
  CHECK(stream.is_writable());
  CHECK(stream.write("HTTP/1.1 200 OK\r\n", 17) == 17);
  CHECK(stream.Flush());
  CHECK(Received(connected) == "HTTP/1.1 200 OK\r\n");
}

TEST_CASE("a small write is held and leaves with the next one, in order, in one piece") {
  ConnectedSocket connected;
  ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s));
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 20000\r\n\r\n";
  const std::string body(20000, 'b');
  CHECK(stream.write(head.data(), head.size()) == static_cast<ssize_t>(head.size()));
  CHECK(Received(connected).empty());
  // Larger than what is held: both go out now, the head first.
  CHECK(stream.write(body.data(), body.size()) == static_cast<ssize_t>(body.size()));
  CHECK(Received(connected) == head + body);
}

TEST_CASE("held bytes go out on Flush and when the stream ends") {
  ConnectedSocket connected;
  {
    ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s));
    CHECK(stream.write("HTTP/1.1 204 No Content\r\n", 25) == 25);
    CHECK(stream.write("\r\n", 2) == 2);
    CHECK(Received(connected).empty());
  }
  CHECK(Received(connected) == "HTTP/1.1 204 No Content\r\n\r\n");
}

TEST_CASE("held bytes go out before the stream waits to read: an interim 100 Continue") {
  ConnectedSocket connected;
  connected.connection->pending() = "PUT /a HTTP/1.1\r\nExpect: 100-continue\r\n\r\n";
  ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s));
  CHECK(ReadSome(stream, 1000).size() == connected.connection->pending().size());
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  CHECK(stream.write(interim.data(), interim.size()) == static_cast<ssize_t>(interim.size()));
  connected.Send("body");  // as the client would once it has the interim answer
  CHECK(stream.is_readable());
  CHECK(Received(connected) == interim);
  CHECK(ReadSome(stream, 100) == "body");
}

// kNeverWaits: for the head waiter's thread, which answers polled reads for every connection.

TEST_CASE(
    "never waiting, a read past the received bytes fails at once, even with more on the socket") {
  ConnectedSocket connected;
  connected.connection->pending() = "head";
  connected.Send("body");
  ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s),
                          StreamMode::kNeverWaits);
  CHECK(stream.is_readable());
  CHECK(ReadSome(stream, 100) == "head");
  CHECK_FALSE(stream.is_readable());
  char byte = 0;
  CHECK(stream.read(&byte, 1) == -1);
  CHECK_FALSE(stream.deadline_passed());
}

TEST_CASE("never waiting, what the socket has no room for is kept, in order, as unsent bytes") {
  ConnectedSocket connected;
  connected.ShrinkServerSendBuffer();
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n";
  std::string body(1u << 20, '\0');
  for (std::size_t i = 0; i < body.size(); ++i) body[i] = static_cast<char>('a' + i % 26);
  {
    ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s),
                            StreamMode::kNeverWaits);
    CHECK(stream.is_writable());
    CHECK(stream.write(head.data(), head.size()) == static_cast<ssize_t>(head.size()));
    // All of it is taken, though the socket holds a fraction: the write never waits.
    CHECK(stream.write(body.data(), body.size()) == static_cast<ssize_t>(body.size()));
    CHECK(stream.write("tail", 4) == 4);
    CHECK(stream.Flush());
  }
  const std::string& unsent = connected.connection->unsent();
  REQUIRE_FALSE(unsent.empty());
  const std::string sent = Received(connected);
  CHECK(sent.size() + unsent.size() == head.size() + body.size() + 4);
  CHECK(sent + unsent == head + body + "tail");
}

TEST_CASE("never waiting, an answer the socket takes whole leaves nothing unsent") {
  ConnectedSocket connected;
  {
    ConnectionStream stream(*connected.connection, Limits(std::chrono::steady_clock::now() + 60s),
                            StreamMode::kNeverWaits);
    const std::string body(40000, 'x');  // over the held bytes' limit: sent at once
    CHECK(stream.write("HTTP/1.1 200 OK\r\n\r\n", 19) == 19);
    CHECK(stream.write(body.data(), body.size()) == static_cast<ssize_t>(body.size()));
  }
  CHECK(connected.connection->unsent().empty());
  CHECK(connected.ReadUntil(19 + 40000).size() == 19 + 40000);
}

}  // namespace
}  // namespace patchcast::server
