// The rules of the built-in vendor calendars: which day, which zone, which local time, and where
// each fact comes from. Microsoft's full calendar adds its release history (microsoft_calendar.h);
// builtin_calendars.h assembles the set the registry serves.
//
// Release times are not published by most vendors; where a time below is an assumption it says so.
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "calendars/monthly_rule_calendar.h"
#include "core/result.h"

namespace patchcast::calendars {

inline constexpr std::string_view kMicrosoftCalendarId = "microsoft";
inline constexpr std::string_view kAdobeCalendarId = "adobe";
inline constexpr std::string_view kSapCalendarId = "sap";
inline constexpr std::string_view kOracleCalendarId = "oracle";
inline constexpr std::string_view kAndroidCalendarId = "android";

// Microsoft's rule alone: release on the second Tuesday at 10:00 America/Los_Angeles, advance
// notice on the Thursday five days before at 10:00, public only from November 2004 to December
// 2014. Each result can fail only with kInternal, when the system tz database lacks the vendor's
// zone.
Result<MonthlyRuleSpec> MicrosoftRuleSpec();
// Adobe: the second Tuesday, 10:00 America/Los_Angeles.
Result<MonthlyRuleSpec> AdobeRuleSpec();
// SAP Security Patch Day: the second Tuesday, 09:00 Europe/Berlin, from September 2010.
Result<MonthlyRuleSpec> SapRuleSpec();
// Oracle Critical Patch Update: quarterly (OracleCriticalPatchUpdateDay), 13:00
// America/Los_Angeles, from January 2005.
Result<MonthlyRuleSpec> OracleRuleSpec();
// Android Security Bulletin: the first Monday, 10:00 America/Los_Angeles, from August 2015.
Result<MonthlyRuleSpec> AndroidRuleSpec();

}  // namespace patchcast::calendars
