// PgCluster: a throwaway PostgreSQL server for tests, made with Debian's own binaries.
//
// Start() runs initdb into a fresh temporary directory and starts the server with pg_ctl on a free
// loopback port, its unix socket in that directory, trusting local connections as superuser
// "patchcast"; only role kPasswordRole (which tests create) must give a password, to test how one
// is found. PostgreSQL refuses to run as root, so when the tests run as root the binaries run as
// `nobody` (the directory is handed to it); otherwise as the current user. The destructor stops the
// server (immediate mode: nothing in it is worth keeping) and removes the directory.
//
// initdb takes seconds, so a test binary shares one cluster (SharedPgCluster) and gives each test
// case a fresh database of its own (pg_test_database.h). When PostgreSQL is not installed, the
// tests are skipped, not passed: decorate them with `doctest::skip(!PgInstalled())`, and CTest
// reports the binary as skipped on PgInstalled's message. Not thread-safe: start and stop from the
// test's main thread; the server itself serves any number of connections.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "tests/support/temp_dir.h"

namespace patchcast::testing {

// The directory holding initdb and pg_ctl: $PATCHCAST_PG_BINDIR when set (a test of the skip path
// points it elsewhere), else the newest /usr/lib/postgresql/<version>/bin that has both; "" when
// there is none.
std::string PgBinDir();

// Returns whether PgBinDir() found the binaries. The first call that finds none prints, on
// stderr, the line CTest recognises as a skip: "PostgreSQL tests skipped: ...".
bool PgInstalled();

class PgCluster {
 public:
  // The role that must authenticate with a password (scram-sha-256) over TCP.
  static constexpr std::string_view kPasswordRole = "patchcast_password";

  // kThrowaway: fsync off, as tests want (nothing in it must survive a power cut). kDurable:
  // PostgreSQL's default, every commit flushed, as a bench comparing it with SQLite must.
  enum class Durability { kThrowaway, kDurable };

  // Creates and starts a cluster. Returns nullptr, with the reason and the tail of the tool's log
  // in `failure`, when the binaries are missing or initdb or pg_ctl fails (three ports are tried).
  static std::unique_ptr<PgCluster> Start(std::string* failure,
                                          Durability durability = Durability::kThrowaway);

  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;
  ~PgCluster();

  int port() const { return port_; }
  // postgresql://patchcast@127.0.0.1:<port>/<database>: TCP on loopback, no password.
  std::string Url(std::string_view database) const;
  // The directory holding the unix socket (and the data directory, and the logs).
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  PgCluster() = default;

  TempDir dir_;
  std::string bin_dir_;
  int port_ = 0;
  bool running_ = false;
};

// The test binary's one cluster, started on the first call and stopped when the binary exits.
// Returns nullptr, with the reason in `failure`, if it could not be started (every later call
// gives the same answer without trying again).
PgCluster* SharedPgCluster(std::string* failure);

}  // namespace patchcast::testing
