// Logger: one JSON object per line on stderr, for events and for the access log.
//
// Lines look like {"time":"2026-11-22T10:00:00.123Z","level":"info","msg":"listening",...fields}.
// Thread-safe: a line is written whole under a mutex.
#pragma once

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/clock.h"
#include "server/config.h"

namespace patchcast::server {

class Logger {
 public:
  // `clock` must outlive the logger. Lines below `min_level` are dropped.
  Logger(const Clock& clock, LogLevel min_level, std::FILE* out = stderr)
      : clock_(clock), min_level_(min_level), out_(out) {}

  bool Enabled(LogLevel level) const { return level >= min_level_; }

  // Writes one line with `message` and the members of `fields` (an object, or null).
  void Log(LogLevel level, std::string_view message, const nlohmann::json& fields = nullptr);

 private:
  const Clock& clock_;
  LogLevel min_level_;
  std::FILE* out_;
  std::mutex mutex_;
};

// Formats `instant` as RFC 3339 UTC with milliseconds: "2026-11-22T10:00:00.123Z".
std::string FormatInstant(Instant instant);

}  // namespace patchcast::server
