// WriteQueue: the single writer of a database. Request threads submit write jobs and wait; one
// writer thread runs every job queued at that moment in one BEGIN IMMEDIATE transaction and commits
// them together (group commit), so N concurrent writes cost one durable fsync, not N, and no
// request ever races another for SQLite's write lock (which, with deferred transactions, ends in
// SQLITE_BUSY).
//
// Ownership: owns the read-write connection it is given and the writer thread; the destructor calls
// Shutdown(). Thread-safety: Submit, Shutdown and Stats may be called from any number of threads at
// once, except from inside a job (that would wait on itself).
#pragma once

#include <SQLiteCpp/Database.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <span>
#include <thread>

#include "core/result.h"

namespace patchcast::storage {

// Counters for /metrics. Monotonic except queued_jobs.
struct WriteQueueStats {
  std::uint64_t commits = 0;         // transactions committed
  std::uint64_t jobs_committed = 0;  // jobs whose writes were committed (Submit returned OK)
  std::uint64_t jobs_failed = 0;     // jobs whose Submit returned an Error
  std::size_t queued_jobs = 0;       // jobs waiting for the writer right now
};

class WriteQueue {
 public:
  // A unit of work: reads and writes through the connection it is given and returns OK, or an Error
  // to have its writes rolled back. It runs on the writer thread inside a SAVEPOINT of the batch's
  // transaction: it may create nested SAVEPOINTs but must not BEGIN, COMMIT or ROLLBACK, nor keep
  // the connection or a Statement beyond its return. A job may run in the same transaction as
  // others, so it must not rely on side effects outside the database until Submit returns OK.
  using Job = std::function<Status(SQLite::Database&)>;

  // Default cap on the jobs one transaction runs; bounds the latency of the batch's first job.
  static constexpr std::size_t kDefaultMaxBatchJobs = 1024;

  // Starts the writer thread on `connection`, which must be open read-write, configured by
  // OpenConnection, migrated, and not used by anyone else from now on. max_batch_jobs must be >= 1.
  // Returns the running queue, or kInvalidArgument (null connection, max_batch_jobs == 0), or
  // kInternal when the thread cannot be started.
  static Result<std::unique_ptr<WriteQueue>> Start(
      std::unique_ptr<SQLite::Database> connection,
      std::size_t max_batch_jobs = kDefaultMaxBatchJobs);

  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;
  ~WriteQueue();

  // Queues `job` and blocks until its outcome is final. Returns OK only after the transaction
  // holding the job's writes has committed durably (synchronous=FULL). Otherwise the job's writes
  // are not in the database and the result is:
  //   the Error the job returned;
  //   FromSqlite's Error when the job threw SQLite::Exception (e.g. kConflict for a constraint);
  //   kInternal naming the exception when it threw anything else;
  //   kInvalidArgument when `job` is empty;
  //   kUnavailable "database is busy; retry" when the write lock stayed held by another process for
  //     longer than the busy timeout (the whole batch fails);
  //   the batch's Error when its BEGIN or COMMIT failed (e.g. kInsufficientStorage, disk full), or
  //     when SQLite rolled the whole transaction back after another job's failure;
  //   kUnavailable "shutting down" when Shutdown() has been called; the job did not run.
  // A job failing, by Error or exception, rolls back only its own writes; the others of its batch
  // still commit.
  Status Submit(Job job);

  // Stops accepting jobs, runs every job already queued, then stops the writer thread. Idempotent;
  // returns once the thread has stopped. The connection stays open until destruction.
  void Shutdown() noexcept;

  // Returns the counters. Values are read individually: a snapshot, not one atomic observation.
  WriteQueueStats Stats() const;

 private:
  struct Pending {
    Job job;
    std::promise<Status> outcome;
  };

  WriteQueue(std::unique_ptr<SQLite::Database> connection, std::size_t max_batch_jobs);
  void Run();
  // Runs `batch` as one or more transactions and fulfils every job's promise.
  void Process(std::span<Pending> batch);
  // Runs a prefix of `batch` in one transaction and fulfils its promises; returns the prefix
  // length.
  std::size_t RunTransaction(std::span<Pending> batch);
  // Runs one job inside its own SAVEPOINT.
  Status RunJob(const Job& job);
  bool InTransaction() const;
  void Settle(Pending& pending, Status outcome);

  const std::unique_ptr<SQLite::Database> db_;
  const std::size_t max_batch_jobs_;

  mutable std::mutex mutex_;
  std::condition_variable work_available_;
  std::deque<Pending> queue_;  // guarded by mutex_
  bool stopping_ = false;      // guarded by mutex_

  std::mutex shutdown_mutex_;  // serialises joining the thread
  std::thread writer_;

  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> jobs_committed_{0};
  std::atomic<std::uint64_t> jobs_failed_{0};
};

}  // namespace patchcast::storage
