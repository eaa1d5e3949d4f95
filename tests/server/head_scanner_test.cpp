#include "server/head_scanner.h"

#include <doctest/doctest.h>

#include <string>

namespace patchcast::server {
namespace {

TEST_CASE("a head ends with the empty line after its request line") {
  HeadScanner scanner;
  const std::string head = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  CHECK(scanner.Scan(head + "body") == head.size());
}

TEST_CASE("a head arriving byte by byte is found once its last byte is in") {
  const std::string head = "POST /v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n";
  HeadScanner scanner;
  std::string received;
  for (std::size_t i = 0; i + 1 < head.size(); ++i) {
    received += head[i];
    CHECK_FALSE(scanner.Scan(received));
  }
  received += head.back();
  CHECK(scanner.Scan(received) == head.size());
}

TEST_CASE("an empty first line is the request line, not the end of the head") {
  HeadScanner scanner;
  CHECK_FALSE(scanner.Scan("\r\n"));
  CHECK(scanner.Scan("\r\n\r\n") == 4u);
}

TEST_CASE("a bare LF line does not end the head, as the parser skips it") {
  HeadScanner scanner;
  CHECK_FALSE(scanner.Scan("GET / HTTP/1.1\r\nHost: x\n\n"));
  CHECK(scanner.Scan("GET / HTTP/1.1\r\nHost: x\n\n\r\n") == 27u);
}

TEST_CASE("Reset starts over for the next head") {
  HeadScanner scanner;
  CHECK(scanner.Scan("GET /a HTTP/1.1\r\n\r\n") == 19u);
  scanner.Reset();
  CHECK_FALSE(scanner.Scan("GET /b HTTP/1.1\r\n"));
  CHECK(scanner.Scan("GET /b HTTP/1.1\r\nHost: y\r\n\r\n") == 28u);
}

}  // namespace
}  // namespace patchcast::server
