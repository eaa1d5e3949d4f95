// The dashboard: signs in when the service has keys, polls every 30 s with If-None-Match and
// redraws only what changed, and makes forecasts and plans on request.
import * as api from './api.js';
import { SeriesChart } from './charts.js';
import * as panels from './panels.js';
import { DAY, isZone } from './time_axis.js';

// Every 30 s; ?poll=SECONDS (at least 1) for tests and impatient wall displays.
const POLL_MS = Math.max(1, Number(new URLSearchParams(window.location.search).get('poll')) || 30) * 1000;
const STALE_AFTER_MS = 3 * POLL_MS; // no answer for this long: what is shown is stale
const MAX_SERIES = 50; // series whose plan and alerts the list polls
const CALENDAR = 'microsoft'; // the calendar forecasts use by default
const SCOPES = ['public', 'read', 'write', 'admin'];
const MARKED_KINDS = new Set(['release', 'advance_notice', 'out_of_band']);
const CHART_MISSING = 'The chart library is missing on the server (install Debian\'s libjs-chart.js, or ' +
  'start the service with --chartjs FILE): the lists still work, the chart is not drawn.';
const $ = (id) => document.getElementById(id);

const state = {
  principal: null,
  endpoints: [],
  series: [],
  statuses: new Map(),
  nextEvent: null,
  selected: null,
  detail: null, // {points, forecast, plan, events, accuracy}
  range: 'forecast',
  view: null, // {min, max} in epoch ms
  zone: 'UTC',
  lastAnswer: 0,
  chart: null,
};

// ---- helpers

const seconds = (ms) => Math.floor(ms / 1000);
const hourFloor = (ms) => Math.floor(ms / 3_600_000) * 3_600_000;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
const seriesPath = (id, rest = '') => `/v1/series/${encodeURIComponent(id)}${rest}`;

function selectedSeries() { return state.series.find((item) => item.id === state.selected); }

function showBanner(text) {
  $('banner').textContent = text;
  $('banner').hidden = !text;
}

function setConnection(kind, text) {
  $('connection').dataset.state = kind;
  $('connection').textContent = text;
}

// True if the signed-in key may call `method path` as GET /v1 lists it.
function mayCall(method, path) {
  const endpoint = state.endpoints.find((e) => e.method === method && e.path === path);
  if (!endpoint || !state.principal) return false;
  return SCOPES.indexOf(state.principal.scope) >= SCOPES.indexOf(endpoint.scope);
}

// ---- documents to chart data

function forecastModel(doc) {
  if (!doc) return null;
  return {
    id: doc.id,
    asOf: Date.parse(doc.as_of),
    end: Date.parse(doc.points.at(-1)?.ts ?? doc.as_of) + doc.step_seconds * 1000,
    points: doc.points.map((p) => ({ x: Date.parse(p.ts), baseline: p.baseline, p50: p.p50 ?? null,
      p90: p.p90 ?? null, p99: p.p99 ?? null })),
    events: doc.events ?? [],
  };
}

function planModel(doc) {
  if (!doc || doc.buckets.length === 0) return null;
  const buckets = doc.buckets.map((b) => ({ x: Date.parse(b.ts), y: b.units }));
  const end = buckets.at(-1).x + doc.step_seconds * 1000;
  return { start: buckets[0].x, end, fallback: doc.fallback_units, buckets: [...buckets, { x: end, y: buckets.at(-1).y }] };
}

function chartModel() {
  const detail = state.detail;
  const forecast = forecastModel(detail.forecast);
  const peakWindows = (forecast?.events ?? []).filter((e) => e.peak?.window)
    .map((e) => ({ from: Date.parse(e.peak.window.p10), to: Date.parse(e.peak.window.p90) }));
  return {
    unit: selectedSeries()?.unit || 'count',
    actual: detail.points,
    forecast,
    plan: planModel(detail.plan),
    events: detail.events.filter((e) => MARKED_KINDS.has(e.kind)),
    peakWindows,
  };
}

// ---- the time window shown

function dataBounds() {
  const series = selectedSeries();
  const first = series?.first ? Date.parse(series.first) : Date.now() - 14 * DAY;
  const last = series?.last ? Date.parse(series.last) : Date.now();
  const forecast = forecastModel(state.detail?.forecast);
  return { first, last, end: Math.max(last, forecast?.end ?? last) };
}

function viewFor(range) {
  const { first, last, end } = dataBounds();
  if (range === 'forecast') return { min: last - 4 * DAY, max: Math.max(end, last + 3 * DAY) };
  if (range === 'all') return { min: first, max: end };
  return { min: Math.max(first, end - Number(range) * DAY), max: end };
}

function setRange(range) {
  state.range = range;
  state.view = viewFor(range);
  for (const button of document.querySelectorAll('[data-range]')) {
    button.classList.toggle('active', button.dataset.range === range);
  }
}

// ---- loading

async function loadStatuses() {
  let changed = false;
  const now = Date.now();
  for (const item of state.series.slice(0, MAX_SERIES)) {
    const current = await api.get(seriesPath(item.id, '/plan/current'), { missingOk: true });
    const alerts = await api.get(seriesPath(item.id, '/alerts?limit=1'), { missingOk: true });
    changed ||= current.changed || alerts.changed;
    const stepMs = (item.step_seconds ?? 300) * 1000;
    state.statuses.set(item.id, {
      replicas: current.body?.replicas ?? null,
      planStale: current.body?.stale ?? false,
      alert: alerts.body?.above_forecast ?? false,
      dataStale: !item.last || Date.parse(item.last) + Math.max(2 * stepMs, 3_600_000) < now,
    });
  }
  return changed;
}

async function loadDetail() {
  const series = selectedSeries();
  if (!series) return false;
  const id = series.id;
  const [forecast, plan, accuracy, model] = await Promise.all([
    api.get(seriesPath(id, '/forecasts/latest'), { missingOk: true }),
    api.get(seriesPath(id, '/plans/latest'), { missingOk: true }),
    api.get(seriesPath(id, '/accuracy'), { missingOk: true }),
    api.get(seriesPath(id, '/capacity-model'), { missingOk: true }),
  ]);
  const fresh = !state.detail || state.detail.id !== id;
  state.detail = { ...(fresh ? { points: [], events: [] } : state.detail), id, forecast: forecast.body,
    plan: plan.body, accuracy: accuracy.body };
  if (model.body?.unit_capacity && !$('unit-capacity').value) $('unit-capacity').value = model.body.unit_capacity;
  if (fresh || state.range !== 'custom') setRange(fresh ? 'forecast' : state.range);
  const points = await loadPoints();
  const events = await loadEvents();
  return fresh || forecast.changed || plan.changed || accuracy.changed || points || events;
}

async function loadPoints() {
  const series = selectedSeries();
  if (!series?.first) {
    state.detail.points = [];
    return false;
  }
  const step = series.step_seconds * 1000;
  const from = Math.max(hourFloor(state.view.min), hourFloor(Date.parse(series.first)));
  const to = Math.min(hourFloor(state.view.max) + 3_600_000, Date.parse(series.last) + step);
  if (to <= from) {
    state.detail.points = [];
    return true;
  }
  const maxPoints = Math.max(200, Math.min(2000, Math.floor($('series-chart').clientWidth * 1.5)));
  const { body, changed } = await api.get(seriesPath(series.id,
    `/points?from=${seconds(from)}&to=${seconds(to)}&max_points=${maxPoints}&agg=mean`));
  state.detail.points = body.points.map(([ts, value]) => ({ x: Date.parse(ts), y: value }));
  return changed;
}

async function loadEvents() {
  const { first, end } = dataBounds();
  const to = Math.max(end, Date.now()) + 45 * DAY;
  const { body, changed } = await api.get(`/v1/events?calendar=${CALENDAR}&from=${day(first)}&to=${day(to)}`);
  state.detail.events = body.events.map((e) => ({ id: e.id, kind: e.kind, start: Date.parse(e.start) }));
  return changed;
}

// One poll: the series list, each series' plan and alerts, then the selected series. Returns true
// if anything changed since the last.
async function loadAll() {
  const list = await api.get('/v1/series');
  state.series = list.body.series;
  // Its answer says when it was asked ("after"), so it changes every second: compare the event.
  const next = await api.get(`/v1/events/next?calendar=${CALENDAR}`, { missingOk: true });
  const nextChanged = (next.body?.event?.id ?? null) !== (state.nextEvent?.id ?? null);
  state.nextEvent = next.body?.event ?? null;
  if (!state.series.some((item) => item.id === state.selected)) state.selected = state.series[0]?.id ?? null;
  const statuses = await loadStatuses();
  const detail = await loadDetail();
  return list.changed || nextChanged || statuses || detail;
}

// ---- drawing

function renderList() {
  panels.renderSeriesList($('series-list'), state.series, state.statuses, state.selected, state.nextEvent,
    state.zone, selectSeries);
  $('series-empty').hidden = state.series.length > 0;
}

function renderZoomChoices() {
  const { first, end } = dataBounds();
  const releases = state.detail.events.filter((e) => e.kind === 'release' && e.start >= first && e.start <= end);
  const select = $('zoom-event');
  const placeholder = new Option('Zoom to an event…', '');
  select.replaceChildren(placeholder, ...releases.reverse().map((e) => new Option(e.id, String(e.start))));
}

function renderDetail() {
  const series = selectedSeries();
  $('series-title').textContent = series ? `${series.id}${series.description ? ` — ${series.description}` : ''}` : 'No series';
  const detail = state.detail;
  if (!series || !detail) return;
  const model = chartModel();
  if (state.chart) state.chart.draw(model, state.view, state.zone);
  // What is drawn, for tests and for anyone inspecting the page.
  Object.assign($('series-chart').closest('.chart-box').dataset, {
    forecast: model.forecast?.id ?? '', plan: detail.plan?.id ?? '',
    viewMin: new Date(state.view.min).toISOString(), viewMax: new Date(state.view.max).toISOString(),
  });
  const since = model.forecast ? Math.min(Date.now(), model.forecast.asOf) : Date.now();
  panels.renderUpcoming($('upcoming'), model.events, detail.plan, since, state.zone);
  panels.renderActions($('actions'), $('plan-summary'), detail.plan, state.zone);
  panels.renderAccuracy($('accuracy'), detail.accuracy, state.zone);
  renderZoomChoices();
  const canForecast = mayCall('POST', '/v1/series/{id}/forecast');
  const canPlan = mayCall('POST', '/v1/series/{id}/plan');
  $('make-forecast').disabled = !canForecast;
  $('make-plan').disabled = !canPlan;
  $('run-backtest').disabled = !mayCall('POST', '/v1/series/{id}/backtest');
  $('make-forecast').title = canForecast ? '' : 'this key may not make forecasts';
  $('make-plan').title = canPlan ? '' : 'this key may not make plans';
}

// Draws everything; counted in <body data-renders>, so that a test can tell a poll that changed
// nothing from one that redrew.
function render() {
  renderList();
  renderDetail();
  document.body.dataset.ready = 'true';
  document.body.dataset.renders = String(Number(document.body.dataset.renders ?? 0) + 1);
}

// ---- polling and connection state

function noteAnswer() {
  state.lastAnswer = Date.now();
  showBanner(state.chart ? '' : CHART_MISSING);
  setConnection('live', 'live');
  $('updated').textContent = `updated ${new Date(state.lastAnswer).toLocaleTimeString()}`;
}

// One poll. Ended polls are counted in <body data-polls>, next to data-renders, so that a test
// can read both at once and tell which polls a redraw came from.
async function refresh() {
  try {
    const changed = await loadAll();
    noteAnswer();
    if (changed) render();
  } catch (failure) {
    reportFailure(failure);
  } finally {
    document.body.dataset.polls = String(Number(document.body.dataset.polls ?? 0) + 1);
  }
}

function reportFailure(failure) {
  if (failure instanceof api.AuthError) {
    setConnection('signed-out', 'signed out');
    signIn(failure.message).then(refresh);
  } else if (failure instanceof api.UnreachableError) {
    setConnection('unreachable', 'service unreachable');
  } else {
    showBanner(`The service answered: ${failure.message}`);
  }
}

function watchStaleness() {
  const shown = $('connection').dataset.state;
  if (shown === 'live' && Date.now() - state.lastAnswer > STALE_AFTER_MS) {
    setConnection('stale', `stale: no answer since ${new Date(state.lastAnswer).toLocaleTimeString()}`);
  }
}

// ---- signing in

let signingIn = null;

// Resolves once a key the service accepts is in use: at once without keys, else after the
// token prompt. `reason` is shown when a token was refused.
function signIn(reason) {
  signingIn ??= (async () => {
    for (let message = reason; ;) {
      try {
        state.principal = (await api.get('/v1/whoami')).body;
        state.endpoints = (await api.get('/v1')).body.endpoints;
        break;
      } catch (failure) {
        if (!(failure instanceof api.AuthError)) throw failure;
        await promptForToken(api.token() ? failure.message : message);
        message = undefined;
      }
    }
    $('who').textContent = state.principal.name === 'anonymous' ? '' : `key ${state.principal.name} (${state.principal.scope})`;
    $('sign-out').hidden = !api.token();
  })().finally(() => { signingIn = null; });
  return signingIn;
}

function promptForToken(message) {
  const dialog = $('token-dialog');
  $('token-error').textContent = message ?? '';
  $('token-error').hidden = !message;
  $('token-input').value = '';
  setConnection('signed-out', 'token needed');
  return new Promise((resolve) => {
    $('token-form').onsubmit = () => {
      api.forgetToken();
      api.setToken($('token-input').value.trim());
      resolve();
    };
    if (!dialog.open) dialog.showModal();
  });
}

// ---- actions

async function selectSeries(id) {
  state.selected = id;
  state.detail = null;
  $('unit-capacity').value = '';
  await refresh();
}

async function changeView(view, range) {
  state.range = range;
  state.view = view;
  for (const button of document.querySelectorAll('[data-range]')) {
    button.classList.toggle('active', button.dataset.range === range);
  }
  try {
    await loadPoints();
    noteAnswer();
  } catch (failure) {
    reportFailure(failure);
  }
  renderDetail();
}

async function act(button, work) {
  const status = $('action-status');
  button.disabled = true;
  status.textContent = `${button.textContent}…`;
  status.className = 'muted';
  try {
    status.textContent = await work();
    noteAnswer();
    renderDetail();
  } catch (failure) {
    status.textContent = failure.message;
    status.className = 'error';
    if (!(failure instanceof api.ApiError)) reportFailure(failure);
  } finally {
    button.disabled = false;
  }
}

async function makeForecast() {
  const forecast = await api.post(seriesPath(state.selected, '/forecast'), {});
  state.detail.forecast = forecast;
  if (state.range === 'forecast') setRange('forecast');
  return `forecast ${forecast.id} made`;
}

async function makePlan() {
  const capacity = Number($('unit-capacity').value);
  const request = capacity > 0 ? { unit_capacity: capacity } : {};
  const plan = await api.post(seriesPath(state.selected, '/plan'), request);
  state.detail.plan = plan;
  state.detail.forecast = (await api.get(`/v1/forecasts/${encodeURIComponent(plan.forecast_id)}`)).body;
  if (state.range === 'forecast') setRange('forecast');
  return `plan ${plan.id} made: peak ${plan.summary.peak_units} units`;
}

async function runBacktest() {
  const backtest = await api.post(seriesPath(state.selected, '/backtest'), {});
  panels.renderBacktest($('backtest'), backtest);
  return `backtest of ${backtest.events.length} events done`;
}

// ---- start

function setUpZones() {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const zones = ['UTC', local, 'America/Los_Angeles', 'America/New_York', 'Europe/London', 'Europe/Berlin',
    'Asia/Tokyo', 'Australia/Sydney'].filter((zone, index, all) => zone && all.indexOf(zone) === index && isZone(zone));
  const saved = localStorage.getItem('patchcast.zone');
  state.zone = zones.includes(saved) ? saved : 'America/Los_Angeles';
  $('zone').replaceChildren(...zones.map((zone) => new Option(zone, zone, false, zone === state.zone)));
  $('zone').addEventListener('change', () => {
    state.zone = $('zone').value;
    localStorage.setItem('patchcast.zone', state.zone);
    render();
  });
}

function setUpControls() {
  for (const button of document.querySelectorAll('[data-range]')) {
    button.addEventListener('click', () => changeView(viewFor(button.dataset.range), button.dataset.range));
  }
  const shift = (direction) => {
    const width = state.view.max - state.view.min;
    changeView({ min: state.view.min + direction * width / 2, max: state.view.max + direction * width / 2 }, 'custom');
  };
  $('earlier').addEventListener('click', () => shift(-1));
  $('later').addEventListener('click', () => shift(1));
  $('zoom-event').addEventListener('change', () => {
    const start = Number($('zoom-event').value);
    if (start) changeView({ min: start - 2 * DAY, max: start + 5 * DAY }, 'custom');
  });
  $('make-forecast').addEventListener('click', () => act($('make-forecast'), makeForecast));
  $('make-plan').addEventListener('click', () => act($('make-plan'), makePlan));
  $('run-backtest').addEventListener('click', () => act($('run-backtest'), runBacktest));
  $('sign-out').addEventListener('click', () => {
    api.forgetToken();
    window.location.reload();
  });
  // The prompt stays until a token is given: Escape does not dismiss it.
  $('token-dialog').addEventListener('cancel', (event) => event.preventDefault());
}

async function start() {
  setUpZones();
  setUpControls();
  if (typeof window.Chart === 'function') {
    state.chart = new SeriesChart($('series-chart'), $('legend'));
  } else {
    showBanner(CHART_MISSING);
  }
  setInterval(watchStaleness, 5_000);
  try {
    await signIn();
  } catch (failure) {
    reportFailure(failure);
  }
  // One poll at a time: the next is due POLL_MS after the last one ended.
  for (;;) {
    await refresh();
    await new Promise((resolve) => { setTimeout(resolve, POLL_MS); });
  }
}

start();
