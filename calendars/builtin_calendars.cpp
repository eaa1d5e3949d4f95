#include "calendars/builtin_calendars.h"

#include <array>
#include <utility>

#include "calendars/microsoft_calendar.h"
#include "calendars/monthly_rule_calendar.h"
#include "calendars/msrc_history.h"
#include "calendars/vendor_calendars.h"

namespace patchcast::calendars {

Result<std::vector<std::unique_ptr<Calendar>>> MakeBuiltinCalendars() {
  const Result<MsrcHistory>& history = EmbeddedMsrcHistory();
  if (!history) return history.error();
  Result<std::unique_ptr<MicrosoftCalendar>> microsoft = MicrosoftCalendar::Create(*history);
  if (!microsoft) return microsoft.error();

  std::vector<std::unique_ptr<Calendar>> calendars;
  calendars.push_back(std::move(*microsoft));
  for (Result<MonthlyRuleSpec> (*make_spec)() :
       {&AdobeRuleSpec, &SapRuleSpec, &OracleRuleSpec, &AndroidRuleSpec}) {
    Result<MonthlyRuleSpec> spec = make_spec();
    if (!spec) return spec.error();
    calendars.push_back(std::make_unique<MonthlyRuleCalendar>(std::move(*spec)));
  }
  return calendars;
}

Result<std::unique_ptr<Calendar>> MakeMicrosoftRuleCalendar() {
  Result<MonthlyRuleSpec> spec = MicrosoftRuleSpec();
  if (!spec) return spec.error();
  return std::unique_ptr<Calendar>(std::make_unique<MonthlyRuleCalendar>(std::move(*spec)));
}

bool IsBuiltinCalendarId(std::string_view id) {
  constexpr std::array<std::string_view, 5> kIds{kMicrosoftCalendarId, kAdobeCalendarId,
                                                 kSapCalendarId, kOracleCalendarId,
                                                 kAndroidCalendarId};
  for (std::string_view builtin : kIds) {
    if (builtin == id) return true;
  }
  return false;
}

}  // namespace patchcast::calendars
