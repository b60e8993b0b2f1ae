// What the browser tests run against: a real `hop serve` on an ephemeral port, Debian's Chromium
// driven by playwright-core (never a downloaded browser), and a tiny local site for short links to
// land on, since the machine has no outside network.
//
// Environment: HOP_BINARY (the hop executable, set by ctest), HOP_TEST_OUTPUT (where screenshots
// go; default ./test-output/browser), CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

// playwright-core is installed by `npm ci` into the build dir; ctest points NODE_PATH there, which
// require() honours and a bare ESM import would not.
const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

// Flags that keep Chromium quiet on a machine without network: no background fetches, updates,
// sync or first-run work. Playwright adds --headless and a fresh temporary --user-data-dir itself.
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                        '--disable-component-update', '--disable-sync', '--disable-quic'];

export const outputDir = process.env.HOP_TEST_OUTPUT ?? path.resolve('test-output/browser');

// Starts `hop serve` with `extraArgs`; resolves once it prints its address. `key` is the API key the
// UI should use: the admin key hop writes on first start when it has API keys, any non-empty string
// otherwise.
export async function startHop(extraArgs = []) {
  const binary = process.env.HOP_BINARY;
  if (!binary) throw new Error('HOP_BINARY is not set: point it at the hop executable');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hop-browser-'));
  const proc = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, ...extraArgs],
                     { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const baseUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hop printed no address in 15 s:\n${log}`)), 15_000);
    proc.stderr.on('data', (chunk) => {
      log += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`hop exited with ${code} before listening:\n${log}`)));
  });
  const keyFile = path.join(dataDir, 'admin.key');
  const key = fs.existsSync(keyFile) ? fs.readFileSync(keyFile, 'utf8').trim() : 'any-key-before-auth';
  return {
    baseUrl,
    key,
    authEnforced: fs.existsSync(keyFile),
    log: () => log,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.on('exit', resolve));
        proc.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// A site on another local port where short links land: answers every path with a small page.
export async function startLandingSite() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Landed</title><h1>Landed on ${req.url.replace(/[<>&"]/g, '')}</h1>`);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    // "localhost", not 127.0.0.1: hop refuses targets on its own host, whatever the port.
    url: `http://localhost:${server.address().port}`,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

export async function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
                           headless: true, args: CHROMIUM_FLAGS });
}

// A browser context that looks like a person's browser: hop counts user agents that say
// "HeadlessChrome" as bots, whose clicks are kept apart from the numbers the UI shows.
export async function newPersonContext(browser, baseUrl, viewport = { width: 1280, height: 900 }) {
  const probe = await browser.newPage();
  const userAgent = (await probe.evaluate(() => navigator.userAgent)).replace('HeadlessChrome', 'Chrome');
  await probe.close();
  const context = await browser.newContext({ viewport, userAgent, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  return context;
}

export async function screenshot(page, name) {
  fs.mkdirSync(outputDir, { recursive: true });
  const file = path.join(outputDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
