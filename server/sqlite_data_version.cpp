#include "server/sqlite_data_version.h"

#include <SQLiteCpp/Exception.h>

namespace patchcast::server {

std::uint64_t SqliteDataVersion::Current() const {
  storage::ReaderPool::Lease reader = readers_.Borrow();
  try {
    const std::int64_t seen = reader->execAndGet("PRAGMA data_version").getInt64();
    // Advanced while the lease is held: no other caller can read this reader's new value first.
    if (Changed(&*reader, seen)) return version_.fetch_add(1, std::memory_order_acq_rel) + 1;
    return version_.load(std::memory_order_acquire);
  } catch (const SQLite::Exception&) {
    return version_.fetch_add(1, std::memory_order_acq_rel) + 1;
  }
}

bool SqliteDataVersion::Changed(const SQLite::Database* reader, std::int64_t seen) const {
  std::lock_guard lock(mutex_);
  auto [slot, first] = seen_.try_emplace(reader, seen);
  if (first) return true;
  if (slot->second == seen) return false;
  slot->second = seen;
  return true;
}

}  // namespace patchcast::server
