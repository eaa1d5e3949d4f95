// The built-in calendars every registry serves: "microsoft" (rule + history), "adobe", "sap",
// "oracle" and "android" (vendor_calendars.h documents each rule and its sources).
// Thread-safe functions; the calendars they return are immutable.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "calendars/calendar.h"
#include "core/result.h"

namespace patchcast::calendars {

// Builds the built-in calendars, in the order above. Fails with kInternal only on a broken build or
// system: the compiled-in history does not parse, or the tz database lacks a vendor's zone.
Result<std::vector<std::unique_ptr<Calendar>>> MakeBuiltinCalendars();

// Builds Microsoft's rule alone, without the history (used to check the rule over 1900..2200).
Result<std::unique_ptr<Calendar>> MakeMicrosoftRuleCalendar();

// True for the ids of the built-in calendars; custom calendars may not take them.
bool IsBuiltinCalendarId(std::string_view id);

}  // namespace patchcast::calendars
