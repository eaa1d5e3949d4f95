#include "tests/support/server_process.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <optional>
#include <pqxx/connection>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <regex>
#include <string_view>

#include "tests/support/pg_cluster.h"

namespace patchcast::testing {
namespace {

// Replaces the child's image with `patchcast args...`. Never returns.
[[noreturn]] void ExecPatchcast(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env) {
  for (const auto& [name, value] : env) ::setenv(name.c_str(), value.c_str(), 1);
  std::vector<std::string> argv_storage = {PatchcastBinary()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

int DecodeStatus(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

// The environment that starts a process's wall clock at `instant` ("2026-11-14T01:00:00Z"):
// libfaketime preloaded, its "@" (start at, then run) form read in UTC, the monotonic clock left
// real so that timeouts and condition waits behave. ASan must then be told that its runtime is
// not first in the preload list, and its allocator must not read the clock when it first maps a
// size class: that read can come before libfaketime has initialised, which then calls dlsym,
// which allocates inside the allocator's lock, and the process hangs (tests/e2e/service.sh).
// Returns nullopt with `failure` set when that cannot be done.
std::optional<std::map<std::string, std::string>> FakeClockEnvironment(const std::string& instant,
                                                                       std::string* failure) {
  static const std::regex kRfc3339Utc(R"((\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})Z)");
  std::smatch parts;
  if (!std::regex_match(instant, parts, kRfc3339Utc)) {
    if (failure) *failure = "clock_start '" + instant + "' is not YYYY-MM-DDTHH:MM:SSZ";
    return std::nullopt;
  }
  if (LibfaketimePath().empty() || ::access(LibfaketimePath().c_str(), R_OK) != 0) {
    if (failure) *failure = "libfaketime is not installed (apt-get install libfaketime)";
    return std::nullopt;
  }
  const char* asan = std::getenv("ASAN_OPTIONS");
  return std::map<std::string, std::string>{
      {"LD_PRELOAD", LibfaketimePath()},
      {"FAKETIME", "@" + parts[1].str() + " " + parts[2].str()},
      {"FAKETIME_DONT_FAKE_MONOTONIC", "1"},
      {"TZ", "UTC"},
      {"ASAN_OPTIONS", (asan != nullptr && *asan != '\0' ? std::string(asan) + ":" : "") +
                           "verify_asan_link_order=0:allocator_release_to_os_interval_ms=-1"}};
}

// A database of its own for a server: a file in `dir`, or on PostgreSQL a new database of the
// binary's shared cluster, kept until the cluster stops with the binary (a test may start a
// server again on it).
std::optional<std::string> DefaultDatabase(const TempDir& dir, std::string* failure) {
  if (!SuiteOnPostgres()) return (dir / "patchcast.db").string();
  if (!PgInstalled()) {  // which prints the line CTest takes for a skip
    *failure = "PostgreSQL is not installed";
    return std::nullopt;
  }
  PgCluster* cluster = SharedPgCluster(failure);
  if (cluster == nullptr) return std::nullopt;
  static std::atomic<int> created{0};
  const std::string name = "e2e_" + std::to_string(++created);
  try {
    pqxx::connection admin(cluster->Url("postgres"));
    pqxx::nontransaction(admin).exec("CREATE DATABASE " + name + " STRATEGY FILE_COPY");
  } catch (const pqxx::failure& e) {
    *failure = "cannot create database " + name + ": " + e.what();
    return std::nullopt;
  }
  return cluster->Url(name);
}

}  // namespace

std::string PatchcastBinary() { return PATCHCAST_BINARY; }

std::string LibfaketimePath() { return PATCHCAST_LIBFAKETIME; }

bool SuiteOnPostgres() {
  const char* engine = std::getenv("PATCHCAST_E2E_ENGINE");
  return engine != nullptr && std::string_view(engine) == "postgresql";
}

std::unique_ptr<ServerProcess> ServerProcess::Start(const ServerOptions& options,
                                                    std::string* failure) {
  std::unique_ptr<ServerProcess> server(new ServerProcess());
  std::vector<std::string> args = {"serve"};
  if (options.use_default_listen) args.insert(args.end(), {"--listen", "127.0.0.1:0"});
  if (options.use_default_db) {
    auto db = DefaultDatabase(server->dir(), failure);
    if (!db) return nullptr;
    server->db_ = *db;
    args.insert(args.end(), {"--db", server->db_});
  }
  args.insert(args.end(), options.args.begin(), options.args.end());

  std::map<std::string, std::string> env = options.env;
  if (!options.clock_start.empty()) {
    auto fake_clock = FakeClockEnvironment(options.clock_start, failure);
    if (!fake_clock) return nullptr;
    env.insert(fake_clock->begin(), fake_clock->end());
  }

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    if (failure) *failure = "pipe failed";
    return nullptr;
  }
  server->pid_ = ::fork();
  if (server->pid_ == 0) {
    ::dup2(pipe_fds[1], STDERR_FILENO);
    int null_fd = ::open("/dev/null", O_WRONLY);
    ::dup2(null_fd, STDOUT_FILENO);
    ExecPatchcast(args, env);
  }
  ::close(pipe_fds[1]);
  server->reader_ = std::thread([raw = server.get(), fd = pipe_fds[0]] { raw->ReadStderr(fd); });

  if (!server->WaitForLog("\"msg\":\"listening\"", std::chrono::seconds(20))) {
    if (failure) *failure = "server did not start listening; its log:\n" + server->Log();
    return nullptr;
  }
  std::smatch match;
  const std::string log = server->Log();
  if (!std::regex_search(log, match, std::regex(R"re("address":"[^"]*:(\d+)")re"))) {
    if (failure) *failure = "no listening address in the log:\n" + log;
    return nullptr;
  }
  server->port_ = std::stoi(match[1]);
  return server;
}

ServerProcess::Outcome ServerProcess::Run(const std::vector<std::string>& args,
                                          const std::map<std::string, std::string>& env) {
  int out_fds[2];
  int err_fds[2];
  Outcome outcome;
  if (::pipe2(out_fds, O_CLOEXEC) != 0 || ::pipe2(err_fds, O_CLOEXEC) != 0) return outcome;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fds[1], STDOUT_FILENO);
    ::dup2(err_fds[1], STDERR_FILENO);
    ExecPatchcast(args, env);
  }
  ::close(out_fds[1]);
  ::close(err_fds[1]);
  pollfd fds[2] = {{out_fds[0], POLLIN, 0}, {err_fds[0], POLLIN, 0}};
  std::string* sinks[2] = {&outcome.out, &outcome.err};
  int open_count = 2;
  while (open_count > 0 && ::poll(fds, 2, 30000) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
      char buffer[4096];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      } else {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
  int raw = 0;
  ::waitpid(pid, &raw, 0);
  outcome.exit_status = DecodeStatus(raw);
  return outcome;
}

ServerProcess::~ServerProcess() {
  if (!exited_ && pid_ > 0) {
    ::kill(pid_, SIGKILL);
    Wait(std::chrono::seconds(10));
  }
  if (reader_.joinable()) reader_.join();
}

void ServerProcess::Signal(int signal) const { ::kill(pid_, signal); }

std::optional<int> ServerProcess::Wait(std::chrono::milliseconds timeout) {
  if (exited_) return exit_status_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int raw = 0;
    pid_t done = ::waitpid(pid_, &raw, WNOHANG);
    if (done == pid_) {
      exited_ = true;
      exit_status_ = DecodeStatus(raw);
      // What the process wrote just before it exited may still be in the pipe: Log() has all
      // of it once the reader has seen the end.
      std::unique_lock lock(mutex_);
      log_grew_.wait_until(lock, deadline, [&] { return stderr_closed_; });
      return exit_status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    // Child exit has no waitable handle here; a short poll interval bounds the latency.
    std::unique_lock lock(mutex_);
    log_grew_.wait_for(lock, std::chrono::milliseconds(10));
  }
}

std::string ServerProcess::Log() const {
  std::lock_guard lock(mutex_);
  return log_;
}

bool ServerProcess::WaitForLog(const std::string& text, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return log_grew_.wait_for(lock, timeout, [&] {
    return log_.find(text) != std::string::npos || stderr_closed_;
  }) && log_.find(text) != std::string::npos;
}

void ServerProcess::ReadStderr(int fd) {
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;
    {
      std::lock_guard lock(mutex_);
      log_.append(buffer, static_cast<std::size_t>(n));
    }
    log_grew_.notify_all();
  }
  ::close(fd);
  {
    std::lock_guard lock(mutex_);
    stderr_closed_ = true;
  }
  log_grew_.notify_all();
}

}  // namespace patchcast::testing
