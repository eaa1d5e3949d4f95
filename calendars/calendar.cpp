#include "calendars/calendar.h"

#include <algorithm>
#include <string>

#include "calendars/time_text.h"

namespace patchcast::calendars {

std::string_view ToString(CalendarKind kind) {
  return kind == CalendarKind::kBuiltin ? "builtin" : "custom";
}

Error TooManyEvents(std::string_view calendar_id, std::size_t max_events, const TimeRange& range) {
  return Unprocessable("calendar '" + std::string(calendar_id) + "' has more than " +
                       std::to_string(max_events) + " events in " + FormatUtcDateTime(range.from) +
                       ".." + FormatUtcDateTime(range.to) + "; narrow the range");
}

void ReserveMore(std::vector<Event>& out, std::size_t additional) {
  const std::size_t needed = out.size() + additional;
  if (needed > out.capacity()) out.reserve(std::max(needed, 2 * out.capacity()));
}

}  // namespace patchcast::calendars
