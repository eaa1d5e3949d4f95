// Fuzzes the calendar request bodies of api/calendar_json.h, read as the routes read them
// (ParseJsonObject, then ParseCalendarDefinition for POST /v1/calendars and ParseOverride for
// POST …/overrides). An accepted definition is built (MakeCustomCalendar) and its events of ten
// years are listed and rendered. Beyond never crashing: a definition or an override rendered back
// to JSON reads the same, and the events lie in the range asked for, within the event limit.
#include <date/date.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "api/calendar_json.h"
#include "api/json_body.h"
#include "calendars/custom_calendar.h"
#include "calendars/time_range.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

constexpr std::size_t kMaxEvents = 1000;

void CheckEvents(const calendars::CustomCalendarDefinition& definition) {
  const auto calendar = calendars::MakeCustomCalendar(definition);
  if (!calendar) {
    Expect(!calendar.error().message.empty(), "a refused definition has a reason");
    return;
  }
  (void)api::CalendarJson((*calendar)->info(), &definition).dump();
  const calendars::TimeRange range{date::sys_days{date::year{2025} / 1 / 1},
                                   date::sys_days{date::year{2035} / 1 / 1}};
  std::vector<calendars::Event> events;
  if (!(*calendar)->AppendEvents(range, kMaxEvents, events)) return;  // too many: refused
  Expect(events.size() <= kMaxEvents, "the event limit holds");
  for (const calendars::Event& event : events) {
    Expect(range.Contains(event.start), "every event lies in the range");
    (void)api::EventJson(event).dump();
  }
}

void CheckDefinition(const nlohmann::json& body) {
  const auto definition = api::ParseCalendarDefinition(body);
  if (!definition) {
    Expect(!definition.error().message.empty(), "a refused definition has a reason");
    return;
  }
  const auto again = api::ParseCalendarDefinition(api::DefinitionJson(*definition));
  Expect(again.has_value() && *again == *definition, "a definition rendered back reads the same");
  CheckEvents(*definition);
}

void CheckOverride(const nlohmann::json& body) {
  const auto override_ = api::ParseOverride(body, "microsoft");
  if (!override_) {
    Expect(!override_.error().message.empty(), "a refused override has a reason");
    return;
  }
  nlohmann::json rendered = api::OverrideJson(*override_);
  rendered.erase("id");  // assigned by the catalog, not read from a request
  rendered.erase("calendar");
  const auto again = api::ParseOverride(rendered, "microsoft");
  Expect(again.has_value() && *again == *override_, "an override rendered back reads the same");
}

void Check(std::string_view text) {
  const auto body = api::ParseJsonObject(text);
  if (!body) return;
  CheckDefinition(*body);
  CheckOverride(*body);
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
