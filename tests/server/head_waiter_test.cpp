#include "server/head_waiter.h"

#include <doctest/doctest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <string>
#include <thread>

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
  std::promise<std::unique_ptr<ClientConnection>> ready;
  std::promise<HeadRefusal> refused;
  std::atomic<int> refusals{0};
  std::atomic<int> held{0};  // the sum of the changes told

  HeadWaiterHooks Hooks() {
    return {.ready =
                [this](std::unique_ptr<ClientConnection> connection) {
                  ready.set_value(std::move(connection));
                },
            .refuse =
                [this](ClientConnection& connection, HeadRefusal refusal) {
                  connection.SendWithoutWaiting("refused");
                  if (refusals++ == 0) refused.set_value(refusal);
                },
            .held_changed = [this](int change) { held += change; }};
  }
};

HeadWaiterOptions Options(const ManualClock& clock) {
  return {.idle_timeout = 1000s, .head_timeout = 10s, .max_head_bytes = 100, .now = [&clock] {
            return clock.Now();
          }};
}

// Waits until the waiter holds `count` connections (it works on its own thread).
bool WaitUntilWaiting(const HeadWaiter& waiter, std::size_t count) {
  const auto give_up = Clock::now() + 10s;
  while (waiter.waiting() != count) {
    if (Clock::now() > give_up) return false;
    std::this_thread::yield();
  }
  return true;
}

// The waiter under test, with the clock the test moves and the hooks' calls.
struct WaiterTest {
  ManualClock clock;
  Calls calls;
  HeadWaiter waiter{Options(clock), calls.Hooks()};
};

TEST_CASE_FIXTURE(WaiterTest, "a connection is handed on once its whole head has arrived") {
  SocketPair pair;
  waiter.Add(pair.ServerEnd());
  pair.Write("GET / HTTP/1.1\r\nHost");
  pair.Write(": x\r\n\r\nGET /next");
  auto ready = calls.ready.get_future().get();
  CHECK(ready->pending() == "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /next");
  CHECK(waiter.waiting() == 0);
  // The scanner starts over, for the head that follows.
  ready->pending().erase(0, 27);
  CHECK_FALSE(ready->HeadComplete());
}

TEST_CASE_FIXTURE(WaiterTest, "a connection that already holds a whole head is handed on at once") {
  SocketPair pair;
  auto connection = pair.ServerEnd();
  connection->pending() = "GET / HTTP/1.1\r\n\r\n";
  waiter.Add(std::move(connection));
  CHECK(calls.ready.get_future().get()->pending() == "GET / HTTP/1.1\r\n\r\n");
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
  waiter.Add(pair.ServerEnd());
  pair.Write("GET /" + std::string(200, 'a'));
  CHECK(calls.refused.get_future().get() == HeadRefusal::kTooLarge);
  CHECK(pair.ReadToClose() == "refused");
}

TEST_CASE_FIXTURE(WaiterTest, "a connection the client closes is dropped") {
  auto pair = std::make_unique<SocketPair>();
  waiter.Add(pair->ServerEnd());
  pair->Write("GET / HT");
  REQUIRE(WaitUntilWaiting(waiter, 1));
  CHECK(calls.held == 1);
  pair.reset();
  CHECK(WaitUntilWaiting(waiter, 0));
  CHECK(calls.held == 0);
  CHECK(calls.refusals == 0);
}

TEST_CASE_FIXTURE(WaiterTest, "a connection given back while the thread sleeps is held at once") {
  SocketPair first;
  waiter.Add(first.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 1));
  // The thread sleeps toward the first one's deadline, which the second's does not precede: it is
  // not woken, and takes the second only later. The waiter holds both all the same.
  SocketPair second;
  waiter.Add(second.ServerEnd());
  CHECK(calls.held == 2);
  waiter.Stop();
  CHECK(calls.held == 0);
}

TEST_CASE_FIXTURE(WaiterTest, "Stop closes the waiting connections, and ones added later") {
  SocketPair waiting;
  waiter.Add(waiting.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 1));
  waiter.Stop();
  CHECK(waiting.ReadToClose().empty());
  SocketPair late;
  waiter.Add(late.ServerEnd());
  CHECK(late.ReadToClose().empty());
  CHECK(waiter.waiting() == 0);
}

// Connections handed on, in order, for tests that see more than one.
struct ReadyQueue {
  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<std::unique_ptr<ClientConnection>> ready;

  HeadWaiterHooks Hooks() {
    return {.ready =
                [this](std::unique_ptr<ClientConnection> connection) {
                  {
                    std::lock_guard lock(mutex);
                    ready.push_back(std::move(connection));
                  }
                  arrived.notify_all();
                },
            .refuse = [](ClientConnection&, HeadRefusal) {},
            .held_changed = nullptr};
  }

  // The next connection handed on, or null after 10 s without one.
  std::unique_ptr<ClientConnection> Take() {
    std::unique_lock lock(mutex);
    if (!arrived.wait_for(lock, 10s, [this] { return !ready.empty(); })) return nullptr;
    auto connection = std::move(ready.front());
    ready.pop_front();
    return connection;
  }
};

TEST_CASE("a connection added back after its request waits for its next head") {
  ManualClock clock;
  ReadyQueue handed_on;
  HeadWaiter waiter(Options(clock), handed_on.Hooks());
  SocketPair pair;
  waiter.Add(pair.ServerEnd());
  pair.Write("GET /1 HTTP/1.1\r\n\r\n");
  auto connection = handed_on.Take();
  REQUIRE(connection != nullptr);
  for (int request = 2; request <= 4; ++request) {
    connection->pending().clear();  // served
    waiter.Add(std::move(connection));
    const std::string head = "GET /" + std::to_string(request) + " HTTP/1.1\r\n\r\n";
    pair.Write(head);
    connection = handed_on.Take();
    REQUIRE(connection != nullptr);
    CHECK(connection->pending() == head);
  }
}

TEST_CASE("a connection added while the waiter sleeps toward an earlier deadline is served") {
  ManualClock clock;
  ReadyQueue handed_on;
  HeadWaiter waiter(Options(clock), handed_on.Hooks());
  SocketPair first;
  waiter.Add(first.ServerEnd());
  REQUIRE(WaitUntilWaiting(waiter, 1));
  // The thread sleeps until the first connection's idle deadline; the second's is later, so
  // adding it does not wake the thread: its head's arrival must.
  clock.elapsed = 1s;
  SocketPair second;
  waiter.Add(second.ServerEnd());
  second.Write("GET / HTTP/1.1\r\n\r\n");
  auto connection = handed_on.Take();
  REQUIRE(connection != nullptr);
  CHECK(connection->pending() == "GET / HTTP/1.1\r\n\r\n");
  CHECK(WaitUntilWaiting(waiter, 1));  // the first still waits
}

}  // namespace
}  // namespace patchcast::server
