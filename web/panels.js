// The dashboard's lists and tables, built with DOM nodes and textContent only (never HTML from
// data): the series list, upcoming events and scale windows, the plan's actions, and the
// scorecards.
import { formatInstant } from './time_axis.js';

const KIND_LABELS = { release: 'release', advance_notice: 'advance notice', out_of_band: 'out-of-band' };

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const cell of cells) tr.append(cell instanceof Node ? cell : element('td', cell));
  return tr;
}

function percent(ratio) {
  return ratio === null || ratio === undefined ? '–' : `${(ratio * 100).toFixed(1)} %`;
}

function number(value, digits = 0) {
  return value === null || value === undefined ? '–' : Number(value).toFixed(digits);
}

function when(ms, zone) { return ms === null || ms === undefined ? '–' : formatInstant(ms, zone); }

// The state of a series for its row: {text, level} with level ok, stale or alert.
export function seriesState(status) {
  if (status.alert) return { text: 'above forecast', level: 'alert' };
  if (status.planStale) return { text: 'plan stale', level: 'stale' };
  if (status.dataStale) return { text: 'data stale', level: 'stale' };
  if (status.replicas === null) return { text: 'no plan', level: 'stale' };
  return { text: 'ok', level: 'ok' };
}

// Fills `body` (a <tbody>) with one row per series; `onSelect(id)` on a click.
export function renderSeriesList(body, series, statuses, selected, nextEvent, zone, onSelect) {
  body.replaceChildren(...series.map((item) => {
    const status = statuses.get(item.id) ?? {};
    const state = seriesState(status);
    const tr = row([
      element('td', item.id),
      element('td', item.last ? when(Date.parse(item.last), zone) : 'no points'),
      element('td', nextEvent ? `${KIND_LABELS[nextEvent.kind] ?? nextEvent.kind} ${when(Date.parse(nextEvent.start), zone)}` : '–'),
      element('td', status.replicas ?? '–', 'num'),
      element('td', state.text, `state ${state.level}`),
    ]);
    tr.dataset.series = item.id;
    if (item.id === selected) tr.classList.add('selected');
    tr.addEventListener('click', () => onSelect(item.id));
    return tr;
  }));
}

// Pairs each scale-out with the scale-in after it: the windows the plan runs more units in.
export function scaleWindows(actions) {
  const windows = [];
  let open = null;
  for (const action of actions) {
    if (action.kind === 'scale_out') {
      open ??= { from: Date.parse(action.ready ?? action.at), units: action.units, reason: action.reason };
      open.units = Math.max(open.units, action.units);
    } else if (open) {
      windows.push({ ...open, to: Date.parse(action.at) });
      open = null;
    }
  }
  if (open) windows.push({ ...open, to: null });
  return windows;
}

// Lists the events and scale windows from `since` on, in time order.
export function renderUpcoming(list, events, plan, since, zone) {
  const items = events.filter((event) => event.start >= since)
    .map((event) => ({ at: event.start, kind: event.kind, label: KIND_LABELS[event.kind] ?? event.kind, text: event.id }));
  for (const window of plan ? scaleWindows(plan.actions) : []) {
    if ((window.to ?? Infinity) < since) continue;
    items.push({ at: window.from, kind: 'window', label: 'scale window',
      text: `${window.units} units until ${window.to ? when(window.to, zone) : 'the plan ends'}` });
  }
  items.sort((a, b) => a.at - b.at);
  list.replaceChildren(...items.slice(0, 30).map((item) => {
    const li = element('li');
    li.append(element('span', when(item.at, zone)), ' ', element('span', item.label, `kind kind-${item.kind}`),
      ' ', element('span', item.text, 'muted'));
    return li;
  }));
  if (items.length === 0) list.replaceChildren(element('li', 'Nothing ahead in the coming weeks.', 'muted'));
}

// The plan's actions with their reasons, and a one-line summary.
export function renderActions(body, summary, plan, zone) {
  if (!plan) {
    summary.textContent = 'No plan yet.';
    body.replaceChildren();
    return;
  }
  const s = plan.summary ?? {};
  summary.textContent = `Plan ${plan.id} at quantile p${Math.round(plan.quantile * 100)}: peak ${s.peak_units} ` +
    `units, ${number(s.unit_hours, 1)} unit-hours, fallback ${plan.fallback_units} units, valid until ` +
    `${when(Date.parse(plan.valid_until), zone)}.`;
  body.replaceChildren(...plan.actions.map((action) => row([
    element('td', when(Date.parse(action.at), zone)),
    element('td', action.kind === 'scale_out' ? 'scale out' : 'scale in', action.late ? 'late' : ''),
    element('td', action.units, 'num'),
    element('td', action.reason ?? ''),
  ])));
  if (plan.actions.length === 0) body.replaceChildren(row(['–', 'none', '', 'the minimum serves the whole horizon']));
}

function table(headings, rows) {
  const node = element('table', undefined, 'grid');
  const head = element('thead');
  head.append(row(headings.map((heading) => element('th', heading))));
  const body = element('tbody');
  body.append(...rows.map(row));
  node.append(head, body);
  return node;
}

// The accuracy of past forecasts: the rolling summaries, then the scored events.
export function renderAccuracy(container, accuracy, zone) {
  if (!accuracy) {
    container.replaceChildren(element('p', 'No scorecards yet.', 'muted'));
    return;
  }
  const summary = (name, s) => [name, s?.scored ?? 0, percent(s?.median_abs_peak_error), percent(s?.median_mape),
    percent(s?.coverage_p90), percent(s?.coverage_p99), percent(s?.beats_seasonal_naive)];
  const parts = [table(['window', 'scored', '|peak error|', 'MAPE', 'p90 cover', 'p99 cover', 'beats naive'], [
    summary('last 4 weeks', accuracy.summary?.last_4_weeks),
    summary('last 12 events', accuracy.summary?.last_12_events),
  ])];
  const events = accuracy.events ?? [];
  if (events.length > 0) {
    parts.push(table(['event', 'peak error', 'timing (min)', 'MAPE', 'naive MAPE'], events.map((event) => [
      `${event.event_id} (${when(Date.parse(event.start), zone)})`, percent(event.forecast?.peak_error),
      number(event.forecast?.peak_timing_error_minutes), percent(event.forecast?.mape),
      percent(event.seasonal_naive?.mape)])));
  } else {
    parts.push(element('p', 'No event scored yet: events are scored once the points cover them.', 'muted'));
  }
  container.replaceChildren(...parts);
}

// The backtest's per-event scorecards against the baseline and seasonal naive.
export function renderBacktest(container, backtest) {
  const pct = (value) => (value === null || value === undefined ? '–' : `${Number(value).toFixed(1)} %`);
  const rows = backtest.events.map((event) => [event.event_id, pct(event.model?.peak_error_pct),
    number(event.model?.peak_timing_error_minutes), pct(event.model?.mape_pct),
    pct(event.baseline_only?.mape_pct), pct(event.seasonal_naive?.mape_pct)]);
  const s = backtest.summary ?? {};
  rows.push([`median of ${s.events ?? rows.length}`, pct(s.model?.median_abs_peak_error_pct),
    number(s.model?.median_abs_timing_error_minutes), pct(s.model?.median_mape_pct),
    pct(s.baseline_only?.median_mape_pct), pct(s.seasonal_naive?.median_mape_pct)]);
  container.classList.remove('muted');
  container.replaceChildren(table(['event', 'peak error', 'timing (min)', 'MAPE', 'baseline MAPE', 'naive MAPE'], rows));
}
