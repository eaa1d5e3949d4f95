#include "server/storage/series_rows.h"

#include <algorithm>
#include <charconv>

#include "calendars/time_text.h"

namespace patchcast::storage {

Error NoSuchSeries(std::string_view id) {
  return NotFound("series '" + std::string(id) + "' does not exist");
}

Error RangeError(std::chrono::sys_seconds from, std::chrono::sys_seconds to) {
  return InvalidArgument("from " + calendars::FormatUtcDateTime(from) + " is after to " +
                         calendars::FormatUtcDateTime(to));
}

std::string EncodeZoneMix(std::span<const forecasting::ZoneShare> mix) {
  std::string text;
  for (const auto& [zone, share] : mix) {
    char number[32];
    auto [end, error] = std::to_chars(number, number + sizeof number, share);
    if (!text.empty()) text += '\n';
    text += zone + "=" + std::string(number, error == std::errc() ? end : number);
  }
  return text;
}

Result<std::vector<forecasting::ZoneShare>> DecodeZoneMix(std::string_view text) {
  std::vector<forecasting::ZoneShare> mix;
  while (!text.empty()) {
    const std::size_t line_end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, line_end);
    const std::size_t equals = line.rfind('=');
    double share = 0;
    if (equals == std::string_view::npos ||
        std::from_chars(line.data() + equals + 1, line.data() + line.size(), share).ec !=
            std::errc()) {
      return Internal("stored zone mix entry '" + std::string(line) + "' is damaged");
    }
    mix.push_back({std::string(line.substr(0, equals)), share});
    text.remove_prefix(std::min(line_end + 1, text.size()));
  }
  return mix;
}

}  // namespace patchcast::storage
