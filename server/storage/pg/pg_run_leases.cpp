#include "server/storage/pg/pg_run_leases.h"

#include <pqxx/nontransaction>

#include "server/storage/pg/pg_error.h"

namespace patchcast::storage::pg {
namespace {

// The advisory lock class of run leases: the bytes of "patc" as an int. Locks taken with two int
// keys never meet the migrations' single bigint key (pg_migrations.h).
constexpr int kLeaseClass = 0x70617463;

}  // namespace

class PgRunLeases::HeldLease final : public Lease {
 public:
  HeldLease(PgRunLeases& leases, std::string name) : leases_(leases), name_(std::move(name)) {}
  ~HeldLease() override { leases_.Release(name_); }

 private:
  PgRunLeases& leases_;
  const std::string name_;
};

Result<std::unique_ptr<forecasting::RunLeases::Lease>> PgRunLeases::TryTake(std::string_view name) {
  const std::string context = "take the run lease '" + std::string(name) + "'";
  std::lock_guard lock(mutex_);
  // One reconnection: a lost connection released its leases, so a new one starts afresh.
  for (int attempt = 1;; ++attempt) {
    try {
      if (!connection_ || !connection_->is_open()) {
        connection_ = std::make_unique<pqxx::connection>(connection_string_);
      }
      const bool taken = pqxx::nontransaction(*connection_)
                             .exec_params1("SELECT pg_try_advisory_lock($1, hashtext($2))",
                                           kLeaseClass, std::string(name))[0]
                             .as<bool>();
      if (!taken) return std::unique_ptr<Lease>();
      return std::unique_ptr<Lease>(std::make_unique<HeldLease>(*this, std::string(name)));
    } catch (const std::exception& e) {
      const bool lost = IsConnectionLoss(e);
      if (lost) connection_.reset();
      if (!lost || attempt == 2) return FromPg(e, context);
    }
  }
}

void PgRunLeases::Release(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (!connection_ || !connection_->is_open()) return;
  try {
    pqxx::nontransaction(*connection_)
        .exec_params("SELECT pg_advisory_unlock($1, hashtext($2))", kLeaseClass, name);
  } catch (const std::exception&) {
    connection_.reset();  // lost: the server released the lock with the session
  }
}

}  // namespace patchcast::storage::pg
