#include "server/work_slots.h"

#include <doctest/doctest.h>

#include <future>
#include <thread>

namespace patchcast::server {
namespace {

using std::chrono::milliseconds;

TEST_CASE("slots are taken up to their number, then refused and counted") {
  WorkSlots slots(2, milliseconds{0});
  CHECK(slots.slots() == 2);
  CHECK(slots.TryAcquire());
  CHECK(slots.TryAcquire());
  CHECK(slots.in_use() == 2);
  CHECK_FALSE(slots.TryAcquire());
  CHECK(slots.refused() == 1);
  slots.Release();
  CHECK(slots.in_use() == 1);
  CHECK(slots.TryAcquire());
  CHECK(slots.refused() == 1);
}

TEST_CASE("a waiter gets the slot a release frees within its wait") {
  // The wait is long enough never to elapse: the waiter can only succeed through the release.
  WorkSlots slots(1, milliseconds{600'000});
  REQUIRE(slots.TryAcquire());
  std::promise<void> waiting;
  auto waiter = std::async(std::launch::async, [&] {
    waiting.set_value();
    return slots.TryAcquire();
  });
  waiting.get_future().wait();
  slots.Release();
  CHECK(waiter.get());
  CHECK(slots.in_use() == 1);
  CHECK(slots.refused() == 0);
}

TEST_CASE("a permit gives its slot back when destroyed") {
  WorkSlots slots(1, milliseconds{0});
  {
    REQUIRE(slots.TryAcquire());
    api::WorkPermit permit(slots);
    CHECK(permit.held());
    CHECK_FALSE(slots.TryAcquire());
  }
  CHECK(slots.in_use() == 0);
}

TEST_CASE("the default is one slot per hardware thread, at least one") {
  CHECK(DefaultWorkSlots() >= 1);
  if (std::thread::hardware_concurrency() > 0) {
    CHECK(DefaultWorkSlots() == std::thread::hardware_concurrency());
  }
}

}  // namespace
}  // namespace patchcast::server
