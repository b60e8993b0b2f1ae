// A chart of clicks per minute, hour or day, drawn by uPlot and sized to its container.

const uPlot = window.uPlot;  // vendor/uPlot.iife.min.js, loaded by index.html

const Y_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6, 1e7, 1e8];
const LEGEND_TIME = {
  minute: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  hour: { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  day: { year: 'numeric', month: 'short', day: 'numeric' },
};

function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function options(step, size) {
  const text = cssColor('--text-muted');
  const grid = cssColor('--grid');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  return {
    ...size,
    // Dragging would zoom, and the next live update would undo it: the ranges above do that job.
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] } },
    axes: [axis, { ...axis, incrs: Y_STEPS, values: (u, ticks) => ticks.map((t) => t.toLocaleString()) }],
    series: [
      { label: 'Time',
        value: (u, t) => (t == null ? '–' : new Date(t * 1000).toLocaleString(undefined, LEGEND_TIME[step])) },
      { label: 'Clicks',
        stroke: cssColor('--accent'),
        fill: cssColor('--accent-fill'),
        width: 1.5,
        points: { show: false },
        paths: step === 'minute' ? uPlot.paths.stepped({ align: 1 }) : uPlot.paths.bars({ size: [0.8, 40] }),
        value: (u, v) => (v == null ? '–' : v.toLocaleString()) },
    ],
  };
}

export class ClicksChart {
  constructor(container) {
    this.container = container;
    this.plot = null;
    this.step = null;
    this.observer = new ResizeObserver(() => this.plot?.setSize(this.size()));
    this.observer.observe(container);
  }

  size() {
    const width = Math.max(260, this.container.clientWidth);
    return { width, height: width < 600 ? 200 : 280 };
  }

  // `series`: a /stats/series answer, {step, points: [{t, count}]}.
  show(series) {
    const data = [series.points.map((p) => Date.parse(p.t) / 1000), series.points.map((p) => p.count)];
    if (this.plot && this.step === series.step) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.step = series.step;
    this.plot = new uPlot(options(series.step, this.size()), data, this.container);
  }

  destroy() {
    this.observer.disconnect();
    this.plot?.destroy();
  }
}
