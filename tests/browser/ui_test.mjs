// The web UI in a real browser against a real server: what a person does, start to finish.
// Run by ctest as `node --test ui_test.mjs` (tests/CMakeLists.txt); screenshots go to
// HOP_TEST_OUTPUT.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { launchChromium, newPersonContext, screenshot, startHop, startLandingSite } from './harness.mjs';

// DESIGN.md section 4: a click is in the stats within 1 s; the page polls every second.
const CLICK_VISIBLE_WITHIN_MS = 2000;

let hop;
let landing;
let browser;
let context;
let page;
const pageErrors = [];

before(async () => {
  landing = await startLandingSite();
  hop = await startHop();
  browser = await launchChromium();
  context = await newPersonContext(browser, hop.baseUrl);
  page = await context.newPage();
  // A script error or a Content-Security-Policy violation shows up here.
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  // Answers with 4xx status are logged by Chromium as "Failed to load resource"; the tests cause
  // those on purpose.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      pageErrors.push(message.text());
    }
  });
});

after(async () => {
  await browser?.close();
  await hop?.stop();
  await landing?.stop();
});

// The API, called from the test itself to check what the UI did.
async function apiGet(path) {
  const response = await fetch(hop.baseUrl + path, { headers: { Authorization: `Bearer ${hop.key}` } });
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

// The create form's fields; the edit dialog has fields with the same labels.
function createField(label) {
  return page.locator('form.create-form').getByLabel(label);
}

function row(code) {
  return page.locator(`tr[data-code="${code}"]`);
}

async function noHorizontalScroll() {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

let code;
let shortUrl;
let longCode;

test('sign in with an API key', async () => {
  await page.goto(hop.baseUrl + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#err-key', { hasText: 'Paste your API key first' }).waitFor();
  if (hop.authEnforced) {
    await page.getByLabel('API key').fill('not-a-key');
    await page.getByLabel('API key').press('Enter');
    await page.locator('#err-key', { hasText: 'not accepted' }).waitFor();
  }
  await page.getByLabel('API key').fill(hop.key);
  await page.getByLabel('API key').press('Enter');
  await page.getByRole('heading', { name: 'Shorten a link' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('hop.apiKey')), hop.key);
});

test('a bad URL or alias is explained next to its field', async () => {
  const url = createField('Long URL');
  await url.fill('javascript:alert(1)');
  await url.press('Enter');
  const urlError = page.locator('#err-create-url');
  await urlError.waitFor();
  assert.match(await urlError.textContent(), /http or https/);
  assert.equal(await url.getAttribute('aria-invalid'), 'true');

  await url.fill('https://example.com/');
  await page.getByText('More options').click();
  await createField('Alias').fill('assets');
  await createField('Alias').press('Enter');
  await page.locator('#err-create-alias', { hasText: 'reserved' }).waitFor();
  assert.equal(await urlError.isHidden(), true, 'the URL error is cleared on the next submit');

  await createField('Alias').fill('');
  await createField('Max visits').fill('0');
  await createField('Max visits').press('Enter');
  await page.locator('#err-create-max', { hasText: 'visit limit must be at least 1' }).waitFor();
});

test('create a link: short URL, copy, QR', async () => {
  await createField('Long URL').fill(`${landing.url}/launch?from=hop`);
  await createField('Title').fill('Launch page');
  await createField('Tags').fill('campaign, mail');
  await createField('Max visits').fill('');
  await createField('Long URL').press('Enter');

  const created = page.getByRole('heading', { name: 'Your short link' });
  await created.waitFor();
  shortUrl = await page.locator('.created .short-url').textContent();
  assert.match(shortUrl, new RegExp(`^${hop.baseUrl}/[0-9A-Za-z]{7}$`));
  code = shortUrl.slice(hop.baseUrl.length + 1);
  assert.equal(await createField('Long URL').inputValue(), '', 'the form is reset for the next link');

  await page.locator('.created').getByRole('button', { name: 'Copy' }).click();
  await page.locator('.created .copied', { hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), shortUrl);

  const qr = page.getByRole('img', { name: `QR code for ${shortUrl}` });
  await qr.waitFor();
  await page.waitForFunction(() => document.querySelector('.created .qr img').naturalWidth > 0);

  for (const format of ['svg', 'png']) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.created').getByRole('button', { name: `Download ${format.toUpperCase()}` }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${code}.${format}`);
    const bytes = fs.readFileSync(await download.path());
    if (format === 'png') assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    else assert.match(bytes.toString(), /^<svg /);
  }

  await row(code).waitFor();
  assert.match(await row(code).textContent(), /Launch page/);
  assert.match(await row(code).textContent(), /campaign/);
});

test('a 2,000-character URL does not break the layout', async () => {
  const longUrl = `${landing.url}/${'very-long-path-segment/'.repeat(86)}end`.slice(0, 2000);
  assert.equal(longUrl.length, 2000);
  await createField('Long URL').fill(longUrl);
  await createField('Long URL').press('Enter');
  await page.locator('.created .target', { hasText: 'very-long-path-segment' }).waitFor();
  longCode = (await page.locator('.created .short-url').textContent()).split('/').pop();
  await row(longCode).waitFor();
  assert.ok(await noHorizontalScroll(), 'the page scrolls sideways');
  const box = await row(longCode).boundingBox();
  assert.ok(box.height < 160, `the long URL's row is ${box.height}px high`);
  await screenshot(page, 'links-page');
});

test('search by text and by tag', async () => {
  await page.getByLabel('Search').fill('Launch page');
  await page.getByLabel('Search').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  await row(code).waitFor();

  await page.getByLabel('Search').fill('');
  await page.getByLabel('Tag', { exact: true }).fill('nosuchtag');
  await page.getByLabel('Tag', { exact: true }).press('Enter');
  await page.getByText('No links match.').waitFor();

  await page.getByLabel('Tag', { exact: true }).fill('mail');
  await page.getByLabel('Tag', { exact: true }).press('Enter');
  await row(code).waitFor();
  assert.equal(await page.locator('tbody tr').count(), 1);

  await page.getByLabel('Tag', { exact: true }).fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);
});

test('a visit to the short link shows in the stats page within 2 s', async (t) => {
  await row(code).getByRole('link', { name: `Statistics of ${code}` }).click();
  await page.getByRole('heading', { name: shortUrl }).waitFor();
  const total = page.locator('.big-numbers [data-ref="total"]');
  await page.waitForFunction(() => document.querySelector('.big-numbers [data-ref="total"]').textContent === '0');
  await page.locator('.chart canvas').waitFor();

  // A person follows the link in another tab: a real GET /{code}, redirected to the landing site.
  const visitor = await context.newPage();
  const clickedAt = Date.now();
  await visitor.goto(shortUrl);
  assert.equal(visitor.url(), `${landing.url}/launch?from=hop`);
  await visitor.close();

  await page.waitForFunction(() => document.querySelector('.big-numbers [data-ref="total"]').textContent === '1',
                             null, { timeout: CLICK_VISIBLE_WITHIN_MS + 3000 });
  const shownAfter = Date.now() - clickedAt;
  assert.ok(shownAfter <= CLICK_VISIBLE_WITHIN_MS, `the click showed after ${shownAfter} ms`);
  t.diagnostic(`the click showed ${shownAfter} ms after the visit began`);
  assert.equal(await page.locator('.big-numbers [data-ref="last_24h"]').textContent(), '1');
  assert.equal(await page.locator('.big-numbers [data-ref="last_7d"]').textContent(), '1');
  await page.locator('.chart-summary', { hasText: /^1 click from/ }).waitFor();
  assert.equal(await total.textContent(), '1');
  await screenshot(page, 'stats-page');
});

test('the chart switches ranges, including a custom one', async () => {
  for (const [range, step] of [['7d', 'per hour'], ['all', 'per day'], ['24h', 'per minute']]) {
    await page.locator(`label[for="range-${range}"]`).click();
    await page.locator('.chart-summary', { hasText: `shown ${step}` }).waitFor();
  }
  await page.locator('label[for="range-custom"]').click();
  await page.getByLabel('From', { exact: true }).fill('2026-01-02T00:00');
  await page.getByLabel('To', { exact: true }).fill('2026-01-01T00:00');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByText('Choose a start before the end.').waitFor();
  const now = new Date();
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.getByLabel('From', { exact: true }).fill(local(new Date(now.getTime() - 3 * 3600_000)));
  await page.getByLabel('To', { exact: true }).fill(local(new Date(now.getTime() + 3600_000)));
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('.chart-summary', { hasText: /^1 click from .* shown per minute/ }).waitFor();
});

test('the keyboard alone reaches the content and works the dialogs', async () => {
  await page.getByRole('link', { name: '← All links' }).click();
  await row(code).waitFor();
  const focused = () => page.evaluate(() => document.activeElement.id);
  assert.equal(await focused(), 'create-heading', 'a new page starts at its heading');
  await page.keyboard.press('Tab');
  assert.equal(await focused(), 'create-url', 'the next Tab stop is the URL field');

  const edit = row(code).getByRole('button', { name: `Edit ${code}` });
  await edit.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Edit ${shortUrl}` });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.name), 'url', 'the dialog takes focus');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.ok(await edit.evaluate((el) => el === document.activeElement), 'focus returns to the Edit button');
});

test('edit a link, with a field error on the way', async () => {
  await row(code).getByRole('button', { name: `Edit ${code}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${shortUrl}` });
  await dialog.waitFor();
  await dialog.getByLabel('Title').fill('Launch page, second edition');
  await dialog.getByLabel('Max visits').fill('0');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.locator('#err-edit-max', { hasText: 'visit limit must be at least 1' }).waitFor();
  await dialog.getByLabel('Max visits').fill('');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await row(code).getByText('Launch page, second edition').waitFor();
  assert.equal((await apiGet(`/api/v1/links/${code}`)).body.title, 'Launch page, second edition');
});

test('disable and enable a link', async () => {
  await row(code).getByRole('button', { name: `Disable ${code}` }).click();
  await row(code).getByText('disabled', { exact: true }).waitFor();
  assert.equal((await fetch(shortUrl, { redirect: 'manual' })).status, 410);
  await row(code).getByRole('button', { name: `Enable ${code}` }).click();
  await row(code).getByRole('button', { name: `Disable ${code}` }).waitFor();
  assert.equal((await fetch(shortUrl, { redirect: 'manual' })).status, 302);
});

test('delete a link after confirming', async () => {
  await row(code).getByRole('button', { name: `Delete ${code}` }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${shortUrl}?` });
  await confirm.waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  assert.equal((await apiGet(`/api/v1/links/${code}`)).status, 200, 'cancel keeps the link');

  await row(code).getByRole('button', { name: `Delete ${code}` }).click();
  await confirm.getByRole('button', { name: 'Delete link' }).click();
  await row(code).waitFor({ state: 'detached' });
  assert.equal((await apiGet(`/api/v1/links/${code}`)).status, 404);
});

test('a phone-sized screen shows links as cards and stats without sideways scrolling', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.getByRole('heading', { name: 'Shorten a link' }).waitFor();
  await page.locator('tbody tr').first().waitFor();
  assert.ok(await noHorizontalScroll(), 'the page scrolls sideways at phone width');
  await screenshot(page, 'links-page-phone');
  await row(longCode).getByRole('link', { name: `Statistics of ${longCode}` }).click();
  await page.locator('.chart canvas').waitFor();
  assert.ok(await noHorizontalScroll(), 'the stats page scrolls sideways at phone width');
  await screenshot(page, 'stats-page-phone');
  await page.getByRole('link', { name: '← All links' }).click();
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('sign out forgets the key', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You are signed out.').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('hop.apiKey')), null);
  await page.reload();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});

test('a key that stops working returns to sign-in', async (t) => {
  if (!hop.authEnforced) {
    t.skip('this hop has no API keys yet');
    return;
  }
  await page.evaluate(() => localStorage.setItem('hop.apiKey', 'revoked-key'));
  await page.reload();
  await page.getByText('Your API key was not accepted').waitFor();
});

test('no script errors and no Content-Security-Policy violations', () => {
  assert.deepEqual(pageErrors, []);
});
