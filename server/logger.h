// Logger: one JSON object per line on stderr, for events and for the access log.
//
// Lines look like {"time":"2026-11-22T10:00:00.123Z","level":"info","msg":"listening",...fields}.
// Thread-safe. A line is formatted on the caller's thread and written whole by a LogWriter thread
// (server/log_writer.h), so a request never waits on the output: lines come out in the order they
// were logged, within a moment. Warnings and errors are waited for (they often come just before
// the process ends); the destructor writes everything logged before it.
#pragma once

#include <concepts>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <variant>

#include "core/clock.h"
#include "server/config.h"
#include "server/log_writer.h"

namespace patchcast::server {

// A field of a log line whose value is text or a number, for Logger::LogFields.
class LogField {
 public:
  LogField(std::string_view name, std::string_view text) : name_(name), value_(text) {}
  LogField(std::string_view name, const char* text) : name_(name), value_(std::string_view(text)) {}
  template <std::integral Number>
  LogField(std::string_view name, Number number)
      : name_(name), value_(static_cast<std::int64_t>(number)) {}
  LogField(std::string_view name, double number) : name_(name), value_(number) {}
  // A bool would pass as the integer 0 or 1: say which text or number it stands for.
  LogField(std::string_view name, bool flag) = delete;

  std::string_view name() const { return name_; }
  const std::variant<std::string_view, std::int64_t, double>& value() const { return value_; }

 private:
  std::string_view name_;
  std::variant<std::string_view, std::int64_t, double> value_;
};

class Logger {
 public:
  // `clock` must outlive the logger. Lines below `min_level` are dropped.
  Logger(const Clock& clock, LogLevel min_level, std::FILE* out = stderr);

  bool Enabled(LogLevel level) const { return level >= min_level_; }

  // Writes one line with `message` and the members of `fields` (an object, or null).
  void Log(LogLevel level, std::string_view message, const nlohmann::json& fields = nullptr);

  // The same, for fields that are text or numbers, written in the order given: written straight
  // into the line, which costs a fraction of building a json object, for lines logged on every
  // request. The texts need only live until the call returns.
  void LogFields(LogLevel level, std::string_view message, std::initializer_list<LogField> fields);

  // Returns once every line logged before the call is written.
  void Flush() { writer_.Flush(); }

  // Lines lost because the output fell behind by more than the writer's queue (each loss is also
  // told in the log itself).
  std::uint64_t dropped_lines() const { return writer_.dropped(); }

 private:
  std::string FormatLine(LogLevel level, std::string_view message,
                         const nlohmann::json& fields) const;
  // A line's beginning, up to its message: `{"time":…,"level":…,"msg":…`.
  std::string LineStart(LogLevel level, std::string_view message) const;
  void Write(LogLevel level, std::string_view line);

  const Clock& clock_;
  LogLevel min_level_;
  LogWriter writer_;
};

// Formats `instant` as RFC 3339 UTC with milliseconds: "2026-11-22T10:00:00.123Z".
std::string FormatInstant(Instant instant);

}  // namespace patchcast::server
