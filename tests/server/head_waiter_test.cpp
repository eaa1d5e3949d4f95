#include "server/head_waiter.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
#include <vector>

namespace patchcast::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// A connected socket pair: the server's end becomes a ClientConnection, the test writes to and
// reads from the client's end.
struct SocketPair {
  SocketPair() {
    int ends[2];
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, ends) == 0);
    server = ends[0];
    client = ends[1];
  }
  ~SocketPair() { ::close(client); }
  std::unique_ptr<ClientConnection> ServerEnd() const {
    return std::make_unique<ClientConnection>(server);
  }
  void Write(const std::string& bytes) const {
    REQUIRE(::write(client, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()));
  }
  // Everything the server end sent before it closed.
  std::string ReadToClose() const {
    std::string all;
    char chunk[4096];
    for (ssize_t n; (n = ::read(client, chunk, sizeof chunk)) > 0;) all.append(chunk, n);
    return all;
  }
  int server = -1;
  int client = -1;
};

// A clock the test moves by hand.
struct ManualClock {
  std::atomic<Clock::duration> elapsed{Clock::duration::zero()};
  Clock::time_point Now() const { return Clock::time_point{} + elapsed.load(); }
};

// The hooks' calls, as futures.
struct Calls {
  std::promise<HeadRefusal> refused;
  std::atomic<int> refusals{0};
  std::promise<std::unique_ptr<ClientConnection>> overflowed;
  std::atomic<int> overflows{0};
  std::atomic<std::size_t> last_waiting_count{99};
  std::atomic<int> waiting_changes{0};

  HeadWaiterHooks Hooks() {
    return {.refuse =
                [this](ClientConnection& connection, HeadRefusal refusal) {
                  connection.SendWithoutWaiting("refused");
                  if (refusals++ == 0) refused.set_value(refusal);
                },
            .overflow =
                [this](std::unique_ptr<ClientConnection> connection) {
                  if (overflows++ == 0) overflowed.set_value(std::move(connection));
                },
            .waiting_changed =
                [this](std::size_t count) {
                  last_waiting_count = count;
                  ++waiting_changes;
                }};
  }
};

HeadWaiterOptions Options(const ManualClock& clock, std::size_t max_queue = 8) {
  return {.idle_timeout = 1000s,
          .head_timeout = 10s,
          .max_head_bytes = 100,
          .max_queue = max_queue,
          .now = [&clock] { return clock.Now(); }};
}

// Waits until `condition` holds (the waiter works on other threads).
template <typename Condition>
bool WaitUntil(Condition condition) {
  const auto give_up = Clock::now() + 10s;
  while (!condition()) {
    if (Clock::now() > give_up) return false;
    std::this_thread::yield();
  }
  return true;
}

bool WaitUntilWaiting(const HeadWaiter& waiter, std::size_t count) {
  return WaitUntil([&] { return waiter.waiting() == count; });
}

// The waiter under test, with the clock the test moves and the hooks' calls.
struct WaiterTest {
  ManualClock clock;
  Calls calls;
  HeadWaiter waiter{Options(clock), calls.Hooks()};

  // Take() on a thread of its own, as a worker calls it.
  std::future<std::unique_ptr<ClientConnection>> TakeOnAWorker() {
    auto taken = std::async(std::launch::async, [this] { return waiter.Take(); });
    REQUIRE(WaitUntil([this] { return waiter.idle_takers() == 1; }));
    return taken;
  }
};

TEST_CASE_FIXTURE(WaiterTest, "a worker in Take() receives a head in pieces, then gets it whole") {
  SocketPair pair;
  auto taken = TakeOnAWorker();
  waiter.Add(pair.ServerEnd());
  pair.Write("GET / HTTP/1.1\r\nHost");
  REQUIRE(WaitUntil([&] { return calls.last_waiting_count == 1; }));
  pair.Write(": x\r\n\r\nGET /next");
  auto ready = taken.get();
  REQUIRE(ready != nullptr);
  CHECK(ready->pending() == "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next");
  CHECK(waiter.waiting() == 0);
  CHECK(calls.overflows == 0);
  // The scanner starts over, for the head that follows.
  ready->pending().erase(0, 27);
  CHECK_FALSE(ready->HeadComplete());
}

TEST_CASE_FIXTURE(WaiterTest, "a connection that already holds a whole head is queued at once") {
  SocketPair pair;
  auto connection = pair.ServerEnd();
  connection->pending() = "GET / HTTP/1.1\r\n\r\n";
  waiter.Add(std::move(connection));
  auto taken = waiter.Take();  // does not block
  REQUIRE(taken != nullptr);
  CHECK(taken->pending() == "GET / HTTP/1.1\r\n\r\n");
}

TEST_CASE_FIXTURE(WaiterTest,
                  "a head not complete by its deadline is refused, then its connection closed") {
  SocketPair pair;
  auto connection = pair.ServerEnd();
  connection->pending() = "GET / HTTP/1.1\r\n";
  waiter.Add(std::move(connection));
  REQUIRE(WaitUntilWaiting(waiter, 1));
  clock.elapsed = 10s;
  waiter.Wake();
  CHECK(calls.refused.get_future().get() == HeadRefusal::kTimedOut);
  CHECK(pair.ReadToClose() == "refused");
  CHECK(calls.refusals == 1);
}

TEST_CASE_FIXTURE(WaiterTest, "the head deadline runs from the head's first byte") {
  SocketPair pair;
  auto taken = TakeOnAWorker();
  waiter.Add(pair.ServerEnd());
  clock.elapsed = 999s;  // just short of the idle deadline
  pair.Write("GET / HTTP/1.1\r\n");
  // Added, taken by the worker, and waiting again with its head begun.
  REQUIRE(WaitUntil([&] { return calls.waiting_changes == 3; }));
  clock.elapsed = 1008s;  // past the idle deadline, within the head's
  waiter.Wake();
  pair.Write("\r\n");
  auto ready = taken.get();
  REQUIRE(ready != nullptr);
  CHECK(ready->pending() == "GET / HTTP/1.1\r\n\r\n");
  CHECK(calls.refusals == 0);
}

TEST_CASE_FIXTURE(WaiterTest, "an idle connection is closed at its deadline without an answer") {
  SocketPair pair;
  waiter.Add(pair.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 1));
  clock.elapsed = 1000s;
  waiter.Wake();
  CHECK(pair.ReadToClose().empty());
  CHECK(WaitUntilWaiting(waiter, 0));
  CHECK(calls.refusals == 0);
}

TEST_CASE_FIXTURE(WaiterTest, "a head growing past the size limit is refused") {
  SocketPair pair;
  SUBCASE("by the worker waiting in Take()") {
    auto taken = TakeOnAWorker();
    waiter.Add(pair.ServerEnd());
    pair.Write("GET /" + std::string(200, 'a'));
    CHECK(calls.refused.get_future().get() == HeadRefusal::kTooLarge);
    CHECK(pair.ReadToClose() == "refused");
    waiter.Stop();
    CHECK(taken.get() == nullptr);
  }
  SUBCASE("by the waiter's thread, while no worker waits") {
    waiter.Add(pair.ServerEnd());
    pair.Write("GET /" + std::string(200, 'a'));
    CHECK(calls.refused.get_future().get() == HeadRefusal::kTooLarge);
    CHECK(pair.ReadToClose() == "refused");
  }
}

TEST_CASE_FIXTURE(WaiterTest, "a connection the client closes is dropped") {
  auto pair = std::make_unique<SocketPair>();
  auto taken = TakeOnAWorker();
  waiter.Add(pair->ServerEnd());
  pair->Write("GET / HT");
  REQUIRE(WaitUntil([&] { return calls.waiting_changes == 3; }));
  pair.reset();
  CHECK(WaitUntilWaiting(waiter, 0));
  CHECK(calls.refusals == 0);
  waiter.Stop();
  CHECK(calls.last_waiting_count == 0);
  CHECK(taken.get() == nullptr);
}

TEST_CASE_FIXTURE(WaiterTest,
                  "Stop closes the waiting connections and ones added later, and ends Take()") {
  SocketPair waiting;
  auto taken = TakeOnAWorker();
  waiter.Add(waiting.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 1));
  waiter.Stop();
  CHECK(taken.get() == nullptr);
  CHECK(waiting.ReadToClose().empty());
  SocketPair late;
  waiter.Add(late.ServerEnd());
  CHECK(late.ReadToClose().empty());
  CHECK(waiter.waiting() == 0);
  CHECK(waiter.Take() == nullptr);
}

TEST_CASE_FIXTURE(WaiterTest, "after Stop, Take() still returns the whole heads queued before") {
  SocketPair pair;
  auto connection = pair.ServerEnd();
  connection->pending() = "GET / HTTP/1.1\r\n\r\n";
  waiter.Add(std::move(connection));
  waiter.Stop();
  CHECK(waiter.Take() != nullptr);
  CHECK(waiter.Take() == nullptr);
}

TEST_CASE("while no worker waits, whole heads are queued up to max_queue, the rest overflow") {
  ManualClock clock;
  Calls calls;
  HeadWaiter waiter(Options(clock, /*max_queue=*/1), calls.Hooks());
  SocketPair first, second;
  waiter.Add(first.ServerEnd());
  waiter.Add(second.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 2));
  first.Write("GET /first HTTP/1.1\r\n\r\n");
  second.Write("GET /second HTTP/1.1\r\n\r\n");
  auto overflowed = calls.overflowed.get_future().get();
  REQUIRE(overflowed != nullptr);
  auto queued = waiter.Take();  // does not block: it was queued
  REQUIRE(queued != nullptr);
  CHECK(queued->pending() != overflowed->pending());
  for (auto* connection : {queued.get(), overflowed.get()}) {
    CHECK((connection->pending() == "GET /first HTTP/1.1\r\n\r\n" ||
           connection->pending() == "GET /second HTTP/1.1\r\n\r\n"));
  }
  CHECK(calls.overflows == 1);
}

TEST_CASE("a head that comes while a worker waits goes to that worker, never to overflow") {
  ManualClock clock;
  Calls calls;
  HeadWaiter waiter(Options(clock, /*max_queue=*/0), calls.Hooks());
  SocketPair pair;
  waiter.Add(pair.ServerEnd());
  for (int request = 1; request <= 20; ++request) {
    auto taken = std::async(std::launch::async, [&] { return waiter.Take(); });
    REQUIRE(WaitUntil([&] { return waiter.idle_takers() == 1; }));
    const std::string head = "GET /" + std::to_string(request) + " HTTP/1.1\r\n\r\n";
    pair.Write(head);
    auto connection = taken.get();
    REQUIRE(connection != nullptr);
    CHECK(connection->pending() == head);
    connection->pending().clear();  // served
    waiter.Add(std::move(connection));
  }
  CHECK(calls.overflows == 0);
}

TEST_CASE("a connection given back with a pipelined head waits its turn behind earlier heads") {
  ManualClock clock;
  Calls calls;
  HeadWaiter waiter(Options(clock), calls.Hooks());
  SocketPair busy, other;
  waiter.Add(other.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 1));
  // While no worker waits (the only one is serving `busy`), `other`'s head comes.
  other.Write("GET /other HTTP/1.1\r\n\r\n");
  REQUIRE(WaitUntil([&] { return waiter.queued() == 1; }));
  auto served = busy.ServerEnd();
  served->pending() = "GET /busy/2 HTTP/1.1\r\n\r\n";
  waiter.Add(std::move(served));
  auto next = waiter.Take();
  REQUIRE(next != nullptr);
  CHECK(next->pending() == "GET /other HTTP/1.1\r\n\r\n");
  next = waiter.Take();
  REQUIRE(next != nullptr);
  CHECK(next->pending() == "GET /busy/2 HTTP/1.1\r\n\r\n");
}

TEST_CASE("a connection added while the waiter sleeps toward an earlier deadline is served") {
  ManualClock clock;
  Calls calls;
  HeadWaiter waiter(Options(clock), calls.Hooks());
  SocketPair first;
  waiter.Add(first.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 1));
  // The thread sleeps until the first connection's idle deadline; the second's is later, so
  // adding it does not wake the thread: its head's arrival must.
  clock.elapsed = 1s;
  SocketPair second;
  waiter.Add(second.ServerEnd());
  second.Write("GET / HTTP/1.1\r\n\r\n");
  auto connection = waiter.Take();
  REQUIRE(connection != nullptr);
  CHECK(connection->pending() == "GET / HTTP/1.1\r\n\r\n");
  CHECK(WaitUntilWaiting(waiter, 1));  // the first still waits
}

TEST_CASE("many workers serve many kept-alive connections, each request exactly once") {
  ManualClock clock;
  Calls calls;
  HeadWaiter waiter(Options(clock, /*max_queue=*/1000), calls.Hooks());
  constexpr int kWorkers = 4;
  constexpr int kConnections = 16;
  constexpr int kRequests = 50;
  std::atomic<int> served{0};
  std::atomic<int> sent_whole{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < kWorkers; ++i) {
    workers.emplace_back([&] {
      while (auto connection = waiter.Take()) {
        // Answers with the head's path, then gives the connection back.
        const std::string& pending = connection->pending();
        const std::string path = pending.substr(4, pending.find(' ', 4) - 4) + "\n";
        connection->pending().clear();
        if (connection->SendWithoutWaiting(path)) ++sent_whole;
        ++served;
        waiter.Add(std::move(connection));
      }
    });
  }
  std::vector<std::thread> clients;
  std::atomic<int> answered_right{0};
  for (int c = 0; c < kConnections; ++c) {
    clients.emplace_back([&, c] {
      SocketPair pair;
      waiter.Add(pair.ServerEnd());
      for (int r = 0; r < kRequests; ++r) {
        const std::string path = "/" + std::to_string(c) + "/" + std::to_string(r);
        const std::string head = "GET " + path + " HTTP/1.1\r\n\r\n";
        if (::write(pair.client, head.data(), head.size()) != static_cast<ssize_t>(head.size())) {
          return;
        }
        std::string answer;
        char byte = 0;
        while (::read(pair.client, &byte, 1) == 1 && byte != '\n') answer += byte;
        if (answer == path) ++answered_right;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  waiter.Stop();
  for (std::thread& worker : workers) worker.join();
  CHECK(answered_right == kConnections * kRequests);
  CHECK(served == kConnections * kRequests);
  CHECK(sent_whole == kConnections * kRequests);
  CHECK(calls.overflows == 0);
}

}  // namespace
}  // namespace patchcast::server
