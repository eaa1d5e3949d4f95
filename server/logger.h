// Logger: one JSON object per line on stderr, for events and for the access log.
//
// Lines look like {"time":"2026-11-22T10:00:00.123Z","level":"info","msg":"listening",...fields}.
// Thread-safe. A line is formatted on the caller's thread and written whole by a LogWriter thread
// (server/log_writer.h), so a request never waits on the output: lines come out in the order they
// were logged, within a moment. Warnings and errors are waited for (they often come just before
// the process ends); the destructor writes everything logged before it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/clock.h"
#include "server/config.h"
#include "server/log_writer.h"

namespace patchcast::server {

class Logger {
 public:
  // `clock` must outlive the logger. Lines below `min_level` are dropped.
  Logger(const Clock& clock, LogLevel min_level, std::FILE* out = stderr);

  bool Enabled(LogLevel level) const { return level >= min_level_; }

  // Writes one line with `message` and the members of `fields` (an object, or null).
  void Log(LogLevel level, std::string_view message, const nlohmann::json& fields = nullptr);

  // Returns once every line logged before the call is written.
  void Flush() { writer_.Flush(); }

  // Lines lost because the output fell behind by more than the writer's queue (each loss is also
  // told in the log itself).
  std::uint64_t dropped_lines() const { return writer_.dropped(); }

 private:
  std::string FormatLine(LogLevel level, std::string_view message,
                         const nlohmann::json& fields) const;

  const Clock& clock_;
  LogLevel min_level_;
  LogWriter writer_;
};

// Formats `instant` as RFC 3339 UTC with milliseconds: "2026-11-22T10:00:00.123Z".
std::string FormatInstant(Instant instant);

}  // namespace patchcast::server
