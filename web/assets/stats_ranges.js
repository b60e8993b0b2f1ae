// Which /stats/series query each chart range asks for.
//
// The presets leave `to` to the server (now) and use its default spans: a step of minute covers the
// last 24 hours, hour the last 7 days. "All time" counts days from the link's creation, and at
// least the last 30 days so that a new link's chart is not a single bar. A custom range gets the
// finest step the server keeps for that far back (minutes 32 days, hours 100 days) that needs no
// more than a few thousand points.

const DAY_MS = 24 * 60 * 60 * 1000;

const rfc3339 = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function stepForRange(fromMs, toMs, nowMs) {
  const span = toMs - fromMs;
  const age = nowMs - fromMs;
  if (span <= 2 * DAY_MS && age <= 31 * DAY_MS) return 'minute';
  if (span <= 92 * DAY_MS && age <= 99 * DAY_MS) return 'hour';
  return 'day';
}

// {step, from?, to?} for `range` ("24h", "7d", "all" or "custom"); `custom` is {fromMs, toMs}.
export function seriesQuery(range, link, nowMs, custom) {
  switch (range) {
    case '24h':
      return { step: 'minute' };
    case '7d':
      return { step: 'hour' };
    case 'all': {
      const created = Date.parse(link.created_at);
      return { step: 'day', from: rfc3339(Math.min(created, nowMs - 30 * DAY_MS)) };
    }
    default:
      return { step: stepForRange(custom.fromMs, custom.toMs, nowMs),
               from: rfc3339(custom.fromMs), to: rfc3339(custom.toMs) };
  }
}

// A custom range ending in the past shows fixed numbers; every other range grows with time.
export function isLive(range, custom, nowMs) {
  return range !== 'custom' || custom.toMs >= nowMs;
}
