// End-to-end harness: serves the built site (dist/) under a sub-path, as GitHub Pages serves a
// project page, and drives Debian's Chromium through playwright-core.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const DIST = join(ROOT, 'dist');
export const SUB = '/agent-traces/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json',
  '.jsonl': 'application/jsonl', '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml',
};

/** Starts a static server for dist/ under SUB on a free port; resolves to { url, close }. */
export async function serve(dir = DIST) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(SUB)) { res.writeHead(404).end(); return; }
    let file = normalize(join(dir, path.slice(SUB.length)));
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${SUB}`, origin: `http://127.0.0.1:${port}`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/**
 * Opens the app in a fresh page and records console errors, page errors and any request that
 * leaves the page's origin.
 */
export async function openApp(browser, site) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const problems = { consoleErrors: [], pageErrors: [], foreignRequests: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => problems.pageErrors.push(String(e)));
  context.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(site.origin + '/') && !u.startsWith('blob:') && !u.startsWith('data:')) problems.foreignRequests.push(u);
  });
  await page.goto(site.url);
  await page.waitForSelector('[data-testid="ingest-status"]');
  return { page, context, problems };
}

/** Waits until ingest has finished (done or error) and the charts show it; returns the state. */
export async function waitForIngest(page, timeout = 120_000) {
  await page.waitForFunction(() => {
    const s = document.querySelector('[data-testid="ingest-status"]')?.dataset.state;
    return s === 'done' || s === 'error';
  }, null, { timeout });
  await waitForCharts(page);
  return page.getAttribute('[data-testid="ingest-status"]', 'data-state');
}

/** Waits until every chart shows the current figures (charts are drawn one task each). */
export async function waitForCharts(page) {
  await page.waitForFunction(() => (document.documentElement.dataset.chartsPending ?? '0') === '0');
}

/** Every `data-metric` with its `data-value`, as numbers. */
export async function metrics(page) {
  return page.$$eval('[data-metric]', (els) => Object.fromEntries(els.map((e) => [e.dataset.metric, Number(e.dataset.value)])));
}

/** Drops files on the drop zone through a synthetic DataTransfer (as a user's drag would). */
export async function dropFiles(page, files) {
  const payload = await Promise.all(files.map(async (f) => ({ name: f.name, data: (await readFile(f.path)).toString('base64') })));
  await page.evaluate(async (items) => {
    const dt = new DataTransfer();
    for (const { name, data } of items) {
      const bin = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], name));
    }
    const zone = document.querySelector('[data-testid="dropzone"]');
    zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, payload);
}

/** Where the tests write generated inputs and downloads. */
export const OUT = join(ROOT, 'tests', 'e2e', 'out');
/** A release binary of this crate. */
export const bin = (name) => join(ROOT, 'target', 'release', name);

/** The native core's figures for the given files (`analyse`'s JSON). */
export function native(paths) {
  return JSON.parse(execFileSync(bin('analyse'), paths, { encoding: 'utf8', maxBuffer: 1 << 28 }));
}

/** Writes a generated dataset under OUT with the `gen` tool; returns its path. */
export function generate(name, args) {
  const path = join(OUT, name);
  execFileSync(bin('gen'), [...args, '--out', path], { stdio: 'pipe' });
  return path;
}

/** Shows a view by its link in the navigation, as a user would, and waits for its charts. */
export async function showView(page, name) {
  await page.click(`nav [data-view="${name}"]`);
  await page.waitForSelector(`[data-testid="view-${name}"]`);
  await waitForCharts(page);
}

/** Opens the header's Download menu and takes the download of one of its buttons. */
export async function fromMenu(page, testid) {
  const menu = page.locator('[data-testid="download-menu"]');
  if (!(await menu.evaluate((d) => d.open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  return download;
}
