#include "api/response_cache.h"

#include <mutex>
#include <string>

namespace patchcast::api {

std::size_t CachedBytes(std::string_view key, const CachedResponse& entry) {
  std::size_t bytes = key.size() + entry.response.body.size() + entry.etag.size() +
                      entry.response.content_type.size() + sizeof(CachedResponse);
  for (const auto& [name, value] : entry.response.headers.fields()) {
    bytes += name.size() + value.size();
  }
  return bytes;
}

std::shared_ptr<const CachedResponse> ResponseCache::Find(const std::string& key,
                                                          CacheStamp stamp) const {
  {
    std::shared_lock lock(mutex_);
    auto slot = slots_.find(key);
    if (slot != slots_.end() && slot->second.entry->stamp == stamp) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return slot->second.entry;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

std::shared_ptr<const CachedResponse> ResponseCache::FindOrMake(
    const std::string& key, CacheStamp stamp,
    const std::function<std::shared_ptr<const CachedResponse>()>& make) {
  if (auto kept = Find(key, stamp)) return kept;
  const std::string flight =
      key + '\n' + std::to_string(stamp.data_version) + '\n' + std::to_string(stamp.second);
  return flights_.Join(flight, make);
}

void ResponseCache::Keep(std::string key, std::shared_ptr<const CachedResponse> entry) {
  const std::size_t bytes = CachedBytes(key, *entry);
  if (bytes > max_bytes_ / 4) return;
  std::unique_lock lock(mutex_);
  if (entry->stamp.data_version < newest_version_) return;
  if (entry->stamp.data_version > newest_version_) DropOlderThan(entry->stamp.data_version);
  if (auto old = slots_.find(key); old != slots_.end()) Remove(old);
  while (!order_.empty() && bytes_ + bytes > max_bytes_) Remove(slots_.find(order_.front()));
  order_.push_back(key);
  slots_.emplace(std::move(key), Slot{std::move(entry), std::prev(order_.end()), bytes});
  bytes_ += bytes;
}

ResponseCacheStats ResponseCache::Stats() const {
  std::shared_lock lock(mutex_);
  return {hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed),
          slots_.size(), bytes_};
}

void ResponseCache::Remove(std::unordered_map<std::string, Slot>::iterator slot) {
  bytes_ -= slot->second.bytes;
  order_.erase(slot->second.age);
  slots_.erase(slot);
}

void ResponseCache::DropOlderThan(std::uint64_t data_version) {
  newest_version_ = data_version;
  for (auto slot = slots_.begin(); slot != slots_.end();) {
    auto next = std::next(slot);
    if (slot->second.entry->stamp.data_version < data_version) Remove(slot);
    slot = next;
  }
}

}  // namespace patchcast::api
