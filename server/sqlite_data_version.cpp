#include "server/sqlite_data_version.h"

#include <SQLiteCpp/Exception.h>

#include <utility>

namespace patchcast::server {
namespace {

std::optional<storage::WalIndexHeader> FindWalIndex(storage::ReaderPool& readers) {
  storage::ReaderPool::Lease reader = readers.Borrow();
  return storage::WalIndexHeader::Of(*reader);
}

}  // namespace

SqliteDataVersion::SqliteDataVersion(storage::ReaderPool& readers)
    : SqliteDataVersion(readers, FindWalIndex(readers)) {}

SqliteDataVersion::SqliteDataVersion(storage::ReaderPool& readers,
                                     std::optional<storage::WalIndexHeader> header)
    : readers_(readers), header_(std::move(header)) {}

std::uint64_t SqliteDataVersion::Current() const {
  return header_ ? CurrentFromHeader() : CurrentFromPragma();
}

std::uint64_t SqliteDataVersion::CurrentFromHeader() const {
  const std::optional<storage::WalIndexHeader::Words> seen = header_->Read();
  std::lock_guard lock(mutex_);
  // Several callers may read the header at once and take the lock in another order, so the last
  // header recorded can be an older one than another caller saw: the next call then advances the
  // counter once more, which costs a cache miss, never a stale answer.
  if (!seen || seen != last_header_) {
    last_header_ = seen;
    ++version_;
  }
  return version_;
}

std::uint64_t SqliteDataVersion::CurrentFromPragma() const {
  storage::ReaderPool::Lease reader = readers_.Borrow();
  std::int64_t seen = 0;
  try {
    seen = reader->execAndGet("PRAGMA data_version").getInt64();
  } catch (const SQLite::Exception&) {
    std::lock_guard lock(mutex_);
    return ++version_;
  }
  // Advanced while the lease is held: no other caller can read this reader's new value first.
  std::lock_guard lock(mutex_);
  if (Changed(&*reader, seen)) ++version_;
  return version_;
}

bool SqliteDataVersion::Changed(const SQLite::Database* reader, std::int64_t seen) const {
  auto [slot, first] = seen_.try_emplace(reader, seen);
  if (first) return true;
  if (slot->second == seen) return false;
  slot->second = seen;
  return true;
}

}  // namespace patchcast::server
