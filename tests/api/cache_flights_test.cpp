// CacheFlights: callers missing the same entry at once share one maker's result; a flight that
// landed is forgotten; a maker's exception reaches its caller while the waiters get nothing.
#include "api/cache_flights.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <thread>
#include <vector>

#include "api/response_cache.h"

namespace patchcast::api {
namespace {

using Entry = CacheFlights::Entry;

Entry MakeEntry(std::string body) {
  Response response;
  response.body = std::move(body);
  return std::make_shared<const CachedResponse>(CachedResponse{{}, std::move(response), "e"});
}

// Waits until `count` callers wait for the flight of `key`; fails the test after 10 s.
void AwaitWaiting(const CacheFlights& flights, const std::string& key, std::size_t count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (flights.Waiting(key) < count) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::yield();
  }
}

// A maker that blocks until released, so that others can join its flight meanwhile.
struct HeldMaker {
  std::atomic<int> calls{0};
  std::promise<void> started;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();

  Entry operator()(Entry result) {
    if (calls.fetch_add(1) == 0) started.set_value();
    released.wait();
    return result;
  }
};

TEST_CASE("callers missing one entry at once run one maker and share its entry") {
  CacheFlights flights;
  HeldMaker maker;
  const Entry made = MakeEntry("plan");
  std::future<Entry> first = std::async(
      std::launch::async, [&] { return flights.Join("k", [&] { return maker(made); }); });
  maker.started.get_future().wait();
  std::vector<std::future<Entry>> others;
  for (int i = 0; i < 3; ++i) {
    others.push_back(std::async(std::launch::async, [&] {
      return flights.Join("k", [&] { return maker(MakeEntry("another")); });
    }));
  }
  AwaitWaiting(flights, "k", 3);
  CHECK(flights.Waiting("other key") == 0);
  maker.release.set_value();
  CHECK(first.get() == made);
  for (auto& other : others) CHECK(other.get() == made);
  CHECK(maker.calls == 1);

  // Landed, it is forgotten: the next miss makes again.
  CHECK(flights.Waiting("k") == 0);
  const Entry again = flights.Join("k", [] { return MakeEntry("again"); });
  CHECK(again->response.body == "again");
}

TEST_CASE("waiters get null when the maker keeps nothing, and when it throws") {
  CacheFlights flights;
  for (const bool throws : {false, true}) {
    CAPTURE(throws);
    HeldMaker maker;
    std::future<Entry> first = std::async(std::launch::async, [&] {
      return flights.Join("k", [&]() -> Entry {
        maker(nullptr);
        if (throws) throw std::runtime_error("handler failed");
        return nullptr;
      });
    });
    maker.started.get_future().wait();
    std::future<Entry> waiter = std::async(std::launch::async, [&] {
      return flights.Join("k", [] { return MakeEntry("must not run"); });
    });
    AwaitWaiting(flights, "k", 1);
    maker.release.set_value();
    CHECK(waiter.get() == nullptr);
    if (throws) {
      CHECK_THROWS_AS(first.get(), std::runtime_error);
    } else {
      CHECK(first.get() == nullptr);
    }
    CHECK(flights.Waiting("k") == 0);
  }
}

TEST_CASE("a response cache keeps what a flight made, and other stamps do not wait for it") {
  ResponseCache cache;
  HeldMaker maker;
  const CacheStamp stamp{7, 0};
  std::future<Entry> first = std::async(std::launch::async, [&] {
    return cache.FindOrMake("key", stamp, [&] {
      Entry entry = maker(std::make_shared<const CachedResponse>(
          CachedResponse{stamp, MakeEntry("events")->response, "e"}));
      cache.Keep("key", entry);
      return entry;
    });
  });
  maker.started.get_future().wait();
  // Another stamp is another entry: it is made while the first is still under way.
  const Entry newer = cache.FindOrMake("key", {8, 0}, [] { return MakeEntry("newer"); });
  CHECK(newer->response.body == "newer");
  maker.release.set_value();
  const Entry made = first.get();
  CHECK(cache.FindOrMake("key", stamp, [] { return MakeEntry("must not run"); }) == made);
}

}  // namespace
}  // namespace patchcast::api
