// The series chart: actuals, the latest forecast's p50 and p90/p99 band, its baseline, the
// events with their peak windows, and the plan's units as a step line with the fallback level on
// a second axis. x is epoch milliseconds, labelled in UTC below and in a chosen zone above.
import { formatInstant, tickLabel, tickStep, timeTicks } from './time_axis.js';

const EVENT_KINDS = { release: 'release', advance_notice: 'advance notice', out_of_band: 'out-of-band' };

function color(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(`--c-${name}`).trim();
}

// Dataset templates, in drawing order; `legend` is the swatch class of the HTML legend.
function datasetTemplates() {
  const line = { pointRadius: 0, borderWidth: 1.5, spanGaps: false };
  return [
    { key: 'actual', label: 'actual', legend: 'line', ...line, borderColor: color('actual') },
    { key: 'baseline', label: 'baseline', legend: 'dashed', ...line, borderColor: color('baseline'),
      borderDash: [6, 4] },
    { key: 'p50', label: 'forecast p50', legend: 'line', ...line, borderColor: color('p50'), borderWidth: 2 },
    { key: 'p90', label: 'p90 band', legend: 'band', ...line, borderColor: color('p90'), borderWidth: 0.5,
      backgroundColor: color('p90'), fill: '-1' },
    { key: 'p99', label: 'p99 band', legend: 'band', ...line, borderColor: color('p99'), borderWidth: 0.5,
      backgroundColor: color('p99'), fill: '-1' },
    { key: 'units', label: 'planned units', legend: 'line', ...line, borderColor: color('units'), borderWidth: 2,
      stepped: 'before', yAxisID: 'y2' },
    { key: 'fallback', label: 'fallback units', legend: 'dashed', ...line, borderColor: color('fallback'),
      borderDash: [3, 3], yAxisID: 'y2' },
  ];
}

// Draws each event as a vertical line in its kind's colour, and each forecast event's peak window
// (p10 to p90 of when the peak comes) as a shaded band.
const eventMarkers = {
  id: 'patchcastEvents',
  beforeDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea: area, scales: { x } } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    ctx.fillStyle = color('peak-window');
    for (const window of options.windows ?? []) {
      const left = x.getPixelForValue(window.from);
      const right = Math.max(x.getPixelForValue(window.to), left + 2);
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
    }
    for (const event of options.markers ?? []) {
      const at = x.getPixelForValue(event.start);
      ctx.strokeStyle = color(event.kind);
      ctx.lineWidth = event.kind === 'release' ? 2 : 1.5;
      ctx.setLineDash(event.kind === 'advance_notice' ? [4, 3] : []);
      ctx.beginPath();
      ctx.moveTo(at, area.top);
      ctx.lineTo(at, area.bottom);
      ctx.stroke();
    }
    ctx.restore();
  },
};

function timeAxis(position, zone, state) {
  return {
    type: 'linear',
    position,
    grid: { drawOnChartArea: position === 'bottom' },
    title: { display: true, text: zone === 'UTC' ? 'UTC' : zone, padding: 2 },
    afterBuildTicks(axis) {
      const span = axis.max - axis.min;
      state.step = tickStep(span, Math.max(3, Math.floor(axis.width / 80)));
      axis.ticks = timeTicks(axis.min, axis.max, zone, state.step).map((value) => ({ value }));
    },
    ticks: { autoSkip: false, maxRotation: 0, callback: (value) => tickLabel(value, zone, state.step) },
  };
}

export class SeriesChart {
  // `canvas` to draw on, `legend` (a <ul>) for the HTML legend. Throws if Chart.js is missing.
  constructor(canvas, legend) {
    this.legend = legend;
    this.templates = datasetTemplates();
    this.chart = new window.Chart(canvas, {
      type: 'line',
      data: { datasets: this.templates.map(({ key, legend: _, ...dataset }) => ({ ...dataset, data: [] })) },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { title: (items) => `${formatInstant(items[0].parsed.x, 'UTC')} UTC` } },
          patchcastEvents: {},
        },
        scales: {},
      },
      plugins: [eventMarkers],
    });
  }

  // Draws `model` ({actual, forecast, plan, events, unit}) over `view` ({min, max}) with the
  // second time axis in `zone`.
  draw(model, view, zone) {
    const chart = this.chart;
    const data = {
      actual: model.actual,
      baseline: model.forecast?.points.map((p) => ({ x: p.x, y: p.baseline })) ?? [],
      p50: model.forecast?.points.map((p) => ({ x: p.x, y: p.p50 })) ?? [],
      p90: model.forecast?.points.map((p) => ({ x: p.x, y: p.p90 })) ?? [],
      p99: model.forecast?.points.map((p) => ({ x: p.x, y: p.p99 })) ?? [],
      units: model.plan?.buckets ?? [],
      fallback: model.plan ? [{ x: model.plan.start, y: model.plan.fallback },
        { x: Math.max(model.plan.end, view.max), y: model.plan.fallback }] : [],
    };
    this.templates.forEach(({ key }, index) => { chart.data.datasets[index].data = data[key]; });
    const utcState = {};
    const zoneState = {};
    chart.options.scales = {
      x: { ...timeAxis('bottom', 'UTC', utcState), min: view.min, max: view.max },
      xz: { ...timeAxis('top', zone, zoneState), min: view.min, max: view.max },
      y: { type: 'linear', position: 'left', beginAtZero: true,
        title: { display: true, text: `${model.unit} per step` } },
      y2: { type: 'linear', position: 'right', beginAtZero: true, display: Boolean(model.plan),
        grid: { drawOnChartArea: false }, title: { display: true, text: 'planned units' } },
    };
    chart.options.plugins.patchcastEvents = { markers: model.events, windows: model.peakWindows };
    chart.update();
    this.drawLegend(model);
  }

  drawLegend(model) {
    const items = [];
    this.templates.forEach(({ key, label, legend }, index) => {
      if (this.chart.data.datasets[index].data.length === 0) return;
      items.push(this.legendItem(label, `swatch ${legend === 'band' ? '' : legend} legend-${key}`,
        !this.chart.isDatasetVisible(index), () => {
          this.chart.setDatasetVisibility(index, !this.chart.isDatasetVisible(index));
          this.chart.update();
          this.drawLegend(model);
        }));
    });
    const kinds = new Set(model.events.map((event) => event.kind));
    for (const [kind, label] of Object.entries(EVENT_KINDS)) {
      if (kinds.has(kind)) items.push(this.legendItem(label, `swatch marker legend-${kind}`, false));
    }
    if (model.peakWindows.length > 0) {
      items.push(this.legendItem('peak window', 'swatch legend-peak-window', false));
    }
    this.legend.replaceChildren(...items);
  }

  legendItem(label, swatchClass, off, toggle) {
    const item = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = swatchClass;
    item.append(swatch, label);
    item.dataset.label = label;
    if (off) item.classList.add('off');
    if (toggle) item.addEventListener('click', toggle);
    return item;
  }
}
