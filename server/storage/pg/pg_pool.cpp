#include "server/storage/pg/pg_pool.h"

#include <pqxx/except>

#include "server/storage/pg/pg_error.h"

namespace patchcast::storage::pg {

PgPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), connection_(std::move(other.connection_)) {}

PgPool::Lease::~Lease() {
  if (connection_) pool_->Return(std::move(connection_));
}

void PgPool::Lease::Discard() {
  if (!connection_) return;
  connection_.reset();
  pool_->Drop();
}

PgPool::PgPool(PgPoolOptions options) : options_(std::move(options)) {}

Result<PgPool::Lease> PgPool::Borrow() {
  std::unique_lock lock(mutex_);
  const bool available = freed_.wait_for(lock, options_.borrow_timeout,
                                         [&] { return !idle_.empty() || open_ < options_.size; });
  if (!available) {
    return Unavailable("all " + std::to_string(options_.size) +
                       " database connections are busy (waited " +
                       std::to_string(options_.borrow_timeout.count()) + " ms)");
  }
  if (!idle_.empty()) {
    std::unique_ptr<pqxx::connection> connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(connection));
  }
  ++open_;  // the slot is ours while connecting, outside the lock
  lock.unlock();
  return Connect();
}

Result<PgPool::Lease> PgPool::Connect() {
  try {
    return Lease(*this, std::make_unique<pqxx::connection>(options_.connection_string));
  } catch (const pqxx::failure& e) {
    Drop();
    // Whatever the cause (refused, timeout, authentication), the caller may retry later.
    return Unavailable("cannot connect to the database (" + OneLineReason(e) + ")");
  }
}

void PgPool::Return(std::unique_ptr<pqxx::connection> connection) {
  if (!connection->is_open()) {
    connection.reset();
    Drop();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  freed_.notify_one();
}

void PgPool::Drop() {
  std::vector<std::unique_ptr<pqxx::connection>> stale;
  {
    std::lock_guard lock(mutex_);
    stale.swap(idle_);
    open_ -= 1 + stale.size();
  }
  freed_.notify_all();
  // `stale` closes here, outside the lock: closing talks to the server.
}

std::size_t PgPool::open_count() const {
  std::lock_guard lock(mutex_);
  return open_;
}

}  // namespace patchcast::storage::pg
