#include "server/connection_workers.h"

#include <doctest/doctest.h>

#include <atomic>
#include <future>
#include <latch>

namespace patchcast::server {
namespace {

TEST_CASE("connections beyond the workers and the queue are served as overflow") {
  ConnectionWorkers workers(1, 1);
  std::latch release(1);
  std::promise<bool> first_overflow, second_overflow, third_overflow;
  std::latch first_started(1);
  workers.enqueue([&] {
    first_overflow.set_value(ConnectionWorkers::Current().overflow);
    first_started.count_down();
    release.wait();
  });
  first_started.wait();  // the only worker is now busy
  workers.enqueue([&] { second_overflow.set_value(ConnectionWorkers::Current().overflow); });
  workers.enqueue([&] { third_overflow.set_value(ConnectionWorkers::Current().overflow); });
  CHECK(third_overflow.get_future().get());  // served at once by the overflow thread
  release.count_down();
  CHECK_FALSE(first_overflow.get_future().get());
  CHECK_FALSE(second_overflow.get_future().get());  // it waited in the queue
  workers.shutdown();
}

TEST_CASE("connection state is reset for every connection") {
  ConnectionWorkers workers(1, 8);
  std::promise<bool> poisoned_seen;
  workers.enqueue([] { ConnectionWorkers::Current().poisoned = true; });
  workers.enqueue([&] { poisoned_seen.set_value(ConnectionWorkers::Current().poisoned); });
  CHECK_FALSE(poisoned_seen.get_future().get());
}

TEST_CASE("shutdown serves what is queued, then stops") {
  std::atomic<int> served{0};
  {
    ConnectionWorkers workers(2, 100);
    for (int i = 0; i < 50; ++i) workers.enqueue([&] { ++served; });
    workers.shutdown();
    CHECK(served == 50);
  }
  CHECK(served == 50);
}

}  // namespace
}  // namespace patchcast::server
