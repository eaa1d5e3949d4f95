#include "server/logger.h"

#include <date/date.h>

namespace patchcast::server {

std::string FormatInstant(Instant instant) { return date::format("%FT%TZ", instant); }

void Logger::Log(LogLevel level, std::string_view message, const nlohmann::json& fields) {
  if (!Enabled(level)) return;
  nlohmann::json line = {
      {"time", FormatInstant(clock_.Now())}, {"level", LogLevelName(level)}, {"msg", message}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  text += '\n';
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace patchcast::server
