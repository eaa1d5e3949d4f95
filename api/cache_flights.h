// CacheFlights: one maker per missing cache entry. When many pollers miss the same entry at once
// (every KEDA scaler when a plan/current second turns, every dashboard after an upload), the first
// makes it and the others wait for that one and share what it made, instead of each reading and
// rendering the same document: the rendering runs once, and nobody queues behind copies of it.
//
// Thread-safe. A flight is known by a key that names the entry and what it is made from (the
// cache key and its stamp); it lands, and is forgotten, when its maker returns or throws.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace patchcast::api {

struct CachedResponse;

class CacheFlights {
 public:
  using Entry = std::shared_ptr<const CachedResponse>;

  // Runs `make` unless a flight of `key` is under way; then waits for it to land and returns what
  // its maker returned (null too: the caller then answers on its own). If `make` throws, the
  // exception goes to this caller and the waiters get null.
  Entry Join(const std::string& key, const std::function<Entry()>& make);

  // How many callers are waiting for the flight of `key` (0 when there is none), for tests.
  std::size_t Waiting(const std::string& key) const;

 private:
  struct Flight {
    Entry entry;
    bool landed = false;
    std::size_t waiting = 0;
  };

  void Land(const std::string& key, Flight& flight, Entry entry);

  mutable std::mutex mutex_;
  std::condition_variable landed_;                                    // with mutex_
  std::unordered_map<std::string, std::shared_ptr<Flight>> flights_;  // guarded by mutex_
};

}  // namespace patchcast::api
