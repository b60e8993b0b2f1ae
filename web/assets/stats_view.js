// A link's statistics page (#/links/{code}): the numbers large, a chart with switchable ranges,
// and live updates. /stats is polled every second (a click is in the stats within a second of its
// redirect, so it shows here within two); the series is fetched again only when the counts or the
// minute changed. Polling pauses while the tab is hidden.

import { api, linkPath } from './api.js';
import { cloneTemplate, formatCount, localInputToRfc3339, rfc3339ToLocalInput, setSafeHref } from './dom.js';
import { copyWithFeedback } from './clipboard.js';
import { explainProblem } from './field_errors.js';
import { showQr, wireQrDownloads } from './qr.js';
import { ClicksChart } from './stats_chart.js';
import { isLive, seriesQuery } from './stats_ranges.js';

const POLL_MS = 1000;
const STEP_WORDS = { minute: 'per minute', hour: 'per hour', day: 'per day' };

function describeSeries(series) {
  const total = series.points.reduce((sum, p) => sum + p.count, 0);
  const from = new Date(series.from).toLocaleString();
  const to = new Date(series.to).toLocaleString();
  const clicks = total === 1 ? 'click' : 'clicks';
  let text = `${formatCount(total)} ${clicks} from ${from} to ${to}, shown ${STEP_WORDS[series.step]}.`;
  if (total > 0) {
    const peak = series.points.reduce((best, p) => (p.count > best.count ? p : best));
    text += ` Busiest: ${new Date(peak.t).toLocaleString()} with ${formatCount(peak.count)}.`;
  }
  return text;
}

class StatsPage {
  constructor(main, code) {
    this.code = code;
    const { fragment, refs } = cloneTemplate('stats-view');
    this.refs = refs;
    this.range = '24h';
    this.custom = null;
    this.lastKey = null;
    this.stopped = false;  // the page was left
    this.gone = false;     // the link was deleted
    this.polling = false;
    this.pollAgain = false;
    this.timer = null;
    main.replaceChildren(fragment);
    this.chart = new ClicksChart(refs.chart);
    this.onVisibility = () => { if (!document.hidden) this.poll(); };
    document.addEventListener('visibilitychange', this.onVisibility);
    for (const radio of main.querySelectorAll('input[name="range"]')) {
      radio.addEventListener('change', () => this.chooseRange(radio.value));
    }
    refs['custom-form'].addEventListener('submit', (event) => {
      event.preventDefault();
      this.applyCustomRange();
    });
    this.start();
  }

  async start() {
    try {
      this.link = await api('GET', linkPath(this.code));
    } catch (error) {
      this.showError(error.status === 404 ? 'There is no link with this code. It may have been deleted.'
                                          : explainProblem(error).message);
      return;
    }
    if (this.stopped) return;
    this.showLink();
    this.poll();
  }

  showLink() {
    const { refs, link } = this;
    refs.short.textContent = link.short_url;
    setSafeHref(refs.short, link.short_url);
    refs.target.textContent = link.url;
    setSafeHref(refs.target, link.url);
    refs.target.title = link.url;
    refs.title.textContent = link.title ?? '';
    refs['disabled-badge'].hidden = !link.disabled;
    refs.copy.addEventListener('click', () => copyWithFeedback(link.short_url, refs.copied));
    const onError = (error) => { refs.copied.textContent = explainProblem(error).message; };
    wireQrDownloads(refs.svg, refs.png, link.code, onError);
    showQr(refs.qr, link.code, link.short_url).catch(onError);
    document.title = `${link.code} · hop`;
  }

  showError(message) {
    this.refs.error.textContent = message;
    this.refs.error.hidden = false;
  }

  // Runs a round now, or right after the one in flight, then one every POLL_MS.
  poll() {
    clearTimeout(this.timer);
    if (this.stopped || this.gone || document.hidden) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    this.polling = true;
    this.round().finally(() => {
      this.polling = false;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.poll();
      } else if (!this.stopped && !this.gone) {
        this.timer = setTimeout(() => this.poll(), POLL_MS);
      }
    });
  }

  // The counts, then the series if anything it shows may have changed.
  async round() {
    try {
      const stats = await api('GET', `${linkPath(this.code)}/stats`);
      if (this.stopped) return;
      this.showNumbers(stats);
      const key = `${this.range}|${stats.total}|${stats.bots}|${stats.as_of.slice(0, 16)}`;
      if (key !== this.lastKey && (this.lastKey === null || isLive(this.range, this.custom, Date.now()))) {
        await this.loadSeries();
        this.lastKey = key;
      }
      this.refs.error.hidden = true;
    } catch (error) {
      this.gone = error.status === 404;
      this.showError(this.gone ? 'This link was deleted.' : explainProblem(error).message);
    }
  }

  showNumbers(stats) {
    for (const name of ['last_24h', 'last_7d', 'last_30d', 'total', 'bots']) {
      const text = formatCount(stats[name]);
      if (this.refs[name].textContent !== text) this.refs[name].textContent = text;
    }
    this.refs['as-of'].textContent = `Updated ${new Date(stats.as_of).toLocaleTimeString()}`;
  }

  async loadSeries() {
    const query = seriesQuery(this.range, this.link, Date.now(), this.custom);
    const series = await api('GET', `${linkPath(this.code)}/stats/series?${new URLSearchParams(query)}`);
    if (this.stopped) return;
    this.chart.show(series);
    this.refs.summary.textContent = describeSeries(series);
  }

  chooseRange(range) {
    const form = this.refs['custom-form'];
    form.hidden = range !== 'custom';
    if (range === 'custom') {
      if (!form.elements.from.value) {
        const now = Date.now();
        form.elements.from.value = rfc3339ToLocalInput(new Date(now - 3 * 864e5).toISOString());
        form.elements.to.value = rfc3339ToLocalInput(new Date(now).toISOString());
      }
      form.elements.from.focus();
      return;
    }
    this.range = range;
    this.lastKey = null;
    this.poll();
  }

  applyCustomRange() {
    const form = this.refs['custom-form'];
    const error = this.refs['custom-error'];
    const { from, to } = form.elements;
    const fromMs = from.value ? Date.parse(localInputToRfc3339(from.value)) : NaN;
    const toMs = to.value ? Date.parse(localInputToRfc3339(to.value)) : NaN;
    if (Number.isNaN(fromMs) || Number.isNaN(toMs) || fromMs >= toMs) {
      error.textContent = 'Choose a start before the end.';
      error.hidden = false;
      return;
    }
    error.hidden = true;
    this.custom = { fromMs, toMs };
    this.range = 'custom';
    this.lastKey = null;
    this.poll();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.chart.destroy();
    if (this.refs.qr.src.startsWith('blob:')) URL.revokeObjectURL(this.refs.qr.src);
  }
}

export function renderStatsView(main, code) {
  const page = new StatsPage(main, code);
  return () => page.stop();
}
