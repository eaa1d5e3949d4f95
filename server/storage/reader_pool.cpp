#include "server/storage/reader_pool.h"

#include <sqlite3.h>

#include <utility>

namespace patchcast::storage {

ReaderPool::Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::exchange(other.connection_, nullptr)) {}

ReaderPool::Lease& ReaderPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    connection_ = std::exchange(other.connection_, nullptr);
  }
  return *this;
}

ReaderPool::Lease::~Lease() { Release(); }

void ReaderPool::Lease::Release() noexcept {
  if (pool_ != nullptr) pool_->Return(connection_);
  pool_ = nullptr;
  connection_ = nullptr;
}

Result<std::unique_ptr<ReaderPool>> ReaderPool::Open(const std::filesystem::path& path,
                                                     std::size_t size, int busy_timeout_ms) {
  if (size == 0) return InvalidArgument("ReaderPool: size must be >= 1");
  const ConnectionOptions options{
      .mode = AccessMode::kReadOnly, .busy_timeout_ms = busy_timeout_ms, .quick_check = false};
  std::vector<std::unique_ptr<SQLite::Database>> connections;
  connections.reserve(size);
  for (std::size_t i = 0; i < size; ++i) {
    Result<std::unique_ptr<SQLite::Database>> connection = OpenConnection(path, options);
    if (!connection) return std::move(connection).error();
    connections.push_back(std::move(*connection));
  }
  return std::unique_ptr<ReaderPool>(new ReaderPool(std::move(connections)));
}

ReaderPool::ReaderPool(std::vector<std::unique_ptr<SQLite::Database>> connections)
    : connections_(std::move(connections)) {
  idle_.reserve(connections_.size());
  for (const auto& connection : connections_) idle_.push_back(connection.get());
}

ReaderPool::Lease ReaderPool::Borrow() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty(); });
  SQLite::Database* connection = idle_.back();
  idle_.pop_back();
  return Lease(this, connection);
}

void ReaderPool::Return(SQLite::Database* connection) noexcept {
  // A borrower that left a transaction open would pin its snapshot, and stop the WAL from being
  // checkpointed, until the next borrower happened to end it.
  if (sqlite3_get_autocommit(connection->getHandle()) == 0) connection->tryExec("ROLLBACK");
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(connection);  // capacity reserved in the constructor: cannot throw
  }
  returned_.notify_one();
}

}  // namespace patchcast::storage
