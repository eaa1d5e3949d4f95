#include "calendars/vendor_calendars.h"

#include <string>
#include <utility>

#include "calendars/monthly_rules.h"
#include "calendars/zone.h"

namespace patchcast::calendars {
namespace {

Result<MonthlyRuleSpec> Spec(std::string_view id, std::string name, std::string_view zone_name,
                             std::string description) {
  Result<const date::time_zone*> zone = LocateZone(zone_name);
  if (!zone)
    return Internal("built-in calendar '" + std::string(id) + "': " + zone.error().message);
  MonthlyRuleSpec spec;
  spec.info.id = std::string(id);
  spec.info.name = std::move(name);
  spec.info.kind = CalendarKind::kBuiltin;
  spec.info.zone = *zone;
  spec.info.description = std::move(description);
  return spec;
}

}  // namespace

Result<MonthlyRuleSpec> MicrosoftRuleSpec() {
  // Second Tuesday ("Patch Tuesday", since October 2003) at about 10:00 Pacific time: "Microsoft
  // releases at about 10:00 PT" (calendars/data/README.md, section 1). Pacific time means the tz
  // database's America/Los_Angeles, so 17:00Z under PDT and 18:00Z under PST, including the 2007
  // change of the US daylight-time rules.
  Result<MonthlyRuleSpec> spec = Spec(
      kMicrosoftCalendarId, "Microsoft Patch Tuesday", "America/Los_Angeles",
      "Microsoft security releases: the second Tuesday of each month at 10:00 Pacific, with the "
      "Advance Notification Service on the Thursday before; the real 2003-2026 release history "
      "replaces the rule where it is known.");
  if (!spec) return spec;
  spec->release_day = &PatchTuesday;
  spec->release_time = std::chrono::hours{10};
  // Advance Notification Service: the Thursday five days before the release, published like the
  // release itself around 10:00 Pacific. The first public ANS was on 2004-11-04 (Redmond Magazine,
  // 2004-11-04); Microsoft stopped public ANS on 2015-01-08, the last public one being 2014-12-04
  // (Naked Security, 2015-01-09). Notices outside that window are kept but marked not public: ANS
  // ran privately for about a year before November 2004 (the CSV's note on 2004-11-04), and after
  // January 2015 it went only to Premier customers (same Naked Security article).
  spec->notice_lead = date::days{5};
  spec->public_notices_from = date::year{2004} / date::November;
  spec->public_notices_until = date::year{2015} / date::January;
  return spec;
}

Result<MonthlyRuleSpec> AdobeRuleSpec() {
  // Adobe publishes its scheduled security bulletins on Microsoft's Patch Tuesday, the second
  // Tuesday (e.g. SAP PRESS, "What are SAP patch days": "Microsoft, Adobe, and SAP"). Adobe states
  // no release hour; bulletins appear in the US Pacific morning. We assume 10:00
  // America/Los_Angeles, Microsoft's time, because Adobe aligned its schedule with Microsoft's. No
  // programme start is set: the month Adobe's cadence became monthly is not established by our
  // sources. Not modelled: press reports (July 2026) of an added fourth-Tuesday release from
  // 2026-07-14 on.
  Result<MonthlyRuleSpec> spec =
      Spec(kAdobeCalendarId, "Adobe security bulletins", "America/Los_Angeles",
           "Adobe scheduled security bulletins: the second Tuesday of each month, assumed 10:00 "
           "Pacific.");
  if (!spec) return spec;
  spec->release_day = &PatchTuesday;
  spec->release_time = std::chrono::hours{10};
  return spec;
}

Result<MonthlyRuleSpec> SapRuleSpec() {
  // SAP Security Patch Day: "scheduled for the second Tuesday of every month — which has been
  // synchronized with the Security Patch Day of other major software vendors" (SAP Support, quoted
  // by R. Frommherz, "SAP Basis Basics Part 36"); security patches have been released on Patch Day
  // since September 2010 (SAP PRESS blog, "What are SAP patch days"). SAP states no hour; notes are
  // published "early in the day (CET)". We assume 09:00 Europe/Berlin (SAP is based in Walldorf).
  Result<MonthlyRuleSpec> spec =
      Spec(kSapCalendarId, "SAP Security Patch Day", "Europe/Berlin",
           "SAP Security Patch Day: the second Tuesday of each month since September 2010, assumed "
           "09:00 Walldorf time (Europe/Berlin).");
  if (!spec) return spec;
  spec->release_day = &PatchTuesday;
  spec->release_time = std::chrono::hours{9};
  spec->first_month = date::year{2010} / date::September;
  return spec;
}

Result<MonthlyRuleSpec> OracleRuleSpec() {
  // Oracle Critical Patch Update: quarterly since January 2005, on the day
  // OracleCriticalPatchUpdateDay gives (monthly_rules.h cites the three eras). Oracle documents the
  // day, not the hour; CPUs have appeared around 13:00 Pacific (20:00Z/21:00Z). 13:00
  // America/Los_Angeles is an assumption, not a documented time.
  Result<MonthlyRuleSpec> spec = Spec(
      kOracleCalendarId, "Oracle Critical Patch Update", "America/Los_Angeles",
      "Oracle Critical Patch Updates: quarterly in January, April, July and October (the Tuesday "
      "closest to the 15th until 2010, to the 17th from 2011, the third Tuesday from 2025), "
      "assumed 13:00 Pacific.");
  if (!spec) return spec;
  spec->release_day = &OracleCriticalPatchUpdateDay;
  spec->release_time = std::chrono::hours{13};
  spec->first_month = date::year{2005} / date::January;
  return spec;
}

Result<MonthlyRuleSpec> AndroidRuleSpec() {
  // Android Security Bulletin: published monthly since August 2015 "on the first Monday of each new
  // month" (Android Authority, 2025; Google's Android Enterprise community note "Change in cadence
  // of Android Security Bulletins", July 2025: from September 2025 full bulletins are quarterly,
  // monthly bulletins continue for urgent issues, "generally on the first Monday of the month").
  // Google states no hour: 10:00 America/Los_Angeles is an assumption. When the first Monday is a
  // US holiday (always Labor Day in September) Google has published a day later; that is a holiday
  // shift, left to the EffectiveDateShift seam (effective_date_shift.h).
  Result<MonthlyRuleSpec> spec =
      Spec(kAndroidCalendarId, "Android Security Bulletin", "America/Los_Angeles",
           "Android Security Bulletin: the first Monday of each month since August 2015, assumed "
           "10:00 Pacific.");
  if (!spec) return spec;
  spec->release_day = &FirstMonday;
  spec->release_time = std::chrono::hours{10};
  spec->first_month = date::year{2015} / date::August;
  return spec;
}

}  // namespace patchcast::calendars
