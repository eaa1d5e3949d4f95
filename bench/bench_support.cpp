#include "bench/bench_support.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iterator>
#include <numbers>
#include <regex>
#include <thread>

namespace patchcast::bench {

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.starts_with("model name")) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

std::string MachineDescription() {
  return CpuModel() + ", " + std::to_string(std::thread::hardware_concurrency()) +
         " hardware threads";
}

ChildServer StartPatchcast(const std::string& binary, const std::string& db,
                           const std::vector<std::string>& extra_args) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return {};
  std::vector<std::string> args = {binary, "serve", "--listen", "127.0.0.1:0", "--db", db};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    ::close(pipe_fds[0]);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  std::string log;
  char chunk[512];
  std::smatch match;
  const std::regex listening(R"re("address":"127\.0\.0\.1:(\d+)")re");
  while (!std::regex_search(log, match, listening)) {
    ssize_t n = ::read(pipe_fds[0], chunk, sizeof chunk);
    if (n <= 0) return {pid, 0};
    log.append(chunk, static_cast<std::size_t>(n));
  }
  // The access log keeps coming; reading it keeps the server from blocking on a full pipe.
  std::thread([fd = pipe_fds[0]] {
    char discard[65536];
    while (::read(fd, discard, sizeof discard) > 0) {
    }
    ::close(fd);
  }).detach();
  return {pid, std::stoi(match[1])};
}

ChildServer StartPatchcastLoggingTo(const std::string& binary, const std::string& db,
                                    const std::string& log_path,
                                    const std::vector<std::string>& extra_args,
                                    std::chrono::seconds start_timeout) {
  std::vector<std::string> args = {binary, "serve", "--listen", "127.0.0.1:0", "--db", db};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  pid_t pid = ::fork();
  if (pid == 0) {
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (log < 0) ::_exit(127);
    ::dup2(log, STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  const std::regex listening(R"re("address":"127\.0\.0\.1:(\d+)")re");
  const auto deadline = std::chrono::steady_clock::now() + start_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream file(log_path);
    const std::string log((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::smatch match;
    if (std::regex_search(log, match, listening)) return {pid, std::stoi(match[1])};
    if (::waitpid(pid, nullptr, WNOHANG) == pid) return {-1, 0};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {pid, 0};
}

void StopPatchcast(const ChildServer& server) {
  if (server.pid <= 0) return;
  ::kill(server.pid, SIGTERM);
  ::waitpid(server.pid, nullptr, 0);
}

std::string MinuteLoginsCsv(std::size_t rows, std::int64_t start) {
  std::string csv = "ts,value\n";
  csv.reserve(rows * 28 + 16);
  char line[64];
  for (std::size_t i = 0; i < rows; ++i) {
    const std::time_t seconds = start + 60 * static_cast<std::int64_t>(i);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    const double day_phase = static_cast<double>(seconds % 86400) / 86400.0;
    const int logins =
        2000 + static_cast<int>(1500 * (1 + std::sin(2 * std::numbers::pi * day_phase)));
    const int n =
        std::snprintf(line, sizeof line, "%04d-%02d-%02dT%02d:%02d:%02dZ,%d\n", utc.tm_year + 1900,
                      utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, logins);
    csv.append(line, static_cast<std::size_t>(n));
  }
  return csv;
}

}  // namespace patchcast::bench
