#include "server/logger.h"

#include <date/date.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <string>

namespace patchcast::server {

namespace {

// `text` as a JSON string, invalid UTF-8 replaced.
std::string Quoted(std::string_view text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool NeedsEscaping(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte > 0x7e || c == '"' || c == '\\';
}

// Appends `text` as a JSON string. Printable ASCII (every path, id and name of an access log line)
// is copied as it is; anything else goes through Quoted.
void AppendQuoted(std::string& line, std::string_view text) {
  if (std::any_of(text.begin(), text.end(), NeedsEscaping)) {
    line += Quoted(text);
    return;
  }
  line += '"';
  line += text;
  line += '"';
}

template <typename Number>
void AppendNumber(std::string& line, Number number) {
  char digits[32];
  const auto written = std::to_chars(std::begin(digits), std::end(digits), number);
  line.append(digits, written.ptr);
}

void AppendValue(std::string& line,
                 const std::variant<std::string_view, std::int64_t, double>& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    AppendQuoted(line, *text);
  } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
    AppendNumber(line, *integer);
  } else if (const double real = std::get<double>(value); std::isfinite(real)) {
    AppendNumber(line, real);
  } else {
    line += "null";  // JSON has no infinity or NaN
  }
}

bool IsLeadingMember(std::string_view name) {
  return name == "time" || name == "level" || name == "msg";
}

}  // namespace

// By hand rather than with date::format, whose stream and locale cost more than the rest of an
// access log line.
std::string FormatInstant(Instant instant) {
  const auto day = std::chrono::floor<std::chrono::days>(instant);
  const date::year_month_day date{day};
  const date::hh_mm_ss time{instant - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int{date.year()},
                unsigned{date.month()}, unsigned{date.day()},
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()),
                static_cast<int>(time.subseconds().count()));
  return text;
}

Logger::Logger(const Clock& clock, LogLevel min_level, std::FILE* out)
    : clock_(clock), min_level_(min_level), writer_(out, [this](std::uint64_t count) {
        return FormatLine(LogLevel::kWarn, "log lines dropped: the log writer fell behind",
                          {{"dropped", count}});
      }) {}

std::string Logger::LineStart(LogLevel level, std::string_view message) const {
  std::string line;
  line.reserve(320);
  line += R"({"time":")";
  line += FormatInstant(clock_.Now());
  line += R"(","level":")";
  line += LogLevelName(level);
  line += R"(","msg":)";
  AppendQuoted(line, message);
  return line;
}

std::string Logger::FormatLine(LogLevel level, std::string_view message,
                               const nlohmann::json& fields) const {
  std::string line = LineStart(level, message);
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (IsLeadingMember(it.key())) continue;
      line += ',' + Quoted(it.key()) + ':' +
              it.value().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
  }
  line += "}\n";
  return line;
}

void Logger::LogFields(LogLevel level, std::string_view message,
                       std::initializer_list<LogField> fields) {
  if (!Enabled(level)) return;
  std::string line = LineStart(level, message);
  for (const LogField& field : fields) {
    if (IsLeadingMember(field.name())) continue;
    line += ',';
    AppendQuoted(line, field.name());
    line += ':';
    AppendValue(line, field.value());
  }
  line += "}\n";
  Write(level, line);
}

void Logger::Write(LogLevel level, std::string_view line) {
  writer_.Write(line);
  if (level >= LogLevel::kWarn) writer_.Flush();
}

void Logger::Log(LogLevel level, std::string_view message, const nlohmann::json& fields) {
  if (!Enabled(level)) return;
  Write(level, FormatLine(level, message, fields));
}

}  // namespace patchcast::server
