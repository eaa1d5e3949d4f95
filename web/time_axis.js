// Time on a linear axis of epoch milliseconds: tick positions aligned to a zone's wall clock and
// their labels. Chart.js's time scale needs a date adapter that Debian does not ship; Intl does
// the zone arithmetic instead.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const STEPS = [15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR,
  DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY];

const offsetFormats = new Map();
const labelFormats = new Map();

function offsetFormat(zone) {
  if (!offsetFormats.has(zone)) {
    offsetFormats.set(zone, new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    }));
  }
  return offsetFormats.get(zone);
}

// Milliseconds the wall clock of `zone` is ahead of UTC at `ms`.
export function zoneOffset(ms, zone) {
  if (zone === 'UTC') return 0;
  const parts = {};
  for (const { type, value } of offsetFormat(zone).formatToParts(new Date(ms))) parts[type] = value;
  const wall = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute,
    +parts.second);
  return wall - Math.floor(ms / 1000) * 1000;
}

// The tick step for a span of `span` ms with at most `maxTicks` ticks.
export function tickStep(span, maxTicks) {
  return STEPS.find((step) => span / step <= maxTicks) ?? STEPS[STEPS.length - 1];
}

// Tick values in [min, max] every `step`, on round wall-clock times of `zone`.
export function timeTicks(min, max, zone, step) {
  const ticks = [];
  const first = min + zoneOffset(min, zone);
  for (let wall = Math.ceil(first / step) * step; ticks.length < 400; wall += step) {
    // The offset at the tick itself, so that ticks stay on the hour across a DST change.
    const value = wall - zoneOffset(wall - zoneOffset(min, zone), zone);
    if (value > max) break;
    if (value >= min) ticks.push(value);
  }
  return ticks;
}

function labelFormat(zone, withTime) {
  const key = `${zone}|${withTime}`;
  if (!labelFormats.has(key)) {
    labelFormats.set(key, new Intl.DateTimeFormat('en-GB', withTime
      ? { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : { timeZone: zone, day: 'numeric', month: 'short' }));
  }
  return labelFormats.get(key);
}

// The label of tick `ms` on an axis in `zone` with ticks every `step`: the date at midnight and
// for steps of a day or more, else the time of day.
export function tickLabel(ms, zone, step) {
  const local = ms + zoneOffset(ms, zone);
  const midnight = ((local % DAY) + DAY) % DAY === 0;
  if (step >= DAY || midnight) return labelFormat(zone, false).format(new Date(ms));
  return labelFormat(zone, true).format(new Date(ms));
}

const fullFormats = new Map();

// `ms` as "Tue 8 Dec 2026, 18:00" in `zone`, for lists and tooltips.
export function formatInstant(ms, zone) {
  if (!fullFormats.has(zone)) {
    fullFormats.set(zone, new Intl.DateTimeFormat('en-GB', {
      timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }));
  }
  return fullFormats.get(zone).format(new Date(ms));
}

// Returns true if `zone` is an IANA zone this browser knows.
export function isZone(zone) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch (_) {
    return false;
  }
}
