// LogWriter: every line handed over is written whole and in order, from any number of threads;
// Flush and Stop write what was queued; a full queue drops lines, counts them and says so in the
// output.
#include "server/log_writer.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace patchcast::server {
namespace {

std::string ReadAll(std::FILE* file) {
  std::fflush(file);
  std::rewind(file);
  std::string text;
  char chunk[4096];
  std::size_t n = 0;
  while ((n = std::fread(chunk, 1, sizeof chunk, file)) > 0) text.append(chunk, n);
  return text;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
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
