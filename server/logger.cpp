#include "server/logger.h"

#include <date/date.h>

namespace patchcast::server {

std::string FormatInstant(Instant instant) { return date::format("%FT%TZ", instant); }

Logger::Logger(const Clock& clock, LogLevel min_level, std::FILE* out)
    : clock_(clock), min_level_(min_level), writer_(out, [this](std::uint64_t count) {
        return FormatLine(LogLevel::kWarn, "log lines dropped: the log writer fell behind",
                          {{"dropped", count}});
      }) {}

std::string Logger::FormatLine(LogLevel level, std::string_view message,
                               const nlohmann::json& fields) const {
  nlohmann::json line = {
      {"time", FormatInstant(clock_.Now())}, {"level", LogLevelName(level)}, {"msg", message}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  return text;
}

void Logger::Log(LogLevel level, std::string_view message, const nlohmann::json& fields) {
  if (!Enabled(level)) return;
  writer_.Write(FormatLine(level, message, fields));
  if (level >= LogLevel::kWarn) writer_.Flush();
}

}  // namespace patchcast::server
