// LogWriter: every line handed over is written whole and in order, from any number of threads;
// lines logged together go out in one write; Flush and Stop write what was queued; a full queue
// drops lines, counts them and says so in the output.
#include "server/log_writer.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/server/file_text.h"

namespace patchcast::server {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// A stream that counts the writes reaching it (each fflush of a batch is one) and keeps the bytes.
struct CountingStream {
  std::string bytes;
  int writes = 0;

  // A FILE* on this stream, fully buffered, so that only an fflush (or a full buffer) writes.
  std::FILE* Open() {
    cookie_io_functions_t functions{};
    functions.write = [](void* cookie, const char* data, std::size_t size) -> ssize_t {
      auto* self = static_cast<CountingStream*>(cookie);
      self->bytes.append(data, size);
      ++self->writes;
      return static_cast<ssize_t>(size);
    };
    std::FILE* file = fopencookie(this, "w", functions);
    REQUIRE(file != nullptr);
    std::setvbuf(file, nullptr, _IOFBF, std::size_t{1} << 20);
    return file;
  }
};

TEST_CASE("lines logged together go out in a few batches, not one write each") {
  CountingStream stream;
  std::FILE* out = stream.Open();
  {
    LogWriter writer(out);
    // 1,000 short lines handed over in a burst: each batch gathers what comes within
    // kGatherTime of its first line, so the burst takes a handful of writes, whatever the
    // machine's load (each Write takes well under a microsecond).
    for (int i = 0; i < 1000; ++i) writer.Write("line " + std::to_string(i) + "\n");
    writer.Flush();
  }
  std::fclose(out);
  const std::vector<std::string> lines = Lines(stream.bytes);
  REQUIRE(lines.size() == 1000);
  CHECK(lines.front() == "line 0");
  CHECK(lines.back() == "line 999");
  CHECK(stream.writes >= 1);
  CHECK(stream.writes <= 100);
}

TEST_CASE("lines from many threads are all written, each whole, each thread's in order") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  constexpr int kThreads = 4;
  constexpr int kLines = 2000;
  {
    LogWriter writer(file);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&writer, t] {
        for (int i = 0; i < kLines; ++i) {
          writer.Write("t" + std::to_string(t) + " " + std::to_string(i) + "\n");
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
    CHECK(writer.dropped() == 0);
  }  // the destructor writes what is still queued
  std::vector<int> next(kThreads, 0);
  int total = 0;
  for (const std::string& line : Lines(ReadAll(file))) {
    REQUIRE(line.size() > 2);
    const int thread = line[1] - '0';
    REQUIRE(thread >= 0);
    REQUIRE(thread < kThreads);
    CHECK(std::stoi(line.substr(3)) == next[thread]);
    ++next[thread];
    ++total;
  }
  CHECK(total == kThreads * kLines);
  std::fclose(file);
}

TEST_CASE("Flush returns once every line before it is written; Stop writes the rest") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file != nullptr);
  LogWriter writer(file);
  writer.Write("first\n");
  writer.Write("second\n");
  writer.Flush();
  CHECK(ReadAll(file) == "first\nsecond\n");
  std::fseek(file, 0, SEEK_END);
  writer.Write("third\n");
  writer.Stop();
  CHECK(ReadAll(file) == "first\nsecond\nthird\n");
  writer.Flush();  // returns at once after Stop
  writer.Write("late\n");
  CHECK(writer.dropped() == 1);
  std::fclose(file);
}

TEST_CASE("a full queue drops lines, counts them and tells the output where") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::FILE* out = ::fdopen(fds[1], "w");
  REQUIRE(out != nullptr);
  // Nobody reads the pipe yet, so the writer blocks on its first batch and the queue fills.
  constexpr std::size_t kQueueBytes = 64 << 10;
  LogWriter writer(
      out, [](std::uint64_t count) { return "dropped " + std::to_string(count) + "\n"; },
      kQueueBytes);
  const std::string filler(1023, 'x');
  int written = 0;
  while (writer.dropped() < 10) {
    writer.Write(std::to_string(written++) + filler.substr(0, 1000) + "\n");
  }
  const std::uint64_t dropped = writer.dropped();
  std::string text;
  std::thread reader([&] {
    char chunk[65536];
    ssize_t n = 0;
    while ((n = ::read(fds[0], chunk, sizeof chunk)) > 0) text.append(chunk, n);
  });
  writer.Stop();
  std::fclose(out);
  reader.join();
  ::close(fds[0]);
  CHECK(text.find("dropped " + std::to_string(dropped) + "\n") != std::string::npos);
  // What was kept is in order, and the lines after the drop notice are the ones queued after it.
  int previous = -1;
  std::size_t kept = 0;
  for (const std::string& line : Lines(text)) {
    if (line.starts_with("dropped")) continue;
    const int number = std::stoi(line);
    CHECK(number > previous);
    previous = number;
    ++kept;
  }
  CHECK(kept + dropped == static_cast<std::size_t>(written));
}

}  // namespace
}  // namespace patchcast::server
