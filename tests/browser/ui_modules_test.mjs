// The web UI's pure logic, without a browser: which field an API problem belongs to and how it is
// worded, and which series each chart range asks for. Run by ctest as `node --test`.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { explainProblem } from '../../web/assets/field_errors.js';
import { isLive, seriesQuery, stepForRange } from '../../web/assets/stats_ranges.js';

const problem = (code, detail) => ({ code, detail });

test('problem codes about the URL or the alias go to that field', () => {
  assert.deepEqual(explainProblem(problem('invalid_url', 'URL must use http or https, not "ftp"')),
                   { field: 'url', message: 'URL must use http or https, not "ftp"' });
  assert.equal(explainProblem(problem('blocked_url', 'URL host "x.test" is blocked')).field, 'url');
  for (const code of ['invalid_alias', 'reserved_alias', 'alias_taken']) {
    assert.equal(explainProblem(problem(code, 'whatever the server said')).field, 'alias', code);
  }
  assert.match(explainProblem(problem('alias_taken', 'the alias "x" is already taken')).message,
               /already in use/);
});

test('invalid_request goes to the field its detail names, in the form\'s words', () => {
  const cases = [
    ['max_visits must be at least 1, not 0', 'max_visits', 'The visit limit must be at least 1, not 0'],
    ['expires_at must be in the future', 'expires_at', 'The expiry time must be in the future'],
    ['"redirect_status" must be 301, 302, 307 or 308', 'redirect_status',
     'The redirect type must be 301, 302, 307 or 308'],
    ['title must be at most 512 bytes, not 600', 'title', 'The title must be at most 512 bytes, not 600'],
    ['a link may have at most 20 tags, not 21', 'tags', 'A link may have at most 20 tags, not 21'],
    ['each tag must be 1 to 64 bytes long, not 65', 'tags', 'Each tag must be 1 to 64 bytes long, not 65'],
    ['tags may not contain commas or control characters', 'tags',
     'Tags may not contain commas or control characters'],
    ['"url" is required', 'url', 'The URL is required'],
  ];
  for (const [detail, field, message] of cases) {
    assert.deepEqual(explainProblem(problem('invalid_request', detail)), { field, message }, detail);
  }
});

test('problems about no field go to the whole form', () => {
  assert.deepEqual(explainProblem(problem('invalid_request', 'the body must be a JSON object')),
                   { field: '', message: 'The body must be a JSON object' });
  assert.match(explainProblem(problem('rate_limited', 'slow down')).message, /Wait a moment/);
  assert.equal(explainProblem(problem('network', 'The hop server cannot be reached.')).field, '');
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-22T12:00:00Z');

test('presets leave the span to the server; all time reaches back at least 30 days', () => {
  assert.deepEqual(seriesQuery('24h', null, NOW), { step: 'minute' });
  assert.deepEqual(seriesQuery('7d', null, NOW), { step: 'hour' });
  assert.deepEqual(seriesQuery('all', { created_at: '2026-11-20T08:00:00Z' }, NOW),
                   { step: 'day', from: '2026-10-23T12:00:00Z' });
  assert.deepEqual(seriesQuery('all', { created_at: '2025-01-05T08:00:00Z' }, NOW),
                   { step: 'day', from: '2025-01-05T08:00:00Z' });
});

test('a custom range gets the finest step the server keeps that far back', () => {
  assert.equal(stepForRange(NOW - 3 * HOUR, NOW, NOW), 'minute');
  assert.equal(stepForRange(NOW - 2 * DAY, NOW, NOW), 'minute');
  assert.equal(stepForRange(NOW - 3 * DAY, NOW, NOW), 'hour');
  assert.equal(stepForRange(NOW - 40 * DAY, NOW - 39 * DAY, NOW), 'hour', 'minutes are kept 32 days');
  assert.equal(stepForRange(NOW - 120 * DAY, NOW - 119 * DAY, NOW), 'day', 'hours are kept 100 days');
  assert.equal(stepForRange(NOW - 365 * DAY, NOW, NOW), 'day');
  assert.deepEqual(seriesQuery('custom', null, NOW, { fromMs: NOW - HOUR, toMs: NOW }),
                   { step: 'minute', from: '2026-11-22T11:00:00Z', to: '2026-11-22T12:00:00Z' });
});

test('only a custom range that ended is fixed', () => {
  assert.equal(isLive('24h', null, NOW), true);
  assert.equal(isLive('custom', { fromMs: NOW - DAY, toMs: NOW + HOUR }, NOW), true);
  assert.equal(isLive('custom', { fromMs: NOW - DAY, toMs: NOW - HOUR }, NOW), false);
});
