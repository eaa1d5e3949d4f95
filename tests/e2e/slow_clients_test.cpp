// Slow and idle clients against the real binary (issue 13, item 3): they wait for their heads
// without a worker, each head and each body has a total deadline, and heads have a size limit.
#include <atomic>
#include <thread>
#include <vector>

#include "tests/e2e/e2e.h"
#include "tests/support/exposition_check.h"

namespace patchcast::testing {
namespace {

TEST_CASE("connections sending a head slowly hold no worker") {
  // One worker and one queue slot: if these held the worker, the GET below would get 503. (The
  // slot is for a request that arrives while the worker finishes the one before.)
  auto server = StartServer({.args = {"--threads", "1", "--max-queue", "1"}});
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 50; ++i) {
    auto connection = RawConnection::Open(server->port());
    REQUIRE(connection);
    REQUIRE(connection->Send("GET /v1/series HTTP/1.1\r\nHost: x\r\nX-Slow: " +
                             std::string(static_cast<std::size_t>(i), 'a')));
    slow.push_back(std::move(connection));
  }
  CHECK(Get(*server, "/v1/series").status == 200);
  // And each slow head is served once it is complete.
  REQUIRE(slow.front()->Send("\r\n\r\n"));
  auto reply = slow.front()->Read();
  REQUIRE(reply);
  CHECK(reply->status == 200);
}

TEST_CASE("idle kept-alive connections hold no worker") {
  auto server = StartServer({.args = {"--threads", "1", "--max-queue", "1"}});
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 20; ++i) {
    auto connection = RawConnection::Open(server->port());
    REQUIRE(connection);
    REQUIRE(connection->Send(MakeRequest("GET", "/healthz")));
    auto reply = connection->Read();
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->Header("Connection") != "close");
    idle.push_back(std::move(connection));
  }
  CHECK(Get(*server, "/v1/series").status == 200);
  // A kept-alive connection serves its next request.
  REQUIRE(idle.back()->Send(MakeRequest("GET", "/v1/series")));
  auto again = idle.back()->Read();
  REQUIRE(again);
  CHECK(again->status == 200);
}

TEST_CASE("the waiting-connections gauge counts the idle connections of every head waiter") {
  // Four waiters, each holding its share of the connections: the gauge is their sum.
  auto server = StartServer({.args = {"--head-waiters", "4", "--keep-alive-timeout", "600"}});
  constexpr int kIdle = 12;
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < kIdle; ++i) {
    auto connection = RawConnection::Open(server->port());
    REQUIRE(connection);
    REQUIRE(connection->Send(MakeRequest("GET", "/healthz")));
    REQUIRE(connection->Read());
    idle.push_back(std::move(connection));
  }
  // Scraped on one more kept-alive connection, which is being served, not waiting, as the gauge is
  // read. Each idle connection is counted once its worker has handed it back: a state is awaited,
  // not time.
  auto scraper = RawConnection::Open(server->port());
  REQUIRE(scraper);
  double waiting = -1;
  for (int scrape = 0; scrape < 50 && waiting != kIdle; ++scrape) {
    REQUIRE(scraper->Send(MakeRequest("GET", "/metrics")));
    const auto reply = scraper->Read();
    REQUIRE(reply);
    for (const auto& sample : CheckExposition(reply->body).samples) {
      if (sample.name == "patchcast_http_connections_waiting") waiting = sample.value;
    }
  }
  CHECK(waiting == kIdle);
}

TEST_CASE("a head not complete within --header-timeout gets 408 and a closed connection") {
  auto server = StartServer({.args = {"--header-timeout", "1"}});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  REQUIRE(connection->Send("GET /v1/series HTTP/1.1\r\nHost: x\r\n"));
  auto reply = connection->Read(std::chrono::seconds(10));
  REQUIRE(reply);
  CheckJsonError(*reply, 408, "request_timeout");
  CHECK(Json(*reply)["error"]["message"].get<std::string>().find("request head") !=
        std::string::npos);
  CHECK(connection->PeerClosed());
}

TEST_CASE("a head over 64 KiB gets 431 and a closed connection") {
  auto server = StartServer();
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  std::string head = "GET /v1/series HTTP/1.1\r\nHost: x\r\n";
  while (head.size() <= (64u << 10)) head += "X-Filler: " + std::string(1000, 'f') + "\r\n";
  REQUIRE(connection->Send(head));
  auto reply = connection->Read();
  REQUIRE(reply);
  CheckJsonError(*reply, 431, "header_fields_too_large");
  CHECK(connection->PeerClosed());
}

TEST_CASE("a body has a total deadline, shorter than the pause allowed between its bytes") {
  auto server = StartServer({.args = {"--body-timeout", "1", "--read-timeout", "60"}});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  const std::string upload =
      MakeRequest("POST", "/v1/admin/backups", {"Content-Type: application/json"}, "{}");
  REQUIRE(connection->Send(upload.substr(0, upload.size() - 1)));
  // Answered once the body deadline passes, long before the 60 s pause would end.
  auto reply = connection->Read(std::chrono::seconds(20));
  REQUIRE(reply);
  CheckJsonError(*reply, 408, "request_timeout");
  CHECK(connection->PeerClosed());
}

TEST_CASE("pipelined requests are answered in order on one connection") {
  auto server = StartServer();
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  REQUIRE(connection->Send(MakeRequest("GET", "/healthz", {"X-Request-Id: first-1"}) +
                           MakeRequest("GET", "/readyz", {"X-Request-Id: second-2"}) +
                           MakeRequest("GET", "/v1/series", {"X-Request-Id: third-3"})));
  for (const char* id : {"first-1", "second-2", "third-3"}) {
    auto reply = connection->Read();
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->Header("X-Request-Id") == id);
  }
}

TEST_CASE("a kept-alive connection is closed after --keep-alive-max requests") {
  auto server = StartServer({.args = {"--keep-alive-max", "3"}});
  auto connection = RawConnection::Open(server->port());
  REQUIRE(connection);
  for (int request = 1; request <= 3; ++request) {
    REQUIRE(connection->Send(MakeRequest("GET", "/healthz")));
    auto reply = connection->Read();
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK((reply->Header("Connection") == "close") == (request == 3));
  }
  CHECK(connection->PeerClosed());
}

TEST_CASE("a client sending requests back to back does not hold the only worker") {
  // Its next request waits its turn like any other: another client is answered meanwhile.
  auto server = StartServer({.args = {"--threads", "1", "--keep-alive-max", "100000"}});
  constexpr int kRequests = 3000;
  std::atomic<int> busy_answered{0};
  std::atomic<bool> busy_stopped{false};  // so that a client failing early cannot hang the wait
  std::thread busy([&] {
    auto connection = RawConnection::Open(server->port());
    for (int request = 0; connection && request < kRequests; ++request) {
      if (!connection->Send(MakeRequest("GET", "/healthz"))) break;
      auto reply = connection->Read();
      if (!reply || reply->status != 200) break;
      ++busy_answered;
    }
    busy_stopped = true;
  });
  while (busy_answered < 10 && !busy_stopped) std::this_thread::yield();
  const HttpReply other = Get(*server, "/v1/series");
  const int answered_before = busy_answered;
  busy.join();
  CHECK(other.status == 200);
  CHECK(answered_before >= 10);
  CHECK(answered_before < kRequests);
  CHECK(busy_answered == kRequests);
}

TEST_CASE("polled answers a client has not read yet reach it whole and in order; others go on") {
  // Polled reads are answered on the head waiters' threads, which never wait for a client: what a
  // socket cannot take at once is left to a worker to send. Here the only worker waits for this
  // client to read, and other clients' polled reads are answered meanwhile.
  auto server = StartServer({.args = {"--threads", "1", "--max-queue", "1"}});
  const std::string path = "/v1/calendars/microsoft/events.ics?from=2000-01-01&to=2030-12-31";
  const HttpReply expected = Get(*server, path);
  REQUIRE(expected.status == 200);
  REQUIRE(expected.body.size() > (200u << 10));
  constexpr int kAnswers = 50;  // over 10 MB: more than the two sockets' buffers hold
  auto slow = RawConnection::Open(server->port());
  REQUIRE(slow);
  std::string requests;
  for (int i = 0; i < kAnswers; ++i) {
    requests += MakeRequest("GET", path, {"X-Request-Id: slow-" + std::to_string(i)});
  }
  REQUIRE(slow->Send(requests));
  for (int i = 0; i < 5; ++i) CHECK(Get(*server, "/v1/series").status == 200);
  for (int i = 0; i < kAnswers; ++i) {
    auto reply = slow->Read();
    REQUIRE(reply);
    CHECK(reply->Header("X-Request-Id") == "slow-" + std::to_string(i));
    CHECK(reply->body == expected.body);
  }
}

}  // namespace
}  // namespace patchcast::testing
