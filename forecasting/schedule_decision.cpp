#include "forecasting/schedule_decision.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace patchcast::forecasting {
namespace {

using std::chrono::sys_seconds;

// FNV-1a, 64 bits: stable across builds and processes, which std::hash is not promised to be.
class Fnv1a {
 public:
  void Add(std::string_view bytes) {
    for (const char byte : bytes) {
      hash_ ^= static_cast<unsigned char>(byte);
      hash_ *= 0x100000001b3ULL;
    }
    hash_ ^= 0xff;  // a separator, so that "ab" + "c" and "a" + "bc" differ
    hash_ *= 0x100000001b3ULL;
  }
  void Add(std::int64_t number) { Add(std::to_string(number)); }

  std::string Hex() const {
    constexpr std::string_view kDigits = "0123456789abcdef";
    std::string text(16, '0');
    for (int i = 15, shift = 0; i >= 0; --i, shift += 4) text[i] = kDigits[(hash_ >> shift) & 0xf];
    return text;
  }

 private:
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

void AddEvent(Fnv1a& digest, const calendars::Event& event) {
  digest.Add(event.Id());
  digest.Add(event.start.time_since_epoch().count());
  digest.Add(event.duration ? event.duration->count() : -1);
  digest.Add(calendars::ToString(event.kind));
  digest.Add(event.bulletins.value_or(-1));
  digest.Add(event.max_severity ? calendars::ToString(*event.max_severity) : "");
  digest.Add(event.restart_required ? (*event.restart_required ? "restart" : "no restart") : "");
}

bool HasNewPoints(const SeriesRunState& state) {
  if (!state.last_point) return false;
  if (!state.last_run || !state.last_run->data_end) return true;
  return *state.last_point > *state.last_run->data_end;
}

// Whether the events the last run saw have changed since (an override, a custom calendar edit).
bool EventsChanged(const SeriesRunState& state, std::span<const calendars::Event> events) {
  if (!state.last_run || state.last_run->events_digest.empty()) return false;
  return EventsDigest(events, state.last_run->started) != state.last_run->events_digest;
}

}  // namespace

EventsRange EventsToRead(sys_seconds since, sys_seconds now) {
  return {since - kUnderWayWindow, std::max(now, since) + kDigestSpan};
}

sys_seconds CountingSince(const StoredSchedule& stored, const SeriesRunState& state) {
  if (!state.last_run) return stored.updated_at;
  return std::max(stored.updated_at, state.last_run->started);
}

std::string EventsDigest(std::span<const calendars::Event> events, sys_seconds from) {
  Fnv1a digest;
  for (const calendars::Event& event : events) {
    if (event.start >= from && event.start < from + kDigestSpan) AddEvent(digest, event);
  }
  return digest.Hex();
}

std::optional<ScheduledRun> WorkDue(const StoredSchedule& stored, const SeriesRunState& state,
                                    std::span<const calendars::Event> events, sys_seconds now) {
  const RunSchedule& schedule = stored.schedule;
  if (!schedule.enabled) return std::nullopt;
  const sys_seconds since = CountingSince(stored, state);
  if (auto due = DueRun(schedule, events, since, now)) return due;
  if (EventsChanged(state, events)) return ScheduledRun{RunTrigger::kCalendarChange, now};
  if (auto under_way = DueUnderWayRun(schedule, events, since, now);
      under_way && HasNewPoints(state)) {
    return under_way;
  }
  return std::nullopt;
}

}  // namespace patchcast::forecasting
