#include "server/log_writer.h"

namespace patchcast::server {

namespace {

std::string PlainDropNotice(std::uint64_t count) {
  return "{\"dropped\":" + std::to_string(count) +
         ",\"level\":\"warn\",\"msg\":\"log lines dropped: the log writer fell behind\"}\n";
}

}  // namespace

LogWriter::LogWriter(std::FILE* out, DropNotice drop_notice, std::size_t max_queued_bytes)
    : out_(out),
      drop_notice_(drop_notice ? std::move(drop_notice) : DropNotice(PlainDropNotice)),
      max_queued_bytes_(max_queued_bytes),
      thread_([this] { Run(); }) {}

LogWriter::~LogWriter() { Stop(); }

void LogWriter::Write(std::string_view line) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || queue_.size() + line.size() > max_queued_bytes_) {
      ++dropped_;
      ++unreported_;
      return;
    }
    const bool was_empty = queue_.empty();
    queue_.append(line);
    ++queued_seq_;
    // The thread is woken once per batch (it then gathers for kGatherTime), and again when the
    // batch grows large enough to go at once.
    const bool became_large =
        queue_.size() >= kPromptBytes && queue_.size() - line.size() < kPromptBytes;
    if (!was_empty && !became_large) return;
  }
  work_.notify_one();
}

void LogWriter::Flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t wanted = queued_seq_;
  flush_wanted_ = true;
  work_.notify_one();
  written_.wait(lock, [&] { return written_seq_ >= wanted || finished_; });
}

void LogWriter::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  work_.notify_one();
  thread_.join();
}

std::uint64_t LogWriter::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

std::uint64_t LogWriter::TakeBatch(std::string& batch) {
  flush_wanted_ = false;
  batch.clear();
  batch.swap(queue_);  // the queue keeps the capacity of the batch before
  if (unreported_ > 0) {
    // Where the gap is, in the stream itself, in the shape of the other lines.
    batch.insert(0, drop_notice_(unreported_));
    unreported_ = 0;
  }
  return queued_seq_;
}

void LogWriter::Run() {
  std::string batch;
  std::unique_lock lock(mutex_);
  while (true) {
    work_.wait(lock, [&] { return stopping_ || !queue_.empty() || unreported_ > 0; });
    // Lines logged meanwhile join the batch: under load, one write per kGatherTime, not per line.
    work_.wait_for(lock, kGatherTime,
                   [&] { return stopping_ || flush_wanted_ || queue_.size() >= kPromptBytes; });
    if (queue_.empty() && unreported_ == 0 && stopping_) {
      finished_ = true;
      written_.notify_all();
      return;
    }
    const std::uint64_t seq = TakeBatch(batch);
    lock.unlock();
    std::fwrite(batch.data(), 1, batch.size(), out_);
    std::fflush(out_);
    lock.lock();
    written_seq_ = seq;
    written_.notify_all();
  }
}

}  // namespace patchcast::server
