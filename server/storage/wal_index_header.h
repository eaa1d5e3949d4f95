// WalIndexHeader: reads the header of a WAL-mode database's wal-index (the shared memory of its
// -shm file), without a lock or a system call, to tell whether any connection of any process may
// have committed since an earlier read.
//
// Why this is exact. The wal-index is documented in https://www.sqlite.org/walformat.html ("The
// WAL-Index Format"). Its first 96 bytes are two copies of the 48-byte wal-index header, which
// every commit rewrites: among its fields are mxFrame, the last valid commit frame of the WAL;
// iChange, a counter incremented with each transaction; and the WAL's salts, which change when the
// WAL restarts from its beginning. A committing connection writes the header's second copy, then
// a memory barrier, then the first copy, before its commit returns; a reader that reads the first
// copy, a barrier, then the second, and finds them equal, holds one whole header (wal.c,
// walIndexWriteHdr and walIndexTryHdr: SQLite's own readers begin every transaction this way).
// So a read that begins after a commit has returned sees that commit's header or a later one.
// Headers do not repeat: iChange alone would need 2^32 commits to come back to a value.
//
// What it is not: a checkpoint does not change the header, and a WAL restart by a checkpoint
// (wal_checkpoint(RESTART|TRUNCATE)) changes it without any change of data. So "the header
// differs" means "the data may have changed": never missed, sometimes a false alarm.
//
// Ownership: borrows the mapping of the connection it was made from; that connection must stay
// open while this object is used (SQLite unmaps the wal-index only when the process's last
// connection to the file closes). Thread-safe: Read() only loads from shared memory and may run
// while another thread uses the connection.
#pragma once

#include <SQLiteCpp/Database.h>

#include <array>
#include <cstdint>
#include <optional>

namespace patchcast::storage {

class WalIndexHeader {
 public:
  // One copy of the header, as raw 32-bit words in the host's byte order.
  using Words = std::array<std::uint32_t, 12>;

  // The version of the wal-index format that SQLite writes into the header's first word (every
  // release since 3.7.0). Another value means a format this class does not know.
  static constexpr std::uint32_t kFormatVersion = 3007000;

  // Finds the wal-index of the database `connection` has open, which must be in WAL mode and not
  // in use by another thread during the call. Returns nullopt when it cannot be read here: the
  // database is not in WAL mode, its VFS offers no shared memory (or keeps it on the heap, as in
  // locking_mode=EXCLUSIVE), or the header is not in a known format. Callers then need another way
  // (such as PRAGMA data_version) to notice commits.
  static std::optional<WalIndexHeader> Of(SQLite::Database& connection);

  // The header now: one whole copy, or nullopt while a commit is rewriting it (the two copies
  // differ), before it is first written, or when it is not in a known format. A caller that
  // gets nullopt must assume that the data may have changed.
  std::optional<Words> Read() const { return ReadCopies(shared_); }

  // Read()'s rule over `shared`, which points to the wal-index's first 96 bytes (the two copies of
  // the header); exposed for tests, which cannot make SQLite stop halfway through a commit.
  static std::optional<Words> ReadCopies(const volatile std::uint32_t* shared);

 private:
  explicit WalIndexHeader(const volatile std::uint32_t* shared) : shared_(shared) {}

  const volatile std::uint32_t* shared_;
};

}  // namespace patchcast::storage
