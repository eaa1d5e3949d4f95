#include "server/connection_workers.h"

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/server/connected_socket.h"

namespace patchcast::server {
namespace {

// What `take` hands the workers: the connections put in, then null once closed and emptied.
struct Source {
  std::mutex mutex;
  std::vector<std::unique_ptr<ClientConnection>> connections;
  std::latch closed{1};

  void Put(std::unique_ptr<ClientConnection> connection) {
    std::lock_guard lock(mutex);
    connections.push_back(std::move(connection));
  }
  std::unique_ptr<ClientConnection> Take() {
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (!connections.empty()) {
          auto connection = std::move(connections.back());
          connections.pop_back();
          return connection;
        }
      }
      if (closed.try_wait()) return nullptr;
      std::this_thread::yield();
    }
  }
};

std::unique_ptr<ClientConnection> Connection(std::vector<std::unique_ptr<ConnectedSocket>>& ends) {
  ends.push_back(std::make_unique<ConnectedSocket>());
  return std::move(ends.back()->connection);
}

TEST_CASE("workers serve what `take` gives them until it returns null") {
  Source source;
  std::vector<std::unique_ptr<ConnectedSocket>> ends;
  for (int i = 0; i < 20; ++i) source.Put(Connection(ends));
  std::atomic<int> served{0};
  std::atomic<int> overflow_seen{0};
  ConnectionWorkers workers(
      3, [&] { return source.Take(); },
      [&](std::unique_ptr<ClientConnection>) {
        if (ConnectionWorkers::Current().overflow) ++overflow_seen;
        ++served;
      });
  source.closed.count_down();
  workers.Shutdown();
  CHECK(served == 20);
  CHECK(overflow_seen == 0);
}

TEST_CASE("connections given to Overflow are served on the overflow thread, marked overflow") {
  Source source;
  std::vector<std::unique_ptr<ConnectedSocket>> ends;
  std::promise<bool> overflow_marked;
  std::latch release(1);
  std::atomic<int> served{0};
  ConnectionWorkers workers(
      1, [&] { return source.Take(); },
      [&](std::unique_ptr<ClientConnection>) {
        if (ConnectionWorkers::Current().overflow) {
          overflow_marked.set_value(true);
        } else {
          release.wait();  // the only worker stays busy
        }
        ++served;
      });
  source.Put(Connection(ends));
  workers.Overflow(Connection(ends));
  CHECK(overflow_marked.get_future().get());  // served while the worker is held
  release.count_down();
  source.closed.count_down();
  workers.Shutdown();
  CHECK(served == 2);
}

TEST_CASE("connection state is reset for every connection") {
  Source source;
  std::vector<std::unique_ptr<ConnectedSocket>> ends;
  source.Put(Connection(ends));
  source.Put(Connection(ends));
  std::atomic<int> poisoned_seen{0};
  ConnectionWorkers workers(
      1, [&] { return source.Take(); },
      [&](std::unique_ptr<ClientConnection>) {
        if (ConnectionWorkers::Current().poisoned) ++poisoned_seen;
        ConnectionWorkers::Current().poisoned = true;
      });
  source.closed.count_down();
  workers.Shutdown();
  CHECK(poisoned_seen == 0);
}

TEST_CASE("Shutdown serves the overflow connections queued, then closes later ones") {
  Source source;
  std::vector<std::unique_ptr<ConnectedSocket>> ends;
  std::atomic<int> served{0};
  {
    ConnectionWorkers workers(
        1, [&] { return source.Take(); }, [&](std::unique_ptr<ClientConnection>) { ++served; });
    for (int i = 0; i < 10; ++i) workers.Overflow(Connection(ends));
    source.closed.count_down();
    workers.Shutdown();
    CHECK(served == 10);
    workers.Overflow(Connection(ends));
    workers.Shutdown();  // idempotent
  }
  CHECK(served == 10);
}

}  // namespace
}  // namespace patchcast::server
