// Takes the README's screenshots of the web UI (docs/ui-links.png, docs/ui-stats.png) against a
// fresh `hop serve` with a few example links and clicks. Not a test; run it by hand after a UI
// change, from this directory:
//
//   HOP_BINARY=../../build/src/hop NODE_PATH=../../build/tests/browser/node_modules \
//     node docs_screenshots.mjs
//
// Clicks are stamped with the minute they happen in, so to draw more than one bar the script
// clicks for a few minutes (HOP_DOCS_MINUTES, default 4) before it takes the pictures.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium, newPersonContext, startHop } from './harness.mjs';

const docsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');
const minutes = Number(process.env.HOP_DOCS_MINUTES ?? 4);
const PERSON = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';

const EXAMPLES = [
  { path: '/spring-launch?utm_source=newsletter&utm_medium=email', title: 'Spring launch', tags: ['campaign', 'mail'],
    alias: 'spring' },
  { path: '/docs/getting-started/install-on-debian-12', title: 'Install guide', tags: ['docs'] },
  { path: '/careers/backend-engineer-cpp', title: 'Backend engineer (C++)', tags: ['jobs'] },
  { path: '/blog/2026/11/how-we-count-a-hundred-million-clicks', title: 'Counting clicks', tags: ['blog'] },
  { path: '/events/meetup?city=berlin&date=2026-12-03', title: 'Berlin meetup', tags: ['events', 'campaign'] },
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  // Short URLs as a real deployment would show them; the clicks go to the server's own address.
  const hop = await startHop(['--base-url', 'https://go.example.com']);
  const headers = { Authorization: `Bearer ${hop.key}`, 'Content-Type': 'application/json' };
  const links = [];
  for (const example of EXAMPLES) {
    const body = { url: `https://example.com${example.path}`, title: example.title, tags: example.tags };
    if (example.alias) body.alias = example.alias;
    const response = await fetch(`${hop.baseUrl}/api/v1/links`, { method: 'POST', headers, body: JSON.stringify(body) });
    links.push(await response.json());
  }
  const visit = (link, userAgent = PERSON) =>
    fetch(`${hop.baseUrl}/${link.code}`, { redirect: 'manual', headers: { 'User-Agent': userAgent } });

  // A few clicks every 10 seconds, more on the first link, and a link preview bot now and then.
  const rounds = minutes * 6;
  for (let round = 0; round < rounds; ++round) {
    const burst = 2 + Math.round(6 * Math.abs(Math.sin(round / 3)));
    for (let i = 0; i < burst; ++i) await visit(links[0]);
    await visit(links[1 + (round % (links.length - 1))]);
    if (round % 5 === 0) await visit(links[0], 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)');
    await sleep(10_000);
  }

  const browser = await launchChromium();
  const context = await newPersonContext(browser, hop.baseUrl, { width: 1280, height: 860 });
  const page = await context.newPage();
  await page.goto(hop.baseUrl + '/');
  await page.getByLabel('API key').fill(hop.key);
  await page.getByLabel('API key').press('Enter');
  await page.locator('form.create-form').getByLabel('Long URL')
            .fill('https://example.com/pricing?plan=team&utm_source=ads');
  await page.locator('form.create-form').getByLabel('Long URL').press('Enter');
  await page.waitForFunction(() => document.querySelector('.created .qr img').naturalWidth > 0);
  await page.waitForFunction(() => [...document.querySelectorAll('td.num')].every((td) => td.textContent !== '…'));
  await page.evaluate(() => document.activeElement.blur());
  await page.screenshot({ path: path.join(docsDir, 'ui-links.png'), fullPage: true });

  await page.goto(`${hop.baseUrl}/#/links/${links[0].code}`);
  await page.locator('label[for="range-custom"]').click();
  const local = (ms) => { const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000); return d.toISOString().slice(0, 16); };
  await page.getByLabel('From', { exact: true }).fill(local(Date.now() - (minutes + 6) * 60_000));
  await page.getByLabel('To', { exact: true }).fill(local(Date.now() + 2 * 60_000));
  await page.getByRole('button', { name: 'Show' }).click();
  await page.locator('.chart-summary', { hasText: 'per minute' }).waitFor();
  await page.waitForFunction(() => document.querySelector('.qr img').naturalWidth > 0);
  // The legend shows one minute's count, as when a person points at the chart.
  const chart = await page.locator('.chart .u-over').boundingBox();
  await page.mouse.move(chart.x + chart.width * 0.55, chart.y + chart.height / 2);
  await page.screenshot({ path: path.join(docsDir, 'ui-stats.png'), fullPage: true });

  await browser.close();
  await hop.stop();
  console.log(`wrote ${path.join(docsDir, 'ui-links.png')} and ui-stats.png`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
