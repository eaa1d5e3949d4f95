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
    if (!was_empty) return;  // the thread has been woken for this batch already
  }
  work_.notify_one();
}

void LogWriter::Flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t wanted = queued_seq_;
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
