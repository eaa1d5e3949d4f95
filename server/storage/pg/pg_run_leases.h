// PgRunLeases: forecasting::RunLeases as PostgreSQL session advisory locks
// (pg_try_advisory_lock), so that replicas on one database make each due run once.
//
// The locks live on one connection of their own, outside the pool: a run holding its lease then
// never takes one of the pool's connections from the work it does. The server releases them all
// when that connection closes, which is how a replica that dies hands its leases over. A name
// maps to a lock by hashtext(name), in a lock class no other Patchcast lock uses; two names that
// hash alike share a lock, which at worst defers one of them to a later pass.
//
// Advisory locks are re-entrant within a session, so two threads of one process may both take a
// name: the scheduler's own turns (server/scheduler.h) keep one process to one run of a series.
// Thread-safe: the connection is used under a mutex, one short statement at a time. A lease must
// not outlive the PgRunLeases that made it.
#pragma once

#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <string_view>

#include "forecasting/run_leases.h"

namespace patchcast::storage::pg {

class PgRunLeases final : public forecasting::RunLeases {
 public:
  // `connection_string` as the pool's (PgConnectionString); connects on first use.
  explicit PgRunLeases(std::string connection_string)
      : connection_string_(std::move(connection_string)) {}

  // Reconnects when the connection was lost (whose leases the server then released). Errors:
  // kUnavailable when the database cannot be reached.
  Result<std::unique_ptr<Lease>> TryTake(std::string_view name) override;

 private:
  class HeldLease;

  // Releases `name`'s lock if this connection still holds it. Best effort: a lost connection
  // released it already.
  void Release(const std::string& name);

  const std::string connection_string_;
  std::mutex mutex_;
  std::unique_ptr<pqxx::connection> connection_;  // guarded by mutex_
};

}  // namespace patchcast::storage::pg
