#include "calendars/monthly_rule_calendar.h"

#include <algorithm>
#include <utility>

#include "calendars/zone.h"

namespace patchcast::calendars {
namespace {

date::year_month MonthOf(std::chrono::sys_seconds t) {
  const date::year_month_day day{date::floor<date::days>(t)};
  return day.year() / day.month();
}

}  // namespace

MonthlyRuleCalendar::MonthlyRuleCalendar(MonthlyRuleSpec spec) : spec_(std::move(spec)) {}

Status MonthlyRuleCalendar::AppendEvents(const TimeRange& range, std::size_t max_events,
                                         std::vector<Event>& out) const {
  if (range.from >= range.to) return {};
  // Every event of a local month starts within that month's local days, and a zone's offset is
  // under a day, so the UTC months one day either side of the range cover every candidate.
  const date::year_month first = std::max(MonthOf(range.from - date::days{1}), spec_.first_month);
  // A notice can fall in the month before its release: visit one more month for its release.
  const date::year_month last =
      MonthOf(range.to + date::days{1}) + date::months{spec_.notice_lead ? 1 : 0};
  if (first > last) return {};

  const auto months = static_cast<std::size_t>((last - first).count() + 1);
  ReserveMore(out, std::min(max_events, months * (spec_.notice_lead ? 2 : 1)));
  std::size_t appended = 0;
  ZoneConverter converter(*spec_.info.zone);

  auto append = [&](EventKind kind, date::local_days day, date::local_days release_day,
                    bool is_public) -> bool {
    const date::local_seconds local = day + spec_.release_time;
    const std::chrono::sys_seconds start = converter.ToSys(local);
    if (!range.Contains(start)) return true;
    if (++appended > max_events) return false;
    Event& event = out.emplace_back();
    event.calendar_id = spec_.info.id;
    event.kind = kind;
    event.scheduled_date = day;
    event.start = start;
    event.local_start = local;
    event.zone = spec_.info.zone;
    if (kind == EventKind::kAdvanceNotice) event.announces = release_day;
    event.is_public = is_public;
    event.source = EventSource::kRule;
    return true;
  };

  for (date::year_month month = first; month <= last; month += date::months{1}) {
    const date::year_month_day release = spec_.release_day(month);
    if (!release.ok()) continue;
    const date::local_days release_day{release};
    bool within_budget = true;
    if (spec_.notice_lead) {
      const date::local_days notice_day = release_day - *spec_.notice_lead;
      const date::year_month_day notice{notice_day};
      const date::year_month notice_month = notice.year() / notice.month();
      const bool is_public =
          spec_.public_notices_from <= notice_month && notice_month < spec_.public_notices_until;
      within_budget = append(EventKind::kAdvanceNotice, notice_day, release_day, is_public);
    }
    if (within_budget) within_budget = append(EventKind::kRelease, release_day, release_day, true);
    if (!within_budget) {
      return TooManyEvents(spec_.info.id, max_events, range);
    }
  }
  return {};
}

}  // namespace patchcast::calendars
