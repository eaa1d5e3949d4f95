// The HTTP layer's defences against what cpp-httplib 0.11.4 lets through, against the real binary.
#include "tests/e2e/e2e.h"
#include "tests/support/exposition_check.h"

namespace patchcast::testing {
namespace {

// Returns the value of patchcast_http_requests_total for `route` and `status`, summed over methods.
double RequestsCounted(const ServerProcess& server, const std::string& route,
                       const std::string& status) {
  double total = 0;
  for (const auto& sample : CheckExposition(Get(server, "/metrics").body).samples) {
    if (sample.name == "patchcast_http_requests_total" && sample.labels.at("route") == route &&
        sample.labels.at("status") == status) {
      total += sample.value;
    }
  }
  return total;
}

TEST_CASE("a body over the limit is refused with 413 before it is read") {
  auto server = StartServer({.args = {"--max-body", "1KiB"}});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  // Only the headers are sent: the answer must not wait for the 100 MB the request announces.
  connection->Send(MakeRequest("POST", "/v1/admin/backups",
                               {"Content-Length: 104857600", "Content-Type: application/json"}));
  auto reply = connection->Read(std::chrono::seconds(5));
  REQUIRE(reply);
  CheckJsonError(*reply, 413, "payload_too_large");
  CHECK(Json(*reply)["error"]["message"].get<std::string>().find("1024") != std::string::npos);
  CHECK(reply->Header("Connection") == "close");
  CHECK(connection->PeerClosed());
}

TEST_CASE("bodies the library would read without bound are refused before reading") {
  auto server = StartServer();
  SUBCASE("chunked transfer coding: 411") {
    CheckJsonError(Call(*server,
                        "POST /v1/admin/backups HTTP/1.1\r\nHost: x\r\n"
                        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        "\r\n2\r\n{}\r\n0\r\n\r\n"),
                   411, "length_required");
  }
  SUBCASE("compressed body: 415") {
    CheckJsonError(Call(*server, MakeRequest("GET", "/v1", {"Content-Encoding: gzip"},
                                             std::string("\x1f\x8b\x08\x00", 4))),
                   415, "unsupported_media_type");
  }
  SUBCASE("duplicate Content-Length: 400") {
    CheckJsonError(Call(*server,
                        "GET /v1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
                        "Content-Length: 2\r\n\r\nab"),
                   400, "bad_request");
  }
  SUBCASE("a Range header: 416, with the error body whole") {
    HttpReply reply = Get(*server, "/v1", {"Range: bytes=0-3"});
    CheckJsonError(reply, 416, "range_not_satisfiable");
  }
  SUBCASE("a body on a route that takes none: 415") {
    CheckJsonError(Call(*server, MakeRequest("GET", "/v1", {"Content-Type: text/plain"}, "x")), 415,
                   "unsupported_media_type");
  }
}

TEST_CASE("a request smuggled in the body of a rejected request never runs") {
  auto server = StartServer();
  const std::string smuggled = MakeRequest("GET", "/openapi.yaml", {"X-Request-Id: smuggled-1"});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  connection->Send(MakeRequest("POST", "/nowhere", {"Content-Type: text/plain"}, smuggled));
  auto reply = connection->Read();
  REQUIRE(reply);
  CHECK(reply->status == 404);
  CHECK(connection->PeerClosed());
  CHECK(RequestsCounted(*server, "/openapi.yaml", "200") == 0);
  CHECK(server->Log().find("smuggled-1") == std::string::npos);
}

TEST_CASE("a smuggled request behind a rejected HEAD is refused, not run") {
  auto server = StartServer();
  const std::string smuggled = MakeRequest("GET", "/openapi.yaml", {"X-Request-Id: smuggled-2"});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  connection->Send(MakeRequest("HEAD", "/v1", {"Content-Type: text/plain"}, smuggled));
  auto reply = connection->Read(std::chrono::seconds(10), /*head_request=*/true);
  REQUIRE(reply);
  CHECK(reply->status == 415);
  auto second = connection->Read();
  if (second) CHECK(second->status == 400);  // the trailing bytes, refused
  CHECK(RequestsCounted(*server, "/openapi.yaml", "200") == 0);
}

// Made through the backup route, which only SQLite has (PostgreSQL answers 422).
TEST_CASE("a POST without Content-Length has an empty body and is answered at once" *
          doctest::skip(SuiteOnPostgres())) {
  auto server = StartServer();
  auto reply = Exchange(server->port(), "POST /v1/admin/backups HTTP/1.1\r\nHost: x\r\n\r\n");
  REQUIRE(reply);
  CHECK(reply->status == 201);
}

TEST_CASE("a body that does not arrive within the read timeout gets 408") {
  auto server = StartServer({.args = {"--read-timeout", "1"}});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  connection->Send(MakeRequest("POST", "/v1/admin/backups",
                               {"Content-Type: application/json", "Content-Length: 100"}) +
                   "{\"label\"");
  auto reply = connection->Read(std::chrono::seconds(10));
  REQUIRE(reply);
  CheckJsonError(*reply, 408, "request_timeout");
  CHECK(connection->PeerClosed());
}

TEST_CASE("malformed requests get the JSON 400 and the connection closes") {
  auto server = StartServer();
  SUBCASE("garbage request line") {
    auto connection = RawConnection::Open(server->port());
    connection->Send("NONSENSE\r\n\r\n");
    auto reply = connection->Read();
    REQUIRE(reply);
    CheckJsonError(*reply, 400, "bad_request");
    CHECK(connection->PeerClosed());
  }
  SUBCASE("a header line longer than 8 KiB") {
    HttpReply reply = Get(*server, "/healthz", {"X-Long: " + std::string(9000, 'a')});
    CheckJsonError(reply, 400, "bad_request");
  }
  SUBCASE("a request line longer than 8 KiB") {
    CheckJsonError(Get(*server, "/healthz?q=" + std::string(9000, 'a')), 414, "uri_too_long");
  }
}

TEST_CASE("the client address comes from the socket, never from a REMOTE_ADDR header") {
  auto server = StartServer();
  Get(*server, "/healthz", {"REMOTE_ADDR: 6.6.6.6", "X-Request-Id: spoof-1"});
  REQUIRE(server->WaitForLog("spoof-1", std::chrono::seconds(5)));
  CHECK(server->Log().find("6.6.6.6") == std::string::npos);
}

// Made through the backup route, which only SQLite has (PostgreSQL answers 422).
TEST_CASE("connections beyond the workers and the queue get 503 at once" *
          doctest::skip(SuiteOnPostgres())) {
  // One head waiter hands heads on in the order they came: the holder's takes the worker first.
  auto server =
      StartServer({.args = {"--threads", "1", "--max-queue", "0", "--head-waiters", "1"}});
  // The only worker is held by a request whose body has not all arrived.
  auto holder = RawConnection::Open(server->port());
  REQUIRE(holder);
  const std::string backup =
      MakeRequest("POST", "/v1/admin/backups", {"Content-Type: application/json"}, "{}");
  holder->Send(backup.substr(0, backup.size() - 1));
  // (GET /healthz itself is answered there: heavy_load_test.cpp.)
  HttpReply reply = Get(*server, "/v1");
  CheckJsonError(reply, 503, "unavailable");
  CHECK(reply.Header("Retry-After") == "1");
  holder->Send(backup.substr(backup.size() - 1));
  auto held = holder->Read();
  REQUIRE(held);
  CHECK(held->status == 201);
}

// Issue 13, item 7: heads that RFC 9112 wants refused, and that a lenient proxy in front may read
// otherwise. Each gets the JSON 400 and its connection closed, so nothing after it is read.
TEST_CASE("malformed heads get 400 and a closed connection (RFC 9112)") {
  auto server = StartServer();
  const auto refused = [&](const std::string& request, const std::string& message_part) {
    auto connection = RawConnection::Open(server->port());
    REQUIRE(connection);
    connection->Send(request);
    auto reply = connection->Read();
    REQUIRE(reply);
    CheckJsonError(*reply, 400, "bad_request");
    CHECK_MESSAGE(
        Json(*reply)["error"]["message"].get<std::string>().find(message_part) != std::string::npos,
        reply->body);
    CHECK(connection->PeerClosed());
  };
  SUBCASE("an HTTP/1.1 request without Host") {
    refused("GET /healthz HTTP/1.1\r\n\r\n", "without a Host header");
  }
  SUBCASE("two Host lines") {
    refused("GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "Host appears 2 times");
  }
  SUBCASE("whitespace before a header's colon, a smuggling seam") {
    // Served by its Content-Length, while a proxy that trims the name would have de-chunked it.
    refused(
        "POST /v1/admin/backups HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\n{}",
        "is not an RFC 9110 token");
  }
  SUBCASE("an obs-fold continuation line") {
    refused("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: one\r\n two: three\r\n\r\n",
            "is not an RFC 9110 token");
  }
  SUBCASE("NUL in a header value") {
    refused(std::string("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\0b\r\n\r\n", 47),
            "control character");
  }
  SUBCASE("a bare CR in a header value") {
    refused("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Note: a\rb\r\n\r\n", "control character");
  }
}

TEST_CASE("an escaped slash stays inside its path segment") {
  auto server = StartServer({.args = {"--demo", "--demo-end", "2026-11-14T00:00:00Z"}});
  REQUIRE(Get(*server, "/v1/series/demo-login/points?max_points=10").status == 200);
  // Decoded before routing, this was /v1/series/demo-login/points and served the points.
  HttpReply escaped = Get(*server, "/v1/series/demo-login%2Fpoints?max_points=10");
  CHECK(escaped.status != 200);
  CHECK(escaped.status >= 400);
  CHECK(escaped.status < 500);
  // Other escapes still decode: %2D is '-'.
  CHECK(Get(*server, "/v1/series/demo%2Dlogin").status == 200);
}

}  // namespace
}  // namespace patchcast::testing
