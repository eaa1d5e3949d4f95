#include "server/storage/wal_index_header.h"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <atomic>
#include <cstddef>
#include <string>

namespace patchcast::storage {
namespace {

// The wal-index is mapped in pages of this size (walformat.html; WALINDEX_PGSZ in wal.c). The
// header is at the start of the first.
constexpr int kWalIndexPageBytes = 32768;

// isInit, the header's byte 12, is set once the header has been written.
bool IsInitialised(const WalIndexHeader::Words& words) {
  return reinterpret_cast<const unsigned char*>(words.data())[12] != 0;
}

// True when the connection keeps its wal-index in the -shm file, where other processes' commits
// land: WAL mode, and not locking_mode=EXCLUSIVE (which keeps it on the heap).
bool SharesWalIndex(SQLite::Database& connection) {
  try {
    return connection.execAndGet("PRAGMA journal_mode").getString() == "wal" &&
           connection.execAndGet("PRAGMA locking_mode").getString() == "normal";
  } catch (const SQLite::Exception&) {
    return false;
  }
}

// The connection's mapping of the wal-index's first page, or null. A read transaction first, so
// that SQLite has opened and mapped it (it does so lazily); mapping again then returns the same
// region without extending the file.
const volatile void* MapFirstPage(SQLite::Database& connection) {
  try {
    connection.execAndGet("PRAGMA schema_version");
  } catch (const SQLite::Exception&) {
    return nullptr;
  }
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(connection.getHandle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) !=
          SQLITE_OK ||
      file == nullptr || file->pMethods == nullptr || file->pMethods->iVersion < 2 ||
      file->pMethods->xShmMap == nullptr) {
    return nullptr;
  }
  volatile void* region = nullptr;
  if (file->pMethods->xShmMap(file, 0, kWalIndexPageBytes, 0, &region) != SQLITE_OK) {
    return nullptr;
  }
  return region;
}

}  // namespace

std::optional<WalIndexHeader> WalIndexHeader::Of(SQLite::Database& connection) {
  if (!SharesWalIndex(connection)) return std::nullopt;
  const volatile void* region = MapFirstPage(connection);
  if (region == nullptr) return std::nullopt;
  const auto* shared = static_cast<const volatile std::uint32_t*>(region);
  // The format version is the same in both copies and never rewritten with another value by this
  // SQLite, so one look tells whether Read() will ever understand the header.
  if (shared[0] != kFormatVersion) return std::nullopt;
  return WalIndexHeader(shared);
}

std::optional<WalIndexHeader::Words> WalIndexHeader::ReadCopies(
    const volatile std::uint32_t* shared) {
  Words first;
  Words second;
  for (std::size_t i = 0; i < first.size(); ++i) first[i] = shared[i];
  // The writer stores the second copy, a barrier, then the first: loading in the opposite order,
  // with the loads kept in order, two equal copies are one whole header.
  std::atomic_thread_fence(std::memory_order_acquire);
  for (std::size_t i = 0; i < second.size(); ++i) second[i] = shared[first.size() + i];
  if (first != second || first[0] != kFormatVersion || !IsInitialised(first)) return std::nullopt;
  return first;
}

}  // namespace patchcast::storage
