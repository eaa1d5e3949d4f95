// PgPool: a bounded pool of PostgreSQL connections shared by every PostgreSQL repository.
//
// At most `size` connections exist at once. They are opened on demand, kept while healthy and
// handed out one caller at a time through a Lease, which returns its connection when destroyed.
// A caller that finds its connection broken discards it (Lease::Discard); the idle ones are
// dropped with it, since a lost connection usually means the server restarted and they are
// stale too; later borrowers get new connections. Borrowing waits at most `borrow_timeout` for a
// free slot, plus the connection string's connect_timeout (5 s by default, pg_url.h) when it opens
// a new connection, so a saturated or unreachable database is an answer (kUnavailable), never a
// hang. Ownership: the pool owns its connections; a Lease must not outlive the pool.
// Thread-safety: Borrow may be called from any number of threads; a Lease belongs to one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "core/result.h"

namespace patchcast::storage::pg {

struct PgPoolOptions {
  // A libpq connection string (PgConnectionString's result). Holds secrets: never logged.
  std::string connection_string;
  std::size_t size = 4;  // the most connections open at once; >= 1. Default 4.
  // The longest Borrow waits for a connection to come free. Default 5 s.
  std::chrono::milliseconds borrow_timeout{5000};
};

class PgPool {
 public:
  // A borrowed connection. Move-only; returns the connection to the pool when destroyed, unless
  // it was discarded or is no longer open.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease();

    pqxx::connection& operator*() const { return *connection_; }
    pqxx::connection* operator->() const { return connection_.get(); }

    // Closes the connection instead of returning it, and drops the pool's idle connections too.
    void Discard();

   private:
    friend class PgPool;
    Lease(PgPool& pool, std::unique_ptr<pqxx::connection> connection)
        : pool_(&pool), connection_(std::move(connection)) {}

    PgPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
  };

  // Opens no connection yet. Precondition: options.size >= 1.
  explicit PgPool(PgPoolOptions options);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;
  // Closes the idle connections. Precondition: no Lease is outstanding.
  ~PgPool() = default;

  // Returns an idle connection if there is one, else a new one while fewer than `size` are open,
  // else waits up to `borrow_timeout` for one to be returned or discarded. Errors:
  //   kUnavailable "all N database connections are busy (waited T ms)";
  //   kUnavailable "cannot connect to the database (<libpq's reason>)" when a new connection
  //                fails (server down, refused, authentication failed). libpq's reasons never
  //                hold the password.
  Result<Lease> Borrow();

  // Connections open now, idle and lent out. For tests and metrics.
  std::size_t open_count() const;
  const PgPoolOptions& options() const { return options_; }

 private:
  void Return(std::unique_ptr<pqxx::connection> connection);
  void Drop();  // forgets one lent-out connection and the idle ones
  Result<Lease> Connect();

  const PgPoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t open_ = 0;  // idle, lent out, or being opened
};

}  // namespace patchcast::storage::pg
