#include "server/storage/write_queue.h"

#include <sqlite3.h>

#include <exception>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

// Runs `job` on `db`, turning whatever it throws into its Error: a throwing job must fail alone,
// and an exception must not escape the writer thread (that would terminate the process).
Status Invoke(const WriteQueue::Job& job, SQLite::Database& db) {
  try {
    return job(db);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "write");
  } catch (const std::exception& e) {
    return Internal(std::string("write job threw: ") + e.what());
  } catch (...) {
    return Internal("write job threw a non-standard exception");
  }
}

// The Error given to a job whose own writes succeeded but whose transaction did not commit.
Error LostWith(const Error& cause) {
  return Error{cause.code, "not committed: the batch's transaction failed: " + cause.message};
}

}  // namespace

Result<std::unique_ptr<WriteQueue>> WriteQueue::Start(std::unique_ptr<SQLite::Database> connection,
                                                      std::size_t max_batch_jobs) {
  if (connection == nullptr) return InvalidArgument("WriteQueue: connection is null");
  if (max_batch_jobs == 0) return InvalidArgument("WriteQueue: max_batch_jobs must be >= 1");
  std::unique_ptr<WriteQueue> queue(new WriteQueue(std::move(connection), max_batch_jobs));
  try {
    queue->writer_ = std::thread([q = queue.get()] { q->Run(); });
  } catch (const std::system_error& e) {
    return Internal(std::string("cannot start the database writer thread: ") + e.what());
  }
  return queue;
}

WriteQueue::WriteQueue(std::unique_ptr<SQLite::Database> connection, std::size_t max_batch_jobs)
    : db_(std::move(connection)), max_batch_jobs_(max_batch_jobs) {}

WriteQueue::~WriteQueue() { Shutdown(); }

Status WriteQueue::Submit(Job job) {
  if (!job) return InvalidArgument("WriteQueue::Submit: the job is empty");
  std::future<Status> outcome;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return Unavailable("database writer is shutting down");
    queue_.push_back(Pending{std::move(job), {}});
    outcome = queue_.back().outcome.get_future();
  }
  work_available_.notify_one();
  return outcome.get();
}

void WriteQueue::Shutdown() noexcept {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  work_available_.notify_one();
  std::lock_guard lock(shutdown_mutex_);
  if (!writer_.joinable()) return;
  try {
    writer_.join();
  } catch (const std::system_error&) {
    // join() throws only when called on the writer thread itself, which the header forbids; the
    // thread then finishes on its own and there is nothing left to do here.
  }
}

WriteQueueStats WriteQueue::Stats() const {
  WriteQueueStats stats;
  stats.commits = commits_.load();
  stats.jobs_committed = jobs_committed_.load();
  stats.jobs_failed = jobs_failed_.load();
  std::lock_guard lock(mutex_);
  stats.queued_jobs = queue_.size();
  return stats;
}

void WriteQueue::Run() {
  std::vector<Pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      work_available_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued job has run
      // Everything queued now goes into one transaction: waiting requests share one commit.
      while (!queue_.empty() && batch.size() < max_batch_jobs_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Process(batch);
    batch.clear();
  }
}

void WriteQueue::Process(std::span<Pending> batch) {
  while (!batch.empty()) batch = batch.subspan(RunTransaction(batch));
}

std::size_t WriteQueue::RunTransaction(std::span<Pending> batch) {
  // Every path below ends the transaction it began. Should a bug leave one open anyway, end it here
  // rather than fail every later batch at BEGIN.
  if (InTransaction()) db_->tryExec("ROLLBACK");
  try {
    db_->exec("BEGIN IMMEDIATE");
  } catch (const SQLite::Exception& e) {
    const Error error = FromSqlite(e, "begin write transaction");
    for (Pending& pending : batch) Settle(pending, error);
    return batch.size();
  }

  std::vector<Status> outcomes;
  outcomes.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    outcomes.push_back(RunJob(batch[i].job));
    if (InTransaction()) continue;
    // The transaction is gone: SQLite rolls back the whole transaction on some errors (SQLITE_FULL,
    // SQLITE_IOERR, SQLITE_NOMEM), or the job ended it. Jobs before this one lost their writes;
    // jobs after it get a fresh transaction.
    const Error cause =
        outcomes[i] ? Internal("a write job ended the transaction") : outcomes[i].error();
    for (std::size_t j = 0; j <= i; ++j) {
      Settle(batch[j], outcomes[j] ? LostWith(cause) : outcomes[j]);
    }
    return i + 1;
  }

  try {
    db_->exec("COMMIT");
  } catch (const SQLite::Exception& e) {
    db_->tryExec("ROLLBACK");  // a failed COMMIT may leave the transaction open
    const Error cause = FromSqlite(e, "commit write transaction");
    for (std::size_t i = 0; i < batch.size(); ++i) {
      Settle(batch[i], outcomes[i] ? LostWith(cause) : outcomes[i]);
    }
    return batch.size();
  }
  ++commits_;
  for (std::size_t i = 0; i < batch.size(); ++i) Settle(batch[i], std::move(outcomes[i]));
  return batch.size();
}

Status WriteQueue::RunJob(const Job& job) {
  try {
    db_->exec("SAVEPOINT patchcast_job");
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "begin write job");
  }
  Status outcome = Invoke(job, *db_);
  // After an automatic rollback the savepoint no longer exists; RunTransaction handles that case.
  if (!InTransaction()) return outcome;
  try {
    db_->exec(outcome ? "RELEASE patchcast_job"
                      : "ROLLBACK TO patchcast_job; RELEASE patchcast_job");
  } catch (const SQLite::Exception& e) {
    // The savepoint cannot be resolved, so this job's writes cannot be separated from the batch's:
    // abandon the transaction, and RunTransaction fails every job in it.
    db_->tryExec("ROLLBACK");
    return FromSqlite(e, "finish write job");
  }
  return outcome;
}

bool WriteQueue::InTransaction() const { return sqlite3_get_autocommit(db_->getHandle()) == 0; }

void WriteQueue::Settle(Pending& pending, Status outcome) {
  ++(outcome ? jobs_committed_ : jobs_failed_);
  pending.outcome.set_value(std::move(outcome));
}

}  // namespace patchcast::storage
