// Fuzzes the RRULE parser (calendars/recurrence_rule.h) and, for texts with a DTSTART line, the
// iCalendar recurrence-set parser (recurrence_set.h); every accepted recurrence is expanded.
// Beyond never crashing: ParseRecurrenceRule(ToString(rule)) == rule (the header's promise), and
// an expansion is strictly increasing, inside its range and within its occurrence limit.
#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "calendars/recurrence_rule.h"
#include "calendars/recurrence_set.h"
#include "calendars/zone.h"
#include "fuzz/fuzz_support.h"

namespace patchcast::fuzz {
namespace {

constexpr std::size_t kMaxOccurrences = 500;

// Ten years, from a year before the default DTSTART.
calendars::TimeRange Range() {
  return {date::sys_days{date::year{2025} / 1 / 1}, date::sys_days{date::year{2035} / 1 / 1}};
}

void ExpectSoundExpansion(const calendars::RecurrenceSet& set) {
  const calendars::TimeRange range = Range();
  const calendars::Expansion expansion = calendars::ExpandRecurrence(set, range, kMaxOccurrences);
  Expect(expansion.occurrences.size() <= kMaxOccurrences, "the occurrence limit holds");
  for (std::size_t i = 0; i < expansion.occurrences.size(); ++i) {
    Expect(range.Contains(expansion.occurrences[i].utc), "every occurrence lies in the range");
    Expect(i == 0 || expansion.occurrences[i - 1].utc < expansion.occurrences[i].utc,
           "occurrences are strictly increasing");
  }
}

void CheckRule(std::string_view text) {
  const auto rule = calendars::ParseRecurrenceRule(text);
  if (!rule) {
    Expect(!rule.error().message.empty(), "a refused rule has a reason");
    return;
  }
  const auto again = calendars::ParseRecurrenceRule(calendars::ToString(*rule));
  Expect(again.has_value() && *again == *rule, "ParseRecurrenceRule(ToString(rule)) == rule");
  // Patch Tuesday at 10:00 in a zone with daylight time, so gaps and folds are crossed.
  static const date::time_zone* const zone = *calendars::LocateZone("America/Los_Angeles");
  calendars::RecurrenceSet set{
      date::local_days{date::year{2026} / 1 / 13} + std::chrono::hours{10}, zone, *rule, {}};
  ExpectSoundExpansion(set);
}

void CheckSet(std::string_view text) {
  const auto set = calendars::ParseRecurrenceSet(text);
  if (!set) {
    Expect(!set.error().message.empty(), "a refused recurrence set has a reason");
    return;
  }
  Expect(set->zone != nullptr, "an accepted recurrence set has a zone");
  ExpectSoundExpansion(*set);
}

void Check(std::string_view text) {
  if (text.find("DTSTART") != std::string_view::npos) {
    CheckSet(text);
  } else {
    CheckRule(text);
  }
}

}  // namespace
}  // namespace patchcast::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  patchcast::fuzz::Check(patchcast::fuzz::AsText(data, size));
  return 0;
}
