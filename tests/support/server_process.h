// ServerProcess: the real `patchcast serve` binary, started on a free loopback port with a database
// of its own, for end-to-end tests: an SQLite file in a temporary directory, or, when the suite
// runs on PostgreSQL (SuiteOnPostgres), a fresh database of the test binary's throwaway cluster.
//
// Start() returns once the server has logged its "listening" line (or fails the test). The server's
// stderr is collected by a thread and can be read with Log(). The destructor kills the process if
// it is still running. One object per test; not thread-safe.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.h"

namespace patchcast::testing {

// The path of the patchcast binary under test (set by CMake).
std::string PatchcastBinary();

// The path of Debian's libfaketime (set by CMake; empty when it was not found).
std::string LibfaketimePath();

// Whether servers get a PostgreSQL database by default: PATCHCAST_E2E_ENGINE=postgresql in the
// environment (CTest's run of the suite on PostgreSQL sets it); else an SQLite file.
bool SuiteOnPostgres();

struct ServerOptions {
  std::vector<std::string> args;           // extra `serve` arguments
  std::map<std::string, std::string> env;  // extra environment variables
  bool use_default_listen = true;          // add --listen 127.0.0.1:0
  bool use_default_db = true;              // add --db <temp>/patchcast.db
  // When set (RFC 3339, "2026-11-14T01:00:00Z"), the server's wall clock starts at this instant and
  // runs on from there (libfaketime), so a test of "now" gives its now. Monotonic time is real.
  std::string clock_start;
};

class ServerProcess {
 public:
  // Starts the server and waits up to 20 s for it to listen. Returns nullptr (with the log in
  // `failure`) if it exits or does not listen in time, or if `clock_start` is set but is not
  // RFC 3339 or libfaketime is not installed.
  static std::unique_ptr<ServerProcess> Start(const ServerOptions& options, std::string* failure);

  // Runs `patchcast ARGS` to completion; returns its exit status and stdout/stderr.
  struct Outcome {
    int exit_status = -1;
    std::string out;
    std::string err;
  };
  static Outcome Run(const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {});

  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const TempDir& dir() const { return dir_; }
  // The --db the server got by default (ServerOptions::use_default_db): its file, or its
  // database's URL on PostgreSQL. Commands and a server started again on the same data take it.
  const std::string& db() const { return db_; }

  void Signal(int signal) const;
  // Waits for the process to exit, and for its standard error to reach Log() (up to the same
  // deadline); returns its exit status, or nullopt on timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // Everything the server wrote on stderr so far.
  std::string Log() const;
  // Waits until Log() contains `text`; returns false on timeout.
  bool WaitForLog(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  ServerProcess() = default;
  void ReadStderr(int fd);

  TempDir dir_;
  std::string db_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool exited_ = false;
  int exit_status_ = -1;
  mutable std::mutex mutex_;
  mutable std::condition_variable log_grew_;  // with mutex_: the log grew, or stderr closed
  std::string log_;
  bool stderr_closed_ = false;  // the process exited (or closed stderr)
  std::thread reader_;
};

}  // namespace patchcast::testing
