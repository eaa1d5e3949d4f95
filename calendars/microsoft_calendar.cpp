#include "calendars/microsoft_calendar.h"

#include <algorithm>
#include <string>
#include <utility>

#include "calendars/monthly_rules.h"
#include "calendars/vendor_calendars.h"
#include "calendars/zone.h"

namespace patchcast::calendars {
namespace {

date::year_month MonthOf(date::year_month_day day) { return day.year() / day.month(); }

bool IsRelease(EventKind kind) {
  return kind == EventKind::kRelease || kind == EventKind::kOutOfBand;
}

}  // namespace

Result<std::unique_ptr<MicrosoftCalendar>> MicrosoftCalendar::Create(const MsrcHistory& history) {
  Result<MonthlyRuleSpec> spec = MicrosoftRuleSpec();
  if (!spec) return spec.error();
  return std::unique_ptr<MicrosoftCalendar>(new MicrosoftCalendar(std::move(*spec), history));
}

MicrosoftCalendar::MicrosoftCalendar(MonthlyRuleSpec spec, const MsrcHistory& history)
    : rule_(spec) {
  const date::time_zone* zone = spec.info.zone;
  ZoneConverter converter(*zone);
  auto make_event = [&](EventKind kind, date::local_days day, EventSource source) -> Event& {
    Event& event = history_events_.emplace_back();
    event.calendar_id = spec.info.id;
    event.kind = kind;
    event.scheduled_date = day;
    event.local_start = day + spec.release_time;
    event.start = converter.ToSys(event.local_start);
    event.zone = zone;
    event.source = source;
    return event;
  };
  auto notice_is_public = [&](date::local_days day) {
    const date::year_month month = MonthOf(date::year_month_day{day});
    return spec.public_notices_from <= month && month < spec.public_notices_until;
  };

  auto row = history.rows.begin();
  for (date::year_month month = history.first_month; month <= history.last_month;
       month += date::months{1}) {
    const auto month_begin = row;
    while (row != history.rows.end() && MonthOf(row->date) == month) ++row;
    const auto month_end = row;

    const auto monthly = std::find_if(month_begin, month_end, [](const HistoryRow& r) {
      return r.kind == HistoryKind::kPatchTuesday;
    });
    const date::local_days rule_notice_day{AdvanceNoticeDay(month)};
    bool notice_confirmed = false;
    for (auto it = month_begin; it != month_end; ++it) {
      const date::local_days day{it->date};
      switch (it->kind) {
        case HistoryKind::kPatchTuesday:
        case HistoryKind::kPreSchedule:
        case HistoryKind::kOutOfBand: {
          Event& event = make_event(
              it->kind == HistoryKind::kOutOfBand ? EventKind::kOutOfBand : EventKind::kRelease,
              day, EventSource::kHistory);
          event.notes = it->ids;
          event.bulletins = CountBulletins(it->ids);
          break;
        }
        case HistoryKind::kNoRelease:
          break;  // cancels the rule's release: this month has no patch_tuesday row
        case HistoryKind::kAdvanceNotice: {
          if (monthly != month_end && day == rule_notice_day) {
            notice_confirmed = true;
            break;  // the rule's notice below, confirmed
          }
          Event& event = make_event(EventKind::kAdvanceNotice, day, EventSource::kHistory);
          event.notes = it->ids;
          event.is_public = notice_is_public(day);
          break;  // `announces` is filled in below, once every release is known
        }
      }
    }
    if (monthly != month_end) {
      Event& notice = make_event(EventKind::kAdvanceNotice, rule_notice_day,
                                 notice_confirmed ? EventSource::kHistory : EventSource::kRule);
      notice.announces = date::local_days{monthly->date};
      notice.is_public = notice_is_public(rule_notice_day);
      if (notice_confirmed) {
        const auto confirming = std::find_if(month_begin, month_end, [&](const HistoryRow& r) {
          return r.kind == HistoryKind::kAdvanceNotice &&
                 date::local_days{r.date} == rule_notice_day;
        });
        notice.notes = confirming->ids;
      }
    }
  }

  AssignOrdinals(history_events_);
  std::sort(history_events_.begin(), history_events_.end(), StartThenIdLess);
  // An extra notice announces the first release or out-of-band release after it.
  for (auto it = history_events_.begin(); it != history_events_.end(); ++it) {
    if (it->kind != EventKind::kAdvanceNotice || it->announces) continue;
    const auto next = std::find_if(it + 1, history_events_.end(),
                                   [](const Event& e) { return IsRelease(e.kind); });
    if (next != history_events_.end()) it->announces = next->scheduled_date;
  }

  const date::local_days first_day{history.first_month / date::day{1}};
  const date::local_days after_last_day{(history.last_month + date::months{1}) / date::day{1}};
  history_span_ = TimeRange{converter.ToSys(first_day), converter.ToSys(after_last_day)};
}

Status MicrosoftCalendar::AppendEvents(const TimeRange& range, std::size_t max_events,
                                       std::vector<Event>& out) const {
  if (range.from >= range.to) return {};
  const std::size_t initial_size = out.size();
  auto remaining = [&] { return max_events - (out.size() - initial_size); };

  const TimeRange before{range.from, std::min(range.to, history_span_.from)};
  if (before.from < before.to) {
    if (!rule_.AppendEvents(before, max_events, out)) {
      return TooManyEvents(info().id, max_events, range);
    }
  }

  const auto by_start = [](const Event& event, std::chrono::sys_seconds t) {
    return event.start < t;
  };
  const auto first =
      std::lower_bound(history_events_.begin(), history_events_.end(), range.from, by_start);
  const auto last = std::lower_bound(first, history_events_.end(), range.to, by_start);
  if (static_cast<std::size_t>(last - first) > remaining()) {
    return TooManyEvents(info().id, max_events, range);
  }
  ReserveMore(out, static_cast<std::size_t>(last - first));
  out.insert(out.end(), first, last);

  const TimeRange after{std::max(range.from, history_span_.to), range.to};
  if (after.from < after.to && !rule_.AppendEvents(after, remaining(), out)) {
    return TooManyEvents(info().id, max_events, range);
  }
  return {};
}

}  // namespace patchcast::calendars
