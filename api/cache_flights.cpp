#include "api/cache_flights.h"

#include <utility>

namespace patchcast::api {

CacheFlights::Entry CacheFlights::Join(const std::string& key, const std::function<Entry()>& make) {
  std::unique_lock lock(mutex_);
  auto [slot, first] = flights_.try_emplace(key, nullptr);
  if (!first) {
    const std::shared_ptr<Flight> flight = slot->second;
    ++flight->waiting;
    landed_.wait(lock, [&] { return flight->landed; });
    return flight->entry;
  }
  slot->second = std::make_shared<Flight>();
  const std::shared_ptr<Flight> flight = slot->second;
  lock.unlock();
  Entry entry;
  try {
    entry = make();
  } catch (...) {
    Land(key, *flight, nullptr);
    throw;
  }
  Land(key, *flight, entry);
  return entry;
}

std::size_t CacheFlights::Waiting(const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto slot = flights_.find(key);
  return slot == flights_.end() ? 0 : slot->second->waiting;
}

void CacheFlights::Land(const std::string& key, Flight& flight, Entry entry) {
  {
    std::lock_guard lock(mutex_);
    flight.entry = std::move(entry);
    flight.landed = true;
    flights_.erase(key);
  }
  landed_.notify_all();
}

}  // namespace patchcast::api
