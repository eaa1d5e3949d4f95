#!/usr/bin/env node
// The dashboard's browser checks, run by tests/e2e/dashboard_test.sh against services it started:
// Debian's headless Chromium driven by playwright-core. Prints "ok: ..." per check and exits 1 at
// the first that fails.
//
//   --open URL          a service without keys, holding the demo series (its end fixed)
//   --open-pid PID      that service's process, stopped at the end to see "unreachable"
//   --keyed URL         a service with keys, holding demo-login and other-login
//   --reader-token T    a read key of the keyed service limited to the prefix "demo-"
//   --bare URL          a service whose chart library is missing
//   --screenshots DIR   where the screenshots go
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data:; frame-ancestors 'none'";
// What a closed network needs: no update checks, no QUIC, no sync, no first-run pages.
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TIMEOUT_MS = 30_000;

function options(argv) {
  const parsed = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    parsed[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of ['open', 'open-pid', 'keyed', 'reader-token', 'bare', 'screenshots']) {
    if (!parsed[name]) throw new Error(`--${name} is required`);
  }
  return parsed;
}

// 404 for what a series has not had made yet: a forecast, a plan, hence replicas.
function notMadeYet(url, status) {
  return status === 404 && /^\/v1\/series\/[^/]+\/(forecasts\/latest|plans\/latest|plan\/current)$/.test(url.pathname);
}

function ok(message) { console.log(`ok: ${message}`); }

// Resolves once `condition()` holds, checking every 100 ms; rejects after TIMEOUT_MS.
async function until(condition, what) {
  for (const deadline = Date.now() + TIMEOUT_MS; !condition();) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => { setTimeout(resolve, 100); });
  }
}

// Records what would show a broken page: console errors, uncaught exceptions, requests that got
// no answer, and answers of 400 or more that `expected(url, status)` does not allow.
function watch(page, expected) {
  const problems = [];
  const allowed = (url, status) => expected(new URL(url), status);
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`no answer: ${request.url()} ${request.failure()?.errorText}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowed(response.url(), response.status())) {
      problems.push(`${response.status()} ${response.url()}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs each answer of 400 or more as a console error too; those allowed above are fine.
    const status = /status of (\d+)/.exec(message.text());
    const url = message.location()?.url;
    if (status && url && allowed(url, Number(status[1]))) return;
    problems.push(`console error: ${message.text()} (${url ?? 'no location'})`);
  });
  return problems;
}

// The number of pixels of the chart's canvas painted at all, and near each colour of `colours`
// (custom property names of style.css).
async function paint(page, colours) {
  return page.evaluate(({ colours: names }) => {
    const canvas = document.querySelector('#series-chart');
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const probe = document.createElement('canvas').getContext('2d');
    const targets = names.map((name) => {
      probe.fillStyle = getComputedStyle(document.documentElement).getPropertyValue(`--c-${name}`).trim();
      probe.fillRect(0, 0, 1, 1);
      return probe.getImageData(0, 0, 1, 1).data;
    });
    const counts = { painted: 0, total: data.length / 4 };
    for (const name of names) counts[name] = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] === 0) continue;
      counts.painted += 1;
      targets.forEach((target, t) => {
        if (Math.abs(data[i] - target[0]) + Math.abs(data[i + 1] - target[1]) + Math.abs(data[i + 2] - target[2]) < 40 &&
          data[i + 3] > 200) counts[names[t]] += 1;
      });
    }
    return counts;
  }, { colours });
}

async function legend(page) {
  return page.$$eval('#legend li', (items) => items.map((item) => item.dataset.label));
}

async function chartBox(page) {
  return page.$eval('.chart-box', (box) => ({ ...box.dataset }));
}

async function seriesRows(page) {
  return page.$$eval('#series-list tr', (rows) => rows.map((row) => row.dataset.series));
}

// ---- the service without keys

async function checkOpenService(context, args) {
  const page = await context.newPage();
  const problems = watch(page, notMadeYet);
  const polls = [];
  const answers = []; // every API answer, with the poll it came in (polls.length then, from 1)
  page.on('response', (response) => {
    const { pathname } = new URL(response.url());
    if (pathname === '/v1/series') {
      polls.push({ status: response.status(), etag: response.request().headers()['if-none-match'] });
    }
    if (pathname.startsWith('/v1/')) answers.push({ poll: polls.length, path: pathname, status: response.status() });
  });

  const response = await page.goto(`${args.open}/?poll=2`);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-security-policy'], PAGE_POLICY);
  assert.match(response.headers()['content-type'], /^text\/html/);
  ok('GET / is the page, with the page\'s Content-Security-Policy');

  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await seriesRows(page), ['demo-login']);
  assert.match(await page.textContent('#series-list tr.selected'), /^demo-login/);
  assert.match(await page.textContent('#series-title'), /^demo-login/);
  ok('the series list holds demo-login, selected');

  const before = await paint(page, ['actual']);
  assert.ok(before.painted > before.total * 0.02, `the chart paints ${before.painted} of ${before.total} pixels`);
  assert.ok(before.actual > 200, `the actuals paint ${before.actual} pixels`);
  const labels = await legend(page);
  for (const label of ['actual', 'release', 'advance notice']) assert.ok(labels.includes(label), `legend ${labels}`);
  assert.ok(!labels.includes('forecast p50'), 'no forecast is drawn before one is made');
  ok(`the chart draws the actuals (${before.actual} pixels) with legend ${labels.join(', ')}`);

  await page.click('#make-forecast');
  await page.waitForSelector('.chart-box[data-forecast^="fc-"]');
  const forecastLabels = await legend(page);
  for (const label of ['forecast p50', 'p90 band', 'p99 band', 'baseline', 'peak window']) {
    assert.ok(forecastLabels.includes(label), `legend after the forecast: ${forecastLabels}`);
  }
  const forecastPaint = await paint(page, ['p50']);
  assert.ok(forecastPaint.p50 > 100, `the p50 line paints ${forecastPaint.p50} pixels`);
  assert.match(await page.textContent('#action-status'), /^forecast fc-\S+ made$/);
  ok(`a forecast made by clicking is drawn at once (${(await chartBox(page)).forecast})`);

  await page.fill('#unit-capacity', '0.5');
  await page.click('#make-plan');
  await page.waitForSelector('.chart-box[data-plan^="plan-"]');
  await page.waitForFunction(() => /^plan plan-\S+ made/.test(document.querySelector('#action-status').textContent));
  const planLabels = await legend(page);
  for (const label of ['planned units', 'fallback units']) assert.ok(planLabels.includes(label), `legend: ${planLabels}`);
  const planPaint = await paint(page, ['units']);
  assert.ok(planPaint.units > 100, `the plan's step line paints ${planPaint.units} pixels`);
  const actions = await page.$$eval('#actions tr', (rows) => rows.map((row) => row.textContent));
  assert.ok(actions.length >= 2 && actions.some((text) => /scale out/.test(text)), `actions: ${actions}`);
  assert.match(await page.textContent('#upcoming'), /microsoft:2026-12-08:release/);
  assert.match(await page.textContent('#upcoming'), /scale window/);
  ok(`a plan made by clicking is drawn, with ${actions.length} actions and the scale windows`);

  // The next poll brings the series list its planned units.
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector('#series-list tr td.num')?.textContent ?? ''),
    null, { timeout: TIMEOUT_MS });
  ok(`the series list shows the planned units (${await page.textContent('#series-list tr td.num')})`);

  await page.screenshot({ path: path.join(args.screenshots, 'dashboard.png') });
  ok(`screenshot ${path.join(args.screenshots, 'dashboard.png')}`);

  // Polls send the last ETag back; a 304 redraws nothing. The page counts its ended polls and its
  // redraws (data-polls, data-renders), read together; its n-th poll is the n-th GET /v1/series
  // seen here, since every poll opens with one. Two readings bracket the polls in between: when
  // every answer in them was 304, nothing may have been redrawn. /v1/events/next is exempt: its
  // answer says when it was asked, and the page compares its event. The plan's current replicas
  // rightly change at each of its 5-minute steps; a stretch that crossed one is tried again.
  const counts = async () => page.evaluate(() => ({
    polls: Number(document.body.dataset.polls ?? 0), renders: Number(document.body.dataset.renders ?? 0),
  }));
  let quiet = null;
  for (let attempt = 0; attempt < 3 && !quiet; ++attempt) {
    const from = await counts();
    await until(() => polls.length >= from.polls + 3, 'two more polls of /v1/series, ended');
    const to = await counts();
    // Every answer of poll to.polls has been seen once the poll after it has opened.
    await until(() => polls.length >= to.polls + 1, 'the poll after the stretch, opened');
    const between = answers.filter((answer) => answer.poll > from.polls && answer.poll <= to.polls);
    if (!between.every((answer) => answer.status === 304 || answer.path === '/v1/events/next')) continue;
    quiet = polls.slice(from.polls, to.polls);
    assert.ok(quiet.length >= 2 && quiet.every((poll) => poll.etag), `polls: ${JSON.stringify(quiet)}`);
    assert.equal(to.renders, from.renders, `redrawn in polls ${from.polls + 1} to ${to.polls}, all 304: ` +
      JSON.stringify(between));
  }
  assert.ok(quiet, `no two polls in a row answered 304 throughout: ${JSON.stringify(answers.slice(-20))}`);
  ok(`polls send If-None-Match, get 304 and redraw nothing (${quiet.length} polls)`);

  // Zoom to the November release, then move a half-window back.
  const novemberRelease = await page.$eval('#zoom-event', (select) =>
    [...select.options].find((option) => option.text === 'microsoft:2026-11-10:release')?.value);
  assert.ok(novemberRelease, 'the zoom list offers microsoft:2026-11-10:release');
  await page.selectOption('#zoom-event', novemberRelease);
  await page.waitForFunction((start) => Date.parse(document.querySelector('.chart-box').dataset.viewMin) < start &&
    Date.parse(document.querySelector('.chart-box').dataset.viewMax) - start < 6 * 86_400_000, Number(novemberRelease));
  const zoomed = await chartBox(page);
  await page.click('#earlier');
  await page.waitForFunction((min) => document.querySelector('.chart-box').dataset.viewMin !== min, zoomed.viewMin);
  const earlier = await chartBox(page);
  assert.equal(Date.parse(zoomed.viewMin) - Date.parse(earlier.viewMin), 3.5 * 86_400_000);
  const zoomPaint = await paint(page, ['actual']);
  assert.ok(zoomPaint.actual > 200, `the earlier window paints ${zoomPaint.actual} pixels of actuals`);
  ok(`zoom to an event (${zoomed.viewMin} to ${zoomed.viewMax}) and earlier (${earlier.viewMin})`);

  assert.deepEqual(problems, [], 'console errors, failed requests or unexpected errors');
  ok('no console errors and no failed requests');

  // The service goes away: the page says so and keeps what it drew.
  process.kill(Number(args['open-pid']), 'SIGTERM');
  await page.waitForSelector('#connection[data-state="unreachable"]', { timeout: TIMEOUT_MS });
  assert.deepEqual(await seriesRows(page), ['demo-login']);
  ok('a stopped service shows as unreachable');
  await page.close();
}

// ---- the service with keys

async function checkKeyedService(context, args) {
  const page = await context.newPage();
  // 401 for the calls made before a token is given, and for the wrong token.
  const problems = watch(page, (url, status) => notMadeYet(url, status) ||
    (status === 401 && url.pathname === '/v1/whoami'));
  const requests = [];
  page.on('request', (request) => requests.push({ url: request.url(), authorization: request.headers().authorization }));

  const response = await page.goto(`${args.keyed}/`);
  assert.equal(response.status(), 200);
  for (const file of ['/ui/app.js', '/ui/style.css', '/ui/chart.min.js']) {
    assert.equal((await page.request.get(`${args.keyed}${file}`)).status(), 200, file);
  }
  assert.equal((await page.request.get(`${args.keyed}/v1/series`)).status(), 401);
  ok('with keys the page and its files are open, and the API is not');

  await page.waitForSelector('#token-dialog[open]');
  assert.equal(await page.getAttribute('#connection', 'data-state'), 'signed-out');
  await page.screenshot({ path: path.join(args.screenshots, 'dashboard-token.png') });
  ok('a token prompt comes up');

  await page.fill('#token-input', 'pc_not_a_key');
  await page.click('#token-dialog button[type="submit"]');
  await page.waitForSelector('#token-error:not([hidden])');
  assert.match(await page.textContent('#token-error'), /invalid credentials/);
  assert.ok(await page.$('#token-dialog[open]'), 'the prompt stays for a wrong token');
  ok(`a wrong token is refused: ${await page.textContent('#token-error')}`);

  await page.fill('#token-input', args['reader-token']);
  await page.click('#token-dialog button[type="submit"]');
  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await seriesRows(page), ['demo-login']);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('patchcast.token')), args['reader-token']);
  assert.match(await page.textContent('#who'), /demo-reader \(read\)/);
  ok('a key limited to "demo-" sees demo-login only (other-login exists)');

  const api = requests.filter((request) => new URL(request.url).pathname.startsWith('/v1/'));
  assert.ok(api.every((request) => !request.url.includes(args['reader-token'])), 'a token in a URL');
  const signedIn = api.filter((request) => request.authorization);
  assert.ok(signedIn.length >= 5, `${signedIn.length} API calls carried a token`);
  assert.ok(signedIn.every((request) => request.authorization === `Bearer ${args['reader-token']}` ||
    request.authorization === 'Bearer pc_not_a_key'), 'an API call with another Authorization');
  ok(`the token goes in a bearer header (${signedIn.length} calls), never in a URL`);

  await page.waitForSelector('#series-chart');
  const drawn = await paint(page, ['actual']);
  assert.ok(drawn.actual > 200, `the chart paints ${drawn.actual} pixels of actuals with a key`);
  assert.deepEqual(problems, [], 'console errors, failed requests or unexpected errors');
  ok('signed in, the chart is drawn, with no console errors and no failed requests');
  await page.close();
}

// ---- the service without its chart library

async function checkBareService(context, args) {
  const page = await context.newPage();
  const problems = watch(page, (url, status) => notMadeYet(url, status) ||
    (status === 404 && url.pathname === '/ui/chart.min.js'));
  await page.goto(`${args.bare}/`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#banner'), /chart library is missing/);
  assert.deepEqual(await seriesRows(page), ['demo-login']);
  // The browser says the script could not be loaded (its 404 is JSON, not JavaScript); nothing else.
  assert.ok(problems.some((problem) => problem.includes('/ui/chart.min.js')), `problems: ${problems}`);
  assert.deepEqual(problems.filter((problem) => !problem.includes('/ui/chart.min.js')), []);
  ok('without the chart library the page loads, lists the series and says the library is missing');
  await page.close();
}

async function main() {
  const args = options(process.argv.slice(2));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'patchcast-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.PATCHCAST_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: BROWSER_ARGS,
    viewport: { width: 1600, height: 1000 },
    timeout: TIMEOUT_MS,
  });
  context.setDefaultTimeout(TIMEOUT_MS);
  try {
    await checkKeyedService(context, args);
    await checkBareService(context, args);
    await checkOpenService(context, args);
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`FAIL: ${error.stack ?? error}`);
  process.exit(1);
});
