#include "server/config.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstdlib>
#include <functional>

#include "api/point_text.h"
#include "api/timestamp_format.h"
#include "server/storage/pg/pg_url.h"

extern char** environ;

namespace patchcast::server {
namespace {

struct Option {
  const char* flag;        // "--listen"
  const char* env;         // "PATCHCAST_LISTEN", or nullptr
  const char* value_name;  // "HOST:PORT", or nullptr for a switch
  const char* help;
  std::function<Status(ServeConfig&, std::string_view)> apply;
  std::function<std::string(const ServeConfig&)> show;  // the value as --check-config prints it
};

using Apply = std::function<Status(ServeConfig&, std::string_view)>;
using Show = std::function<std::string(const ServeConfig&)>;

Result<int> ParseInt(std::string_view text, int min, int max) {
  int value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < min ||
      value > max) {
    return InvalidArgument("'" + std::string(text) + "' is not an integer from " +
                           std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

// An integer option with bounds.
Option IntOption(const char* flag, const char* env, const char* value_name, const char* help,
                 int ServeConfig::*field, int min, int max) {
  Apply apply = [field, min, max](ServeConfig& config, std::string_view text) -> Status {
    auto value = ParseInt(text, min, max);
    if (!value) return value.error();
    config.*field = *value;
    return {};
  };
  Show show = [field](const ServeConfig& config) { return std::to_string(config.*field); };
  return {flag, env, value_name, help, std::move(apply), std::move(show)};
}

// A switch: "true"/"1" (what a bare flag means) or "false"/"0".
Option BoolOption(const char* flag, const char* env, const char* help, bool ServeConfig::*field) {
  Apply apply = [field](ServeConfig& config, std::string_view text) -> Status {
    if (text != "1" && text != "true" && text != "0" && text != "false") {
      return InvalidArgument("'" + std::string(text) + "' is not one of 1, true, 0, false");
    }
    config.*field = text == "1" || text == "true";
    return {};
  };
  Show show = [field](const ServeConfig& config) -> std::string {
    return config.*field ? "true" : "false";
  };
  return {flag, env, nullptr, help, std::move(apply), std::move(show)};
}

// A text option taken as it is.
Option TextOption(const char* flag, const char* env, const char* value_name, const char* help,
                  std::string ServeConfig::*field) {
  Apply apply = [field](ServeConfig& config, std::string_view text) -> Status {
    config.*field = text;
    return {};
  };
  Show show = [field](const ServeConfig& config) { return config.*field; };
  return {flag, env, value_name, help, std::move(apply), std::move(show)};
}

const std::vector<Option>& Options() {
  static const std::vector<Option> options = {
      {"--listen", "PATCHCAST_LISTEN", "HOST:PORT",
       "address to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
       [](ServeConfig& c, std::string_view v) -> Status {
         auto address = ParseListenAddress(v);
         if (!address) return address.error();
         c.listen = *address;
         return {};
       },
       [](const ServeConfig& c) { return c.listen.ToString(); }},
      {"--db", "PATCHCAST_DB", "PATH|URL",
       "SQLite database file (default var/patchcast.db), or a PostgreSQL database as "
       "postgresql://USER@HOST:PORT/DBNAME, which several replicas may share (the password from "
       "the URL, PGPASSWORD or ~/.pgpass; TLS with ?sslmode=)",
       [](ServeConfig& c, std::string_view v) -> Status {
         if (v.empty()) return InvalidArgument("the database path is empty");
         c.db_path = v;
         return {};
       },
       // The URL may hold a password, and --check-config's output may be logged.
       [](const ServeConfig& c) { return storage::pg::RedactPassword(c.db_path); }},
      IntOption("--db-pool", "PATCHCAST_DB_POOL", "N",
                "PostgreSQL connections this process keeps open at most (default 8); a request "
                "waiting 5 s for one gets 503",
                &ServeConfig::db_pool, 1, 1000),
      TextOption(
          "--api-keys", "PATCHCAST_API_KEYS", "FILE",
          "keys file written by `patchcast keys new` (default none: no authentication, loopback "
          "only)",
          &ServeConfig::api_keys_file),
      TextOption("--backup-dir", "PATCHCAST_BACKUP_DIR", "DIR",
                 "where POST /v1/admin/backups writes (default: backups/ beside the database)",
                 &ServeConfig::backup_dir),
      IntOption("--threads", "PATCHCAST_THREADS", "N", "worker threads (default 16)",
                &ServeConfig::threads, 1, 1024),
      IntOption("--max-queue", "PATCHCAST_MAX_QUEUE", "N",
                "connections waiting for a worker before new ones get 503 (default 256)",
                &ServeConfig::max_queue, 0, 1 << 20),
      {"--max-body", "PATCHCAST_MAX_BODY", "BYTES",
       "largest request body, e.g. 32MiB (default 32MiB); larger bodies get 413",
       [](ServeConfig& c, std::string_view v) -> Status {
         auto size = ParseByteSize(v);
         if (!size) return size.error();
         c.max_body_bytes = *size;
         return {};
       },
       [](const ServeConfig& c) { return std::to_string(c.max_body_bytes); }},
      IntOption("--header-timeout", "PATCHCAST_HEADER_TIMEOUT", "SECONDS",
                "time to receive a request's head, from its first byte; then 408 (default 10)",
                &ServeConfig::header_timeout_seconds, 1, 3600),
      IntOption("--body-timeout", "PATCHCAST_BODY_TIMEOUT", "SECONDS",
                "time to receive a request's body, from the end of its head; then 408 (default "
                "60)",
                &ServeConfig::body_timeout_seconds, 1, 3600),
      IntOption("--read-timeout", "PATCHCAST_READ_TIMEOUT", "SECONDS",
                "longest pause while a body arrives; then 408 (default 10)",
                &ServeConfig::read_timeout_seconds, 1, 3600),
      IntOption("--write-timeout", "PATCHCAST_WRITE_TIMEOUT", "SECONDS",
                "time to send a response (default 10)", &ServeConfig::write_timeout_seconds, 1,
                3600),
      IntOption("--keep-alive-timeout", "PATCHCAST_KEEP_ALIVE_TIMEOUT", "SECONDS",
                "idle time before a kept-alive connection closes (default 5)",
                &ServeConfig::keep_alive_timeout_seconds, 1, 3600),
      IntOption("--keep-alive-max", "PATCHCAST_KEEP_ALIVE_MAX", "N",
                "requests served on one connection (default 100)",
                &ServeConfig::keep_alive_max_requests, 1, 1 << 20),
      IntOption("--shutdown-timeout", "PATCHCAST_SHUTDOWN_TIMEOUT", "SECONDS",
                "bound on finishing in-flight requests after SIGTERM/SIGINT (default 10)",
                &ServeConfig::shutdown_timeout_seconds, 0, 3600),
      IntOption("--max-future", "PATCHCAST_MAX_FUTURE", "SECONDS",
                "how far past now an uploaded timestamp may lie (default 86400)",
                &ServeConfig::max_future_seconds, 0, 366 * 86400),
      IntOption("--busy-timeout", "PATCHCAST_BUSY_TIMEOUT", "MS",
                "wait for a database lock before answering 503 (default 5000)",
                &ServeConfig::busy_timeout_ms, 0, 600000),
      IntOption("--head-waiters", "PATCHCAST_HEAD_WAITERS", "N",
                "threads that wait for request heads and answer polled reads themselves "
                "(default 0: one per hardware thread)",
                &ServeConfig::head_waiters, 0, 256),
      IntOption("--heavy-slots", "PATCHCAST_HEAVY_SLOTS", "N",
                "forecasts, plans, backtests and simulations run at once; more get 503 (default "
                "0: one per hardware thread)",
                &ServeConfig::heavy_slots, 0, 1024),
      IntOption("--heavy-wait", "PATCHCAST_HEAVY_WAIT", "MS",
                "wait for a free heavy-work slot before answering 503 (default 250)",
                &ServeConfig::heavy_wait_ms, 0, 60000),
      TextOption("--cors-origin", "PATCHCAST_CORS_ORIGIN", "ORIGIN",
                 "browser origin allowed to call the API, or * (default none: CORS off)",
                 &ServeConfig::cors_origin),
      TextOption("--chartjs", "PATCHCAST_CHARTJS", "FILE",
                 "Chart.js for the dashboard at / (default "
                 "/usr/share/javascript/chart.js/chart.min.js, Debian's libjs-chart.js; "
                 "missing: the dashboard draws no charts)",
                 &ServeConfig::chartjs_path),
      {"--log-level", "PATCHCAST_LOG_LEVEL", "LEVEL", "debug, info, warn or error (default info)",
       [](ServeConfig& c, std::string_view v) -> Status {
         for (LogLevel level :
              {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
           if (v == LogLevelName(level)) {
             c.log_level = level;
             return {};
           }
         }
         return InvalidArgument("'" + std::string(v) + "' is not one of debug, info, warn, error");
       },
       [](const ServeConfig& c) -> std::string { return LogLevelName(c.log_level); }},
      BoolOption("--demo", "PATCHCAST_DEMO",
                 "load a generated year of login telemetry into series demo-login (once)",
                 &ServeConfig::demo),
      {"--demo-end", "PATCHCAST_DEMO_END", "INSTANT",
       "RFC 3339 instant the demo data ends at (default: start-up, floored to the hour)",
       [](ServeConfig& c, std::string_view v) -> Status {
         auto instant = api::ParseRfc3339Seconds(v);
         if (!instant) return instant.error();
         c.demo_end = *instant;
         return {};
       },
       [](const ServeConfig& c) -> std::string {
         return c.demo_end ? api::FormatRfc3339(*c.demo_end) : "";
       }},
      BoolOption("--insecure", "PATCHCAST_INSECURE",
                 "allow a non-loopback --listen without --api-keys (anyone who can connect is "
                 "admin)",
                 &ServeConfig::insecure),
  };
  return options;
}

Status ApplyOption(const Option& option, ServeConfig& config, std::string_view value,
                   const std::string& where) {
  Status status = option.apply(config, value);
  if (!status) return InvalidArgument(where + ": " + status.error().message);
  return {};
}

}  // namespace

std::string ListenAddress::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool ListenAddress::IsLoopback() const {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return false;
}

Environment ReadProcessEnvironment() {
  Environment env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (!text.starts_with("PATCHCAST_")) continue;
    std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

Result<ServeConfig> ParseServeConfig(const std::vector<std::string>& args, const Environment& env) {
  ServeConfig config;
  for (const Option& option : Options()) {
    if (option.env == nullptr) continue;
    auto it = env.find(option.env);
    if (it == env.end()) continue;
    if (Status s = ApplyOption(option, config, it->second, std::string(option.env)); !s)
      return s.error();
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    std::string_view inline_value;
    bool has_inline_value = false;
    if (std::size_t equals = arg.find('='); arg.starts_with("--") && equals != arg.npos) {
      inline_value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
      has_inline_value = true;
    }
    const Option* match = nullptr;
    for (const Option& option : Options()) {
      if (arg == option.flag) match = &option;
    }
    if (match == nullptr) {
      return InvalidArgument("unknown option '" + std::string(arg) +
                             "' (see `patchcast serve --help`)");
    }
    std::string value;
    if (match->value_name == nullptr) {
      value = has_inline_value ? std::string(inline_value) : "true";
    } else if (has_inline_value) {
      value = inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return InvalidArgument(std::string(match->flag) + " needs a value (" + match->value_name +
                             ")");
    }
    if (Status s = ApplyOption(*match, config, value, match->flag); !s) return s.error();
  }
  return config;
}

Status ValidateServeConfig(const ServeConfig& config) {
  if (!config.listen.IsLoopback() && config.api_keys_file.empty() && !config.insecure) {
    return InvalidArgument("refusing to listen on " + config.listen.ToString() +
                           " without --api-keys: anyone who can connect would be admin. Create "
                           "keys with `patchcast keys new`, or pass --insecure if a proxy "
                           "authenticates");
  }
  return {};
}

std::string DescribeServeConfig(const ServeConfig& config) {
  std::string text;
  for (const Option& option : Options()) {
    text += std::string(option.flag).substr(2) + "=" + option.show(config) + "\n";
  }
  return text;
}

std::string ServeHelp() {
  std::string help =
      "Usage: patchcast serve [OPTIONS]\n\n"
      "Runs the HTTP service. Each option can also be set by the environment variable shown.\n\n"
      "  --help                       print this text and exit\n"
      "  --check-config               print the resolved options as name=value lines and exit\n"
      "                               (2 if they are invalid)\n";
  for (const Option& option : Options()) {
    std::string left = std::string("  ") + option.flag;
    if (option.value_name != nullptr) left += std::string(" ") + option.value_name;
    if (left.size() < 30) left.resize(30, ' ');
    help += left + " " + option.help + "\n";
    if (option.env != nullptr) help += std::string(31, ' ') + "[" + option.env + "]\n";
  }
  return help;
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  ListenAddress address;
  std::string_view host;
  std::string_view port;
  if (text.starts_with('[')) {
    std::size_t close = text.find("]:");
    if (close == text.npos) {
      return InvalidArgument("listen address '" + std::string(text) + "' is not [IPV6]:PORT");
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    std::size_t colon = text.rfind(':');
    if (colon == text.npos || text.find(':') != colon) {
      return InvalidArgument("listen address '" + std::string(text) +
                             "' is not HOST:PORT (write IPv6 as [::1]:8080)");
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  auto port_number = ParseInt(port, 0, 65535);
  if (!port_number) {
    return InvalidArgument("listen address '" + std::string(text) + "': port " +
                           port_number.error().message);
  }
  address.host = host.empty() ? "0.0.0.0" : std::string(host);
  address.port = *port_number;
  return address;
}

Result<std::size_t> ParseByteSize(std::string_view text) {
  constexpr std::uint64_t kMaxByteSize = 64ULL << 30;  // beyond any sane request body
  std::uint64_t number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  std::uint64_t multiplier = 0;
  if (unit.empty() || unit == "B") multiplier = 1;
  if (unit == "k" || unit == "K" || unit == "KiB") multiplier = 1ULL << 10;
  if (unit == "M" || unit == "MiB") multiplier = 1ULL << 20;
  if (unit == "G" || unit == "GiB") multiplier = 1ULL << 30;
  if (text.empty() || error != std::errc() || multiplier == 0 || number == 0 ||
      number > kMaxByteSize / multiplier) {
    return InvalidArgument("'" + std::string(text) +
                           "' is not a positive size such as 1048576, 64KiB, 32MiB or 1GiB");
  }
  return static_cast<std::size_t>(number * multiplier);
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace patchcast::server
