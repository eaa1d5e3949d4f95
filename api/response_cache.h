// ResponseCache: successful GET responses kept until the data they were made from changes, so that
// pollers (dashboards, KEDA) are answered without a database read, a rendering or an ETag hash.
//
// An entry is stamped with the data version (api/data_version.h) it was made at and, for a route
// whose answer also depends on the clock, the second it was made in; a lookup with any other stamp
// misses. Entries of an older data version are dropped as soon as a newer one is kept. Memory is
// bounded by `max_bytes` (bodies and keys): beyond it the oldest entries go first, and a response
// larger than a quarter of it is never kept. Thread-safe; lookups share a lock.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "api/cache_flights.h"
#include "api/http_types.h"

namespace patchcast::api {

// What a cached response was made from.
struct CacheStamp {
  std::uint64_t data_version = 0;
  std::int64_t second = 0;  // the clock's second, for a route that reads the clock; else 0
  bool operator==(const CacheStamp&) const = default;
};

// A kept response and its strong ETag, computed once.
struct CachedResponse {
  CacheStamp stamp;
  Response response;
  std::string etag;
};

struct ResponseCacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

class ResponseCache {
 public:
  static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20;

  explicit ResponseCache(std::size_t max_bytes = kDefaultMaxBytes) : max_bytes_(max_bytes) {}

  // Returns the entry kept under `key` with exactly `stamp`, or null (counted as a miss).
  std::shared_ptr<const CachedResponse> Find(const std::string& key, CacheStamp stamp) const;

  // Find, and on a miss the entry made by `make` (api/cache_flights.h): the first caller missing
  // `key` at `stamp` runs it, and callers missing the same meanwhile wait and share its result.
  // `make` keeps what it makes (Keep) and returns it, or returns null for a response not to keep,
  // which tells the waiters to answer on their own.
  std::shared_ptr<const CachedResponse> FindOrMake(
      const std::string& key, CacheStamp stamp,
      const std::function<std::shared_ptr<const CachedResponse>()>& make);

  // Keeps `entry` under `key`, replacing any entry there. Does nothing when a newer data version
  // has been kept already (the entry is stale) or when the entry is too large.
  void Keep(std::string key, std::shared_ptr<const CachedResponse> entry);

  ResponseCacheStats Stats() const;

  // Counts a request that may have changed state (any method but GET and HEAD), once its handler
  // has returned and before its client hears of it: part of every stamp the dispatcher makes, so
  // that state a handler keeps in memory and publishes after its commit (the calendar catalog) is
  // never served from an entry made before.
  void CountWrite() { writes_.fetch_add(1, std::memory_order_acq_rel); }
  std::uint64_t writes() const { return writes_.load(std::memory_order_acquire); }

 private:
  struct Slot {
    std::shared_ptr<const CachedResponse> entry;
    std::list<std::string>::iterator age;  // position in order_
    std::size_t bytes = 0;
  };

  void Remove(std::unordered_map<std::string, Slot>::iterator slot);
  void DropOlderThan(std::uint64_t data_version);

  const std::size_t max_bytes_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Slot> slots_;  // guarded by mutex_
  std::list<std::string> order_;                 // keys, oldest first; guarded by mutex_
  std::size_t bytes_ = 0;                        // guarded by mutex_
  std::uint64_t newest_version_ = 0;             // guarded by mutex_
  mutable std::atomic<std::uint64_t> hits_{0};
  mutable std::atomic<std::uint64_t> misses_{0};
  std::atomic<std::uint64_t> writes_{0};
  CacheFlights flights_;
};

// The cost of keeping `entry` under `key`, in bytes: what max_bytes bounds.
std::size_t CachedBytes(std::string_view key, const CachedResponse& entry);

}  // namespace patchcast::api
