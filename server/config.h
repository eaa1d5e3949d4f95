// ServeConfig: everything `patchcast serve` can be told, from flags or PATCHCAST_* variables.
//
// Precedence: command-line flag, then environment variable, then the default written beside each
// field. The option table in config.cpp is the single source of the parser and of `--help`.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace patchcast::server {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

struct ListenAddress {
  std::string host = "127.0.0.1";  // IPv4 literal, IPv6 literal (without brackets) or name
  int port = 8080;                 // 0 picks a free port (tests)
  std::string ToString() const;
  bool IsLoopback() const;
};

struct ServeConfig {
  ListenAddress listen;                      // --listen, PATCHCAST_LISTEN (127.0.0.1:8080)
  std::string db_path = "var/patchcast.db";  // --db, PATCHCAST_DB: a file, or a PostgreSQL URL
  int db_pool = 8;                           // --db-pool, PATCHCAST_DB_POOL (PostgreSQL only)
  std::string api_keys_file;                 // --api-keys, PATCHCAST_API_KEYS (none: no auth)
  std::string backup_dir;  // --backup-dir, PATCHCAST_BACKUP_DIR (default: backups/ beside the db)
  int threads = 16;        // --threads, PATCHCAST_THREADS
  int max_queue = 256;     // --max-queue: connections waiting for a worker
  // --head-waiters: threads that wait for request heads and answer polled reads (0, the default:
  // one per hardware thread; HttpServer resolves it).
  int head_waiters = 0;
  std::size_t max_body_bytes = 32u << 20;  // --max-body, PATCHCAST_MAX_BODY (32 MiB)
  int header_timeout_seconds = 10;         // --header-timeout: a head, from its first byte
  int body_timeout_seconds = 60;           // --body-timeout: a body, from the end of its head
  int read_timeout_seconds = 10;           // --read-timeout: longest pause in a body
  int write_timeout_seconds = 10;          // --write-timeout
  int keep_alive_timeout_seconds = 5;      // --keep-alive-timeout
  int keep_alive_max_requests = 100;       // --keep-alive-max
  int shutdown_timeout_seconds = 10;       // --shutdown-timeout: bound on draining at SIGTERM
  int max_future_seconds = 86400;          // --max-future: how far ahead uploads may reach
  int busy_timeout_ms = 5000;              // --busy-timeout: SQLite lock wait before 503
  // --heavy-slots: forecasts, plans, backtests and simulations run at once (0, the default: one
  // per hardware thread, at least 1; main resolves it).
  int heavy_slots = 0;
  int heavy_wait_ms = 250;               // --heavy-wait: wait for a heavy-work slot before 503
  std::string cors_origin;               // --cors-origin (none: CORS off)
  LogLevel log_level = LogLevel::kInfo;  // --log-level debug|info|warn|error
  bool insecure = false;                 // --insecure: allow non-loopback without keys
  bool demo = false;  // --demo: load a generated year of telemetry into series demo-login
  // --demo-end: the instant the demo data ends (default: start-up, floored to the hour). Tests
  // give one so that the demo's releases do not depend on the day they run.
  std::optional<std::chrono::sys_seconds> demo_end;
  // --chartjs, PATCHCAST_CHARTJS: Chart.js's UMD build, which the dashboard (GET /) draws with
  // (default: the file of Debian's libjs-chart.js).
  std::string chartjs_path = "/usr/share/javascript/chart.js/chart.min.js";
};

using Environment = std::map<std::string, std::string>;

// Returns the PATCHCAST_* variables of the process environment.
Environment ReadProcessEnvironment();

// Parses `serve` arguments (after the subcommand) over `env`. Returns kInvalidArgument naming the
// flag or variable and its value on any error, including an unknown flag.
Result<ServeConfig> ParseServeConfig(const std::vector<std::string>& args, const Environment& env);

// Checks rules that span fields: a non-loopback listen address needs a keys file or --insecure.
Status ValidateServeConfig(const ServeConfig& config);

// Returns the resolved configuration as `name=value` lines, one per option, in the order of
// `--help` (what `patchcast serve --check-config` prints; no secrets are held here to leave out).
std::string DescribeServeConfig(const ServeConfig& config);

// Returns the text of `patchcast serve --help`.
std::string ServeHelp();

// Parses "HOST:PORT", "[V6]:PORT" or ":PORT". Returns kInvalidArgument naming `text`.
Result<ListenAddress> ParseListenAddress(std::string_view text);

// Parses a byte count: "1048576", "64k", "32M", "32MiB", "1G" (binary multiples).
Result<std::size_t> ParseByteSize(std::string_view text);

const char* LogLevelName(LogLevel level);

}  // namespace patchcast::server
