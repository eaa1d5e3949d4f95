#include "server/storage/write_queue.h"

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>
#include <sqlite3.h>

#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "server/storage/connection.h"
#include "tests/support/temp_dir.h"

namespace patchcast::storage {
namespace {

using patchcast::testing::TempDir;

// A database with one table and a WriteQueue on it.
struct QueueFixture {
  explicit QueueFixture(int busy_timeout_ms = 5000,
                        std::size_t max_batch_jobs = WriteQueue::kDefaultMaxBatchJobs) {
    auto db = OpenConnection(path, ConnectionOptions{.busy_timeout_ms = busy_timeout_ms});
    REQUIRE(db.has_value());
    (*db)->exec(
        "CREATE TABLE rows (writer INTEGER NOT NULL, n INTEGER NOT NULL, payload BLOB, "
        "PRIMARY KEY (writer, n))");
    auto started = WriteQueue::Start(std::move(*db), max_batch_jobs);
    REQUIRE(started.has_value());
    queue = std::move(*started);
  }

  // Counts committed rows through a separate connection.
  int Count(const std::string& where = "1") const {
    SQLite::Database reader(path.string(), SQLite::OPEN_READONLY);
    return reader.execAndGet("SELECT count(*) FROM rows WHERE " + where).getInt();
  }

  TempDir dir;
  std::filesystem::path path = dir / "store.db";
  std::unique_ptr<WriteQueue> queue;
};

WriteQueue::Job Insert(int writer, int n) {
  return [writer, n](SQLite::Database& db) -> Status {
    SQLite::Statement insert(db, "INSERT INTO rows (writer, n) VALUES (?, ?)");
    insert.bind(1, writer);
    insert.bind(2, n);
    insert.exec();
    return {};
  };
}

// Runs `job` after Insert(writer, n): the job fails after having written.
WriteQueue::Job InsertThen(int writer, int n, std::function<Status()> then) {
  return [writer, n, then = std::move(then)](SQLite::Database& db) -> Status {
    if (Status inserted = Insert(writer, n)(db); !inserted) return inserted;
    return then();
  };
}

// Inserts a row whose payload is `bytes` zero bytes.
WriteQueue::Job InsertBlob(int writer, int n, int bytes) {
  return [writer, n, bytes](SQLite::Database& db) -> Status {
    SQLite::Statement insert(db,
                             "INSERT INTO rows (writer, n, payload) VALUES (?, ?, zeroblob(?))");
    insert.bind(1, writer);
    insert.bind(2, n);
    insert.bind(3, bytes);
    insert.exec();
    return {};
  };
}

// Lets the writer's database grow by at most `pages` pages: a disk that is nearly full.
WriteQueue::Job LimitPages(int pages) {
  return [pages](SQLite::Database& db) -> Status {
    const int used = db.execAndGet("PRAGMA page_count").getInt();
    db.exec("PRAGMA max_page_count = " + std::to_string(used + pages));
    return {};
  };
}

// Holds the writer thread inside a job until Release(), so that jobs submitted meanwhile queue up
// and go into the next batch together.
class WriterGate {
 public:
  explicit WriterGate(WriteQueue& queue) : queue_(queue) {
    std::promise<void> running;
    std::future<void> is_running = running.get_future();
    std::shared_future<void> released = release_.get_future().share();
    submitter_ = std::thread([this, released, running = std::move(running)]() mutable {
      outcome_ = queue_.Submit([&running, released](SQLite::Database&) -> Status {
        running.set_value();
        released.wait();
        return {};
      });
    });
    is_running.wait();
  }
  ~WriterGate() {
    // A test that failed before releasing must not leave the writer, and this thread, waiting.
    if (!submitter_.joinable()) return;
    [[maybe_unused]] const Status outcome = Release();
  }

  // Submits each job from its own thread, in order: each is queued behind the gate before the next
  // is submitted, so the batch runs them in this order. Returns the futures of their outcomes, in
  // order.
  std::vector<std::future<Status>> SubmitInOrder(std::vector<WriteQueue::Job> jobs) {
    std::vector<std::future<Status>> outcomes;
    for (auto& job : jobs) {
      const std::size_t queued = queue_.Stats().queued_jobs;
      outcomes.push_back(std::async(std::launch::async,
                                    [this, job = std::move(job)] { return queue_.Submit(job); }));
      // Polls the queue depth: there is no event to wait on, and the condition, not a duration,
      // ends the wait.
      while (queue_.Stats().queued_jobs == queued) std::this_thread::yield();
    }
    return outcomes;
  }

  // Lets the writer go on and returns the gate job's own outcome.
  Status Release() {
    release_.set_value();
    submitter_.join();
    return outcome_;
  }

 private:
  WriteQueue& queue_;
  std::promise<void> release_;
  std::thread submitter_;
  Status outcome_;
};

TEST_CASE("2000 writes from 8 threads all commit, sharing commits") {
  QueueFixture fixture;
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 250;
  std::vector<std::future<int>> failures;
  for (int writer = 0; writer < kThreads; ++writer) {
    failures.push_back(std::async(std::launch::async, [&fixture, writer] {
      int failed = 0;
      for (int n = 0; n < kWritesPerThread; ++n)
        failed += fixture.queue->Submit(Insert(writer, n)) ? 0 : 1;
      return failed;
    }));
  }
  for (auto& failed : failures) CHECK(failed.get() == 0);

  CHECK(fixture.Count() == kThreads * kWritesPerThread);
  for (int writer = 0; writer < kThreads; ++writer) {
    CHECK(fixture.Count("writer = " + std::to_string(writer)) == kWritesPerThread);
  }
  const WriteQueueStats stats = fixture.queue->Stats();
  CHECK(stats.jobs_committed == kThreads * kWritesPerThread);
  CHECK(stats.jobs_failed == 0);
  CHECK(stats.queued_jobs == 0);
  CHECK(stats.commits >= 1);
  CHECK(stats.commits <= stats.jobs_committed);
  MESSAGE(stats.commits << " commits for " << stats.jobs_committed << " jobs");
}

TEST_CASE("jobs queued while the writer is busy are committed together") {
  QueueFixture fixture;
  WriterGate gate(*fixture.queue);
  auto outcomes =
      gate.SubmitInOrder({Insert(1, 1), Insert(1, 2), Insert(1, 3), Insert(1, 4), Insert(1, 5)});
  CHECK(fixture.Count() == 0);  // nothing is committed while the writer is held
  REQUIRE(gate.Release().has_value());
  for (auto& outcome : outcomes) CHECK(outcome.get().has_value());

  CHECK(fixture.Count() == 5);
  const WriteQueueStats stats = fixture.queue->Stats();
  CHECK(stats.commits == 2);  // the gate's batch, then all five together
  CHECK(stats.jobs_committed == 6);
}

TEST_CASE("a batch holds at most max_batch_jobs jobs") {
  QueueFixture fixture(5000, 2);
  WriterGate gate(*fixture.queue);
  auto outcomes =
      gate.SubmitInOrder({Insert(1, 1), Insert(1, 2), Insert(1, 3), Insert(1, 4), Insert(1, 5)});
  REQUIRE(gate.Release().has_value());
  for (auto& outcome : outcomes) CHECK(outcome.get().has_value());
  CHECK(fixture.Count() == 5);
  CHECK(fixture.queue->Stats().commits == 1 + 3);  // the gate, then batches of 2, 2 and 1
}

TEST_CASE("failing jobs are rolled back alone and the rest of their batch commits") {
  QueueFixture fixture;
  REQUIRE(fixture.queue->Submit(Insert(0, 1)).has_value());

  WriterGate gate(*fixture.queue);
  auto outcomes = gate.SubmitInOrder({
      Insert(1, 1),
      InsertThen(2, 1, [] { return Status(Unprocessable("plan 9 exceeds the cap")); }),
      InsertThen(3, 1, []() -> Status { throw std::runtime_error("model diverged"); }),
      InsertThen(4, 1, []() -> Status { throw 42; }),
      Insert(0, 1),  // duplicate of the row committed above
      Insert(5, 1),
  });
  REQUIRE(gate.Release().has_value());

  CHECK(outcomes[0].get().has_value());
  const Status returned = outcomes[1].get();
  REQUIRE_FALSE(returned.has_value());
  CHECK(returned.error() == Unprocessable("plan 9 exceeds the cap"));
  const Status threw = outcomes[2].get();
  REQUIRE_FALSE(threw.has_value());
  CHECK(threw.error() == Internal("write job threw: model diverged"));
  const Status threw_int = outcomes[3].get();
  REQUIRE_FALSE(threw_int.has_value());
  CHECK(threw_int.error() == Internal("write job threw a non-standard exception"));
  const Status duplicate = outcomes[4].get();
  REQUIRE_FALSE(duplicate.has_value());
  CHECK(duplicate.error().code == ErrorCode::kConflict);
  CHECK(duplicate.error().message.find("UNIQUE constraint failed") != std::string::npos);
  CHECK(outcomes[5].get().has_value());

  CHECK(fixture.Count() == 3);
  CHECK(fixture.Count("writer IN (0, 1, 5)") == 3);
  const WriteQueueStats stats = fixture.queue->Stats();
  CHECK(stats.commits == 3);
  CHECK(stats.jobs_committed == 4);  // the first insert, the gate, and jobs 1 and 5
  CHECK(stats.jobs_failed == 4);
}

TEST_CASE("a full database fails the write with kInsufficientStorage") {
  QueueFixture fixture;
  REQUIRE(fixture.queue->Submit(LimitPages(2)).has_value());
  const Status full = fixture.queue->Submit(InsertBlob(1, 1, 1000000));
  REQUIRE_FALSE(full.has_value());
  CHECK(full.error().code == ErrorCode::kInsufficientStorage);
  CHECK(full.error().message.find("disk or database is full") != std::string::npos);
  CHECK(fixture.Count() == 0);

  // Small writes still fit.
  CHECK(fixture.queue->Submit(Insert(1, 2)).has_value());
  CHECK(fixture.Count() == 1);
}

TEST_CASE("a full database inside a batch fails the jobs it rolled back, not the ones after") {
  QueueFixture fixture;
  REQUIRE(fixture.queue->Submit(LimitPages(2)).has_value());
  WriterGate gate(*fixture.queue);
  auto outcomes = gate.SubmitInOrder({Insert(1, 1), InsertBlob(2, 1, 1000000), Insert(3, 1)});
  REQUIRE(gate.Release().has_value());

  // SQLITE_FULL makes SQLite roll back the whole transaction, job 1's write included; job 3 then
  // runs in a fresh transaction.
  const Status before = outcomes[0].get();
  REQUIRE_FALSE(before.has_value());
  CHECK(before.error().code == ErrorCode::kInsufficientStorage);
  CHECK(before.error().message.starts_with("not committed: the batch's transaction failed: "));
  const Status full = outcomes[1].get();
  REQUIRE_FALSE(full.has_value());
  CHECK(full.error().code == ErrorCode::kInsufficientStorage);
  CHECK(outcomes[2].get().has_value());

  CHECK(fixture.Count() == 1);
  CHECK(fixture.Count("writer = 3") == 1);
  const WriteQueueStats stats = fixture.queue->Stats();
  CHECK(stats.commits == 3);  // the limit, the gate, job 3
  CHECK(stats.jobs_failed == 2);
}

TEST_CASE("a write lock held elsewhere beyond the busy timeout fails with kUnavailable") {
  QueueFixture fixture(50);
  SQLite::Database other(fixture.path.string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");

  const Status busy = fixture.queue->Submit(Insert(1, 1));
  REQUIRE_FALSE(busy.has_value());
  CHECK(busy.error().code == ErrorCode::kUnavailable);
  CHECK(busy.error().message.find("database is busy; retry") != std::string::npos);

  other.exec("ROLLBACK");
  CHECK(fixture.queue->Submit(Insert(1, 1)).has_value());
  CHECK(fixture.Count() == 1);
  CHECK(fixture.queue->Stats().jobs_failed == 1);
}

TEST_CASE("a batch holds the write lock from its first job on, so its writes cannot go stale") {
  QueueFixture fixture;
  int other_writer_result = -1;
  const Status job = fixture.queue->Submit([&](SQLite::Database&) -> Status {
    // A deferred transaction would take the lock only at its first write, and another writer that
    // committed before then would make that write fail with SQLITE_BUSY_SNAPSHOT.
    SQLite::Database other(fixture.path.string(), SQLite::OPEN_READWRITE);
    other_writer_result = other.tryExec("BEGIN IMMEDIATE");
    return {};
  });
  REQUIRE(job.has_value());
  CHECK(other_writer_result == SQLITE_BUSY);
}

TEST_CASE("Shutdown runs the jobs already queued, then refuses new ones") {
  QueueFixture fixture;
  WriterGate gate(*fixture.queue);
  auto outcomes = gate.SubmitInOrder({Insert(1, 1), Insert(1, 2), Insert(1, 3)});
  std::thread stopper([&fixture] { fixture.queue->Shutdown(); });
  REQUIRE(gate.Release().has_value());
  stopper.join();
  for (auto& outcome : outcomes) CHECK(outcome.get().has_value());
  CHECK(fixture.Count() == 3);

  const Status refused = fixture.queue->Submit(Insert(1, 4));
  REQUIRE_FALSE(refused.has_value());
  CHECK(refused.error().code == ErrorCode::kUnavailable);
  CHECK(refused.error().message.find("shutting down") != std::string::npos);
  CHECK(fixture.Count() == 3);
  fixture.queue->Shutdown();  // idempotent
}

TEST_CASE("invalid arguments are refused") {
  SUBCASE("an empty job") {
    QueueFixture fixture;
    const Status empty = fixture.queue->Submit(WriteQueue::Job{});
    REQUIRE_FALSE(empty.has_value());
    CHECK(empty.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("a null connection") {
    auto queue = WriteQueue::Start(nullptr);
    REQUIRE_FALSE(queue.has_value());
    CHECK(queue.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("a zero batch size") {
    TempDir dir;
    auto db = OpenConnection(dir / "store.db", ConnectionOptions{});
    REQUIRE(db.has_value());
    auto queue = WriteQueue::Start(std::move(*db), 0);
    REQUIRE_FALSE(queue.has_value());
    CHECK(queue.error().code == ErrorCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace patchcast::storage
