// ReaderPool: a fixed set of read-only connections to one database, lent out one at a time.
//
// In WAL mode readers see the last committed state and neither block the writer nor are blocked by
// it, so N connections serve N concurrent reads without "database is locked". Borrow() waits while
// every connection is lent out. Ownership: the pool owns its connections; a Lease only borrows one
// and must not outlive the pool. Thread-safety: Borrow may be called from any number of threads at
// once; a Lease (and its connection) belongs to the thread that holds it.
#pragma once

#include <SQLiteCpp/Database.h>

#include <condition_variable>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "server/storage/connection.h"

namespace patchcast::storage {

class ReaderPool {
 public:
  // Exclusive use of one read-only connection until destruction, which returns it to the pool.
  // Every Statement made from it must be destroyed before the Lease is. Move-only.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    // Precondition: the Lease has not been moved from.
    SQLite::Database& operator*() const { return *connection_; }
    SQLite::Database* operator->() const { return connection_; }

   private:
    friend class ReaderPool;
    Lease(ReaderPool* pool, SQLite::Database* connection) : pool_(pool), connection_(connection) {}
    void Release() noexcept;

    ReaderPool* pool_;
    SQLite::Database* connection_;
  };

  // Opens `size` read-only connections to the database at `path` (OpenConnection,
  // AccessMode::kReadOnly, with `busy_timeout_ms`). The file must exist and be in WAL mode: open
  // the writer first. Returns the pool, or kInvalidArgument when size == 0, or OpenConnection's
  // Error for the first connection that fails.
  static Result<std::unique_ptr<ReaderPool>> Open(const std::filesystem::path& path,
                                                  std::size_t size, int busy_timeout_ms);

  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;
  // Precondition: no Lease is outstanding.
  ~ReaderPool() = default;

  // Returns a Lease on an idle connection, waiting as long as it takes for one to be returned.
  Lease Borrow();

  // Returns the number of connections.
  std::size_t size() const { return connections_.size(); }

 private:
  explicit ReaderPool(std::vector<std::unique_ptr<SQLite::Database>> connections);
  void Return(SQLite::Database* connection) noexcept;

  const std::vector<std::unique_ptr<SQLite::Database>> connections_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<SQLite::Database*> idle_;  // guarded by mutex_
};

}  // namespace patchcast::storage
