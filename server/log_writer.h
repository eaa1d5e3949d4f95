// LogWriter: lines handed over by any thread, written to a FILE* by one thread of its own, so that
// a request never waits for stderr (a pipe to journald that may be slow) nor for the lock of a
// write in progress.
//
// Lines are written whole, in the order Write() was called, in batches: one fwrite and one fflush
// per batch. A batch gathers the lines logged within kGatherTime of its first (or until it holds
// kPromptBytes), so that a busy server writes its access log a few hundred times a second rather
// than once per request; a line therefore reaches the output within kGatherTime. The queue is
// bounded (`max_queued_bytes`); a line that finds it full is dropped and counted, never silently:
// the next batch begins with a line saying how many were dropped (made by `drop_notice`), and
// dropped() reports the total. Flush() waits until every line handed over before it is written;
// Stop() (and the destructor) writes everything queued and ends the thread. Thread-safe; `out` must
// outlive the writer and be written by nobody else meanwhile.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace patchcast::server {

class LogWriter {
 public:
  static constexpr std::size_t kDefaultMaxQueuedBytes = std::size_t{16} << 20;
  static constexpr std::chrono::milliseconds kGatherTime{5};
  static constexpr std::size_t kPromptBytes = std::size_t{64} << 10;

  // Makes the line (ending with '\n') that tells the output `count` lines were dropped before it.
  using DropNotice = std::function<std::string(std::uint64_t count)>;

  // `drop_notice` may be empty: then a plain JSON line is written.
  explicit LogWriter(std::FILE* out, DropNotice drop_notice = {},
                     std::size_t max_queued_bytes = kDefaultMaxQueuedBytes);
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;
  ~LogWriter();

  // Queues `line` (which must end with '\n'), or drops and counts it when the queue is full or the
  // writer has stopped. Never blocks on the output.
  void Write(std::string_view line);

  // Returns once every line queued before the call has been written and flushed (at once after
  // Stop()).
  void Flush();

  // Writes every queued line, then ends the thread. Idempotent.
  void Stop();

  // Lines dropped since the start.
  std::uint64_t dropped() const;

 private:
  void Run();
  // Takes the queue (and the drop notice it owes) under the lock; returns the batch's sequence.
  std::uint64_t TakeBatch(std::string& batch);

  std::FILE* const out_;
  const DropNotice drop_notice_;
  const std::size_t max_queued_bytes_;
  mutable std::mutex mutex_;
  std::condition_variable work_;     // lines queued, or stopping
  std::condition_variable written_;  // a batch is out
  std::string queue_;                // guarded by mutex_
  std::uint64_t queued_seq_ = 0;     // batches of lines accepted; guarded by mutex_
  std::uint64_t written_seq_ = 0;    // the last of them written; guarded by mutex_
  std::uint64_t dropped_ = 0;        // guarded by mutex_
  std::uint64_t unreported_ = 0;     // drops the output has not been told of; guarded by mutex_
  bool flush_wanted_ = false;        // a Flush() waits: write without gathering; guarded by mutex_
  bool stopping_ = false;            // guarded by mutex_
  bool finished_ = false;            // the thread has written its last batch; guarded by mutex_
  std::thread thread_;
};

}  // namespace patchcast::server
